"""Importing a course zip in the studio: check it, show what it would do, then apply it at once.

1. `stage_import` reads the zip (learning.content.exchange) and does a dry run: the real
   `apply_curriculum` inside a SAVEPOINT that is rolled back, so the preview is exactly what the
   import will do. The zip and that report are kept in a StagedImport row (every app server can
   confirm it) for STAGED_HOURS.
2. `apply_staged_import` reads the same bytes again and applies them in the caller's
   transaction, recording one audit event per created or updated item. Any error raises
   ContentErrors and the caller rolls back: nothing is written.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from learning import audit
from learning.content.curriculum import Curriculum
from learning.content.exchange import read_course_zip
from learning.content.importer import ImportReport, apply_curriculum
from learning.extensions import db
from learning.models import Course, Module, Quiz, StagedImport, User, utcnow

STAGED_HOURS = 24
NOTE = "Impor zip"


def preview_import(curriculum: Curriculum, author: User | None) -> ImportReport:
    """What applying `curriculum` would create, update and leave unchanged. Writes nothing."""
    savepoint = db.session.begin_nested()
    try:
        return apply_curriculum(curriculum, author)
    finally:
        savepoint.rollback()


def _report_dict(report: ImportReport, curriculum: Curriculum, ignored: list[str]) -> dict:
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "ignored": ignored[:50], "courses": [c.slug for c in curriculum.courses],
            "modules": sum(len(c.modules) for c in curriculum.courses),
            "quizzes": len(curriculum.quizzes)}


def prune_staged_imports(now: datetime) -> int:
    """Forget zips that were previewed but never confirmed."""
    result = db.session.execute(sa.delete(StagedImport).where(
        StagedImport.created_at < now - timedelta(hours=STAGED_HOURS)))
    return result.rowcount or 0


def stage_import(data: bytes, filename: str, user: User) -> StagedImport:
    """Check a zip and dry-run it; raise ContentErrors (file and line) when it cannot be
    imported."""
    name = (filename or "kursus.zip").replace("\\", "/").split("/")[-1][:200]
    curriculum, ignored = read_course_zip(data, name)
    report = preview_import(curriculum, user)
    now = utcnow()
    prune_staged_imports(now)
    staged = StagedImport(id=secrets.token_urlsafe(24), user_id=user.id, filename=name,
                          sha256=hashlib.sha256(data).hexdigest(), data=data,
                          report=_report_dict(report, curriculum, ignored), created_at=now)
    db.session.add(staged)
    db.session.flush()
    return staged


def find_staged_import(token: str, user: User, now: datetime,
                       kind: str = "course_zip") -> StagedImport | None:
    """The user's own staged import of `kind` (a course zip, or a question bank), while fresh."""
    staged = db.session.get(StagedImport, token or "")
    if (staged is None or staged.user_id != user.id
            or (staged.report or {}).get("kind", "course_zip") != kind
            or staged.created_at < now - timedelta(hours=STAGED_HOURS)):
        return None
    return staged


def _target(line: str) -> tuple[str, int | None, str]:
    """'module contoh/unsur' -> ('module', its id, 'contoh/unsur')."""
    kind, _, ref = line.partition(" ")
    if kind == "course":
        target_id = db.session.scalar(sa.select(Course.id).where(Course.slug == ref))
    elif kind == "module":
        course_slug, _, module_slug = ref.partition("/")
        target_id = db.session.scalar(sa.select(Module.id).join(Course).where(
            Course.slug == course_slug, Module.slug == module_slug))
    else:
        target_id = db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == ref))
    return kind, target_id, ref


def import_curriculum(curriculum: Curriculum, author: User | None, filename: str) -> ImportReport:
    """Apply a read curriculum and record who imported what."""
    report = apply_curriculum(curriculum, author)
    for state, lines in (("dibuat", report.created), ("diperbarui", report.updated)):
        for line in lines:
            kind, target_id, ref = _target(line)
            audit.record(author, audit.IMPORT, kind, target_id, ref, f"{state} dari {filename}")
    return report


def apply_staged_import(staged: StagedImport, user: User) -> ImportReport:
    """Apply a previewed zip in the current transaction and forget it."""
    curriculum, _ = read_course_zip(staged.data, staged.filename)
    report = import_curriculum(curriculum, user, staged.filename)
    db.session.delete(staged)
    db.session.flush()
    return report
