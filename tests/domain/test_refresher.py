"""Refresher cycles without HTTP: updated modules, the notice window, lapses, revocations."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.certificates import refresher
from learning.certificates import issuing as certs
from learning.models import Assignment, Certificate, Course

from ..factories import import_sample_curriculum, make_user

T0 = datetime(2026, 11, 1, 3, 0, tzinfo=timezone.utc)
VALID_UNTIL = date(2028, 11, 1)


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


@pytest.fixture
def officer(db):
    return make_user(username="sari")


def complete(user, course, when, slugs=None):
    for i, module in enumerate(course.live_modules):
        if slugs is None or module.slug in slugs:
            progress.complete_module(user, module, when + timedelta(minutes=i))


def certificates(db, user):
    return db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)
                              .order_by(Certificate.id)).all()


def done(user, course):
    return progress.courses_progress(user, [course])[0].done


def kinds(user, now, today):
    return [n.kind for n in refresher.learner_notices(user, now, today)]


def test_substantive_update_returns_only_that_module(db, course, officer):
    other = make_user()
    complete(officer, course, T0)
    complete(other, course, T0, slugs={"pengantar"})
    penutup = next(m for m in course.live_modules if m.slug == "penutup")
    assert refresher.mark_module_updated(penutup, penutup.published_revision) == 1
    states = progress.module_states(officer, course)
    assert [states[m.id] for m in course.live_modules] == [progress.DONE, progress.DONE,
                                                           progress.IN_PROGRESS]
    assert done(officer, course) == 2 and done(other, course) == 1
    notices = refresher.learner_notices(officer, T0 + timedelta(days=30), date(2026, 12, 1))
    assert [(n.kind, [m.slug for m in n.modules]) for n in notices] == [("updated", ["penutup"])]
    # the certificate stays valid; re-reading the module issues no second one
    complete(officer, course, T0 + timedelta(days=31), slugs={"penutup"})
    assert len(certificates(db, officer)) == 1
    assert done(officer, course) == 3
    assert kinds(officer, T0 + timedelta(days=32), date(2026, 12, 3)) == []


def test_before_the_lapse_the_dashboard_says_perlu_penyegaran(db, course, officer):
    complete(officer, course, T0)
    now = datetime(2028, 9, 10, 3, tzinfo=timezone.utc)
    assert kinds(officer, T0 + timedelta(days=1), date(2026, 11, 2)) == ["new_certificate"]
    assert kinds(officer, now, date(2028, 8, 1)) == []
    assert kinds(officer, now, date(2028, 9, 10)) == ["needs_refresh"]
    assignment = refresher.start_refresher_early(officer, course, now, date(2028, 9, 10))
    assert assignment.scope == "user" and assignment.due_date == VALID_UNTIL
    assert done(officer, course) == 0
    assert kinds(officer, now, date(2028, 9, 10)) == ["refreshing"]
    with pytest.raises(certs.CertificateError):
        refresher.start_refresher_early(officer, course, now, date(2028, 9, 10))
    complete(officer, course, now + timedelta(days=5))
    old, new = certificates(db, officer)
    assert new.completed_on == date(2028, 9, 15) and new.valid_until == date(2030, 9, 15)
    assert certs.certificate_status(old, date(2028, 9, 15)) == certs.VALID  # history stays
    assert kinds(officer, now + timedelta(days=6), date(2028, 9, 16)) == ["new_certificate"]


def test_a_lapsed_certificate_expires_and_the_course_is_assigned_again(db, course, officer):
    complete(officer, course, T0)
    (certificate,) = certificates(db, officer)
    today = VALID_UNTIL + timedelta(days=1)
    now = datetime(2028, 11, 2, 3, tzinfo=timezone.utc)
    assert certs.certificate_status(certificate, today) == certs.EXPIRED
    assert refresher.has_lapsed_certificates(officer.id, today)
    assert not refresher.has_lapsed_certificates(officer.id, VALID_UNTIL)
    lapsed = refresher.apply_lapses(now, today, grace_days=30)
    assert [c.id for c in lapsed] == [certificate.id]
    assert refresher.apply_lapses(now, today) == []  # once
    assert not refresher.has_lapsed_certificates(officer.id, today)
    assignment = db.session.scalar(sa.select(Assignment))
    assert (assignment.scope, assignment.user_id, assignment.course_id, assignment.due_date) == (
        "user", officer.id, course.id, today + timedelta(days=30))
    assert progress.courses_progress(officer, [course])[0].state != progress.DONE
    assert done(officer, course) == 0
    assert kinds(officer, now, today) == ["expired"]
    # the first module back does not issue anything; the whole course does
    complete(officer, course, now + timedelta(days=1), slugs={"pengantar"})
    assert len(certificates(db, officer)) == 1
    complete(officer, course, now + timedelta(days=2))
    old, new = certificates(db, officer)
    assert certs.certificate_status(old, today) == certs.EXPIRED
    assert certs.certificate_status(new, today) == certs.VALID and new.number != old.number
    assert kinds(officer, now + timedelta(days=3), today + timedelta(days=2)) == [
        "new_certificate"]


def test_an_expired_certificate_not_yet_settled_issues_nothing_new(db, course, officer):
    complete(officer, course, T0)
    penutup = next(m for m in course.live_modules if m.slug == "penutup")
    refresher.mark_module_updated(penutup)
    later = datetime(2028, 12, 1, tzinfo=timezone.utc)
    complete(officer, course, later, slugs={"penutup"})  # redone before the lapse was settled
    assert len(certificates(db, officer)) == 1


def test_revoking_and_reassigning_makes_the_officer_earn_a_new_certificate(db, course, officer):
    admin = make_user(role="admin")
    complete(officer, course, T0)
    (certificate,) = certificates(db, officer)
    now = T0 + timedelta(days=10)
    certs.revoke(certificate, admin, "Kuis dikerjakan orang lain", now)
    assignment = refresher.open_refresher(certificate, now, date(2026, 12, 31), by=admin)
    assert assignment.created_by_id == admin.id and done(officer, course) == 0
    assert refresher.open_refresher(certificate, now, date(2026, 12, 31)) is None
    assert kinds(officer, now, date(2026, 11, 11)) == []  # a revoked one is not announced
    complete(officer, course, now + timedelta(days=1))
    assert [certs.certificate_status(c, date(2026, 11, 12)) for c in certificates(db, officer)] == [
        certs.REVOKED, certs.VALID]


def test_lapse_processing_leaves_other_officers_and_revoked_certificates_alone(db, course):
    first, second, third = make_user(), make_user(), make_user()
    for user in (first, second, third):
        complete(user, course, T0)
    admin = make_user(role="admin")
    certs.revoke(certificates(db, third)[0], admin, "Salah terbit", T0)
    today = VALID_UNTIL + timedelta(days=1)
    lapsed = refresher.apply_lapses(T0, today, user_id=first.id)
    assert [c.user_id for c in lapsed] == [first.id]
    assert [c.user_id for c in refresher.apply_lapses(T0, today)] == [second.id]
    assert done(third, course) == 3
