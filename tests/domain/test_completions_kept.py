"""A completion, once earned, stays earned. With the demo data, a trainer adds a module to the
course with the most completions: no completion disappears from any report level, the reports
show how many now have new material, every level adds up (national = its regions, a region = its
offices, an office = its officers), and `flask reports rebuild` gives the same figures."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from learning.learner import completions, progress
from learning.models import Course, CourseCompletion, Module, Office, Region, User
from learning.models.reporting import CourseStanding
from learning.reports import standing
from learning.reports.completion import NATIONAL, OFFICE, REGION, completion_rates
from learning.reports.filters import ReportFilter
from learning.studio import authoring
from learning.studio.publish_effect import publish_effect

from ..report_data import AS_OF, TZ, demo_population

FIGURES = ("assigned", "started", "completed", "overdue", "new_material", "complete_now")


def figures(counts):
    return tuple(getattr(counts, name) for name in FIGURES)


def every_level(db):
    """{(level, unit): counts} for the national page, every region page and every office page,
    checking on the way that each page's rows add up to its total."""
    result = {}
    national = completion_rates(NATIONAL, ReportFilter(), AS_OF, TZ)
    result[(NATIONAL, None)] = national.total
    for region_id in db.session.scalars(sa.select(Region.id)):
        page = completion_rates(REGION, ReportFilter(), AS_OF, TZ, region_id)
        result[(REGION, region_id)] = page.total
    for office_id in db.session.scalars(sa.select(Office.id)):
        page = completion_rates(OFFICE, ReportFilter(), AS_OF, TZ, office_id)
        result[(OFFICE, office_id)] = page.total
    return result


def assert_adds_up(db, levels):
    regions = [key for key in levels if key[0] == REGION]
    assert figures(levels[(NATIONAL, None)]) == tuple(
        sum(figures(levels[key])[i] for key in regions) for i in range(len(FIGURES)))
    for _, region_id in regions:
        offices = db.session.scalars(sa.select(Office.id).where(Office.region_id == region_id)).all()
        assert figures(levels[(REGION, region_id)]) == tuple(
            sum(figures(levels[(OFFICE, o)])[i] for o in offices) for i in range(len(FIGURES)))
    for counts in levels.values():  # current + new material + not completed = assigned
        current = counts.complete_now - counts.new_material
        assert current + counts.new_material + counts.not_completed == counts.assigned


def kept_equals_live(db):
    kept = sorted(tuple(r) for r in db.session.execute(sa.select(
        CourseStanding.user_id, CourseStanding.course_id, CourseStanding.done,
        CourseStanding.earned_at)))
    live = standing.live_standing().subquery()
    fresh = sorted(tuple(r) for r in db.session.execute(sa.select(
        live.c.user_id, live.c.course_id, live.c[3], live.c.earned_at)))
    return kept == fresh


@pytest.fixture
def demo(app, db):
    with app.test_request_context():
        demo_population(300)
    return db


def _add_module(db, course):
    trainer = User(username="pelatih", full_name="Pelatih", role="trainer")
    db.session.add(trainer)
    module = authoring.add_module(course, slug="modul-baru", title="Modul baru", actor=trainer)
    saved = authoring.save_module_draft(module, authoring.ModuleDraft(
        title="Modul baru", minutes=10, laws=[], reviewed=None,
        source="Materi baru tentang perlindungan korban.\n"), trainer)
    effect = publish_effect(module)
    authoring.publish_module(module, saved.revision, trainer, effect=effect.summary(False))
    db.session.commit()
    return module, effect


def test_adding_a_module_keeps_every_completion_and_shows_new_material(demo):
    db = demo
    course_id, completed = db.session.execute(
        sa.select(CourseCompletion.course_id, sa.func.count())
        .where(CourseCompletion.closed_at.is_(None)).group_by(CourseCompletion.course_id)
        .order_by(sa.func.count().desc())).first()
    assert completed >= 10
    before = every_level(db)
    assert_adds_up(db, before)
    course = db.session.get(Course, course_id)

    module, effect = _add_module(db, course)

    assert effect.new_module and effect.new_material == effect.completed_course >= completed
    after = every_level(db)
    assert_adds_up(db, after)
    for key, counts in before.items():  # no completion disappears, at any level
        assert after[key].complete_now == counts.complete_now, key
        assert after[key].completed == counts.completed, key
        assert after[key].overdue == counts.overdue, key
    national = after[(NATIONAL, None)]
    assert national.new_material - before[(NATIONAL, None)].new_material == completed
    # The per-course table shows the course's completions as "earlier version, new material".
    page = completion_rates(NATIONAL, ReportFilter(course_id=course_id), AS_OF, TZ)
    assert page.total.new_material == completed and page.total.complete_now >= completed
    # Explainable from raw records: open completions are the rows of course_completions.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseCompletion).where(
        CourseCompletion.course_id == course_id, CourseCompletion.closed_at.is_(None))) == completed
    # The kept standings equal the live aggregates, and a rebuild changes no figure.
    assert kept_equals_live(db)
    standing.rebuild()
    db.session.commit()
    assert {k: figures(v) for k, v in every_level(db).items()} == {
        k: figures(v) for k, v in after.items()}


def test_reading_the_new_module_renews_the_completion_on_the_new_version(demo):
    db = demo
    completion = db.session.scalar(sa.select(CourseCompletion).where(
        CourseCompletion.closed_at.is_(None)).order_by(CourseCompletion.id).limit(1))
    course, officer = db.session.get(Course, completion.course_id), completion.user_id
    user = db.session.get(User, officer)
    module, _ = _add_module(db, course)
    item = progress.courses_progress(user, [course])[0]
    assert item.state == progress.DONE and item.new_material and item.next_module == module
    when = completion.completed_at + timedelta(days=3)
    progress.complete_module(user, module, when)
    db.session.commit()
    renewed = completions.open_completion(user.id, course.id)
    assert renewed.id != completion.id and renewed.completed_at == when
    assert str(module.id) in renewed.revisions
    db.session.refresh(completion)
    assert completion.closed_reason == completions.RENEWED
    item = progress.courses_progress(user, [course])[0]
    assert item.state == progress.DONE and not item.new_material
    assert kept_equals_live(db)


def test_a_substantive_change_keeps_the_completion_and_the_certificate(demo):
    db = demo
    completion = db.session.scalar(sa.select(CourseCompletion).where(
        CourseCompletion.closed_at.is_(None)).order_by(CourseCompletion.id).limit(1))
    course = db.session.get(Course, completion.course_id)
    module = db.session.scalar(sa.select(Module).where(Module.course_id == course.id,
                                                       Module.is_live).order_by(Module.position))
    trainer = User(username="pelatih2", full_name="Pelatih", role="trainer")
    db.session.add(trainer)
    saved = authoring.save_module_draft(module, authoring.ModuleDraft(
        title=module.title, minutes=module.minutes, laws=list(module.laws), reviewed=None,
        source=module.published_revision.source + "\nPasal yang berubah.\n"), trainer)
    effect = publish_effect(module, substantive=True)
    assert effect.handed_back >= effect.new_material >= 1
    before = completion_rates(NATIONAL, ReportFilter(course_id=course.id), AS_OF, TZ).total
    authoring.publish_module(module, saved.revision, trainer, substantive=True)
    db.session.commit()
    after = completion_rates(NATIONAL, ReportFilter(course_id=course.id), AS_OF, TZ).total
    assert after.complete_now == before.complete_now
    assert after.new_material == before.new_material + effect.new_material
    assert completions.open_completion(completion.user_id, course.id).id == completion.id
    assert kept_equals_live(db)
