"""`flask --app app demo --officers N --seed S [--as-of YYYY-MM-DD] [--force]`: demo data.

See learning/demo.py for what is created and when the command refuses.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app

from learning import clock
from .generate import DemoRefused, generate_demo
from learning.extensions import db


@click.command("demo")
@click.option("--officers", type=click.IntRange(1, 1_000_000), default=500, show_default=True,
              help="How many demo officers to create.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed (and date) gives the same data.")
@click.option("--as-of", "as_of_text", default=None, metavar="YYYY-MM-DD",
              help="The day the history ends (default: today where the officers are).")
@click.option("--force", is_flag=True,
              help="Run even when real (non-demo, non-administrator) accounts exist.")
def demo_command(officers: int, seed: int, as_of_text: str | None, force: bool):
    """Fill the database with a realistic, repeatable demo data set."""
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else clock.today()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    config = current_app.config
    try:
        summary = generate_demo(officers, seed, as_of=as_of,
                                tz=clock.app_timezone(),
                                content_root=Path(config["CONTENT_ROOT"]), force=force,
                                progress=click.echo)
        db.session.commit()
    except DemoRefused as exc:
        db.session.rollback()
        raise click.ClickException(
            f"refused: the database has {exc.real_users} real account(s) (not administrators, "
            "not demo-...). Demo data would mix invented people into real reports. "
            "Use --force to add it anyway.") from None
    except BaseException:
        db.session.rollback()
        raise
    for line in summary.lines():
        click.echo(line)
