"""`flask --app app reminders send`: the daily job (cron) for certificates, refreshers, reminders.

One run, in order:
 1. issues certificates that are due but missing (completions made before an upgrade);
 2. opens the refresher of every lapsed certificate (the course is assigned again);
 3. e-mails the reminders that are due, each exactly once (see learning/reminders.py);
 4. sends the xAPI outbox to the LRS when XAPI_ENDPOINT is set (learning/xapi/outbox.py).
Exit status 1 when a message could not be delivered (cron then mails its output), else 0.
"""
from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from learning.clock import local_date
from learning.learner.completions import record_missing_completions

from .issuing import issue_missing_certificates
from learning.extensions import db
from learning.models import utcnow
from .notify import EmailChannel
from .refresher import apply_lapses
from .messages import composer
from .reminders import plan_reminders, send_reminders
from learning.xapi.outbox import LrsClient, send_due

reminders_cli = AppGroup("reminders", help="Certificates, refresher cycles and e-mail reminders.")


def setting(name: str, default: int) -> int:
    value = current_app.config.get(name)
    return default if value is None or value == "" else int(value)


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; change and send nothing.")
@click.option("--today", "today_text", default=None, metavar="YYYY-MM-DD",
              help="Plan as if it were this day (default: today where the officers are).")
def reminders_send(dry_run: bool, today_text: str | None):
    """Issue missing certificates, reassign lapsed courses, and send due reminders once."""
    config = current_app.config
    now = utcnow()
    try:
        today = date.fromisoformat(today_text) if today_text else local_date(now)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from None
    record_missing_completions(now)
    issued = issue_missing_certificates(now)
    lapsed = apply_lapses(now, today, grace_days=setting("REFRESHER_GRACE_DAYS", 30))
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"certificates issued: {len(issued)}; courses assigned again after a lapse: "
               f"{len(lapsed)}")
    planned = plan_reminders(now, today, due_days=setting("REMINDER_DUE_DAYS", 7),
                             notice_days=setting("REFRESHER_NOTICE_DAYS", 60))
    with EmailChannel.from_config(config) as channel:
        report = send_reminders(
            planned, channel, composer(today, config), now, dry_run=dry_run,
            stale_after=timedelta(minutes=setting("REMINDER_STALE_MINUTES", 30)),
            max_attempts=setting("REMINDER_MAX_ATTEMPTS", 3))
    verb = "would send" if dry_run else "sent"
    click.echo(f"reminders planned: {report.planned}; {verb}: {report.sent}; sent before: "
               f"{report.already_sent}; opted out: {report.opted_out}; no address: "
               f"{report.no_address}; skipped: {report.skipped}; failed: {report.failed}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    rejected = _send_xapi(config, dry_run)
    if report.failed or rejected:
        raise SystemExit(1)


def _send_xapi(config, dry_run: bool) -> int:
    """The xAPI outbox goes out with the daily job when an LRS is configured: the number of
    statements the LRS refused (a person must look); an unreachable LRS is retried next time."""
    client = LrsClient.from_config(config)
    if client is None or dry_run:
        return 0
    sent, _pruned = send_due(client, config)
    click.echo(f"xAPI statements sent: {sent.sent}; rejected: {sent.rejected}; waiting for a "
               f"retry: {sent.deferred}")
    for error in sent.errors[:20]:
        click.echo(f"xapi error: {error}", err=True)
    return sent.rejected
