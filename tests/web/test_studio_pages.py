"""Studio pages over HTTP: editing and publishing, quiz errors by line, conflicts, uploads with
clear refusals, import with a preview, and the audit log."""
import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image as PILImage

from learning import create_app
from learning.content.exchange import export_course_zip
from learning.models import AuditEvent, Course, Image, Module, Quiz

from ..factories import PASSWORD, import_sample_curriculum, login, make_user


@pytest.fixture
def trainer_client(client, db):
    import_sample_curriculum()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    make_user(username="sari")
    login(client, "tina")
    return client


def _module(db, slug):
    return db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (10, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _form(**changes):
    form = {"title": "Unsur TPPO", "minutes": "7", "laws": "UU 21/2007 Pasal 2\n\n",
            "reviewed": "2026-11-01", "source": "## Unsur\n\nTeks baru.\n", "note": "Uji",
            "base": "1", "action": "save"}
    form.update(changes)
    return form


def test_the_editor_shows_the_latest_revision_and_the_server_preview(trainer_client, db):
    module = _module(db, "unsur")
    page = trainer_client.get(f"/studio/modules/{module.id}/edit").text
    assert "Proses, cara, dan tujuan eksploitasi." in page
    assert 'name="base" type="hidden" value="1"' in page
    assert 'data-preview-url="/studio/preview"' in page
    preview = trainer_client.post(f"/studio/modules/{module.id}/edit", data=_form(
        action="preview", source="| a | b |\n|---|---|\n| 1 | 2 |\n\nCatatan[^1].\n\n[^1]: Kaki."))
    assert preview.status_code == 200
    assert "<td>1</td>" in preview.text and 'class="footnote"' in preview.text
    assert len(db.session.scalars(sa.select(Module)).all()) == 3
    assert module.published_revision.number == 1  # a preview saves nothing


def test_save_publish_and_officer_view(trainer_client, db, app):
    module = _module(db, "unsur")
    response = trainer_client.post(f"/studio/modules/{module.id}/edit", data=_form())
    assert response.status_code == 302
    page = trainer_client.get(response.headers["Location"]).text
    assert "Draf tersimpan sebagai revisi 2" in page
    officer = app.test_client()
    login(officer, "sari")
    assert "Teks baru." not in officer.get("/courses/contoh/unsur").text
    trainer_client.post(f"/studio/modules/{module.id}/publish", data={"revision": "2",
                                                                       "substantive": "y"})
    assert "Teks baru." in officer.get("/courses/contoh/unsur").text
    assert module.published_revision.substantive
    history = trainer_client.get(f"/studio/modules/{module.id}/history").text
    assert "Tina Pelatih" in history and "Uji" in history and "Pulihkan revisi ini" in history
    diff = trainer_client.get(f"/studio/modules/{module.id}/diff?from=1&to=2").text
    assert "+ Teks baru." in diff and "- Proses, cara, dan tujuan eksploitasi." in diff


def test_invalid_fields_are_400_with_messages_next_to_them(trainer_client, db):
    module = _module(db, "unsur")
    response = trainer_client.post(f"/studio/modules/{module.id}/edit",
                                   data=_form(title="", minutes="lima"))
    assert response.status_code == 400
    assert "Isi judul." in response.text and 'aria-invalid="true"' in response.text


def test_a_second_editor_gets_a_conflict_instead_of_overwriting(trainer_client, db):
    module = _module(db, "unsur")
    trainer_client.post(f"/studio/modules/{module.id}/edit", data=_form(source="Versi A\n"))
    stale = trainer_client.post(f"/studio/modules/{module.id}/edit", data=_form(source="Versi B\n"))
    assert stale.status_code == 409 and "sudah disimpan orang lain" in stale.text
    assert "Versi B" in stale.text and 'value="2"' in stale.text  # the text is kept
    assert trainer_client.post(f"/studio/modules/{module.id}/edit",
                               data=_form(source="Versi B\n", base="2")).status_code == 302


def test_quiz_errors_show_the_line(trainer_client, db):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    source = quiz.published_revision.source.replace("- [x] Salah", "- [ ] Salah")
    response = trainer_client.post(f"/studio/quizzes/{quiz.id}/edit",
                                   data={"source": source, "base": "1", "action": "save"})
    assert response.status_code == 400
    assert 'data-line="23"' in response.text and "Baris 23" in response.text
    assert "no option is marked correct" in response.text and "23 | ## persetujuan" in response.text
    good = source.replace("- [ ] Salah", "- [x] Salah")
    preview = trainer_client.post(f"/studio/quizzes/{quiz.id}/edit",
                                  data={"source": good, "base": "1", "action": "preview"})
    assert preview.status_code == 200 and "4 soal, semuanya valid" in preview.text


def test_new_course_module_and_quiz_from_the_browser(trainer_client, db):
    response = trainer_client.post("/studio/courses/new", data={"slug": "modus", "title": "Modus"})
    assert response.headers["Location"] == "/studio/courses/modus/edit"
    assert trainer_client.post("/studio/courses/new", data={"slug": "Modus Baru", "title": "x"}
                               ).status_code == 400
    response = trainer_client.post("/studio/courses/modus/modules/new",
                                   data={"slug": "online", "title": "Rekrutmen daring"})
    module = _module(db, "online")
    assert response.headers["Location"] == f"/studio/modules/{module.id}/edit"
    response = trainer_client.post(f"/studio/modules/{module.id}/quiz/new",
                                   data={"slug": "online-kuis", "title": "Kuis Daring"})
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "online-kuis"))
    page = trainer_client.get(response.headers["Location"]).text
    assert "module: modus/online" in page and quiz.title == "Kuis Daring"


