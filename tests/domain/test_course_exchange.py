"""Courses as zips: export then import into an empty database gives the same content; a bad zip
writes nothing and names the file and the line."""
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from learning.studio import exchange as course_exchange, authoring as studio
from learning.content.curriculum import ContentErrors, read_curriculum
from learning.content.exchange import course_files, export_course_zip, read_course_zip
from learning.models import AuditEvent, Course, Module, ModuleRevision, Quiz, QuizRevision

from ..conftest import _empty_all_tables
from ..factories import SAMPLE_CURRICULUM, import_sample_curriculum, make_user

SHIPPED = Path(__file__).resolve().parents[2]  # the repository: courses/ and quizzes/


def _html(html: str) -> str:
    """nh3 adds img's loading/decoding attributes in a random order; compare them sorted."""
    return html.replace('decoding="async" loading="lazy"', 'loading="lazy" decoding="async"')


def _snapshot(db) -> dict:
    """Everything an officer can see of the content, keyed by slugs (never by row ids)."""
    modules = {}
    for module in db.session.scalars(sa.select(Module).join(Course)):
        revision = module.published_revision
        modules[f"{module.course.slug}/{module.slug}"] = (
            module.position, module.title, module.minutes, list(module.laws), module.reviewed,
            revision.source, _html(revision.html), revision.toc_html)
    quizzes = {}
    for quiz in db.session.scalars(sa.select(Quiz)):
        revision = quiz.published_revision
        quizzes[quiz.slug] = (f"{quiz.module.course.slug}/{quiz.module.slug}", quiz.title,
                              revision.source, revision.pass_mark, revision.max_attempts,
                              revision.draw, revision.shuffle, revision.time_limit,
                              revision.questions)
    courses = {c.slug: (c.title, c.summary, c.position, c.validity_months, c.description_html)
               for c in db.session.scalars(sa.select(Course))}
    return {"courses": courses, "modules": modules, "quizzes": quizzes}


def _round_trip(db, root: Path, course_slug: str) -> tuple[dict, dict, bytes]:
    import_sample_curriculum(root)
    before = _snapshot(db)
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug))
    data = export_course_zip(course)
    db.session.remove()
    _empty_all_tables()  # an empty site
    trainer = make_user(role="trainer", username="tina")
    staged = course_exchange.stage_import(data, f"{course_slug}.zip", trainer)
    assert staged.report["created"][0] == f"course {course_slug}" and not staged.report["updated"]
    course_exchange.apply_staged_import(staged, trainer)
    db.session.commit()
    return before, _snapshot(db), data


def test_round_trip_of_the_sample_curriculum(db):
    before, after, data = _round_trip(db, SAMPLE_CURRICULUM, "contoh")
    assert after == before
    names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert names == ["courses/contoh/01-pengantar.md", "courses/contoh/02-unsur.md",
                     "courses/contoh/03-penutup.md", "courses/contoh/course.md",
                     "quizzes/contoh/unsur.md"]


def test_round_trip_of_a_shipped_course(db, tmp_path):
    root = tmp_path / "one-course"
    shutil.copytree(SHIPPED / "courses" / "keimigrasian", root / "courses" / "keimigrasian")
    shutil.copytree(SHIPPED / "quizzes" / "keimigrasian", root / "quizzes" / "keimigrasian")
    before, after, data = _round_trip(db, root, "keimigrasian")
    assert after == before and len(after["modules"]) >= 6 and len(after["quizzes"]) >= 6
    # The zip is exactly the shipped format: reading it gives the same curriculum as the folder.
    original, exported = read_curriculum(root), read_course_zip(data)[0]
    strip = lambda c: [(m.slug, m.title, m.minutes, m.laws, m.reviewed, m.body, m.position)
                       for m in c.courses[0].modules]
    assert strip(exported) == strip(original)
    assert [q.text for q in exported.quizzes] == [q.text for q in original.quizzes]
    shipped_quiz = (root / "quizzes/keimigrasian/kuhp-baru-dan-dampaknya.md").read_text()
    assert zipfile.ZipFile(io.BytesIO(data)).read(
        "quizzes/keimigrasian/kuhp-baru-dan-dampaknya.md").decode() == shipped_quiz


