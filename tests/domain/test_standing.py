"""The course standings the reports read stay equal to the live aggregates over progress and
attempts, whatever changes them: module reads and completions, quiz submits, retiring and
reinstating a module, substantive updates, lapsed certificates, the demo generator."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.certificates import refresher
from learning.reports import standing
from learning.studio import authoring as studio
from learning.extensions import db
from learning.models import Course, ModuleProgress
from learning.models.reporting import CourseStanding

from ..factories import import_sample_curriculum, make_user
from ..report_data import demo_population, submit_attempt

T0 = datetime(2026, 11, 1, 3, 0, tzinfo=timezone.utc)


def _row(values) -> tuple:
    return tuple(round(v, 6) if isinstance(v, float) else
                 v.astimezone(timezone.utc).replace(microsecond=0) if isinstance(v, datetime)
                 else v for v in values)


def kept() -> list[tuple]:
    columns = [getattr(CourseStanding, name) for name in standing.COLUMNS]
    return sorted(_row(r) for r in db.session.execute(sa.select(*columns)))


def live() -> list[tuple]:
    return sorted(_row(r) for r in db.session.execute(standing.live_standing()))


def of(user, course) -> dict:
    row = db.session.get(CourseStanding, (user.id, course.id))
    return {} if row is None else {"done": row.done, "score_n": row.score_n,
                                   "score_sum": row.score_sum, "started": row.started_at}


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


def test_reads_completions_and_quiz_submits_keep_the_standing(course):
    sari, budi = make_user(username="sari"), make_user(username="budi")
    first, second = course.live_modules[0], course.live_modules[1]
    assert of(sari, course) == {}
    progress.record_open(sari, first, T0)
    assert of(sari, course)["done"] == 0 and of(sari, course)["started"] is not None
    progress.record_heartbeat(sari, first, T0 + timedelta(seconds=20), idle_cap=120, scroll=0.5)
    progress.complete_module(sari, first, T0 + timedelta(minutes=5))
    progress.complete_module(budi, second, T0 + timedelta(minutes=6))
    assert of(sari, course)["done"] == 1 and of(budi, course)["done"] == 1
    quiz = next(m.quiz for m in course.live_modules if m.quiz and m.quiz.published_revision_id)
    submit_attempt(sari, quiz, 1, {"a": ("x", True), "b": ("y", False)}, T0 + timedelta(hours=1))
    submit_attempt(sari, quiz, 2, {"a": ("x", True), "b": ("y", True)}, T0 + timedelta(hours=2))
    assert (of(sari, course)["score_n"], of(sari, course)["score_sum"]) == (1, 100.0)
    db.session.commit()
    assert kept() == live() and len(kept()) == 2


def test_retiring_reinstating_and_updating_a_module_keep_the_standing(course):
    sari = make_user(username="sari")
    for i, module in enumerate(course.live_modules):
        progress.complete_module(sari, module, T0 + timedelta(minutes=i))
    total = len(course.live_modules)
    assert of(sari, course)["done"] == total
    last = course.live_modules[-1]
    studio.retire_module(last, None)
    assert of(sari, course)["done"] == total - 1
    assert kept() == live()
    studio.reinstate_module(last, None)
    assert of(sari, course)["done"] == total
    assert refresher.mark_module_updated(last, last.published_revision) == 1  # a bulk UPDATE
    assert of(sari, course)["done"] == total - 1
    db.session.commit()
    assert kept() == live()


def test_a_lapsed_certificate_hands_the_course_back_in_the_standing(course):
    sari = make_user(username="sari")
    for i, module in enumerate(course.live_modules):
        progress.complete_module(sari, module, T0 + timedelta(minutes=i))
    assert of(sari, course)["done"] == len(course.live_modules)
    refresher.apply_lapses(datetime(2030, 1, 2, tzinfo=timezone.utc), date(2030, 1, 2))
    assert of(sari, course)["done"] == 0
    assert kept() == live()


def test_a_rolled_back_change_leaves_the_standing_as_it_was(course):
    sari = make_user(username="sari")
    progress.complete_module(sari, course.live_modules[0], T0)
    db.session.commit()
    before = kept()
    progress.complete_module(sari, course.live_modules[1], T0 + timedelta(minutes=1))
    assert kept() != before
    db.session.rollback()
    assert kept() == before == live()


def test_demo_data_and_a_rebuild_give_the_live_figures(app):
    demo_population(40)
    rows = kept()
    assert len(rows) > 40 and rows == live()
    db.session.execute(sa.delete(CourseStanding))  # as after a restore without the table
    db.session.execute(sa.update(ModuleProgress).values(completed_at=None))
    assert standing.rebuild() == len(live())
    assert kept() == live() and kept() != rows
