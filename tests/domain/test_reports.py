"""Reports: the numbers are checked against a plain-Python count of the raw rows, every level adds
up to the one above it, filters, 'perlu bantuan', item analysis and officer detail."""
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning import reports
from learning.models import (Assignment, Attempt, Course, Module, ModuleProgress, Office, Quiz,
                             Region, User)
from learning.reports import NATIONAL, OFFICE, REGION, ReportFilter

from ..factories import import_sample_curriculum, make_office, make_user
from ..report_data import AS_OF, NOW, TZ, demo_population, open_module, submit_attempt

COUNT_KEYS = ("assigned", "started", "completed", "overdue")


@pytest.fixture
def population(app, db):
    with app.test_request_context():
        demo_population(500)
        yield


def counts_of(table, row):
    return {key: row.value(table, key) for key in COUNT_KEYS}


def summed(table):
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for row in table.rows:
        for key in COUNT_KEYS:
            totals[key] += row.value(table, key)
    return totals


# --------------------------------------------------------------------------- an independent oracle


def oracle(db, report: ReportFilter, today: date):
    """Per region: assigned, started, completed, overdue, from the raw rows in plain Python."""
    start, end = report.bounds(TZ)
    officers = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.role == "officer", User.active.is_(True)))}
    region_of = dict(db.session.execute(sa.select(Office.id, Office.region_id)).all())
    published = set(db.session.scalars(sa.select(Course.id).where(Course.published.is_(True))))
    rank = {"all": 0, "region": 1, "office": 2, "user": 3}
    best = {}
    for a in db.session.scalars(sa.select(Assignment)):
        if a.course_id not in published or (report.course_id and a.course_id != report.course_id):
            continue
        for uid, user in officers.items():
            covered = (a.scope == "all" or (a.scope == "user" and a.user_id == uid)
                       or (a.scope == "office" and a.office_id == user.office_id)
                       or (a.scope == "region" and user.office_id is not None
                           and region_of[user.office_id] == a.region_id))
            if not covered:
                continue
            key = (rank[a.scope], a.created_at, a.id)
            current = best.get((uid, a.course_id))
            if current is None or key > current[0]:
                best[(uid, a.course_id)] = (key, a.due_date)
    live = defaultdict(set)
    for m in db.session.scalars(sa.select(Module)):
        if m.published_revision_id and m.retired_at is None:
            live[m.course_id].add(m.id)
    progress = defaultdict(list)
    for p in db.session.scalars(sa.select(ModuleProgress)):
        progress[p.user_id].append(p)
    result = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    for (uid, course_id), (_, due) in best.items():
        rows = [p for p in progress[uid] if p.module_id in live[course_id]]
        done = [p for p in rows if p.completed_at and not p.updated_since_completion]
        complete_now = bool(live[course_id]) and len(done) == len(live[course_id])
        last = max((p.completed_at for p in rows if p.completed_at), default=None)
        completed = complete_now and (start is None or last >= start) and (end is None or last < end)
        started = any(end is None or p.first_opened_at < end for p in rows)
        office = officers[uid].office_id
        cell = result[region_of.get(office)]
        cell["assigned"] += 1
        cell["started"] += started
        cell["completed"] += completed
        cell["overdue"] += bool(due and due < today and not complete_now)
    return dict(result)


def test_national_numbers_match_the_raw_rows(db, population):
    report = ReportFilter()
    national = reports.completion_rates(NATIONAL, report, AS_OF, TZ)
    expected = oracle(db, report, AS_OF)
    by_region = {row.link[1]: counts_of(national.units, row) for row in national.units.rows}
    for region_id, counts in expected.items():
        assert by_region[region_id] == counts
    assert national.total.assigned == sum(c["assigned"] for c in expected.values()) > 500
    assert 0 < national.total.completed < national.total.started < national.total.assigned
    assert national.total.overdue > 0


def test_every_level_adds_up_to_the_one_above(population):
    report = ReportFilter()
    national = reports.completion_rates(NATIONAL, report, AS_OF, TZ)
    assert summed(national.units) == counts_of(national.units, national.units.total)
    assert summed(national.courses) == counts_of(national.units, national.units.total)
    for region_row in national.units.rows:
        region = reports.completion_rates(REGION, report, AS_OF, TZ, region_row.link[1])
        assert summed(region.units) == counts_of(national.units, region_row)
        assert region.total.average == region_row.value(national.units, "average")
        for office_row in region.units.rows:
            office = reports.completion_rates(OFFICE, report, AS_OF, TZ, office_row.link[1])
            assert summed(office.units) == counts_of(region.units, office_row)
            assert office.total.average == office_row.value(region.units, "average")
            assert summed(office.courses) == counts_of(region.units, office_row)


def test_rates_and_averages_are_computed_from_the_counts(population):
    national = reports.completion_rates(NATIONAL, ReportFilter(), AS_OF, TZ)
    table = national.units
    for row in table.rows:
        assigned, completed = row.value(table, "assigned"), row.value(table, "completed")
        assert row.value(table, "rate") == (round(100 * completed / assigned, 1) if assigned else None)
        average = row.value(table, "average")
        assert average is None or 0 <= average <= 100
    assert national.total.average == round(national.total.score_sum / national.total.score_n, 1)


