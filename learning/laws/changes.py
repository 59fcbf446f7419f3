"""A law change as an event: recording it opens a review task for every module and quiz resting
on it; affected content reads "sedang ditinjau" to officers until its review is closed; closing a
review is a publish (a new revision, optionally with recertification) or "reviewed, no change
needed" with a note. Every step leaves an audit row. Functions add and flush; callers commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from learning import audit
from learning.content.revisions import latest_module_revision, latest_quiz_revision
from learning.extensions import db
from learning.models import (Certificate, CertificateRenewal, Law, LawChange, LawReview, User,
                             utcnow)
from .impact import Impact, certificates_resting_on, impact_of

PUBLISHED, NO_CHANGE = "published", "no_change"


class ChangeError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def change_label(change: LawChange) -> str:
    law = change.law.citation
    return f"{law} {change.article}".strip() + f" ({change.changed_on.isoformat()})"


def record_change(law: Law, *, article: str, changed_on: date, changed_by: str, summary: str,
                  actor: User | None) -> tuple[LawChange, Impact]:
    """Record the change and open one review per module and per quiz resting on it."""
    if not summary.strip():
        raise ChangeError("summary_required")
    change = LawChange(law_id=law.id, article=article.strip()[:120], changed_on=changed_on,
                       changed_by=changed_by.strip()[:200], summary=summary.strip(),
                       recorded_by_id=actor.id if actor else None, recorded_at=utcnow())
    db.session.add(change)
    db.session.flush()
    impact = impact_of(law, change.article)
    audit.record(actor, audit.LAW_CHANGE, "law", law.id, change_label(change),
                 f"{len(impact.modules)} modul, {impact.questions} soal, "
                 f"{len(impact.certificate_ids)} sertifikat bersandar padanya")
    for hit in impact.modules:
        review = LawReview(change_id=change.id, kind="module", module_id=hit.module.id)
        db.session.add(review)
        db.session.flush()
        audit.record(actor, audit.REVIEW_OPEN, "module", hit.module.id, hit.module.title,
                     f"tinjauan #{review.id}: {change_label(change)}")
    for hit in impact.quizzes:
        review = LawReview(change_id=change.id, kind="quiz", module_id=hit.quiz.module_id,
                           quiz_id=hit.quiz.id, questions=list(hit.questions))
        db.session.add(review)
        db.session.flush()
        audit.record(actor, audit.REVIEW_OPEN, "quiz", hit.quiz.id, hit.quiz.slug,
                     f"tinjauan #{review.id}: {', '.join(hit.questions)}")
    db.session.flush()
    return change, impact


def open_reviews() -> list[LawReview]:
    """Every open review task, oldest first (the studio shows each with its age)."""
    return list(db.session.scalars(
        sa.select(LawReview).where(LawReview.closed_at.is_(None))
        .order_by(LawReview.opened_at, LawReview.id)))


def modules_under_review(module_ids=None) -> set[int]:
    """Modules with an open review of the module itself ("sedang ditinjau" for officers)."""
    query = sa.select(LawReview.module_id).where(LawReview.closed_at.is_(None),
                                                 LawReview.kind == "module")
    if module_ids is not None:
        query = query.where(LawReview.module_id.in_(list(module_ids)))
    return set(db.session.scalars(query))


def quizzes_under_review(quiz_ids=None) -> set[int]:
    query = sa.select(LawReview.quiz_id).where(LawReview.closed_at.is_(None),
                                               LawReview.kind == "quiz")
    if quiz_ids is not None:
        query = query.where(LawReview.quiz_id.in_(list(quiz_ids)))
    return set(db.session.scalars(query))


@dataclass(frozen=True)
class RecertifyFigures:
    """What a recertification would touch, shown in numbers before the trainer confirms."""

    certificates: int
    officers: int


def recertify_figures(review: LawReview) -> RecertifyFigures:
    ids = certificates_resting_on({review.module.course_id})
    officers = db.session.scalar(sa.select(sa.func.count(sa.distinct(Certificate.user_id)))
                                 .where(Certificate.id.in_(ids))) if ids else 0
    return RecertifyFigures(certificates=len(ids), officers=officers or 0)


def pending_revision(review: LawReview):
    """The newer draft a publish would make live, or None when there is none."""
    if review.kind == "module":
        latest = latest_module_revision(review.module)
        current = review.module.published_revision_id
    else:
        latest = latest_quiz_revision(review.quiz)
        current = review.quiz.published_revision_id
    return latest if latest is not None and latest.id != current else None


def _mark_for_renewal(review: LawReview, actor: User | None) -> int:
    already = set(db.session.scalars(sa.select(CertificateRenewal.certificate_id)
                                     .where(CertificateRenewal.change_id == review.change_id)))
    ids = [i for i in certificates_resting_on({review.module.course_id}) if i not in already]
    for certificate_id in ids:
        db.session.add(CertificateRenewal(certificate_id=certificate_id, change_id=review.change_id,
                                          review_id=review.id, marked_at=utcnow()))
    audit.record(actor, audit.RECERTIFY, "course", review.module.course_id,
                 review.module.course.title,
                 f"{len(ids)} sertifikat ditandai perlu diperbarui: {change_label(review.change)}")
    return len(ids)


def close_review(review: LawReview, *, outcome: str, note: str, actor: User | None,
                 recertify: bool = False) -> int:
    """Close a review. PUBLISHED publishes the newer draft (a module substantively when
    `recertify`, and then marks the course's certificates for renewal); NO_CHANGE needs a note.
    Returns how many certificates were marked."""
    from learning.studio.authoring import publish_module
    from learning.studio.quizzes import publish_quiz

    if review.closed_at is not None:
        raise ChangeError("already_closed")
    note = note.strip()
    marked = 0
    if outcome == NO_CHANGE:
        if not note:
            raise ChangeError("note_required")
        recertify = False
    elif outcome == PUBLISHED:
        revision = pending_revision(review)
        if revision is None:
            raise ChangeError("no_draft")
        if review.kind == "module":
            publish_module(review.module, revision, actor, substantive=recertify)
        else:
            publish_quiz(review.quiz, revision, actor)
        review.revision_number = revision.number
    else:
        raise ChangeError("bad_outcome")
    review.outcome, review.note, review.recertify = outcome, note, recertify
    review.closed_at, review.closed_by_id = utcnow(), actor.id if actor else None
    target = ("module", review.module_id, review.module.title) if review.kind == "module" \
        else ("quiz", review.quiz_id, review.quiz.slug)
    detail = (f"tinjauan #{review.id}: "
              + (f"diterbitkan revisi {review.revision_number}" if outcome == PUBLISHED
                 else "ditinjau, tidak perlu perubahan") + (f" — {note}" if note else ""))
    audit.record(actor, audit.REVIEW_CLOSE, *target, detail)
    if recertify:
        marked = _mark_for_renewal(review, actor)
    db.session.flush()
    change = review.change
    if all(r.closed_at is not None for r in change.reviews):
        change.closed_at = utcnow()
    db.session.flush()
    return marked


def renewals_of(change: LawChange) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CertificateRenewal)
                             .where(CertificateRenewal.change_id == change.id)) or 0


def changes(limit: int = 50) -> list[LawChange]:
    return list(db.session.scalars(sa.select(LawChange).order_by(LawChange.recorded_at.desc(),
                                                                   LawChange.id.desc()).limit(limit)))


def changes_of(law: Law) -> list[LawChange]:
    return list(db.session.scalars(sa.select(LawChange).where(LawChange.law_id == law.id)
                                   .order_by(LawChange.changed_on.desc(), LawChange.id.desc())))
