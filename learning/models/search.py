"""The search index: one row per searchable document (a live module, a glossary term, a law).

The plain text shown in results lives in the ordinary columns; the full-text index is dialect
specific and created next to the table: on SQLite an FTS5 table `search_fts` over the `fts_*`
columns (Indonesian-stemmed in Python with the same Snowball stemmer PostgreSQL uses), kept in
step by triggers; on PostgreSQL a generated `tsv` column built with the `indonesian`
configuration and a GIN index. `SEARCH_DDL` is run after the table is created, by `create_all`
and by the migration alike.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learning.extensions import db
from .base import UTCDateTime, utcnow

FTS_COLUMNS = ("fts_title", "fts_laws", "fts_headings", "fts_body")

SQLITE_DDL = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(fts_title, fts_laws, fts_headings, fts_body, "
    "content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, fts_title, fts_laws, fts_headings, fts_body) "
    "VALUES (new.id, new.fts_title, new.fts_laws, new.fts_headings, new.fts_body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, fts_title, fts_laws, fts_headings, fts_body) "
    "VALUES ('delete', old.id, old.fts_title, old.fts_laws, old.fts_headings, old.fts_body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, fts_title, fts_laws, fts_headings, fts_body) "
    "VALUES ('delete', old.id, old.fts_title, old.fts_laws, old.fts_headings, old.fts_body); "
    "INSERT INTO search_fts(rowid, fts_title, fts_laws, fts_headings, fts_body) "
    "VALUES (new.id, new.fts_title, new.fts_laws, new.fts_headings, new.fts_body); END",
]


def _pg_text(column: str) -> str:
    # "UU 6/2011" would be one file-path token for the PostgreSQL parser: split digit/digit.
    return (f"to_tsvector('indonesian', regexp_replace(coalesce({column}, ''), "
            f"'([0-9])/([0-9])', '\\1 \\2', 'g'))")


POSTGRESQL_DDL = [
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    f"setweight({_pg_text('title')}, 'A') || setweight({_pg_text('laws')}, 'A') || "
    f"setweight({_pg_text('headings')}, 'B') || setweight({_pg_text('body')}, 'C')) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
]


def create_search_index(connection) -> None:
    """The dialect's full-text index over `search_documents` (which must exist)."""
    statements = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(
        connection.dialect.name, [])
    for statement in statements:
        connection.exec_driver_sql(statement)


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # "module:12", "glossary:tppo"
    kind: Mapped[str] = mapped_column(String(16), index=True)  # module, glossary, law
    module_id: Mapped[int | None] = mapped_column(Integer, index=True)
    course_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    laws: Mapped[str] = mapped_column(Text, default="")  # the legal references, "; " between
    headings: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, shown as the passage
    fts_title: Mapped[str] = mapped_column(Text, default="")
    fts_laws: Mapped[str] = mapped_column(Text, default="")
    fts_headings: Mapped[str] = mapped_column(Text, default="")
    fts_body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@sa.event.listens_for(SearchDocument.__table__, "after_create")
def _after_create(_table, connection, **_kw) -> None:
    create_search_index(connection)


@sa.event.listens_for(SearchDocument.__table__, "after_drop")
def _after_drop(_table, connection, **_kw) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_fts")


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's autogenerate: the full-text index is created by `create_search_index`, not by
    the models, so a new migration must never propose dropping it."""
    if type_ == "table" and (name or "").startswith("search_fts"):
        return False
    if type_ == "column" and name == "tsv" and getattr(obj, "table", None) is not None \
            and obj.table.name == "search_documents":
        return False
    return not (type_ == "index" and name == "ix_search_documents_tsv")
