"""Reminders: who is told what, and sending each reminder exactly once.

Who (planned fresh on every run from the database, so the job can run as often as cron likes):

* ``due_soon``  an officer's assigned course is due within `due_days` (7) and not complete;
* ``overdue``   an officer's assigned course is past its due date and not complete;
* ``refresher`` an officer's certificate lapses within `notice_days` (60): time to refresh;
* ``weekly_summary`` every administrator, once per ISO week: completion, overdue, certificates.

Which due date counts when several assignments cover the same officer and course: the most
specific assignment (user, then office, then region, then everyone), and among equals the newest.
So a refresher (a user-scope assignment made when a certificate lapses) replaces an old deadline.

Opting out (User.email_opt_out) stops every *non-essential* message. Essential: ``overdue``
only, because training the officer was told to finish is late and the service must be able to
reach them. Due-soon nudges, refresher notices and summaries are non-essential.

Exactly once. The key (user, topic, stage, period) is UNIQUE in reminder_log; the period is the
due date (or the certificate's valid_until, or the ISO week), so a new deadline is a new reminder.
Each reminder is *claimed* by inserting its row with status "sending" and committing BEFORE the
message goes out, then marked "sent" (or "failed") and committed after. A second run skips every
sent or freshly claimed row, so two runs, overlapping or not, send each reminder once. The one
trade-off is a crash between the mail server accepting a message and the "sent" commit: that row
stays "sending", and a run after `stale_after` (30 minutes) sends it again. We chose this
at-least-once side (at most `max_attempts` = 3 tries, so at worst a duplicate) over at-most-once,
because a lost overdue notice costs more than a repeated one. Failed deliveries are retried the
same way on later runs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from learning.extensions import db
from learning.admin.coverage import assigned_pairs
from learning.models import (Certificate,
    Course,
    CourseCompletion,
    Module,
    ModuleProgress,
    ReminderLog,
    User)
from .notify import Channel, DeliveryError

DUE_SOON, OVERDUE, REFRESHER, SUMMARY = "due_soon", "overdue", "refresher", "weekly_summary"
ESSENTIAL = frozenset({OVERDUE})
SENDING, SENT, FAILED = "sending", "sent", "failed"
SCOPE_RANK = {"user": 3, "office": 2, "region": 1, "all": 0}


@dataclass(frozen=True)
class Recipient:
    """Plain values copied from the user, so sending never reloads rows between commits."""

    id: int
    name: str
    email: str | None
    locale: str | None
    opted_out: bool


@dataclass(frozen=True)
class CourseLine:
    course_id: int
    slug: str
    title: str
    done: int = 0
    total: int = 0


@dataclass(frozen=True)
class PlannedReminder:
    recipient: Recipient
    stage: str
    period_key: str
    course: CourseLine | None = None
    due: date | None = None
    summary: "Summary | None" = None

    @property
    def essential(self) -> bool:
        return self.stage in ESSENTIAL

    @property
    def topic(self) -> str:
        return f"course:{self.course.course_id}" if self.course else "summary"

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (self.recipient.id, self.topic, self.stage, self.period_key)


@dataclass(frozen=True)
class SummaryRow:
    title: str
    assigned: int
    completed: int
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class Summary:
    week: str
    rows: list[SummaryRow]
    issued_this_week: int
    lapsing_soon: int
    notice_days: int = 60


# --------------------------------------------------------------------------- who is due

def _recipient(user: User) -> Recipient:
    return Recipient(id=user.id, name=user.full_name, email=user.email, locale=user.locale,
                     opted_out=bool(user.email_opt_out))


def effective_due_dates() -> dict[tuple[int, int], date]:
    """(officer id, course id) -> the due date that counts, for active officers and published
    courses: the same SQL the dashboard and the reports read (learning.admin.coverage), so a
    newcomer's own due date is the one they are reminded of."""
    pairs = assigned_pairs()
    return {(user_id, course_id): due for user_id, course_id, due in db.session.execute(
        sa.select(pairs.c.user_id, pairs.c.course_id, pairs.c.due_date)
        .where(pairs.c.due_date.is_not(None)))}


