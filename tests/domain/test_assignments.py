"""Assignments: who a scope covers (expanded in SQL), which due date counts, the dashboard order,
and the organisation rules and CSV import they rest on."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.admin import assignments, coverage, organisation
from learning.admin.assignments import AssignmentError
from learning.models import Assignment, Course, Office, Region
from learning.admin.organisation import OrganisationError
from learning.learner.progress import visible_courses

from ..factories import import_sample_curriculum, make_office, make_user
from ..report_data import open_module

TODAY = date(2026, 3, 2)
EARLY = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def site(db):
    import_sample_curriculum()
    btl = make_office("KANIM-BTL", "Kantor Imigrasi Batulicin", "KALSEL", "Kanwil Kalsel")
    bdj = make_office("KANIM-BDJ", "Kantor Imigrasi Banjarmasin", "KALSEL", "Kanwil Kalsel")
    mtr = make_office("KANIM-MTR", "Kantor Imigrasi Mataram", "NTB", "Kanwil NTB")
    course = db.session.scalar(sa.select(Course))
    return course, {"btl": btl, "bdj": bdj, "mtr": mtr}


def pairs(db, **scope):
    found = coverage.assigned_pairs(**scope)
    return {(u, c): due for u, c, due, _ in db.session.execute(sa.select(found)).all()}


def test_each_scope_covers_the_right_officers(db, site):
    course, offices = site
    ani = make_user(username="ani", office=offices["btl"])
    budi = make_user(username="budi", office=offices["bdj"])
    citra = make_user(username="citra", office=offices["mtr"])
    make_user(role="trainer", username="guru", office=offices["btl"])  # trainers are not assigned
    gone = make_user(username="gone", office=offices["btl"], active=False)
    kalsel = db.session.scalar(sa.select(Region).where(Region.code == "KALSEL"))
    assignments.assign_course(course, "region", region=kalsel, today=TODAY)
    db.session.commit()
    assert set(pairs(db)) == {(ani.id, course.id), (budi.id, course.id)}
    assignments.assign_course(course, "user", officers=[citra], today=TODAY)
    db.session.commit()
    assert set(pairs(db)) == {(u.id, course.id) for u in (ani, budi, citra)}
    assert set(pairs(db, office_id=offices["btl"].id)) == {(ani.id, course.id)}
    assert set(pairs(db, region_id=kalsel.id)) == {(ani.id, course.id), (budi.id, course.id)}
    assert gone.id not in {u for u, _ in pairs(db)}


def test_the_most_specific_then_newest_assignment_sets_the_due_date(db, site):
    course, offices = site
    ani = make_user(username="ani", office=offices["btl"])
    budi = make_user(username="budi", office=offices["btl"])
    loose = make_user(username="loose")  # no office: only "everyone" reaches them

    def add(scope, due, days_ago, **target):
        db.session.add(Assignment(course_id=course.id, scope=scope, due_date=due,
                                  created_at=EARLY + timedelta(days=100 - days_ago), **target))

    add("all", date(2026, 6, 1), 50)
    add("office", date(2026, 5, 1), 40, office_id=offices["btl"].id)
    add("office", date(2026, 4, 1), 30, office_id=offices["btl"].id)  # newer, same rank
    add("user", date(2026, 7, 1), 60, user_id=ani.id)  # older, but the most specific
    db.session.commit()
    assert pairs(db) == {(ani.id, course.id): date(2026, 7, 1),
                         (budi.id, course.id): date(2026, 4, 1),
                         (loose.id, course.id): date(2026, 6, 1)}
    found = coverage.assigned_pairs()
    first = dict(db.session.execute(sa.select(found.c.user_id, found.c.assigned_at)).all())
    assert first[ani.id] == EARLY + timedelta(days=40)  # when the first assignment reached her


def test_assigning_again_changes_the_due_date_instead_of_adding(db, site):
    course, offices = site
    made = assignments.assign_course(course, "office", office=offices["btl"], today=TODAY,
                                     due_date=date(2026, 4, 1))
    again = assignments.assign_course(course, "office", office=offices["btl"], today=TODAY,
                                      due_date=date(2026, 5, 1))
    assert made[0].id == again[0].id and again[0].due_date == date(2026, 5, 1)
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
    with pytest.raises(AssignmentError) as caught:
        assignments.assign_course(course, "office", office=offices["btl"], today=TODAY,
                                  due_date=TODAY - timedelta(days=1))
    assert caught.value.code == "due_in_past"
    with pytest.raises(AssignmentError):
        assignments.assign_course(course, "user", officers=[], today=TODAY)


def test_find_officers_by_username_or_nip(db, site):
    course, offices = site
    ani = make_user(username="ani", office=offices["btl"], nip="198501012010012001")
    found, unknown = assignments.find_officers("ANI, 198501012010012001\nnobody")
    assert [u.id for u in found] == [ani.id] and unknown == ["nobody"]


def test_the_dashboard_puts_assigned_courses_first_with_the_overdue_mark(db, site):
    course, offices = site
    other = Course(slug="lain", title="Kursus Lain", position=-1, published=True)
    db.session.add(other)
    db.session.flush()
    ani = make_user(username="ani", office=offices["btl"])
    db.session.add(Assignment(course_id=course.id, scope="office", office_id=offices["btl"].id,
                              due_date=TODAY - timedelta(days=2), created_at=EARLY))
    db.session.commit()
    items = assignments.dashboard_progress(ani, TODAY)
    assert [i.course.slug for i in items] == ["contoh", "lain"]  # assigned first, though later
    assert items[0].assigned and items[0].overdue and items[0].due_date == TODAY - timedelta(days=2)
    assert not items[1].assigned and items[1].due_date is None
    assert [c.slug for c in visible_courses()] == ["lain", "contoh"]
    listed = assignments.assigned_courses_for(ani, TODAY)
    assert [(a.course.slug, a.overdue, a.complete) for a in listed] == [("contoh", True, False)]
    for module in course.live_modules:  # once complete, it is no longer overdue
        open_module(ani, module, EARLY, done=True)
    db.session.commit()
    assert assignments.assigned_courses_for(ani, TODAY)[0].overdue is False


def test_assignments_overview_counts_who_is_covered(db, site):
    course, offices = site
    for name in ("ani", "budi"):
        make_user(username=name, office=offices["btl"])
    assignments.assign_course(course, "all", today=TODAY)
    assignments.assign_course(course, "office", office=offices["mtr"], today=TODAY)
    db.session.commit()
    rows = {row.scope: row for row in assignments.assignments_overview()}
    assert rows["all"].officers == 2 and rows["office"].officers == 0
    assert rows["office"].target == "Kantor Imigrasi Mataram"


# --------------------------------------------------------------------------- organisation


def test_regions_and_offices_rules(db):
    region = organisation.create_region("kalsel ", "Kanwil  Kalimantan Selatan")
    assert region.code == "KALSEL" and region.name == "Kanwil Kalimantan Selatan"
    office = organisation.create_office("KANIM-BTL", "Kantor Imigrasi Batulicin", region)
    with pytest.raises(OrganisationError) as caught:
        organisation.create_office("kanim-btl", "Lagi", region)
    assert caught.value.code == "office_code_taken"
    with pytest.raises(OrganisationError) as caught:
        organisation.create_region("bad code!", "X")
    assert caught.value.code == "bad_code"
    with pytest.raises(OrganisationError) as caught:
        organisation.delete_region(region)
    assert caught.value.code == "region_has_offices"
    make_user(username="ani", office=office)
    with pytest.raises(OrganisationError) as caught:
        organisation.delete_office(office)
    assert caught.value.code == "office_has_people"
    summary = organisation.offices_overview()[0]
    assert (summary.code, summary.officers, summary.region_code) == ("KANIM-BTL", 1, "KALSEL")


ORG_CSV = b"""region_code,region_name,office_code,office_name
KALSEL,Kanwil Kalimantan Selatan,KANIM-BTL,Kantor Imigrasi Batulicin
KALSEL,Kanwil Kalimantan Selatan,KANIM-BDJ,Kantor Imigrasi Banjarmasin
NTB,Kanwil NTB,,
NTB,Kanwil Nusa Tenggara Barat,KANIM-MTR,Kantor Imigrasi Mataram
bad code,Kanwil X,KANIM-X,Kantor X
"""


def test_organisation_csv_import_previews_applies_and_is_idempotent(db):
    preview = organisation.preview_organisation_csv(ORG_CSV)
    assert [line.action for line in preview.lines] == ["create", "create", "create", "error",
                                                       "error"]
    assert [e.code for e in preview.lines[3].errors] == ["region_name_differs"]
    assert db.session.scalar(sa.select(sa.func.count(Office.id))) == 0
    organisation.apply_organisation_csv(ORG_CSV)
    db.session.commit()
    assert sorted(db.session.scalars(sa.select(Office.code))) == ["KANIM-BDJ", "KANIM-BTL"]
    assert db.session.scalar(sa.select(Region.name).where(Region.code == "NTB")) == "Kanwil NTB"
    again = organisation.preview_organisation_csv(ORG_CSV)
    assert again.changes == 0 and again.count("unchanged") == 3
    moved = b"region_code,region_name,office_code,office_name\nNTB,Kanwil NTB,KANIM-BDJ,Kanim BDJ\n"
    line = organisation.preview_organisation_csv(moved).lines[0]
    assert line.action == "update" and {p.code for p in line.changes} == {"office_renamed",
                                                                          "office_moved"}
