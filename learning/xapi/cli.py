"""`flask --app app xapi ...`: send the outbox to the LRS, replay history, show the outbox."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from learning.clock import app_timezone
from learning.extensions import db
from .outbox import LrsClient, outbox_state, send_due
from .recording import backfill

xapi_cli = AppGroup("xapi", help="xAPI statements for a learning record store (LRS).")


def send_and_report(client: LrsClient) -> bool:
    """Send what is due and print the figures; True when nothing failed."""
    report, pruned = send_due(client, current_app.config)
    state = outbox_state()
    click.echo(f"xAPI statements sent: {report.sent}; rejected: {report.rejected}; "
               f"waiting for a retry: {report.deferred}; still pending: {state.pending}; "
               f"sent long ago and removed from the outbox: {pruned}")
    for error in report.errors[:20]:
        click.echo(f"xapi error: {error}", err=True)
    return not report.errors


@xapi_cli.command("send")
def xapi_send():
    """Send every due statement to the LRS (each once; retried later when the LRS is down)."""
    client = LrsClient.from_config(current_app.config)
    if client is None:
        pending = outbox_state().pending
        click.echo(f"XAPI_ENDPOINT is not set: nothing recorded, nothing sent; statements "
                   f"pending: {pending} (docs/interoperability.md).")
        if pending:
            raise SystemExit(1)  # statements wait for an LRS that is no longer configured
        return
    if not send_and_report(client):
        raise SystemExit(1)


@xapi_cli.command("backfill")
@click.option("--since", "since_text", required=True, metavar="YYYY-MM-DD",
              help="Replay events from this day on (in the officers' time zone).")
def xapi_backfill(since_text: str):
    """Write the statements of past events into the outbox (those already there are kept)."""
    try:
        day = date.fromisoformat(since_text)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    since = datetime.combine(day, time(0), tzinfo=ZoneInfo(app_timezone())).astimezone(
        timezone.utc)
    built, stored = backfill(db.session.connection(), since)
    db.session.commit()
    click.echo(f"events since {day.isoformat()}: {built} statements; new in the outbox: "
               f"{stored}; already there: {built - stored}. Run `flask xapi send` to send them.")


@xapi_cli.command("status")
def xapi_status():
    """How many statements are pending, sent and rejected."""
    state = outbox_state()
    oldest = state.oldest_pending.isoformat(timespec="seconds") if state.oldest_pending else "-"
    click.echo(f"pending: {state.pending} (oldest {oldest}); sent: {state.sent}; "
               f"rejected: {state.rejected}")