def test_the_course_filter_keeps_one_course(db, population):
    everything = reports.completion_rates(NATIONAL, ReportFilter(), AS_OF, TZ)
    course = db.session.scalar(sa.select(Course).order_by(Course.position).limit(1))
    one = reports.completion_rates(NATIONAL, ReportFilter(course_id=course.id,
                                                          course_slug=course.slug), AS_OF, TZ)
    assert [row.values[0] for row in one.courses.rows] == [course.title]
    course_row = next(r for r in everything.courses.rows if r.values[0] == course.title)
    assert counts_of(one.units, one.units.total) == counts_of(everything.courses, course_row)
    assert oracle(db, ReportFilter(course_id=course.id), AS_OF) == {
        row.link[1]: counts_of(one.units, row) for row in one.units.rows
        if row.value(one.units, "assigned")}


def test_a_date_range_counts_completions_inside_it(db, population):
    report = ReportFilter(date_from=AS_OF - timedelta(days=28), date_to=AS_OF - timedelta(days=8))
    ranged = reports.completion_rates(NATIONAL, report, AS_OF, TZ)
    expected = oracle(db, report, AS_OF)
    assert {row.link[1]: counts_of(ranged.units, row) for row in ranged.units.rows} == expected
    everything = reports.completion_rates(NATIONAL, ReportFilter(), AS_OF, TZ)
    assert 0 < ranged.total.completed < everything.total.completed
    assert ranged.total.assigned == everything.total.assigned
    # the trend of a range counts the same completions, week by week
    assert sum(row.values[1] for row in ranged.trend.rows) == ranged.total.completed
    assert ranged.trend.rows[0].values[0] == date(2026, 2, 2)  # the Monday of the first day


def test_the_default_trend_shows_twelve_weeks_ending_this_week(population):
    trend = reports.completion_rates(NATIONAL, ReportFilter(), AS_OF, TZ).trend
    weeks = [row.values[0] for row in trend.rows]
    assert len(weeks) == 12 and weeks[-1] == AS_OF and all(d.weekday() == 0 for d in weeks)
    assert trend.total.values[1] == sum(row.values[1] for row in trend.rows) > 0


# --------------------------------------------------------------------------- perlu bantuan


@pytest.fixture
def small_site(app, db):
    """Five officers of one office, the sample course assigned to all of them."""
    with app.test_request_context():
        import_sample_curriculum()
        office = make_office()
        course = db.session.scalar(sa.select(Course))
        people = {name: make_user(username=name, office=office, full_name=name.title(),
                                  created_at=NOW - timedelta(days=400))
                  for name in ("ani", "budi", "citra", "dodi", "eka")}
        yield course, office, people


def test_perlu_bantuan_lists_not_started_overdue_and_failing(db, small_site):
    course, office, p = small_site
    quiz = db.session.scalar(sa.select(Quiz))
    db.session.add(Assignment(course_id=course.id, scope="all", due_date=AS_OF + timedelta(days=30),
                              created_at=NOW - timedelta(days=20)))
    db.session.add(Assignment(course_id=course.id, scope="user", user_id=p["budi"].id,
                              due_date=AS_OF - timedelta(days=3), created_at=NOW - timedelta(days=20)))
    first = course.live_modules[0]
    for name in ("budi", "citra", "dodi", "eka"):
        open_module(p[name], first, NOW - timedelta(days=10))
    wrong = {q["slug"]: (0, False) for q in quiz.published_revision.questions[:3]}
    right = {q["slug"]: (0, True) for q in quiz.published_revision.questions[:3]}
    for number in (1, 2):
        submit_attempt(p["citra"], quiz, number, wrong, NOW - timedelta(days=5 - number))
        submit_attempt(p["eka"], quiz, number, wrong, NOW - timedelta(days=5 - number))
    submit_attempt(p["eka"], quiz, 3, right, NOW - timedelta(days=1))
    db.session.commit()
    found = reports.officers_needing_help(ReportFilter(), AS_OF, NOW, 14)
    table = found.table
    lines = {row.values[0]: row for row in table.rows}
    assert set(lines) == {"Ani", "Budi", "Citra"}  # Dodi is fine; Eka failed twice but passed
    assert lines["Ani"].value(table, "idle_days") == 20
    assert lines["Budi"].value(table, "late_days") == 3
    assert lines["Budi"].value(table, "due_date") == AS_OF - timedelta(days=3)
    assert lines["Citra"].value(table, "failing") == 1
    assert table.rows[0].values[0] == "Budi"  # the overdue come first
    assert (found.counts.lines, found.counts.not_started, found.counts.overdue,
            found.counts.failing) == (3, 1, 1, 1)
    assert all(row.link == ("officer", p[row.values[0].lower()].id) for row in table.rows)
    # after 30 days nobody is "not started" yet; the office scope finds the same people
    later = reports.officers_needing_help(ReportFilter(), AS_OF, NOW, 30).table
    assert {row.values[0] for row in later.rows} == {"Budi", "Citra"}
    scoped = reports.officers_needing_help(ReportFilter(), AS_OF, NOW, 14, office_id=office.id)
    assert scoped.counts == found.counts
    paged = reports.officers_needing_help(ReportFilter(), AS_OF, NOW, 14, page=2, per_page=2)
    assert len(paged.table.rows) == 1 and paged.counts.lines == 3


