"""Taking quizzes, without HTTP: the draw, resuming, attempt limits, deadlines, idempotent
submits, the best attempt, and attempts that survive edits of the quiz."""
import random
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.quizzes import quizzing
from learning.quizzes.answer_sheet import BadAnswer, sheet
from learning.quizzes.review import review_attempt
from learning.models import Attempt, AttemptAnswer, ModuleProgress

from ..factories import import_sample_curriculum, make_user
from ..quiz_answers import (all_types_quiz, answer_fields, curriculum_with_all_types,
                            edited_curriculum, sample_quiz)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def officer(db):
    import_sample_curriculum()
    return make_user(username="sari")


def start(user, quiz, when=T0, seed=1):
    return quizzing.start_attempt(user, quiz, when, random.Random(seed)).attempt


def take(user, quiz, right: bool, when=T0):
    """Start, answer every question right or wrong, submit; returns the attempt."""
    attempt = start(user, quiz, when)
    quizzing.save_answers(attempt, answer_fields(attempt, right), when + timedelta(minutes=1))
    return quizzing.submit_attempt(attempt, when + timedelta(minutes=2)).attempt


def module_done(user, quiz) -> bool:
    row = quizzing.db.session.scalar(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == quiz.module_id))
    return row is not None and row.completed_at is not None


def test_start_draws_and_shuffles_once_and_stores_it(officer):
    quiz = sample_quiz()
    pool = {q["slug"]: q for q in quiz.published_revision.questions}
    attempt = start(officer, quiz, seed=7)
    assert len(attempt.draw) == 3 and len({e["slug"] for e in attempt.draw}) == 3
    assert {e["slug"] for e in attempt.draw} <= set(pool)
    for entry in attempt.draw:
        question = pool[entry["slug"]]
        if question["type"] in ("single", "multiple", "true_false"):
            assert sorted(entry["options"]) == list(range(len(question["options"])))
    assert attempt.quiz_revision_id == quiz.published_revision_id
    stored = list(attempt.draw)
    quizzing.db.session.commit()
    again = quizzing.start_attempt(officer, quiz, T0 + timedelta(minutes=5), random.Random(99))
    assert again.resumed and again.attempt.id == attempt.id and again.attempt.draw == stored
    assert quizzing.db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_different_draws_for_different_attempts_are_possible(officer):
    quiz = sample_quiz()
    draws = {tuple(e["slug"] for e in quizzing.draw_questions(quiz.published_revision,
                                                            random.Random(seed)))
             for seed in range(30)}
    assert len(draws) > 1


def test_true_false_is_always_shown_benar_first(officer):
    quiz = sample_quiz()
    for seed in range(20):
        for entry in quizzing.draw_questions(quiz.published_revision, random.Random(seed)):
            if entry["slug"] == "persetujuan":  # written "[ ] Benar / [x] Salah"
                assert entry["options"] == [0, 1]


def test_resumed_attempt_keeps_saved_answers(officer):
    quiz = sample_quiz()
    attempt = start(officer, quiz)
    fields = answer_fields(attempt, right=True, only=[1])
    assert quizzing.save_answers(attempt, fields, T0 + timedelta(minutes=1)).changed == 1
    resumed = quizzing.start_attempt(officer, quiz, T0 + timedelta(hours=1), random.Random(3))
    assert resumed.resumed
    saved = quizzing.saved_responses(resumed.attempt)
    assert list(saved) == [attempt.draw[0]["slug"]]


def test_attempts_beyond_max_attempts_are_refused(officer):
    quiz = sample_quiz()  # max_attempts: 3
    for n in range(3):
        take(officer, quiz, right=False, when=T0 + timedelta(hours=n))
    with pytest.raises(quizzing.AttemptsExhausted) as refused:
        start(officer, quiz, T0 + timedelta(hours=5))
    assert refused.value.allowed == 3 and refused.value.used == 3
    assert quizzing.db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 3
    standing = quizzing.quiz_record(officer, quiz)
    assert standing.left == 0 and not standing.can_start
    assert quizzing.answers_revealed(standing)  # no attempt left: the key may be shown


def test_answers_stay_hidden_while_attempts_are_left(officer):
    quiz = sample_quiz()
    take(officer, quiz, right=False)
    standing = quizzing.quiz_record(officer, quiz)
    assert standing.left == 2 and not quizzing.answers_revealed(standing)
    take(officer, quiz, right=False, when=T0 + timedelta(hours=1))
    start(officer, quiz, T0 + timedelta(hours=2))  # the last attempt is open: still hidden
    standing = quizzing.quiz_record(officer, quiz)
    assert standing.left == 0 and not quizzing.answers_revealed(standing)


