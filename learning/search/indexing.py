"""Keeping the search index current, in the same transaction as the change.

A module is indexed while it is live (published, not retired) in a published course, from its
published revision only: drafts and quizzes are never indexed, so search can show an officer
nothing unpublished and no answer or explanation. SQLAlchemy's `before_flush` notes the modules,
courses and laws a transaction changes; `after_flush_postexec` rewrites their rows on the same
connection, as learning.reports.standing does for the course standings. The glossary (a file)
is indexed by `index_glossary`, from the content import and `flask search rebuild`.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from learning.models import Course, Law, Module, ModuleRevision, SearchDocument, utcnow
from .text import headings, plain_text, stemmed

NOTED = "search_noted"
_TABLE = SearchDocument.__table__


def _row(key: str, kind: str, title: str, laws: str, heads: str, body: str,
         module_id: int | None = None, course_id: int | None = None) -> dict:
    return dict(key=key, kind=kind, module_id=module_id, course_id=course_id, title=title[:300],
                laws=laws, headings=heads, body=body, fts_title=stemmed(title),
                fts_laws=stemmed(laws), fts_headings=stemmed(heads), fts_body=stemmed(body),
                updated_at=utcnow())


def _put(connection, row: dict) -> None:
    existing = connection.execute(sa.select(_TABLE.c.id).where(_TABLE.c.key == row["key"])).scalar()
    if existing is None:
        connection.execute(_TABLE.insert().values(**row))
    else:
        connection.execute(_TABLE.update().where(_TABLE.c.id == existing).values(**row))


def _drop(connection, key: str) -> None:
    connection.execute(_TABLE.delete().where(_TABLE.c.key == key))


def index_module(connection, module_id: int) -> None:
    row = connection.execute(
        sa.select(Module.id, Module.course_id, Module.published_revision_id, Module.retired_at,
                  Course.published, Course.title.label("course_title"))
        .join(Course, Course.id == Module.course_id).where(Module.id == module_id)).first()
    key = f"module:{module_id}"
    if row is None or row.published_revision_id is None or row.retired_at is not None \
            or not row.published:
        _drop(connection, key)
        return
    revision = connection.execute(
        sa.select(ModuleRevision.title, ModuleRevision.laws, ModuleRevision.source)
        .where(ModuleRevision.id == row.published_revision_id)).first()
    _put(connection, _row(key, "module", revision.title, "; ".join(revision.laws or []),
                          "\n".join(headings(revision.source)), plain_text(revision.source),
                          module_id=module_id, course_id=row.course_id))


def index_law(connection, law_id: int) -> None:
    law = connection.execute(sa.select(Law).where(Law.id == law_id)).first()
    if law is None:
        return
    body = "\n".join(filter(None, [law.title, plain_text(law.notes)]))
    _put(connection, _row(f"law:{law.key}", "law", f"{law.citation} tentang {law.title}",
                          "; ".join([law.citation, *(law.aliases or [])]), "", body))


def index_glossary(connection, glossary) -> int:
    """Replace the glossary's rows with one per term of `glossary` (a content.glossary.Glossary)."""
    connection.execute(_TABLE.delete().where(_TABLE.c.kind == "glossary"))
    for entry in glossary.entries if glossary else []:
        title = f"{entry.term}: {entry.expansion}"
        _put(connection, _row(f"glossary:{entry.anchor}", "glossary", title,
                              " ".join(entry.aliases) + "; " + entry.source, "",
                              plain_text(entry.definition)))
    return len(glossary.entries) if glossary else 0


def rebuild(connection, glossary=None) -> int:
    """Index every module, law and (when given) glossary term from scratch."""
    connection.execute(_TABLE.delete().where(_TABLE.c.kind != "glossary"))
    module_ids = connection.execute(sa.select(Module.id)).scalars().all()
    for module_id in module_ids:
        index_module(connection, module_id)
    for law_id in connection.execute(sa.select(Law.id)).scalars().all():
        index_law(connection, law_id)
    if glossary is not None:
        index_glossary(connection, glossary)
    return connection.execute(sa.select(sa.func.count()).select_from(_TABLE)).scalar()


def _changed(obj, names) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _note(session, _flush_context, _instances) -> None:
    noted = session.info.setdefault(NOTED, {"modules": set(), "courses": set(), "laws": set()})
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Module) and (obj in session.new or _changed(
                obj, ("published_revision_id", "retired_at", "course_id"))):
            noted["modules"].add(obj)
        elif isinstance(obj, Course) and obj not in session.new and _changed(
                obj, ("published", "title")):
            noted["courses"].add(obj)
        elif isinstance(obj, Law):
            noted["laws"].add(obj)
    for obj in session.deleted:
        if isinstance(obj, Module):
            noted.setdefault("deleted", set()).add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _settle(session, _flush_context) -> None:
    noted = session.info.pop(NOTED, None)
    if not noted:
        return
    connection = session.connection()
    module_ids = {m.id for m in noted["modules"] if m.id is not None}
    for course in noted["courses"]:
        module_ids |= set(connection.execute(
            sa.select(Module.id).where(Module.course_id == course.id)).scalars())
    for module_id in module_ids:
        index_module(connection, module_id)
    for module_id in noted.get("deleted", ()):
        _drop(connection, f"module:{module_id}")
    for law in noted["laws"]:
        if law.id is not None:
            index_law(connection, law.id)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(NOTED, None)
