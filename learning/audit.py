"""The audit log of content changes: recording an event, and reading the log page by page.

Every domain function that creates, edits, publishes, restores, imports, retires or deletes
content calls `record` in the same transaction as the change, so the log and the content can
never disagree. Events are only ever added.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db
from .models import AuditEvent, User, utcnow

CREATE, EDIT, PUBLISH, RESTORE, IMPORT = "create", "edit", "publish", "restore", "import"
RETIRE, REINSTATE, DELETE, REORDER, UPLOAD = "retire", "reinstate", "delete", "reorder", "upload"
LAW_CHANGE, REVIEW_OPEN, REVIEW_CLOSE = "law_change", "review_open", "review_close"
# CONFLICT: a curriculum import kept a studio revision the shipped file differs from.
# RECERTIFY: a publish (or a law review closed with recertification) asked every holder of the
# course's certificate to renew it.
CONFLICT, RECERTIFY = "conflict", "recertify"
GRANT = "grant"  # a second chance on a quiz (learning.grants)
ACTIONS = (CREATE, EDIT, PUBLISH, RESTORE, IMPORT, RETIRE, REINSTATE, DELETE, REORDER, UPLOAD,
           LAW_CHANGE, REVIEW_OPEN, REVIEW_CLOSE, CONFLICT, RECERTIFY, GRANT)
TARGET_TYPES = ("course", "module", "quiz", "image", "law")
PAGE_SIZE = 50


def record(actor: User | None, action: str, target_type: str, target_id: int | None,
           target_label: str, detail: str = "") -> AuditEvent:
    """Add one event. The actor's name is copied so the log still reads right if it changes."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        created_at=utcnow(), actor_id=actor.id if actor else None,
        actor_name=(actor.full_name or actor.username)[:160] if actor else "",
        action=action, target_type=target_type, target_id=target_id,
        target_label=(target_label or "")[:300], detail=detail or "",
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def audit_events(page: int = 1, action: str | None = None, target_type: str | None = None,
                 target_id: int | None = None, per_page: int = PAGE_SIZE) -> AuditPage:
    """The newest events first, optionally only one action or one target, one page at a time."""
    query = sa.select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEvent.target_id == target_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    events = list(db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(events=events, page=page, pages=pages, total=total)
