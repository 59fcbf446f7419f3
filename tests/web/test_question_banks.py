"""Question banks from Moodle, as a trainer meets them: the studio upload with its report and
confirmation, and the command line (`content import-gift` and friends, the exporters)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from learning import create_app
from learning.content.moodle.bank import apply_import, image_storer
from learning.content.quiz_format import parse_quiz
from learning.models import AuditEvent, Image, Quiz, QuizRevision, StagedImport

from ..factories import import_sample_curriculum, login, make_user

DATA = Path(__file__).parents[1] / "data" / "moodle"


def _module(slug: str):
    from learning.models import Module
    from learning.extensions import db
    return db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _revisions(quiz_slug: str) -> list[QuizRevision]:
    from learning.extensions import db
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == quiz_slug))
    revisions = [] if quiz is None else list(db.session.scalars(
        sa.select(QuizRevision).where(QuizRevision.quiz_id == quiz.id).order_by(QuizRevision.number)))
    db.session.rollback()  # end the read: the command line under test opens its own transaction
    return revisions


@pytest.fixture
def trainer(db, client):
    import_sample_curriculum()
    make_user(role="trainer", username="trainer")
    login(client, "trainer")
    return client


def _upload(client, module_id: int, name: str, data: bytes, fmt: str = ""):
    import io
    return client.post(f"/studio/modules/{module_id}/question-bank",
                       data={"bank": (io.BytesIO(data), name), "format": fmt},
                       content_type="multipart/form-data")


# --------------------------------------------------------------------------- studio


def test_studio_upload_shows_the_report_in_numbers_and_writes_nothing_until_confirmed(trainer, db):
    unsur = _module("unsur")
    before = len(_revisions("unsur-kuis"))
    response = _upload(trainer, unsur.id, "contoh.gift", (DATA / "contoh.gift").read_bytes())
    assert response.status_code == 302
    report = trainer.get(response.headers["Location"])
    page = report.text
    assert report.status_code == 200
    assert "16 soal dibaca: 12 dapat diimpor, 4 ditolak." in page
    assert "Utuh: 6" in page and "Diimpor dengan bagian yang hilang: 3" in page
    assert "contoh.gift:27" in page and "Kodok" in page  # a partial-credit answer, by its line
    assert "Soal esai tidak diimpor" in page
    assert len(_revisions("unsur-kuis")) == before  # a preview, not a write
    # Without accepting the losses, confirming refuses and still writes nothing.
    action = re.search(r'action="(/studio/question-bank/[^"]+)"', page).group(1)
    refused = trainer.post(action, data={})
    assert refused.status_code == 400 and "Centang pernyataan" in refused.text
    assert len(_revisions("unsur-kuis")) == before
    done = trainer.post(action, data={"accept_losses": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/edit")
    revisions = _revisions("unsur-kuis")
    assert len(revisions) == before + 1
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    assert quiz.published_revision_id == revisions[-2].id  # the import is a draft
    document = parse_quiz(revisions[-1].source, "x.md")
    earlier = parse_quiz(revisions[-2].source, "x.md")
    assert document.questions[:len(earlier.questions)] == earlier.questions  # nothing replaced
    assert len(document.questions) == len(earlier.questions) + 12
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "import" and "12 soal diimpor" in event.detail and "4 ditolak" in event.detail
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StagedImport)) == 0


def test_studio_import_creates_the_quiz_for_a_module_without_one_and_stores_images(trainer, db):
    penutup = _module("penutup")
    response = _upload(trainer, penutup.id, "contoh.xml", (DATA / "contoh.xml").read_bytes())
    page = trainer.get(response.headers["Location"]).text
    assert "Moodle XML" in page and "/quiz/question[9]" in page
    action = re.search(r'action="(/studio/question-bank/[^"]+)"', page).group(1)
    assert trainer.post(action, data={"accept_losses": "y"}).status_code == 302
    (revision,) = _revisions("penutup-kuis")
    document = parse_quiz(revision.source, "x.md")
    image = db.session.scalar(sa.select(Image))
    assert len(document.questions) == 7 and image is not None
    assert f"]({image.path})" in document.questions[0].prompt


def test_an_aiken_file_without_losses_needs_no_acceptance(trainer):
    unsur = _module("unsur")
    response = _upload(trainer, unsur.id, "sepuluh.txt", (DATA / "sepuluh.aiken.txt").read_bytes())
    page = trainer.get(response.headers["Location"]).text
    assert "accept_losses" not in page and "Impor 10 soal sebagai draf" in page
    action = re.search(r'action="(/studio/question-bank/[^"]+)"', page).group(1)
    assert trainer.post(action, data={}).status_code == 302


def test_a_malformed_aiken_file_is_refused_by_line_with_nothing_staged(trainer, db):
    response = _upload(trainer, _module("unsur").id, "rusak.txt",
                       (DATA / "rusak.aiken.txt").read_bytes(), "aiken")
    assert response.status_code == 400
    assert "rusak.txt:8" in response.text and "rusak.txt:18" in response.text
    assert "tidak ada yang ditulis" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StagedImport)) == 0


@pytest.mark.parametrize("name, data", [
    ("bom.xml", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>'),
    ("deep.xml", b"<quiz>" + b"<q>" * 100_000 + b"</q>" * 100_000 + b"</quiz>"),
    ("nul.gift", b"Soal {T}\x00"),
    ("latin.gift", "Soal \u00e9 {T}".encode("latin-1")),
    ("huge.gift", b"x" * (9 * 1024 * 1024)),
    ("binary.xml", bytes(range(256)) * 10),
    ("empty.gift", b""),
])
def test_hostile_files_never_give_a_server_error(trainer, name, data):
    response = _upload(trainer, _module("unsur").id, name, data)
    assert response.status_code in (302, 400, 413)
    if response.status_code == 302:  # read, but nothing importable: the report says so
        page = trainer.get(response.headers["Location"])
        assert page.status_code == 200 and "Tidak ada soal yang dapat diimpor" in page.text


def test_another_trainers_report_cannot_be_opened_or_confirmed(trainer, app):
    response = _upload(trainer, _module("unsur").id, "sepuluh.txt", (DATA / "sepuluh.aiken.txt").read_bytes())
    url = response.headers["Location"]
    make_user(role="trainer", username="lain")
    other = app.test_client()
    login(other, "lain")
    assert other.get(url).status_code == 404 and other.post(url, data={}).status_code == 404


# --------------------------------------------------------------------------- command line


def test_cli_import_gift_previews_losses_then_imports_with_accept_losses(runner, db, tmp_path):
    import_sample_curriculum()
    before = len(_revisions("unsur-kuis"))
    path = str(DATA / "contoh.gift")
    preview = runner.invoke(args=["content", "import-gift", path, "--module", "contoh/unsur"])
    assert preview.exit_code == 2, preview.output
    assert f"{path}:56: refused (essay -> -)" in preview.output
    assert "16 question(s) read: 12 importable (6 unchanged, 3 changed, 3 with something lost), 4 refused" in preview.output
    assert "nothing was written" in preview.output and len(_revisions("unsur-kuis")) == before
    done = runner.invoke(args=["content", "import-gift", path, "--module", "contoh/unsur", "--accept-losses"])
    assert done.exit_code == 0, done.output
    assert "12 question(s) added as draft revision" in done.output
    assert len(_revisions("unsur-kuis")) == before + 1


def test_cli_import_moodle_xml_and_aiken_and_export_back(runner, db, tmp_path):
    import_sample_curriculum()
    aiken = runner.invoke(args=["content", "import-aiken", str(DATA / "sepuluh.aiken.txt"),
                                "--module", "contoh/penutup"])
    assert aiken.exit_code == 0, aiken.output
    bad = runner.invoke(args=["content", "import-aiken", str(DATA / "rusak.aiken.txt"),
                              "--module", "contoh/penutup"])
    assert bad.exit_code == 1 and "rusak.aiken.txt:12" in bad.output
    out = tmp_path / "bank.xml"
    exported = runner.invoke(args=["content", "export-moodle-xml", "--module", "contoh/penutup",
                                   "--draft", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_text().count('<question type="multichoice">') == 10
    gift = runner.invoke(args=["content", "export-gift", "--module", "contoh/unsur"])
    assert gift.exit_code == 0 and "::" in gift.output
    missing = runner.invoke(args=["content", "export-gift", "--module", "contoh/penutup"])
    assert missing.exit_code == 1 and "no published quiz" in missing.output


def test_cli_import_for_a_missing_module_writes_nothing(runner, db):
    import_sample_curriculum()
    result = runner.invoke(args=["content", "import-gift", str(DATA / "contoh.gift"),
                                 "--module", "contoh/tidak-ada", "--accept-losses"])
    assert result.exit_code == 1 and "contoh/tidak-ada" in result.output
    assert "nothing was imported" in result.output


def test_cli_import_on_a_fresh_install_says_to_run_the_bootstrap_first(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}"})
    result = app.test_cli_runner().invoke(args=["content", "import-gift", str(DATA / "contoh.gift"),
                                                "--module", "tppo/unsur-tppo"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "bootstrap" in result.output and "nothing was imported" in result.output


def test_apply_import_stores_embedded_images_like_studio_uploads(db, app):
    import_sample_curriculum()
    module = _module("penutup")
    plan, quiz, revision = apply_import(module, (DATA / "contoh.xml").read_bytes(), "contoh.xml",
                                        None, accept_losses=True,
                                        store_image=image_storer(None, app.config["MEDIA_ROOT"]))
    image = db.session.scalar(sa.select(Image))
    assert image.ext in ("webp", "jpg") and image.original_name == "bendera merah.png"
    assert quiz.published_revision_id is None and revision.number == 1


def test_a_new_quiz_never_takes_the_slug_of_another_modules_quiz(db):
    import_sample_curriculum()
    db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis")).slug = "penutup-kuis"
    db.session.commit()
    _, quiz, _ = apply_import(_module("penutup"), (DATA / "sepuluh.aiken.txt").read_bytes(),
                              "sepuluh.txt", None)
    assert quiz.slug == "penutup-kuis-2" and quiz.module.slug == "penutup"


def test_studio_downloads_the_quiz_for_moodle_listing_what_gift_cannot_carry(trainer, db, app):
    from learning.content.moodle.bank import read_bank
    from learning.content.moodle.convert import convert_bank
    _, quiz, revision = apply_import(_module("penutup"), (DATA / "contoh.xml").read_bytes(),
                                     "contoh.xml", None, accept_losses=True,
                                     store_image=image_storer(None, app.config["MEDIA_ROOT"]))
    db.session.commit()
    quiz_id = quiz.id
    editor = trainer.get(f"/studio/quizzes/{quiz_id}/edit").text
    assert f"/studio/quizzes/{quiz_id}/export.gift" in editor
    gift = trainer.get(f"/studio/quizzes/{quiz_id}/export.gift")
    assert gift.status_code == 200 and "attachment" in gift.headers["Content-Disposition"]
    assert "// tidak terbawa: urutan-peringatan-dini: Soal urutan tidak dapat ditulis" in gift.text
    xml = trainer.get(f"/studio/quizzes/{quiz_id}/export.xml")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    again = convert_bank(read_bank(xml.data, "kembali.xml")[1]).questions
    assert again == parse_quiz(revision.source, "x.md").questions


def test_a_question_nested_too_deep_to_render_is_refused_not_a_server_error(trainer):
    nested = ("- " * 3000 + "x {T}").encode()
    response = _upload(trainer, _module("unsur").id, "dalam.gift", nested)
    page = trainer.get(response.headers["Location"]).text
    action = re.search(r'action="(/studio/question-bank/[^"]+)"', page).group(1)
    done = trainer.post(action, data={"accept_losses": "y"})
    # rendering is bounded (learning.content.markdown_limits): a clear refusal or a saved draft
    # whose editor opens, never a server error
    assert (done.status_code == 400 and "bersarang terlalu dalam" in done.text) or \
        (done.status_code == 302 and trainer.get(done.headers["Location"]).status_code == 200)
    long = _upload(trainer, _module("unsur").id, "panjang.gift", ("kata " * 5000 + "{T}").encode())
    assert "lebih panjang dari 20000 karakter" in trainer.get(long.headers["Location"]).text
