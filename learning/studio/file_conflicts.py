"""Items the curriculum import kept as the studio published them although the shipped file
differs (learning.content.importer records each as a "conflict" audit event): the studio lists
those still live, so a trainer knows a release carried a different text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from learning import audit
from learning.extensions import db
from learning.models import AuditEvent, Module, ModuleRevision, Quiz, QuizRevision


@dataclass(frozen=True)
class FileConflict:
    kind: str  # module, quiz or course
    target_id: int
    label: str
    detail: str
    noted_at: datetime


def _still_studio(kind: str, target_id: int) -> bool:
    if kind == "module":
        origin = db.session.scalar(sa.select(ModuleRevision.origin).join(
            Module, Module.published_revision_id == ModuleRevision.id).where(Module.id == target_id))
    elif kind == "quiz":
        origin = db.session.scalar(sa.select(QuizRevision.origin).join(
            Quiz, Quiz.published_revision_id == QuizRevision.id).where(Quiz.id == target_id))
    else:
        return True
    return origin == "studio"


def open_file_conflicts(limit: int = 50) -> list[FileConflict]:
    """The newest conflict of each item whose live revision is still the studio's."""
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == audit.CONFLICT)
                                .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                .limit(limit * 4))
    seen, result = set(), []
    for event in events:
        key = (event.target_type, event.target_id)
        if key in seen or event.target_id is None:
            continue
        seen.add(key)
        if _still_studio(event.target_type, event.target_id):
            result.append(FileConflict(event.target_type, event.target_id, event.target_label,
                                       event.detail, event.created_at))
    return result[:limit]