def test_deadline_answers_after_it_are_not_saved_and_saved_ones_count(officer, tmp_path):
    import_sample_curriculum(edited_curriculum(tmp_path, ("time_limit: 0", "time_limit: 10")))
    quiz = sample_quiz()
    attempt = start(officer, quiz)
    assert attempt.deadline_at == T0 + timedelta(minutes=10)
    right = answer_fields(attempt, right=True)
    quizzing.save_answers(attempt, answer_fields(attempt, right=True, only=[1]),
                          T0 + timedelta(minutes=9, seconds=59))
    with pytest.raises(quizzing.DeadlinePassed):
        quizzing.save_answers(attempt, right, T0 + timedelta(minutes=10, seconds=1))
    assert len(quizzing.saved_responses(attempt)) == 1
    # Back hours later: graded with what was saved before the deadline, dated at the deadline.
    expired = quizzing.expire_overdue(officer, quiz, T0 + timedelta(hours=3))
    assert expired == [attempt]
    assert attempt.status == "submitted" and attempt.submitted_at == attempt.deadline_at
    results = {a.question_slug: a.correct for a in attempt.answers}
    assert results[attempt.draw[0]["slug"]] is True
    assert sum(results.values()) == 1 and len(results) == 3


def test_submit_is_idempotent_and_a_submitted_attempt_cannot_change(officer):
    quiz = sample_quiz()
    attempt = start(officer, quiz)
    quizzing.save_answers(attempt, answer_fields(attempt, right=False), T0 + timedelta(minutes=1))
    first = quizzing.submit_attempt(attempt, T0 + timedelta(minutes=2))
    score, submitted_at = first.attempt.percent, first.attempt.submitted_at
    again = quizzing.submit_attempt(attempt, T0 + timedelta(minutes=3))
    assert first.graded_now and not again.graded_now
    assert again.attempt.percent == score and again.attempt.submitted_at == submitted_at
    before = {a.question_slug: a.response for a in attempt.answers}
    with pytest.raises(quizzing.AttemptClosed):
        quizzing.save_answers(attempt, answer_fields(attempt, right=True), T0 + timedelta(minutes=4))
    rows = quizzing.db.session.scalars(sa.select(AttemptAnswer)).all()
    assert {a.question_slug: a.response for a in rows} == before
    assert attempt.percent == score == 0.0


def test_bad_values_are_refused_and_change_nothing(officer):
    quiz = sample_quiz()
    attempt = start(officer, quiz)
    n = next(i for i, (_, q) in enumerate(quizzing.attempt_questions(attempt), start=1)
             if q["type"] in ("single", "true_false"))
    for fields in ({f"q{n}": ["9"]}, {f"q{n}": ["x"]}, {f"q{n}": ["1", "2"]}, {"q4": ["1"]},
                   {f"q{n}-1": ["1"]}, {f"q{n}": [["1"]]}, {f"q{n}": [True]}):
        with pytest.raises(BadAnswer):
            quizzing.save_answers(attempt, fields, T0)
    assert quizzing.saved_responses(attempt) == {}


def test_best_attempt_counts_and_passing_completes_the_module(officer):
    quiz = sample_quiz()
    failed = take(officer, quiz, right=False)
    assert not failed.passed and not module_done(officer, quiz)
    passed = take(officer, quiz, right=True, when=T0 + timedelta(hours=1))
    assert passed.passed and passed.percent == 100.0 and module_done(officer, quiz)
    worse = take(officer, quiz, right=False, when=T0 + timedelta(hours=2))
    standing = quizzing.quiz_record(officer, quiz)
    assert standing.best.id == passed.id and standing.passed and not worse.passed
    assert module_done(officer, quiz)  # a later failed attempt does not undo completion
    assert quizzing.answers_revealed(standing)


