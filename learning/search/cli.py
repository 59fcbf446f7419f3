"""`flask search rebuild`: index every live module, law and glossary term from scratch."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from learning.content.glossary import GLOSSARY_FILE, read_glossary
from learning.extensions import db
from .indexing import rebuild

search_cli = AppGroup("search", help="The search index of modules, glossary terms and laws.")


def shipped_glossary(root: Path):
    courses = Path(root) / "courses"
    return read_glossary(courses) if (courses / GLOSSARY_FILE).exists() else None


@search_cli.command("rebuild")
def rebuild_command():
    """Rebuild the whole index (it is otherwise kept current on every publish)."""
    glossary = shipped_glossary(Path(current_app.config["CONTENT_ROOT"]))
    count = rebuild(db.session.connection(), glossary)
    db.session.commit()
    click.echo(f"indexed {count} documents")