def _course_lines(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], CourseLine]:
    """Done and total live modules for each (user, course) pair, from two aggregate queries."""
    course_ids = {course_id for _, course_id in pairs}
    if not course_ids:
        return {}
    live = Module.is_live
    courses = {c.id: c for c in db.session.scalars(
        sa.select(Course).where(Course.id.in_(course_ids)))}
    totals = dict(db.session.execute(
        sa.select(Module.course_id, sa.func.count(Module.id))
        .where(Module.course_id.in_(course_ids), live).group_by(Module.course_id)).all())
    done = {(u, c): n for u, c, n in db.session.execute(
        sa.select(ModuleProgress.user_id, Module.course_id, sa.func.count(ModuleProgress.id))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(Module.course_id.in_(course_ids), live, ModuleProgress.is_done)
        .group_by(ModuleProgress.user_id, Module.course_id)).all()}
    # A completion once earned counts as complete (new material since is no reason to chase).
    earned = {(u, c) for u, c in db.session.execute(
        sa.select(CourseCompletion.user_id, CourseCompletion.course_id)
        .where(CourseCompletion.course_id.in_(course_ids), CourseCompletion.closed_at.is_(None)))}
    return {(u, c): CourseLine(c, courses[c].slug, courses[c].title,
                               totals.get(c, 0) if (u, c) in earned else done.get((u, c), 0),
                               totals.get(c, 0))
            for u, c in pairs if c in courses}


def _complete(line: CourseLine) -> bool:
    return line.total > 0 and line.done >= line.total


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def plan_reminders(now: datetime, today: date, *, due_days: int = 7,
                   notice_days: int = 60) -> list[PlannedReminder]:
    """Every reminder that should exist today (sent already or not: sending filters)."""
    due_dates = effective_due_dates()
    lines = _course_lines(set(due_dates))
    users = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.active.is_(True)))}
    planned: list[PlannedReminder] = []
    summary_rows: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (user_id, course_id), due in sorted(due_dates.items(), key=lambda kv: (kv[1], kv[0])):
        line = lines.get((user_id, course_id))
        if line is None or line.total == 0:
            continue
        counts = summary_rows[course_id]
        counts[0] += 1
        if _complete(line):
            counts[1] += 1
            continue
        stage = OVERDUE if due < today else DUE_SOON if due <= today + timedelta(days=due_days) \
            else None
        if stage is None:
            continue
        counts[2 if stage == OVERDUE else 3] += 1
        planned.append(PlannedReminder(_recipient(users[user_id]), stage, due.isoformat(),
                                       course=line, due=due))
    lapsing = list(db.session.scalars(
        sa.select(Certificate).join(Course, Course.id == Certificate.course_id)
        .where(Certificate.revoked_at.is_(None), Certificate.refresher_opened_at.is_(None),
               Certificate.valid_until.is_not(None), Certificate.valid_until >= today,
               Certificate.valid_until <= today + timedelta(days=notice_days),
               Course.published.is_(True))
        .order_by(Certificate.valid_until)))
    for certificate in lapsing:
        user = users.get(certificate.user_id)
        if user is not None and user.is_officer:
            course = certificate.course
            planned.append(PlannedReminder(
                _recipient(user), REFRESHER, certificate.valid_until.isoformat(),
                course=CourseLine(course.id, course.slug, course.title),
                due=certificate.valid_until))
    titles = dict(db.session.execute(sa.select(Course.id, Course.title)
                                     .where(Course.id.in_(list(summary_rows) or [0]))).all())
    week_start = now - timedelta(days=7)
    summary = Summary(
        week=iso_week(today),
        rows=[SummaryRow(titles[c], *counts) for c, counts in
              sorted(summary_rows.items(), key=lambda kv: titles.get(kv[0], ""))],
        issued_this_week=db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
            Certificate.issued_at >= week_start)) or 0,
        lapsing_soon=len(lapsing), notice_days=notice_days)
    for admin in sorted((u for u in users.values() if u.is_admin), key=lambda u: u.id):
        planned.append(PlannedReminder(_recipient(admin), SUMMARY, summary.week, summary=summary))
    return planned


