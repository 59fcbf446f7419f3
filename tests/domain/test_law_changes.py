"""A law change as an event (learning.laws.changes): recording a change to UU 21/2007 Pasal 2 flags
every module and question citing it, opens review tasks and marks the content under review;
closing the module's review with a publish and recertification marks the course's certificates
for renewal; the quiz's review closes with "no change needed"; the audit log keeps each step."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from learning.content.revisions import latest_module_revision, save_module_revision
from learning.laws import changes
from learning.laws.impact import impact_of
from learning.laws.register import law_by_key
from learning.learner import progress
from learning.models import (AuditEvent, Certificate, CertificateRenewal, Course, LawReview, Module,
                             ModuleProgress)

from ..factories import import_sample_curriculum, make_office, make_user

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


@pytest.fixture
def certified(db, course):
    """Two officers who completed the course and hold a certificate."""
    office = make_office()
    officers = [make_user(office=office), make_user(office=office)]
    for officer in officers:
        for i, module in enumerate(course.live_modules):
            progress.complete_module(officer, module, T0.replace(minute=i))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 2
    return officers


def _module(slug):
    from learning.extensions import db
    return db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _actions(db):
    return [(e.action, e.target_type) for e in db.session.scalars(
        sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_impact_finds_what_rests_on_the_article_and_nothing_else(db, course, certified):
    law = law_by_key("uu-21-2007")
    impact = impact_of(law, "Pasal 2")
    assert [hit.module.slug for hit in impact.modules] == ["unsur"]  # Pasal 1 angka 1 is not Pasal 2
    assert [(hit.quiz.slug, hit.questions) for hit in impact.quizzes] == [
        ("unsur-kuis", ["pidana-minimal"])]
    assert len(impact.certificate_ids) == 2 and impact.officers == 2 and impact.readers == 2
    whole = impact_of(law, "")
    assert {hit.module.slug for hit in whole.modules} == {"pengantar", "unsur"}
    assert impact_of(law, "Pasal 20").modules == []


def test_a_change_flags_reviews_and_recertifies_with_an_audit_trail(db, course, certified):
    trainer = make_user(role="trainer", full_name="Tina Pelatih")
    law = law_by_key("uu-21-2007")
    change, impact = changes.record_change(
        law, article="Pasal 2", changed_on=date(2026, 1, 2), changed_by="UU 1/2026",
        summary="Ancaman pidana dibaca menurut UU 1/2026.", actor=trainer)
    db.session.commit()
    unsur, quiz = _module("unsur"), _module("unsur").quiz
    assert {(r.kind, r.module_id, tuple(r.questions)) for r in change.reviews} == {
        ("module", unsur.id, ()), ("quiz", unsur.id, ("pidana-minimal",))}
    assert changes.modules_under_review() == {unsur.id}
    assert changes.quizzes_under_review() == {quiz.id}
    assert [r.id for r in changes.open_reviews()] == [r.id for r in change.reviews]

    module_review = next(r for r in change.reviews if r.kind == "module")
    quiz_review = next(r for r in change.reviews if r.kind == "quiz")
    with pytest.raises(changes.ChangeError) as no_draft:
        changes.close_review(module_review, outcome=changes.PUBLISHED, note="", actor=trainer)
    assert no_draft.value.code == "no_draft"
    published = latest_module_revision(unsur)
    save_module_revision(unsur, title=published.title, minutes=published.minutes,
                         laws=published.laws, reviewed=date(2026, 12, 3),
                         source=published.source + "\nCatatan: dibaca menurut UU 1/2026.\n",
                         author=trainer)
    figures = changes.recertify_figures(module_review)
    assert (figures.certificates, figures.officers) == (2, 2)  # shown before confirming
    marked = changes.close_review(module_review, outcome=changes.PUBLISHED, note="Ditambah catatan",
                                  actor=trainer, recertify=True)
    db.session.commit()
    assert marked == 2
    assert unsur.published_revision.number == module_review.revision_number == 2
    assert set(db.session.scalars(sa.select(CertificateRenewal.certificate_id))) == set(
        db.session.scalars(sa.select(Certificate.id)))
    # Publishing substantively sends the module back to the officers who completed it.
    assert all(p.updated_since_completion for p in db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.module_id == unsur.id)))
    assert changes.modules_under_review() == set() and change.closed_at is None

    with pytest.raises(changes.ChangeError) as no_note:
        changes.close_review(quiz_review, outcome=changes.NO_CHANGE, note=" ", actor=trainer)
    assert no_note.value.code == "note_required"
    changes.close_review(quiz_review, outcome=changes.NO_CHANGE,
                         note="Soal tidak menyebut angka pidana.", actor=trainer)
    db.session.commit()
    assert changes.quizzes_under_review() == set() and change.closed_at is not None
    assert db.session.scalar(sa.select(sa.func.count(LawReview.id))
                             .where(LawReview.closed_at.is_(None))) == 0
    with pytest.raises(changes.ChangeError):
        changes.close_review(quiz_review, outcome=changes.NO_CHANGE, note="lagi", actor=trainer)

    assert _actions(db) == [
        ("law_change", "law"), ("review_open", "module"), ("review_open", "quiz"),
        ("publish", "module"), ("review_close", "module"), ("recertify", "course"),
        ("review_close", "quiz")]
    details = [e.detail for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert details[0] == "1 modul, 1 soal, 2 sertifikat bersandar padanya"
    assert "2 sertifikat ditandai perlu diperbarui" in details[5]
    assert "tidak perlu perubahan — Soal tidak menyebut angka pidana." in details[6]


def test_a_change_without_recertification_leaves_certificates_alone(db, course, certified):
    trainer = make_user(role="trainer")
    change, _ = changes.record_change(law_by_key("uu-21-2007"), article="Pasal 2",
                                      changed_on=date(2026, 1, 2), changed_by="", summary="x",
                                      actor=trainer)
    review = next(r for r in change.reviews if r.kind == "module")
    changes.close_review(review, outcome=changes.NO_CHANGE, note="Tidak terdampak", actor=trainer)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(CertificateRenewal.id))) == 0
    with pytest.raises(changes.ChangeError):
        changes.record_change(law_by_key("uu-21-2007"), article="", changed_on=date(2026, 1, 2),
                              changed_by="", summary="  ", actor=trainer)


def test_change_files_are_recorded_once(db, course, tmp_path):
    from learning.laws.history import apply_changes, parse_change, read_changes
    from learning.content.errors import ContentError

    folder = tmp_path / "laws" / "changes"
    folder.mkdir(parents=True)
    (folder / "2026-01-02-pidana.md").write_text(
        "---\nlaw: UU 21/2007\narticle: Pasal 2–27\nchanged_on: 2026-01-02\n"
        "changed_by: UU 1/2026\n---\nAncaman pidana dibaca bersama UU 1/2026.\n")
    first = apply_changes(read_changes(tmp_path / "laws"))
    db.session.commit()
    assert len(first) == 1 and first[0].article == "Pasal 2–27"
    assert {(r.kind, r.module.slug) for r in first[0].reviews} == {("module", "unsur"),
                                                                     ("quiz", "unsur")}
    assert apply_changes(read_changes(tmp_path / "laws")) == []  # already recorded
    with pytest.raises(ContentError):
        parse_change("---\nlaw: Sesuatu\nchanged_on: 2026-01-02\n---\nx\n", "x.md")
    with pytest.raises(ContentError):
        parse_change("---\nlaw: UU 21/2007\nchanged_on: besok\n---\nx\n", "x.md")


def test_the_shipped_penal_reform_changes_parse():
    from learning.laws.history import read_changes
    from learning.laws.register import SHIPPED_REGISTER

    changes_ = read_changes(SHIPPED_REGISTER)
    assert {(c.law, c.changed_on) for c in changes_} == {
        ("UU 21/2007", date(2026, 1, 2)), ("UU 6/2011", date(2026, 1, 2)),
        ("UU 18/2017", date(2026, 1, 2))}
