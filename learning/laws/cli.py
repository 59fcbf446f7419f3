"""`flask laws import [PATH]`: import the register of laws (laws/*.md), never overwriting an entry
a trainer edited in the studio since; `flask laws list`: the register and what cites each law."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from learning.content.errors import ContentError
from learning.extensions import db
from learning.models import Law
from .history import apply_changes, read_changes
from .register import REGISTER_DIR, import_register, read_register, register_folder

laws_cli = AppGroup("laws", help="The register of laws.")


def import_laws(root: Path | None, actor=None):
    """Read and apply the register at `root/laws` (or the shipped one). Adds and flushes."""
    return import_register(read_register(register_folder(root)), actor)


@laws_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def import_command(path: Path | None):
    """Import the register under PATH/laws (default: the shipped register)."""
    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        report = import_laws(root)
    except ContentError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}, "
               f"unchanged {len(report.unchanged)}, kept (edited in the studio) {len(report.kept)}")
    for key in report.kept:
        click.echo(f"  = {key}: edited in the studio, not overwritten")


def apply_change_files(root: Path):
    """Record the changes in `root/laws/changes/` not recorded yet (only a curriculum folder with
    a register of its own has them). Adds and flushes; returns the changes recorded."""
    folder = Path(root) / REGISTER_DIR
    return apply_changes(read_changes(folder)) if folder.is_dir() else []


@laws_cli.command("apply-changes")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def apply_changes_command(path: Path | None):
    """Record the law changes kept in PATH/laws/changes/ (default: the shipped ones), opening
    their review tasks; a change already recorded is skipped."""
    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        recorded = apply_change_files(root)
    except ContentError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"recorded {len(recorded)} change(s)")
    for change in recorded:
        click.echo(f"  + {change.law.citation} {change.article} ({change.changed_on}): "
                   f"{len(change.reviews)} review task(s) opened")


@laws_cli.command("list")
def list_command():
    """Print the register: citation, status, title."""
    for law in db.session.scalars(sa.select(Law).order_by(Law.citation)):
        click.echo(f"{law.citation:<40} {law.status:<8} {law.title}")
