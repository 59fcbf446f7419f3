"""Every report runs a fixed number of SQL statements, whatever the number of officers: the same
count with 10 officers as with 1,000 (aggregates in SQL, no query per officer)."""
import sqlalchemy as sa

from learning.admin import assignments
from learning import reports
from learning.models import Office, Quiz, Region, User
from learning.reports import NATIONAL, OFFICE, REGION, ReportFilter

from ..report_data import AS_OF, NOW, TZ, count_queries, demo_population


def _subjects(db):
    region = db.session.scalar(sa.select(Region.id).join(Office, Office.region_id == Region.id)
                               .order_by(Region.id).limit(1))
    office = db.session.scalar(sa.select(Office.id).where(Office.region_id == region)
                               .order_by(Office.id).limit(1))
    officer = db.session.scalar(sa.select(User.id).where(User.role == "officer")
                                .order_by(User.id).limit(1))
    quiz = db.session.scalar(sa.select(Quiz.id).order_by(Quiz.id).limit(1))
    return region, office, officer, quiz


def _measure(db) -> dict[str, int]:
    region, office, officer, quiz_id = _subjects(db)
    everything = ReportFilter()
    ranged = ReportFilter(date_from=AS_OF.replace(day=1), date_to=AS_OF)

    def officer_detail():
        reports.officer_detail(db.session.get(User, officer), AS_OF)

    def items():
        quiz = db.session.get(Quiz, quiz_id)
        reports.item_analysis(reports.quiz_revisions(quiz)[0].revision)

    calls = {
        "national": lambda: reports.completion_rates(NATIONAL, everything, AS_OF, TZ),
        "national, date range": lambda: reports.completion_rates(NATIONAL, ranged, AS_OF, TZ),
        "region": lambda: reports.completion_rates(REGION, everything, AS_OF, TZ, region),
        "office": lambda: reports.completion_rates(OFFICE, everything, AS_OF, TZ, office),
        "perlu bantuan": lambda: reports.officers_needing_help(everything, AS_OF, NOW, 14),
        "perlu bantuan, all pages": lambda: reports.officers_needing_help(
            everything, AS_OF, NOW, 14, page=None),
        "quizzes": lambda: reports.quiz_overview(),
        "item analysis": items,
        "officer detail": officer_detail,
        "dashboard": lambda: assignments.dashboard_progress(db.session.get(User, officer), AS_OF),
    }
    counts = {}
    for name, call in calls.items():
        db.session.remove()  # an empty identity map: every needed row is really queried
        with count_queries(db.engine) as statements:
            call()
        counts[name] = len([s for s in statements if not s.startswith(("BEGIN", "SAVEPOINT"))])
    return counts


def test_reports_run_the_same_number_of_queries_at_10_and_1000_officers(app, db):
    with app.test_request_context():
        demo_population(10, seed=3)
        small = _measure(db)
        assert db.session.scalar(sa.select(sa.func.count(User.id))
                                 .where(User.role == "officer")) == 10
        demo_population(1000, seed=3)
        large = _measure(db)
        assert db.session.scalar(sa.select(sa.func.count(User.id))
                                 .where(User.role == "officer")) == 1000
    assert large == small
    # a handful each (the dashboard also loads each course's modules: per course, not officer)
    assert all(count <= 12 for count in large.values()), sorted(large.items())
    assert large["national"] <= 4 and large["perlu bantuan"] <= 3, sorted(large.items())
