"""`flask --app app content import-gift | import-moodle-xml | import-aiken FILE --module c/m`
and `content export-gift | export-moodle-xml --module c/m`.

An import prints the report (each question: imported as what, what changed, what was lost or
refused, by file and line or XML path) and adds the questions to the module's quiz as a draft
revision. When something would be lost it stops at the report and writes nothing, unless the
trainer ran it with --accept-losses. Exit status: 0 written, 2 report only, 1 refused.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from learning.content.errors import ContentError
from learning.content.quiz_format import is_module_ref, parse_quiz
from learning.extensions import db
from .bank import (FORMAT_LABELS, ImportRefused, Plan, apply_import, find_module, image_checker,
                   image_storer, plan_import)
from .export import to_gift, to_moodle_xml
from .messages import english
from .model import BankError


def _fail(*lines: str) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    click.echo("nothing was imported.", err=True)
    sys.exit(1)


def _check_ready() -> None:
    """Stop with a sentence when the database is unreachable or not set up (a fresh install has
    no tables: the bootstrap creates them)."""
    try:
        ready = sa.inspect(db.session.connection()).has_table("modules")
    except sa.exc.SQLAlchemyError as exc:
        _fail(f"the database cannot be reached: {str(getattr(exc, 'orig', exc))[:200]}")
    if not ready:
        _fail(english("not_bootstrapped"))


def print_report(plan: Plan) -> None:
    for outcome in plan.conversion.outcomes:
        kind = outcome.question.type if outcome.question else "-"
        click.echo(f"{outcome.where}: {outcome.status} ({outcome.qtype} -> {kind})"
                   + (f" [{outcome.question.slug}]" if outcome.question else ""))
        for note in outcome.notes:
            click.echo(f"    {note.kind}: {note.where}: {english(note.code, note.params)}")
    for note in plan.conversion.file_notes:
        click.echo(f"{note.where}: {note.kind}: {english(note.code, note.params)}")
    f = plan.figures()
    click.echo(f"{f['total']} question(s) read: {f['imported']} importable ({f['kept']} unchanged, "
               f"{f['changed']} changed, {f['lost']} with something lost), {f['refused']} refused; "
               f"the quiz has {f['existing']} question(s) now.")


def _import(file: Path, module_ref: str, accept_losses: bool, fmt: str) -> None:
    _check_ready()
    if not is_module_ref(module_ref):
        _fail(f"--module '{module_ref}' must be '<course slug>/<module slug>'")
    module = find_module(module_ref)
    if module is None:
        _fail(english("no_module", {"module": module_ref}))
    data = file.read_bytes()
    try:
        plan = plan_import(module, data, str(file), fmt, image_checker())
        print_report(plan)
        if plan.needs_acceptance and not accept_losses and plan.imported:
            click.echo("preview only: nothing was written. Something above would be lost or "
                       "refused; run again with --accept-losses to import the rest.", err=True)
            sys.exit(2)
        root = current_app.config.get("MEDIA_ROOT")
        plan, quiz, revision = apply_import(module, data, str(file), None, fmt=fmt,
                                            accept_losses=accept_losses,
                                            store_image=image_storer(None, root))
        db.session.commit()
    except BankError as exc:
        db.session.rollback()
        _fail(*(f"{where}: {english(code, params)}" for where, code, params in exc.problems))
    except ImportRefused as exc:
        db.session.rollback()
        _fail(english(exc.code, exc.params))
    except ContentError as exc:
        db.session.rollback()
        _fail(str(exc))
    click.echo(f"quiz {quiz.slug}: {plan.imported} question(s) added as draft revision "
               f"{revision.number}; review and publish it in the studio.")


def _import_command(name: str, fmt: str, label: str):
    @click.command(name, help=f"Add the questions of a {label} file to MODULE's quiz as a draft "
                              "(report first; --accept-losses to import despite losses).")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--module", "module_ref", required=True, help="<course slug>/<module slug>")
    @click.option("--accept-losses", is_flag=True,
                  help="Import even though the report lists something lost or refused.")
    @with_appcontext
    def command(file: Path, module_ref: str, accept_losses: bool):
        _import(file, module_ref, accept_losses, fmt)
    return command


import_gift_command = _import_command("import-gift", "gift", "Moodle GIFT")
import_xml_command = _import_command("import-moodle-xml", "moodle_xml", "Moodle XML")
import_aiken_command = _import_command("import-aiken", "aiken", "Aiken")


def _export_command(name: str, writer, label: str):
    @click.command(name, help=f"Write MODULE's quiz as {label} (the published revision, or the "
                              "latest with --draft).")
    @click.option("--module", "module_ref", required=True, help="<course slug>/<module slug>")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="File to write (default: standard output).")
    @click.option("--draft", is_flag=True, help="Export the latest revision, even unpublished.")
    @with_appcontext
    def command(module_ref: str, output: Path | None, draft: bool):
        _check_ready()
        module = find_module(module_ref) if is_module_ref(module_ref) else None
        quiz = module.quiz if module is not None else None
        revision = None
        if quiz is not None:
            from learning.content.revisions import latest_quiz_revision

            revision = latest_quiz_revision(quiz) if draft else quiz.published_revision
        if revision is None:
            click.echo(f"error: module '{module_ref}' has no {'' if draft else 'published '}quiz",
                       err=True)
            sys.exit(1)
        text, left_out = writer(parse_quiz(revision.source, f"{module_ref}.md"))
        for slug, code in left_out:
            click.echo(f"not carried: {slug}: {english(code)}", err=True)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output} ({label}, revision {revision.number})", err=True)
    return command


export_gift_command = _export_command("export-gift", to_gift, "GIFT")
export_xml_command = _export_command("export-moodle-xml", to_moodle_xml, "Moodle XML")
COMMANDS = (import_gift_command, import_xml_command, import_aiken_command, export_gift_command,
            export_xml_command)
__all__ = ["COMMANDS", "FORMAT_LABELS"]
