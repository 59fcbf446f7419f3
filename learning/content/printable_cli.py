"""`flask --app app content printables OUTDIR`: write every course's take-away PDFs.

Registration (in learning/cli.py, not done here): `content_cli.add_command(printables_command)`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from .curriculum import ContentErrors, read_curriculum
from .printable import PrintableTooLong, write_printables


@click.command("printables")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--path", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder holding courses/ and quizzes/ (default: the shipped curriculum).")
def printables_command(outdir: Path, root: Path | None):
    """Write <course>-ringkasan.pdf and <course>-sosialisasi.pdf for every course into OUTDIR."""
    root = root or Path(current_app.config["CONTENT_ROOT"])
    try:
        curriculum = read_curriculum(root)
        paths = write_printables(curriculum, outdir)
    except ContentErrors as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except PrintableTooLong as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for path in paths:
        click.echo(f"  {path} ({path.stat().st_size // 1024} KB)")
    click.echo(f"{len(paths)} PDF(s) written.")
