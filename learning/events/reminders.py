"""Event reminders through the platform's exactly-once reminder machinery
(learning.certificates.reminders: a claimed, then sent, row in reminder_log per
(officer, topic, stage, period)).

* ``event_tomorrow``   an invited officer, the day before the event (the day in the event's zone);
* ``evaluation_due``   an officer who attended and has not evaluated, from the end of the event
                        for `evaluation_days` (7) days: one reminder per event.

Both are non-essential: an officer who opted out of reminder mail gets neither. The topic is
"event:<id>", so they never collide with course reminders.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from learning.certificates.messages import MailContent, preferences_token, url_builder
from learning.certificates.notify import Message
from learning.certificates.reminders import Recipient
from learning.extensions import db
from learning.models import (EventAttendance, EventEvaluationReceipt, EventInvite, TrainingEvent,
                             User)
from . import zones

EVENT_TOMORROW, EVALUATION_DUE = "event_tomorrow", "evaluation_due"


@dataclass(frozen=True)
class EventReminder:
    """Shaped like certificates.reminders.PlannedReminder, which send_reminders reads."""

    recipient: Recipient
    stage: str
    period_key: str
    event_id: int
    title: str
    when: str
    place: str
    course = None  # no course: reminder_log.course_id stays NULL
    essential = False

    @property
    def topic(self) -> str:
        return f"event:{self.event_id}"

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (self.recipient.id, self.topic, self.stage, self.period_key)


def _recipient(user: User) -> Recipient:
    return Recipient(id=user.id, name=user.full_name, email=user.email, locale=user.locale,
                     opted_out=bool(user.email_opt_out))


def _when(event: TrainingEvent) -> str:
    start = zones.local(event.starts_at, event.timezone)
    return (f"{start:%d-%m-%Y} {start:%H.%M}–{zones.local(event.ends_at, event.timezone):%H.%M} "
            f"{zones.label(event.timezone)}")


def plan_event_reminders(now: datetime, *, evaluation_days: int = 7) -> list[EventReminder]:
    planned: list[EventReminder] = []
    soon = db.session.scalars(sa.select(TrainingEvent).where(
        TrainingEvent.cancelled_at.is_(None), TrainingEvent.starts_at > now,
        TrainingEvent.starts_at <= now + timedelta(hours=48)).order_by(TrainingEvent.starts_at))
    for event in soon:
        day = zones.local(event.starts_at, event.timezone).date()
        if zones.local(now, event.timezone).date() != day - timedelta(days=1):
            continue
        users = db.session.scalars(sa.select(User).join(
            EventInvite, EventInvite.user_id == User.id).where(
            EventInvite.event_id == event.id, User.active.is_(True)).order_by(User.id))
        planned += [EventReminder(_recipient(u), EVENT_TOMORROW, day.isoformat(), event.id,
                                  event.title, _when(event), event.place) for u in users]
    ended = db.session.scalars(sa.select(TrainingEvent).where(
        TrainingEvent.cancelled_at.is_(None), TrainingEvent.ends_at <= now,
        TrainingEvent.ends_at > now - timedelta(days=evaluation_days))
        .order_by(TrainingEvent.ends_at))
    for event in ended:
        if not event.evaluation:
            continue
        done = sa.select(EventEvaluationReceipt.user_id).where(
            EventEvaluationReceipt.event_id == event.id)
        users = db.session.scalars(sa.select(User).join(
            EventAttendance, EventAttendance.user_id == User.id).where(
            EventAttendance.event_id == event.id, User.active.is_(True),
            User.id.not_in(done)).order_by(User.id))
        planned += [EventReminder(_recipient(u), EVALUATION_DUE, f"event-{event.id}", event.id,
                                  event.title, _when(event), event.place) for u in users]
    return planned


def compose_event_message(reminder: EventReminder, address: str, *, site_url: str,
                          secret_key: str) -> Message:
    url = url_builder(site_url)
    locale = reminder.recipient.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "id")
    with force_locale(locale):
        event_url = url("events.event", event_id=reminder.event_id)
        greeting = _("Halo %(name)s,", name=reminder.recipient.name)
        if reminder.stage == EVENT_TOMORROW:
            content = MailContent(
                subject=_("Besok: %(title)s", title=reminder.title), greeting=greeting,
                paragraphs=[_("Anda diundang ke kegiatan \"%(title)s\" pada %(when)s.",
                              title=reminder.title, when=reminder.when)]
                + ([_("Tempat: %(place)s.", place=reminder.place)] if reminder.place else [])
                + [_("Di lokasi, catat kehadiran dengan memindai kode QR yang ditampilkan "
                     "panitia.")],
                action_label=_("Buka halaman kegiatan"), action_url=event_url)
        else:
            content = MailContent(
                subject=_("Isi evaluasi: %(title)s", title=reminder.title), greeting=greeting,
                paragraphs=[_("Terima kasih sudah hadir di \"%(title)s\". Evaluasi Anda belum "
                              "kami terima; isinya disimpan tanpa nama.", title=reminder.title)],
                action_label=_("Isi evaluasi"),
                action_url=url("events.evaluate", event_id=reminder.event_id))
        stop_url = url("certificates.email_stop",
                       token=preferences_token(reminder.recipient.id, secret_key))
        content.footer = [_("Anda bisa berhenti menerima email pengingat yang tidak wajib:"),
                          stop_url]
        env = current_app.jinja_env
        context = {"content": content, "lang": str(locale)}
        text = env.get_template("mail/message.txt").render(context)
        html = env.get_template("mail/message.html").render(context)
    return Message(address=address, name=reminder.recipient.name, subject=content.subject,
                   text=text, html=html,
                   headers={"List-Unsubscribe": f"<{stop_url}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def event_composer(config):
    site_url, secret = config.get("SITE_URL") or "http://localhost", config["SECRET_KEY"]

    def compose(reminder: EventReminder, address: str) -> Message:
        return compose_event_message(reminder, address, site_url=site_url, secret_key=secret)
    return compose
