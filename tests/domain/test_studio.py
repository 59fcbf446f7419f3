"""The studio's rules: drafts and publishing, history and diffs, restore, order, retirement,
legal-reference search, the review list and the audit log."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from learning import audit
from learning.studio import authoring as studio, diff as revision_diff, legal_currency, quizzes as studio_quizzes
from learning.content.errors import ContentError
from learning.extensions import db as _db
from learning.models import AuditEvent, Course, Module, ModuleProgress, ModuleRevision, Quiz, utcnow
from learning.learner.progress import complete_module, module_states

from ..factories import import_sample_curriculum, make_user

LAW = "UU 6/2011 Pasal 120 sebagaimana diubah UU 63/2024"


@pytest.fixture
def trainer(db):
    import_sample_curriculum()
    return make_user(role="trainer", username="tina", full_name="Tina Pelatih")


def _module(slug: str) -> Module:
    return _db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _draft(module: Module, source: str, **changes) -> studio.ModuleDraft:
    latest = studio.latest_module_revision(module)
    values = dict(title=latest.title, minutes=latest.minutes, laws=list(latest.laws),
                  reviewed=latest.reviewed, source=source, note="")
    values.update(changes)
    return studio.ModuleDraft(**values)


def _events(action=None):
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(_db.session.scalars(query))


def test_editing_a_published_module_keeps_officers_on_the_old_text_until_publish(trainer, db):
    module = _module("unsur")
    old_html = module.published_revision.html
    draft = _draft(module, "## Unsur\n\nTeks baru yang direvisi.\n", note="Perbaikan")
    result = studio.save_module_draft(module, draft, trainer)
    db.session.commit()
    assert result.created and result.revision.number == 2
    # Officers read the published revision: still the old text.
    assert module.published_revision.number == 1 and module.published_revision.html == old_html
    assert "direvisi" not in module.published_revision.html
    studio.publish_module(module, result.revision, trainer)
    db.session.commit()
    assert module.published_revision.number == 2 and "direvisi" in module.published_revision.html


def test_saving_the_same_text_twice_makes_no_new_revision(trainer, db):
    module = _module("unsur")
    source = studio.latest_module_revision(module).source
    result = studio.save_module_draft(module, _draft(module, source), trainer)
    assert not result.created and result.revision.number == 1


def test_a_stale_editor_cannot_overwrite_a_newer_revision_silently(trainer, db):
    module = _module("unsur")
    studio.save_module_draft(module, _draft(module, "Versi A\n"), trainer, base_number=1)
    with pytest.raises(studio.StudioError) as info:
        studio.save_module_draft(module, _draft(module, "Versi B\n"), trainer, base_number=1)
    assert info.value.code == "conflict" and info.value.params["number"] == 2


def test_history_lists_both_revisions_with_a_readable_diff(trainer, db):
    module = _module("unsur")
    studio.save_module_draft(module, _draft(
        module, "## Unsur\n\nProses, cara, dan tujuan eksploitasi.\n\nBaris tambahan.\n",
        minutes=9, laws=["UU 21/2007 Pasal 2", LAW], note="Tambah Pasal 120"), trainer)
    revisions = studio.module_revisions(module)
    assert [r.number for r in revisions] == [2, 1]
    assert revisions[0].note == "Tambah Pasal 120" and revisions[0].author.username == "tina"
    diff = revision_diff.module_diff(revisions[1], revisions[0])
    changed = {c.name: c for c in diff.fields}
    assert changed["minutes"].old == "7" and changed["minutes"].new == "9"
    assert changed["laws"].added == [LAW] and changed["laws"].removed == []
    assert diff.added == 2 and diff.removed == 0
    added = [line.text for hunk in diff.hunks for line in hunk.lines if line.kind == "add"]
    assert added == ["", "Baris tambahan."]
    assert revision_diff.module_diff(revisions[0], revisions[0]).identical


def test_restore_makes_a_new_revision_with_the_old_content(trainer, db):
    module = _module("unsur")
    original = studio.latest_module_revision(module)
    second = studio.save_module_draft(module, _draft(module, "Teks yang keliru.\n", minutes=1),
                                      trainer).revision
    studio.publish_module(module, second, trainer)
    restored = studio.restore_module_revision(module, original, trainer)
    db.session.commit()
    assert restored.number == 3 and restored.note == "Dipulihkan dari revisi 1"
    assert (restored.source, restored.minutes, restored.laws) == (
        original.source, original.minutes, original.laws)
    assert restored.html == original.html
    # History is kept, and the restore is a draft until it is published.
    assert [r.number for r in studio.module_revisions(module)] == [3, 2, 1]
    assert module.published_revision.number == 2
    studio.publish_module(module, restored, trainer)
    assert module.minutes == original.minutes


def test_reorder_and_move_modules(trainer, db):
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    ids = {m.slug: m.id for m in course.modules}
    studio.reorder_modules(course, [ids["penutup"], ids["pengantar"], ids["unsur"]], trainer)
    db.session.commit()
    db.session.expire_all()
    assert [m.slug for m in course.modules] == ["penutup", "pengantar", "unsur"]
    studio.move_module(_module("unsur"), -1, trainer)
    db.session.expire_all()
    assert [m.slug for m in course.modules] == ["penutup", "unsur", "pengantar"]
    with pytest.raises(studio.StudioError):
        studio.reorder_modules(course, [ids["penutup"]], trainer)


def test_retiring_a_module_hides_it_but_keeps_progress_and_history(trainer, db):
    officer = make_user(username="sari")
    module = _module("pengantar")
    complete_module(officer, module, utcnow())
    db.session.commit()
    studio.retire_module(module, trainer)
    db.session.commit()
    course = module.course
    assert module not in course.live_modules and module.retired_at is not None
    assert module.id not in module_states(officer, course)
    row = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.module_id == module.id))
    assert row is not None and row.completed_at is not None
    assert db.session.scalar(sa.select(sa.func.count(ModuleRevision.id))
                             .where(ModuleRevision.module_id == module.id)) == 1
    studio.reinstate_module(module, trainer)
    assert module in course.live_modules


def test_a_new_module_is_invisible_until_its_first_publish(trainer, db):
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    module = studio.add_module(course, slug="modus-baru", title="Modus Baru", actor=trainer)
    assert module.position == 4 and not module.is_live
    draft = studio.ModuleDraft(title="Modus Baru", minutes=6, laws=[LAW],
                               reviewed=date(2026, 12, 1), source="## Modus\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    revision = studio.save_module_draft(module, draft, trainer).revision
    assert not module.is_live
    studio.publish_module(module, revision, trainer, substantive=True)
    assert module.is_live and revision.substantive and module.laws == [LAW]
    with pytest.raises(studio.StudioError):
        studio.add_module(course, slug="modus-baru", title="Lagi", actor=trainer)


def test_law_search_finds_modules_and_questions_citing_a_reference(trainer, db):
    module = _module("penutup")
    studio.save_module_draft(module, _draft(module, "## Penutup\n\nTerima kasih.\n",
                                            laws=[LAW]), trainer)
    studio.publish_module(module, studio.latest_module_revision(module), trainer)
    other = _module("pengantar")  # cites it only in the text, and only in a draft
    studio.save_module_draft(other, _draft(
        other, studio.latest_module_revision(other).source + "\nLihat UU Nomor 6 Tahun 2011 "
        "Pasal 120.\n"), trainer)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    source = quiz.published_revision.source.replace(
        "law: UU 21/2007 Pasal 26", "law: UU 6/2011 Pasal 120")
    revision = studio_quizzes.save_quiz_draft(quiz, source, trainer).revision
    studio_quizzes.publish_quiz(quiz, revision, trainer)
    db.session.commit()

    results = legal_currency.law_search("UU 6/2011 Pasal 120")
    modules = {r.module.slug: r for r in results if r.kind == "module"}
    questions = [r for r in results if r.kind == "question"]
    assert set(modules) == {"penutup", "pengantar"}
    assert modules["penutup"].laws == [LAW] and modules["penutup"].in_published
    assert modules["pengantar"].in_draft and not modules["pengantar"].in_published
    assert modules["pengantar"].lines and "Pasal 120" in modules["pengantar"].lines[0][1]
    assert [(q.quiz.slug, q.question_slug, q.laws) for q in questions] == [
        ("unsur-kuis", "persetujuan", ["UU 6/2011 Pasal 120"])]
    # Whole references only: Pasal 12 is not Pasal 120; other laws do not match.
    assert legal_currency.law_search("UU 6/2011 Pasal 12") == []
    assert {r.module.slug for r in legal_currency.law_search("uu 21/2007 pasal 2")} == {"unsur"}


def test_review_list_holds_modules_never_or_long_ago_reviewed(trainer, db):
    today = date(2027, 12, 1)
    period = 365
    pengantar, unsur = _module("pengantar"), _module("unsur")
    studio.publish_module(unsur, studio.save_module_draft(
        unsur, _draft(unsur, "Teks.\n", reviewed=None), trainer).revision, trainer)
    fresh = today - timedelta(days=30)
    studio.publish_module(pengantar, studio.save_module_draft(
        pengantar, _draft(pengantar, "Teks baru.\n", reviewed=fresh), trainer).revision, trainer)
    due = legal_currency.modules_due_for_review(today, period)
    # The sample's 2026-11-01 is 395 days before today; unsur has no date at all.
    assert [(d.module.slug, d.days_since) for d in due] == [("unsur", None), ("penutup", 395)]
    assert legal_currency.modules_due_for_review(today, 400)[0].module.slug == "unsur"


def test_overview_shows_draft_and_published_states(trainer, db):
    module = _module("unsur")
    studio.save_module_draft(module, _draft(module, "Draf.\n"), trainer)
    rows = studio.studio_overview(date(2026, 11, 2), 365)
    states = {row.module.slug: (row.state, row.quiz_state) for row in rows[0].modules}
    assert states["unsur"] == ("draft", "published") and states["penutup"] == ("published", None)


def test_quiz_errors_name_the_line_and_a_quiz_cannot_change_its_slug(trainer, db):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    source = quiz.published_revision.source
    broken = source.replace("- [x] Salah", "- [ ] Salah")
    with pytest.raises(ContentError) as info:
        studio_quizzes.save_quiz_draft(quiz, broken, trainer)
    assert info.value.path == "quizzes/contoh/unsur.md" and info.value.line == 23
    assert "no option is marked correct" in info.value.message
    with pytest.raises(ContentError) as info:
        studio_quizzes.save_quiz_draft(quiz, source.replace("slug: unsur-kuis", "slug: lain"),
                                       trainer)
    assert info.value.line == 2
    assert len(studio_quizzes.quiz_revisions(quiz)) == 1


def test_every_content_change_is_in_the_audit_log(trainer, db):
    course = studio.create_course(slug="baru", title="Kursus Baru", actor=trainer)
    module = studio.add_module(course, slug="satu", title="Satu", actor=trainer)
    draft = studio.ModuleDraft(title="Satu", minutes=3, laws=[], reviewed=None, source="Isi.\n")
    revision = studio.save_module_draft(module, draft, trainer).revision
    studio.publish_module(module, revision, trainer)
    studio.restore_module_revision(module, revision, trainer)
    studio.retire_module(module, trainer)
    quiz = studio_quizzes.create_quiz(_module("penutup"), slug="penutup-kuis", title="Kuis",
                                      actor=trainer)
    studio_quizzes.save_quiz_draft(quiz, studio_quizzes.quiz_starter_source(quiz), trainer)
    db.session.commit()
    events = _events()
    assert [(e.action, e.target_type) for e in events] == [
        ("create", "course"), ("create", "module"), ("edit", "module"), ("publish", "module"),
        ("restore", "module"), ("retire", "module"), ("create", "quiz"), ("edit", "quiz")]
    assert all(e.actor_id == trainer.id and e.actor_name == "Tina Pelatih" for e in events)
    assert events[1].target_label == "baru/satu" and events[1].target_id == module.id
    page = audit.audit_events(action="publish")
    assert page.total == 1 and page.events[0].detail == "revisi 1"
    empty = studio.create_course(slug="kosong", title="Kosong", actor=trainer)
    studio.delete_course(empty, trainer)
    assert _events("delete")[0].target_label == "kosong"
    with pytest.raises(studio.StudioError):
        studio.delete_course(course, trainer)


def test_a_substantive_publish_sends_the_module_back_to_officers_who_finished_it(trainer, db):
    officer = make_user(username="sari")
    module = _module("penutup")
    complete_module(officer, module, utcnow())
    minor = studio.save_module_draft(module, _draft(module, "Salah ketik diperbaiki.\n"), trainer)
    studio.publish_module(module, minor.revision, trainer)
    row = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.user_id == officer.id))
    assert not row.updated_since_completion
    major = studio.save_module_draft(module, _draft(module, "Pasal baru berlaku.\n"), trainer)
    studio.publish_module(module, major.revision, trainer, substantive=True)
    db.session.refresh(row)
    assert row.updated_since_completion and major.revision.substantive
    assert module_states(officer, module.course)[module.id] == "in_progress"
