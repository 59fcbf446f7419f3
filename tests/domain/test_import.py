"""Importing the curriculum: idempotent, revisioned, all-or-nothing, errors by file and line."""
import shutil

import pytest
import sqlalchemy as sa

from learning.content.curriculum import ContentErrors, read_curriculum
from learning.models import Course, Module, ModuleRevision, Quiz, QuizRevision

from ..factories import SAMPLE_CURRICULUM, import_sample_curriculum


def _counts(db):
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Course, Module, ModuleRevision, Quiz, QuizRevision))


@pytest.fixture
def curriculum_copy(tmp_path):
    target = tmp_path / "curriculum"
    shutil.copytree(SAMPLE_CURRICULUM, target)
    return target


def test_import_creates_published_course_modules_and_quiz(db):
    report = import_sample_curriculum()
    assert "course contoh" in report.created
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    assert [m.slug for m in course.modules] == ["pengantar", "unsur", "penutup"]
    assert all(m.published_revision is not None for m in course.modules)
    first = course.modules[0]
    assert first.laws == ["UU 21/2007 Pasal 1 angka 1"] and first.minutes == 5
    assert "<table>" in first.published_revision.html
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    assert quiz.module.slug == "unsur" and quiz.published_revision.pass_mark == 70


def test_import_twice_changes_nothing(db):
    import_sample_curriculum()
    before = _counts(db)
    report = import_sample_curriculum()
    assert not report.changed
    assert _counts(db) == before


def test_changed_body_makes_one_new_revision_and_publishes_it(db, curriculum_copy):
    import_sample_curriculum(curriculum_copy)
    path = curriculum_copy / "courses/contoh/02-unsur.md"
    path.write_text(path.read_text().replace("Proses, cara", "Proses (perekrutan), cara"))
    report = import_sample_curriculum(curriculum_copy)
    assert report.updated == ["module contoh/unsur"]
    module = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
    numbers = db.session.scalars(sa.select(ModuleRevision.number)
                                 .where(ModuleRevision.module_id == module.id)).all()
    assert sorted(numbers) == [1, 2]
    assert "perekrutan" in module.published_revision.html


def test_renamed_file_keeps_the_module_by_slug(db, curriculum_copy):
    import_sample_curriculum(curriculum_copy)
    before = _counts(db)
    (curriculum_copy / "courses/contoh/03-penutup.md").rename(
        curriculum_copy / "courses/contoh/03-akhir.md")
    import_sample_curriculum(curriculum_copy)
    assert _counts(db) == before


def test_malformed_file_names_file_and_line_and_writes_nothing(db, curriculum_copy):
    import_sample_curriculum(curriculum_copy)
    before = _counts(db)
    (curriculum_copy / "courses/contoh/02-unsur.md").write_text(
        "---\nslug: unsur\ntitle: Baru\nminutes: lima\n---\nTeks baru\n")
    (curriculum_copy / "courses/contoh/04-baru.md").write_text(
        "---\nslug: baru\ntitle: Modul baru\n---\nTeks\n")
    with pytest.raises(ContentErrors) as info:
        import_sample_curriculum(curriculum_copy)
    assert any(str(e).endswith("02-unsur.md:4: 'minutes' must be a whole number of minutes")
               for e in info.value.errors)
    assert _counts(db) == before
    assert db.session.scalar(sa.select(Module).where(Module.slug == "baru")) is None


def test_quiz_for_a_missing_module_is_an_error_naming_the_line(db, curriculum_copy):
    quiz = curriculum_copy / "quizzes/contoh/unsur.md"
    quiz.write_text(quiz.read_text().replace("module: contoh/unsur", "module: contoh/tidak-ada"))
    with pytest.raises(ContentErrors) as info:
        import_sample_curriculum(curriculum_copy)
    assert [(e.line, e.message) for e in info.value.errors] == [
        (3, "module 'contoh/tidak-ada' does not exist")]
    assert _counts(db) == (0, 0, 0, 0, 0)


def test_duplicate_module_slug_is_refused(curriculum_copy):
    (curriculum_copy / "courses/contoh/04-lagi.md").write_text(
        "---\nslug: unsur\ntitle: Lagi\n---\nTeks\n")
    with pytest.raises(ContentErrors) as info:
        read_curriculum(curriculum_copy)
    assert "also used by" in str(info.value) and "04-lagi.md:2" in str(info.value)


def test_script_in_a_module_is_stored_inert(db, curriculum_copy):
    path = curriculum_copy / "courses/contoh/03-penutup.md"
    path.write_text(path.read_text() + "\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n"
                    "[x](javascript:alert(1))\n")
    import_sample_curriculum(curriculum_copy)
    html = db.session.scalar(sa.select(Module).where(Module.slug == "penutup")).published_revision.html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_cli_import_reports_errors_and_exit_code(runner, curriculum_copy):
    (curriculum_copy / "courses/contoh/01-pengantar.md").write_text("no front matter\n")
    result = runner.invoke(args=["content", "import", str(curriculum_copy)])
    assert result.exit_code == 1
    assert "01-pengantar.md:1: front matter missing" in result.output
    assert "nothing was imported" in result.output
    ok = runner.invoke(args=["content", "check", str(SAMPLE_CURRICULUM)])
    assert ok.exit_code == 0 and "1 courses, 3 modules, 1 quizzes" in ok.output
