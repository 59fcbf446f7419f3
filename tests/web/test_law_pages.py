"""The register of laws, law changes and search over HTTP: who may see and do what, the two-step
change with its impact in numbers, "sedang ditinjau" on the officer's pages, closing a review,
the register import keeping studio edits, the header search box, and page weight."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from learning import create_app
from learning.laws.cli import import_laws
from learning.models import AuditEvent, Law, LawChange, LawReview, Module

from ..factories import PASSWORD, import_sample_curriculum, login, make_user

SEARCH_SAMPLE = Path(__file__).parents[1] / "data" / "lawsearch"
BUDGET = 30 * 1024


@pytest.fixture
def people(app, db):
    import_sample_curriculum()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    make_user(username="sari")


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def _compressed(response) -> int:
    return len(gzip.compress(response.data))


def test_officers_read_the_register_but_cannot_change_it(app, people, db):
    officer = _client(app, "sari")
    register = officer.get("/laws/")
    assert register.status_code == 200 and "UU 21/2007" in register.text
    assert _compressed(register) < BUDGET
    law = officer.get("/laws/uu-21-2007")
    assert law.status_code == 200 and "Pasal 2" in law.text and "Unsur TPPO" in law.text
    assert "Catat perubahan" not in law.text
    for path in ("/laws/uu-21-2007/edit", "/laws/uu-21-2007/change", "/laws/reviews",
                 "/laws/new", "/laws/uu-21-2007/file", "/laws/reviews/1", "/laws/changes/1"):
        assert officer.get(path).status_code == 403, path
    assert officer.post("/laws/uu-21-2007/change", data={}).status_code == 403
    assert officer.get("/laws/tidak-ada").status_code == 404
    assert app.test_client().get("/laws/").status_code == 302  # sign in first


def test_a_trainer_records_a_change_in_two_steps_and_officers_see_it_under_review(app, people, db):
    trainer, officer = _client(app, "tina"), _client(app, "sari")
    form = {"article": "Pasal 2", "changed_on": "2026-01-02", "changed_by": "UU 1/2026",
            "summary": "Ancaman pidana dibaca menurut UU 1/2026."}
    preview = trainer.post("/laws/uu-21-2007/change", data=form)
    assert preview.status_code == 200
    assert re.search(r"<strong>1</strong> modul", preview.text)
    assert re.search(r"<strong>1</strong> soal kuis", preview.text)
    assert db.session.scalar(sa.select(sa.func.count(LawChange.id))) == 0  # nothing yet
    done = trainer.post("/laws/uu-21-2007/change", data={**form, "confirm": "1"})
    assert done.status_code == 302
    change = db.session.scalar(sa.select(LawChange))
    assert done.headers["Location"].endswith(f"/laws/changes/{change.id}")
    page = trainer.get(done.headers["Location"])
    assert "Unsur TPPO" in page.text and "terbuka 0 hari" in page.text
    studio = trainer.get("/studio/")
    assert "Tinjauan perubahan hukum terbuka: 2" in studio.text
    reviews = trainer.get("/laws/reviews").text
    assert reviews.count("Unsur TPPO") == 2 and "0 hari" in reviews

    module = officer.get("/courses/contoh/unsur")
    assert "Sedang ditinjau" in module.text
    assert "Sedang ditinjau" not in officer.get("/courses/contoh/pengantar").text
    assert "Sedang ditinjau" in officer.get("/courses/contoh/unsur/quiz").text

    quiz_review = db.session.scalar(sa.select(LawReview).where(LawReview.kind == "quiz"))
    refused = trainer.post(f"/laws/reviews/{quiz_review.id}", data={"outcome": "no_change"})
    assert refused.status_code == 400 and "Tuliskan catatan" in refused.text
    assert trainer.post(f"/laws/reviews/{quiz_review.id}",
                        data={"outcome": "bogus"}).status_code == 400
    closed = trainer.post(f"/laws/reviews/{quiz_review.id}",
                          data={"outcome": "no_change", "note": "Soal tidak memuat angka."})
    assert closed.status_code == 302
    module_review = db.session.scalar(sa.select(LawReview).where(LawReview.kind == "module"))
    no_draft = trainer.post(f"/laws/reviews/{module_review.id}",
                            data={"outcome": "published", "recertify": "y"})
    assert no_draft.status_code == 400 and "Belum ada draf baru" in no_draft.text
    trainer.post(f"/laws/reviews/{module_review.id}", data={"outcome": "no_change", "note": "OK"})
    assert "Sedang ditinjau" not in officer.get("/courses/contoh/unsur").text
    assert trainer.get("/laws/reviews/999").status_code == 404
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"law_change", "review_open", "review_close"} <= actions


def test_a_studio_edit_survives_the_next_import(app, people, db):
    trainer = _client(app, "tina")
    law = db.session.scalar(sa.select(Law).where(Law.key == "uu-18-2017"))
    form = {"citation": "UU 18/2017", "title": law.title, "status": "diubah",
            "amended_by": "UU 99/2026", "replaced_by": "", "source_url": "https://example.org/uu",
            "checked": "2026-12-03", "aliases": "UU PPMI", "notes": "Catatan *baru*.",
            "enacted": ""}
    assert trainer.post("/laws/uu-18-2017/edit", data=form).status_code == 302
    bad = trainer.post("/laws/uu-18-2017/edit", data={**form, "source_url": "bukan alamat"})
    assert bad.status_code == 400
    report = import_laws(None)
    db.session.commit()
    assert "uu-18-2017" in report.kept
    db.session.refresh(law)
    assert law.status == "diubah" and law.amended_by == ["UU 99/2026"]
    assert "<em>baru</em>" in law.notes_html
    file = trainer.get("/laws/uu-18-2017/file")
    assert file.status_code == 200 and "amended_by:\n- UU 99/2026" in file.text or \
        "amended_by: [UU 99/2026]" in file.text
    new = trainer.post("/laws/new", data={**form, "citation": "UU 2/2099", "title": "Contoh"})
    assert new.status_code == 302 and new.headers["Location"].endswith("/laws/uu-2-2099")
    again = trainer.post("/laws/new", data={**form, "citation": "UU 2/2099", "title": "Contoh"})
    assert again.status_code == 400 and "sudah ada" in again.text
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.target_type == "law")
                             .order_by(AuditEvent.id.desc()).limit(1)) == "create"


def test_search_is_one_box_in_the_header_for_everyone(app, db):
    import_sample_curriculum(SEARCH_SAMPLE)
    make_user(username="sari")
    officer = _client(app, "sari")
    dashboard = officer.get("/").text
    assert 'role="search"' in dashboard and 'action="/search"' in dashboard
    empty = officer.get("/search")
    assert empty.status_code == 200 and "Tulis apa yang ingin Anda cari" in empty.text
    found = officer.get("/search?q=Pasal+120")
    assert found.status_code == 200 and _compressed(found) < BUDGET
    assert "<mark>Pasal 120</mark>" in found.text
    first = re.search(r'href="/courses/hukum/([a-z-]+)"', found.text).group(1)
    assert first == "pidana-keimigrasian"
    assert "zamrudjawaban" not in found.text and "kalimatpenjelasan" not in found.text
    misspelt = officer.get("/search?q=pasport").text
    assert "Paspor dan Dokumen Perjalanan" in misspelt
    assert "Lembaga Perlindungan Saksi dan Korban" in officer.get("/search?q=apa+itu+LPSK").text
    for hostile in ("<script>alert(1)</script>", "x" * 1000, '"', "()*"):
        response = officer.get("/search?q=" + hostile)
        assert response.status_code == 200 and "<script>alert" not in response.text
    nul = officer.get("/search?q=%00")  # a control character: refused with a clear page, not a 500
    assert nul.status_code == 400 and "<script>alert" not in nul.text
    module = db.session.scalar(sa.select(Module).where(Module.slug == "paspor"))
    module.retired_at = sa.func.now()
    db.session.commit()
    assert "Paspor dan Dokumen Perjalanan" not in officer.get("/search?q=paspor").text
    assert app.test_client().get("/search?q=paspor").status_code == 302


def test_recording_a_change_checks_its_csrf_token(database_url, db, app):
    import_sample_curriculum()
    make_user(role="trainer", username="tina")
    csrf_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                           "SQLALCHEMY_DATABASE_URI": database_url})
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/login").text).group(1)
    client.post("/login", data={"identifier": "tina", "password": PASSWORD, "csrf_token": token})
    form = {"article": "Pasal 2", "changed_on": "2026-01-02", "summary": "x", "confirm": "1"}
    refused = client.post("/laws/uu-21-2007/change", data=form)
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LawChange.id))) == 0


def test_a_certificate_marked_for_renewal_says_so_to_its_holder(app, people, db):
    from datetime import date, datetime, timezone

    from learning.content.revisions import latest_module_revision, save_module_revision
    from learning.laws import changes
    from learning.laws.register import law_by_key
    from learning.learner import progress
    from learning.models import Course, User

    sari = db.session.scalar(sa.select(User).where(User.username == "sari"))
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for i, module in enumerate(course.live_modules):
        progress.complete_module(sari, module, datetime(2026, 11, 2, 8, i, tzinfo=timezone.utc))
    db.session.commit()
    officer = _client(app, "sari")
    assert "Perlu diperbarui" not in officer.get("/certificates").text
    trainer = db.session.scalar(sa.select(User).where(User.username == "tina"))
    change, _ = changes.record_change(law_by_key("uu-21-2007"), article="Pasal 2",
                                      changed_on=date(2026, 1, 2), changed_by="UU 1/2026",
                                      summary="Pidana.", actor=trainer)
    review = next(r for r in change.reviews if r.kind == "module")
    latest = latest_module_revision(review.module)
    save_module_revision(review.module, title=latest.title, minutes=latest.minutes,
                         laws=latest.laws, reviewed=latest.reviewed,
                         source=latest.source + "\nBaru.\n", author=trainer)
    changes.close_review(review, outcome=changes.PUBLISHED, note="", actor=trainer, recertify=True)
    db.session.commit()
    page = officer.get("/certificates").text
    assert "Perlu diperbarui: UU 21/2007 Pasal 2 berubah sejak" in page
    assert 'href="/courses/contoh/"' in page