def test_export_holds_only_published_live_content(db):
    import_sample_curriculum()
    trainer = make_user(role="trainer")
    unsur = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
    studio.save_module_draft(unsur, studio.ModuleDraft(
        title="Unsur TPPO", minutes=7, laws=["UU 21/2007 Pasal 2"], reviewed=None,
        source="Draf yang belum terbit.\n"), trainer)
    penutup = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    studio.retire_module(penutup, trainer)
    files = course_files(unsur.course)
    assert sorted(files) == ["courses/contoh/01-pengantar.md", "courses/contoh/02-unsur.md",
                             "courses/contoh/course.md", "quizzes/contoh/unsur.md"]
    assert "Draf yang belum terbit" not in files["courses/contoh/02-unsur.md"]
    assert files["courses/contoh/02-unsur.md"].startswith(
        "---\nslug: unsur\ntitle: Unsur TPPO\nminutes: 7\nlaws:\n  - UU 21/2007 Pasal 2\n"
        "reviewed: 2026-11-01\n---\n\n## Unsur\n")


def test_preview_shows_changes_and_writes_nothing_until_applied(db):
    import_sample_curriculum()
    trainer = make_user(role="trainer", username="tina")
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    data = export_course_zip(course)
    changed = _rezip(data, {"courses/contoh/03-penutup.md": lambda t: t.replace(
        "Terima kasih.", "Terima kasih banyak."),
        "courses/contoh/04-baru.md": lambda _: "---\nslug: baru\ntitle: Modul Baru\nminutes: 4\n"
                                               "laws: []\n---\nTeks baru.\n"})
    counts = _counts(db)
    staged = course_exchange.stage_import(changed, "contoh.zip", trainer)
    db.session.commit()
    assert staged.report["created"] == ["module contoh/baru"]
    assert staged.report["updated"] == ["module contoh/penutup"]
    assert _counts(db) == counts  # the dry run was rolled back
    course_exchange.apply_staged_import(staged, trainer)
    db.session.commit()
    assert _counts(db)[1] == counts[1] + 1
    penutup = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    assert "banyak" in penutup.published_revision.html
    assert penutup.published_revision.author == trainer
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert {(e.target_type, e.target_label, e.detail) for e in events} == {
        ("module", "contoh/baru", "dibuat dari contoh.zip"),
        ("module", "contoh/penutup", "diperbarui dari contoh.zip")}


def _counts(db):
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Course, Module, ModuleRevision, Quiz, QuizRevision))


def _rezip(data: bytes, edits: dict) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    texts = {name: source.read(name).decode() for name in source.namelist()}
    for name, edit in edits.items():
        texts[name] = edit(texts.get(name, ""))
    return _zip(texts)