def test_upload_inserts_a_snippet_and_refuses_bad_files_clearly(trainer_client, db):
    ok = trainer_client.post("/media/upload", headers={"Accept": "application/json"}, data={
        "image": (io.BytesIO(_png()), "bagan.png"), "alt": "Bagan alur"})
    assert ok.status_code == 201
    image = db.session.scalar(sa.select(Image))
    assert ok.json["markdown"] == f"![Bagan alur](/media/{image.sha256}.webp)"
    text = trainer_client.post("/media/upload", data={
        "image": (io.BytesIO(b"bukan gambar\n" * 100), "poster.jpg")})
    assert text.status_code == 400
    assert "Berkas ini bukan gambar JPEG, PNG, WebP atau GIF." in text.text
    big = trainer_client.post("/media/upload", headers={"Accept": "application/json"}, data={
        "image": (io.BytesIO(b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024)), "besar.jpg")})
    assert big.status_code == 413
    assert big.json["error"] == "Berkas terlalu besar: paling besar 10 MB."
    assert db.session.scalar(sa.select(sa.func.count(Image.id))) == 1
    form_page = trainer_client.post("/media/upload", data={
        "image": (io.BytesIO(b"\0" * (11 * 1024 * 1024)), "besar.jpg")})
    assert form_page.status_code == 413 and "paling besar 10 MB" in form_page.text


def test_upload_without_javascript_returns_to_the_editor_with_the_snippet(trainer_client, db):
    module = _module(db, "unsur")
    response = trainer_client.post("/media/upload", data={
        "image": (io.BytesIO(_png()), "bagan.png"), "alt": "Bagan",
        "next": f"/studio/modules/{module.id}/edit"}, follow_redirects=True)
    assert response.request.path == f"/studio/modules/{module.id}/edit"
    assert "![Bagan](/media/" in response.text


def test_upload_checks_its_csrf_token(database_url, db):
    make_user(role="trainer", username="tina")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    # No app context of our own: each request gets a fresh one, so `g` holds no stale user.
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"identifier": "tina", "password": PASSWORD,
                                "csrf_token": token})
    images = client.get("/studio/images").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', images).group(1)
    refused = client.post("/media/upload", data={"image": (io.BytesIO(_png()), "a.png")})
    assert refused.status_code == 400 and "Formulir kedaluwarsa atau tidak sah." in refused.text
    accepted = client.post("/media/upload", data={"image": (io.BytesIO(_png()), "a.png"),
                                                  "csrf_token": token})
    assert accepted.status_code == 302


def test_import_shows_a_preview_then_applies(trainer_client, db):
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    data = export_course_zip(course)
    response = trainer_client.post("/studio/import",
                                   data={"archive": (io.BytesIO(data), "contoh.zip")})
    assert response.status_code == 302
    preview = trainer_client.get(response.headers["Location"]).text
    assert "Tidak berubah" in preview and "module contoh/unsur" in preview
    done = trainer_client.post(response.headers["Location"], follow_redirects=True)
    assert "Impor selesai: 0 dibuat, 0 diperbarui, 4 tidak berubah." in done.text
    bad = trainer_client.post("/studio/import",
                              data={"archive": (io.BytesIO(b"bukan zip"), "x.zip")})
    assert bad.status_code == 400 and "this is not a zip file" in bad.text


def test_audit_log_is_for_administrators(trainer_client, db, app):
    module = _module(db, "unsur")
    trainer_client.post(f"/studio/modules/{module.id}/edit", data=_form())
    assert trainer_client.get("/studio/audit").status_code == 403
    make_user(role="admin", username="ani")
    admin = app.test_client()
    login(admin, "ani")
    page = admin.get("/studio/audit").text
    assert "Tina Pelatih" in page and "contoh/unsur" in page and "Diubah" in page
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1
    filtered = admin.get("/studio/audit?action=publish").text
    assert "contoh/unsur" not in filtered


def test_retire_and_reorder_from_the_course_page(trainer_client, db):
    penutup = _module(db, "penutup")
    trainer_client.post(f"/studio/modules/{penutup.id}/move", data={"direction": "up"})
    page = trainer_client.get("/studio/courses/contoh/").text
    assert page.index("Penutup") < page.index("Unsur TPPO")
    trainer_client.post(f"/studio/modules/{penutup.id}/retire")
    assert penutup.retired_at is not None
    assert "Aktifkan lagi" in trainer_client.get("/studio/courses/contoh/").text


def test_law_search_and_review_pages(trainer_client, db):
    page = trainer_client.get("/studio/laws?q=UU+21/2007+Pasal+26").text
    assert "persetujuan" in page and "Kuis Unsur TPPO" in page
    review = trainer_client.get("/studio/review").text
    assert "Perlu ditinjau" in review