def test_editing_the_quiz_leaves_earlier_attempts_unchanged(officer, tmp_path):
    quiz = sample_quiz()
    old = take(officer, quiz, right=True)
    score = (old.score, old.percent, old.passed)
    review_before = review_attempt(old, revealed=True)
    old_revision = old.quiz_revision_id
    # The trainer swaps the answer key of two questions and rewords a prompt: a new revision.
    edited = edited_curriculum(
        tmp_path,
        ("- [x] Proses, cara, dan tujuan eksploitasi\n- [ ] Perekrutan",
         "- [ ] Proses, cara, dan tujuan eksploitasi\n- [x] Perekrutan"),
        ("- [ ] Benar\n- [x] Salah", "- [x] Benar\n- [ ] Salah"),
        ("answer: 3", "answer: 4"),
        ("Apa tiga unsur TPPO?", "Sebutkan tiga unsur TPPO."),
    )
    import_sample_curriculum(edited)
    quizzing.db.session.expire_all()
    assert quiz.published_revision_id != old_revision
    old = quizzing.db.session.get(Attempt, old.id)
    assert (old.score, old.percent, old.passed) == score and old.quiz_revision_id == old_revision
    assert review_attempt(old, revealed=True) == review_before
    assert all(item.correct for item in review_before.items)
    new = start(officer, quiz, T0 + timedelta(days=1))
    assert new.quiz_revision_id == quiz.published_revision_id
    prompts = {q["slug"]: q["prompt"] for q in new.revision.questions}
    assert prompts["tiga-unsur"] == "Sebutkan tiga unsur TPPO."


@pytest.fixture
def every_type(officer, tmp_path):
    import_sample_curriculum(curriculum_with_all_types(tmp_path))
    return all_types_quiz()


def test_every_question_type_maps_from_the_page_and_grades(officer, every_type):
    right = take(officer, every_type, right=True)
    assert right.percent == 100.0 and right.passed
    assert len(right.answers) == 7 and all(a.correct for a in right.answers)
    wrong = take(officer, every_type, right=False, when=T0 + timedelta(hours=1))
    assert wrong.percent == 0.0 and not any(a.correct for a in wrong.answers)


def test_the_sheet_shows_saved_answers_again(officer, every_type):
    attempt = start(officer, every_type, seed=5)
    fields = answer_fields(attempt, right=True)
    quizzing.save_answers(attempt, fields, T0)
    shown = sheet(quizzing.attempt_questions(attempt), quizzing.saved_responses(attempt))
    again: dict[str, list[str]] = {}
    for question in shown:
        assert question.answered
        for choice in question.options:
            if choice.selected:
                again.setdefault(question.name, []).append(choice.value)
        for row in question.rows:
            again[row.name] = [c.value for c in row.choices if c.selected]
        if question.text:
            again[question.name] = [question.text]
    assert again == fields


def test_ordering_keeps_the_first_item_given_a_place_and_reports_the_clash(officer, every_type):
    attempt = start(officer, every_type)
    n = next(i for i, (_, q) in enumerate(quizzing.attempt_questions(attempt), start=1)
             if q["type"] == "ordering")
    saved = quizzing.save_answers(attempt, {f"q{n}-1": "1", f"q{n}-2": "1", f"q{n}-3": ""}, T0,
                                  partial=True)
    assert saved.conflicts == [n]
    (response,) = quizzing.saved_responses(attempt).values()
    assert response == [attempt.draw[n - 1]["items"][0], None, None]


def test_partial_save_touches_only_the_questions_sent(officer, every_type):
    attempt = start(officer, every_type)
    quizzing.save_answers(attempt, answer_fields(attempt, right=True), T0)
    quizzing.save_answers(attempt, {"q1": []}, T0 + timedelta(minutes=1), partial=True)
    assert len(quizzing.saved_responses(attempt)) == 6
    quizzing.save_answers(attempt, {}, T0 + timedelta(minutes=2))  # a whole page, all empty
    assert quizzing.saved_responses(attempt) == {}


def test_a_module_handed_back_gives_a_fresh_set_of_attempts(officer):
    """After a refresher or substantive update, the officer can take the quiz again even if the
    earlier cycle used every attempt; the earlier attempts stay on record."""
    from learning.models import Module, utcnow
    from learning.certificates.refresher import mark_module_updated

    quiz = sample_quiz()  # max_attempts: 3
    take(officer, quiz, right=False, when=T0)
    take(officer, quiz, right=False, when=T0 + timedelta(hours=1))
    take(officer, quiz, right=True, when=T0 + timedelta(hours=2))
    assert module_done(officer, quiz)
    assert quizzing.quiz_record(officer, quiz).left == 0

    module = quizzing.db.session.get(Module, quiz.module_id)
    assert mark_module_updated(module) == 1
    standing = quizzing.quiz_record(officer, quiz)
    assert standing.left == 3 and not standing.passed

    later = utcnow() + timedelta(hours=1)
    retake = take(officer, quiz, right=True, when=later)
    assert retake.number == 4 and retake.passed
    assert quizzing.db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 4
    row = quizzing.db.session.scalar(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == officer.id, ModuleProgress.module_id == quiz.module_id))
    assert row.completed_at >= later and not row.updated_since_completion