def test_an_unassigned_officer_is_never_on_the_list(db, small_site):
    course, office, p = small_site
    found = reports.officers_needing_help(ReportFilter(), AS_OF, NOW, 1)
    assert found.table.rows == [] and found.counts.lines == 0


# --------------------------------------------------------------------------- item analysis


def test_item_analysis_counts_answers_and_measures_discrimination(db, small_site):
    """30 attempts: q1 is answered right by the strong and wrong by the weak (D = 1), q2 right by
    everybody (D = 0, flagged), q3 right only by the weak (D < 0, flagged)."""
    course, office, p = small_site
    quiz = db.session.scalar(sa.select(Quiz))
    questions = quiz.published_revision.questions
    by_type = {q["slug"]: q for q in questions}
    single = next(q for q in questions if q["type"] in ("single", "true_false"))
    others = [q for q in questions if q is not single][:2]
    q1, q2, q3 = single["slug"], others[0]["slug"], others[1]["slug"]
    right = next(i for i, o in enumerate(single["options"]) if o["correct"])
    wrong = next(i for i, o in enumerate(single["options"]) if not o["correct"])
    officers = [make_user(username=f"p{i:02d}", office=office) for i in range(30)]
    when = NOW - timedelta(days=2)
    for i, officer in enumerate(officers):
        strong = i < 15
        answers = {q1: (right if strong else wrong, strong), q2: ("x", True),
                   q3: ("y", not strong)}
        if i == 29:
            answers[q1] = (None, False)  # one officer left it unanswered
        submit_attempt(officer, quiz, 1, answers, when + timedelta(minutes=i))
    db.session.commit()
    analysis = reports.item_analysis(quiz.published_revision, threshold=0.2, min_attempts=20)
    table = analysis.table
    rows = {row.value(table, "slug"): row for row in table.rows}
    assert analysis.attempts == 30 and analysis.group_size == 8 and analysis.enough
    assert rows[q1].value(table, "presented") == 30 and rows[q1].value(table, "answered") == 29
    assert rows[q1].value(table, "correct") == 50.0
    assert rows[q1].value(table, "wrong_choice") == single["options"][wrong]["text"]
    assert rows[q1].value(table, "wrong_count") == 14
    assert rows[q1].value(table, "discrimination") == 1.0 and not rows[q1].flagged
    assert rows[q2].value(table, "discrimination") == 0.0 and rows[q2].flagged
    assert rows[q3].value(table, "discrimination") == -1.0 and rows[q3].flagged
    assert analysis.flagged == 2
    assert {row.value(table, "slug") for row in table.rows} == set(by_type)  # all of the pool
    few = reports.item_analysis(quiz.published_revision, threshold=0.2, min_attempts=31)
    assert not few.enough and few.flagged == 0  # too few attempts to flag anything
    overview = reports.quiz_overview()
    line = next(r for r in overview.rows if r.link == ("quiz", quiz.id))
    assert line.value(overview, "attempts") == 30 and line.value(overview, "officers") == 30


# --------------------------------------------------------------------------- one officer


def test_officer_detail_lists_modules_and_attempts(db, small_site):
    course, office, p = small_site
    quiz = db.session.scalar(sa.select(Quiz))
    db.session.add(Assignment(course_id=course.id, scope="office", office_id=office.id,
                              due_date=AS_OF - timedelta(days=1), created_at=NOW - timedelta(days=9)))
    first = course.live_modules[0]
    open_module(p["ani"], first, NOW - timedelta(days=3), done=True, seconds=600)
    answers = {q["slug"]: (0, True) for q in quiz.published_revision.questions[:3]}
    submit_attempt(p["ani"], quiz, 1, answers, NOW - timedelta(days=2))
    db.session.commit()
    detail = reports.officer_detail(p["ani"], AS_OF)
    assert detail.office.id == office.id and detail.region.code == "KALSEL"
    modules = detail.modules
    assert [row.value(modules, "module") for row in modules.rows] == [m.title for m in course.live_modules]
    assert modules.rows[0].value(modules, "minutes") == 10.0
    assert modules.rows[1].value(modules, "first_opened") is None
    courses = detail.courses
    assert courses.rows[0].value(courses, "assigned") is True
    assert courses.rows[0].value(courses, "overdue") is True
    assert courses.rows[0].value(courses, "done") == 1
    attempts = detail.attempts
    assert len(attempts.rows) == 1 and attempts.rows[0].value(attempts, "score") == 100.0
