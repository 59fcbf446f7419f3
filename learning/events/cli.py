"""`flask --app app events ...`: event reminders (cron, daily or hourly), office time zones and
course JP values, and the below-20-JP list."""
from __future__ import annotations

import sys
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from learning import clock
from learning.certificates.notify import EmailChannel
from learning.certificates.reminders import send_reminders
from learning.extensions import db
from learning.models import Course, Office, utcnow
from . import jp, zones
from .reminders import event_composer, plan_event_reminders

events_cli = AppGroup("events", help="Face-to-face training: reminders, time zones, JP.")


@events_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
def remind(dry_run: bool):
    """Send the day-before and missing-evaluation reminders, each exactly once."""
    now = utcnow()
    planned = plan_event_reminders(now)
    config = current_app.config
    with EmailChannel.from_config(config) as channel:
        report = send_reminders(planned, channel, event_composer(config), now, dry_run=dry_run,
                                stale_after=timedelta(minutes=30))
    verb = "would send" if dry_run else "sent"
    click.echo(f"event reminders planned: {report.planned}; {verb}: {report.sent}; sent before: "
               f"{report.already_sent}; opted out: {report.opted_out}; no address: "
               f"{report.no_address}; skipped: {report.skipped}; failed: {report.failed}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.failed:
        sys.exit(1)


@events_cli.command("office-zone")
@click.argument("office_code")
@click.argument("zone", type=click.Choice(["WIB", "WITA", "WIT"], case_sensitive=False))
def office_zone(office_code: str, zone: str):
    """Set the time zone an office works in (new events default to it)."""
    office = db.session.scalar(sa.select(Office).where(Office.code == office_code))
    if office is None:
        raise click.ClickException(f"no office with code {office_code}")
    before = office.timezone
    office.timezone = zones.zone_name(zone)
    db.session.commit()
    click.echo(f"{office.code}: {before or 'default'} -> {office.timezone}")


@events_cli.command("course-jp")
@click.argument("slug")
@click.argument("hours", type=click.IntRange(0, 100))
def course_jp(slug: str, hours: int):
    """Set the JP a course earns (printed on certificates issued from now on)."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise click.ClickException(f"no course with slug {slug}")
    before = course.jp
    course.jp = hours
    db.session.commit()
    click.echo(f"{course.slug}: {before} JP -> {hours} JP")


@events_cli.command("below")
@click.option("--year", type=int, default=None, help="Default: this year.")
def below(year: int | None):
    """Print officers below 20 JP (tab-separated: region, office, name, NIP, JP, lacking)."""
    year = year or clock.today().year
    lines = jp.below_target(year)
    for line in lines:
        click.echo("\t".join([line.region, line.office, line.name, line.nip, str(line.jp),
                              str(line.lacking)]))
    click.echo(f"{len(lines)} officer(s) below {jp.TARGET} JP in {year}", err=True)