# --------------------------------------------------------------------------- sending once

@dataclass
class SendReport:
    planned: int = 0
    sent: int = 0
    already_sent: int = 0
    skipped: int = 0  # being sent by another run, or out of attempts
    opted_out: int = 0
    no_address: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _insert_ignoring_duplicates(values: dict):
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(ReminderLog).values(**values).on_conflict_do_nothing(
        index_elements=["user_id", "topic", "stage", "period_key"])


def _claim(reminder: PlannedReminder, channel: Channel, address: str, now: datetime,
           stale_after: timedelta, max_attempts: int) -> tuple[int | None, str]:
    """Claim the reminder in its own committed transaction. Returns (log id, "") when this run
    must send it, else (None, why): "sent", "in_progress" or "exhausted"."""
    user_id, topic, stage, period = reminder.key
    claimed = db.session.execute(_insert_ignoring_duplicates(dict(
        user_id=user_id, course_id=reminder.course.course_id if reminder.course else None,
        topic=topic, stage=stage, period_key=period, channel=channel.name, address=address,
        status=SENDING, attempts=1, claimed_at=now, error="")).returning(ReminderLog.id)).scalar()
    db.session.commit()
    if claimed is not None:
        return claimed, ""
    row = db.session.execute(sa.select(ReminderLog.id, ReminderLog.status, ReminderLog.attempts,
                                       ReminderLog.claimed_at).where(
        ReminderLog.user_id == user_id, ReminderLog.topic == topic, ReminderLog.stage == stage,
        ReminderLog.period_key == period)).one()
    db.session.commit()
    if row.status == SENT:
        return None, "sent"
    if row.attempts >= max_attempts:
        return None, "exhausted"
    if row.status == SENDING and row.claimed_at > now - stale_after:
        return None, "in_progress"  # another run is sending it right now
    retried = db.session.execute(
        sa.update(ReminderLog)
        .where(ReminderLog.id == row.id, ReminderLog.status == row.status,
               ReminderLog.attempts == row.attempts)
        .values(status=SENDING, attempts=row.attempts + 1, claimed_at=now, address=address)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return (row.id, "") if retried else (None, "in_progress")


def _finish(log_id: int, status: str, now: datetime, error: str = "") -> None:
    db.session.execute(sa.update(ReminderLog).where(ReminderLog.id == log_id).values(
        status=status, sent_at=now if status == SENT else None, error=error[:2000])
        .execution_options(synchronize_session=False))
    db.session.commit()


def send_reminders(planned: list[PlannedReminder], channel: Channel, compose, now: datetime, *,
                   stale_after: timedelta = timedelta(minutes=30), max_attempts: int = 3,
                   dry_run: bool = False) -> SendReport:
    """Send each planned reminder once (see the module docstring). `compose(reminder, address)`
    returns the notify.Message. Commits after every claim and every send."""
    report = SendReport(planned=len(planned))
    db.session.commit()  # start clean: nothing of the planning stays pending
    for reminder in planned:
        if reminder.recipient.opted_out and not reminder.essential:
            report.opted_out += 1
            continue
        address = channel.address_for(reminder.recipient)
        if not address:
            report.no_address += 1
            continue
        message = compose(reminder, address)
        if dry_run:
            report.sent += 1
            continue
        log_id, why = _claim(reminder, channel, address, now, stale_after, max_attempts)
        if log_id is None:
            if why == "sent":
                report.already_sent += 1
            else:
                report.skipped += 1
            continue
        try:
            channel.send(message)
        except DeliveryError as exc:
            _finish(log_id, FAILED, now, str(exc))
            report.failed += 1
            report.errors.append(f"{address}: {exc}")
            continue
        _finish(log_id, SENT, now)
        report.sent += 1
    return report
