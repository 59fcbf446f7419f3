"""`flask --app app reports ...`: maintaining what the reports read."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from learning.extensions import db
from . import standing

reports_cli = AppGroup("reports", help="Maintain what the reports read.")


@reports_cli.command("rebuild")
def rebuild_standings_command():
    """Recompute every officer's course standing from progress and attempts (after a restore or
    a hand edit of the database; the app keeps it current by itself)."""
    rows = standing.rebuild()
    db.session.commit()
    click.echo(f"{rows} course standing row(s) rebuilt.")