def _zip(files: dict, wrap: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(wrap + name, text)
    return buffer.getvalue()


def _refused(db, data: bytes) -> ContentErrors:
    trainer = make_user(role="trainer")
    counts = _counts(db)
    with pytest.raises(ContentErrors) as info:
        course_exchange.stage_import(data, "kursus.zip", trainer)
    db.session.rollback()
    assert _counts(db) == counts
    return info.value


def test_a_zip_slip_path_is_refused_and_nothing_is_written(db, tmp_path):
    import_sample_curriculum()
    errors = _refused(db, _zip({"courses/contoh/course.md": "x", "../../evil.md": "x"})).errors
    assert [(e.path, e.line) for e in errors] == [("../../evil.md", None)]
    assert "unsafe path" in errors[0].message
    assert _refused(db, _zip({"/etc/evil.md": "x"})).errors[0].path == "/etc/evil.md"


def test_a_file_that_is_not_a_zip_is_refused(db):
    errors = _refused(db, b"PK\x03\x04 ini bukan zip sungguhan").errors
    assert [(e.path, e.message) for e in errors] == [("kursus.zip", "this is not a zip file")]


def test_a_malformed_module_names_the_file_and_the_line(db):
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    bad = _rezip(export_course_zip(course), {"courses/contoh/02-unsur.md": lambda t: t.replace(
        "minutes: 7", "minutes: tujuh")})
    errors = _refused(db, bad).errors
    assert [str(e) for e in errors] == [
        "courses/contoh/02-unsur.md:4: 'minutes' must be a whole number of minutes"]


def test_a_zip_wrapped_in_a_folder_is_read_and_errors_name_the_wrapped_path(db):
    course_md = (SAMPLE_CURRICULUM / "courses/contoh/course.md").read_text()
    files = {"courses/contoh/course.md": course_md,
             "courses/contoh/01-a.md": "---\nslug: a\ntitle: A\nminutes: 2\n---\nTeks.\n",
             "README.txt": "lihat docs"}
    curriculum, ignored = read_course_zip(_zip(files, wrap="ekspor/"))
    assert [m.slug for m in curriculum.courses[0].modules] == ["a"]
    assert ignored == ["ekspor/README.txt"]
    files["courses/contoh/01-a.md"] = "---\nslug: A B\ntitle: A\n---\nTeks.\n"
    errors = _refused(db, _zip(files, wrap="ekspor/")).errors
    assert errors[0].path == "ekspor/courses/contoh/01-a.md" and errors[0].line == 2


def test_a_quiz_for_a_missing_module_is_refused_with_its_line(db):
    quiz = (SAMPLE_CURRICULUM / "quizzes/contoh/unsur.md").read_text()
    errors = _refused(db, _zip({"quizzes/contoh/unsur.md": quiz})).errors
    assert str(errors[0]) == "quizzes/contoh/unsur.md:3: module 'contoh/unsur' does not exist"


def test_zip_bombs_and_crowds_are_refused(db, monkeypatch):
    from learning.content import exchange

    monkeypatch.setattr(exchange, "MAX_UNPACKED_BYTES", 1000)
    errors = _refused(db, _zip({"courses/x/course.md": "a" * 2000})).errors
    assert "unpacks to more than" in errors[0].message
    monkeypatch.setattr(exchange, "MAX_ZIP_MEMBERS", 3)
    errors = _refused(db, _zip({f"courses/x/0{i}-m.md": "x" for i in range(5)})).errors
    assert "more than 3 files" in errors[0].message


def test_a_staged_import_belongs_to_its_uploader(db):
    import_sample_curriculum()
    tina, budi = make_user(role="trainer"), make_user(role="trainer")
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    staged = course_exchange.stage_import(export_course_zip(course), "contoh.zip", tina)
    db.session.commit()
    from learning.models import utcnow
    assert course_exchange.find_staged_import(staged.id, tina, utcnow()) is staged
    assert course_exchange.find_staged_import(staged.id, budi, utcnow()) is None


def test_a_zip_with_front_matter_3000_deep_or_pathological_markdown_is_a_line_error(db):
    import_sample_curriculum()
    data = export_course_zip(db.session.scalar(sa.select(Course).where(Course.slug == "contoh")))
    name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith("02-unsur.md"))
    deep = _rezip(data, {name: lambda text: text.replace("title:", "x: " + "[" * 3000 + "\ntitle:", 1)})
    errors = _refused(db, deep).errors
    assert errors[0].path.endswith("02-unsur.md") and "nests deeper" in errors[0].message
    nested = _rezip(data, {name: lambda text: text + "".join("    " * i + "- x\n" for i in range(300))})
    errors = _refused(db, nested).errors
    assert errors[0].path.endswith("02-unsur.md") and "nest deeper than 12" in errors[0].message
