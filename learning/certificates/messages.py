"""The words of each reminder, in the recipient's language (Bahasa Indonesia first), as plain text
plus simple HTML, and the signed link that lets anyone stop non-essential mail in one click.

Messages are rendered with the app's Jinja environment directly (templates/mail/message.txt and
.html), not render_template: no request exists when cron runs `flask reminders send`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, format_date, gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from .notify import Message
from .reminders import DUE_SOON, OVERDUE, SUMMARY, PlannedReminder

PREFERENCES_SALT = "email-preferences"


def preferences_token(user_id: int, secret_key: str) -> str:
    """A link token naming the user, signed with the site's secret: it never expires, as
    unsubscribe links in old mails must keep working."""
    return URLSafeSerializer(secret_key, salt=PREFERENCES_SALT).dumps(user_id)


def user_id_from_token(token: str, secret_key: str) -> int | None:
    try:
        value = URLSafeSerializer(secret_key, salt=PREFERENCES_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def url_builder(site_url: str) -> Callable[..., str]:
    """url_for without a request: absolute URLs under SITE_URL."""
    parts = urlsplit(site_url or "http://localhost")
    adapter = current_app.url_map.bind(parts.netloc or "localhost", script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")

    def build(endpoint: str, **values) -> str:
        return adapter.build(endpoint, values, force_external=True)
    return build


@dataclass
class MailTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class MailContent:
    subject: str
    greeting: str
    paragraphs: list[str]
    action_label: str = ""
    action_url: str = ""
    table: MailTable | None = None
    footer: list[str] = field(default_factory=list)


def _long_date(day: date) -> str:
    return format_date(day, "long")


def _course_reminder(reminder: PlannedReminder, today: date, url) -> MailContent:
    line, due = reminder.course, reminder.due
    course_url = url("learner.course", course_slug=line.slug)
    greeting = _("Halo %(name)s,", name=reminder.recipient.name)
    if reminder.stage == OVERDUE:
        days = (today - due).days
        return MailContent(
            subject=_("Terlambat: kursus %(course)s melewati tenggat %(date)s",
                      course=line.title, date=_long_date(due)),
            greeting=greeting,
            paragraphs=[
                _("Kursus \"%(course)s\" yang ditugaskan kepada Anda melewati tenggat pada "
                  "%(date)s (%(days)s hari yang lalu).", course=line.title,
                  date=_long_date(due), days=days),
                _("Kemajuan Anda: %(done)s dari %(total)s modul. Selesaikan kursus ini secepatnya.",
                  done=line.done, total=line.total)],
            action_label=_("Lanjutkan kursus"), action_url=course_url)
    if reminder.stage == DUE_SOON:
        days = (due - today).days
        when = _("hari ini") if days == 0 else _("%(days)s hari lagi", days=days)
        return MailContent(
            subject=_("Pengingat: kursus %(course)s jatuh tempo %(date)s",
                      course=line.title, date=_long_date(due)),
            greeting=greeting,
            paragraphs=[
                _("Kursus \"%(course)s\" yang ditugaskan kepada Anda jatuh tempo pada %(date)s "
                  "(%(when)s).", course=line.title, date=_long_date(due), when=when),
                _("Kemajuan Anda: %(done)s dari %(total)s modul.", done=line.done,
                  total=line.total)],
            action_label=_("Lanjutkan kursus"), action_url=course_url)
    return MailContent(  # REFRESHER
        subject=_("Perlu penyegaran: sertifikat %(course)s berlaku sampai %(date)s",
                  course=line.title, date=_long_date(due)),
        greeting=greeting,
        paragraphs=[
            _("Sertifikat Anda untuk kursus \"%(course)s\" berlaku sampai %(date)s.",
              course=line.title, date=_long_date(due)),
            _("Setelah tanggal itu kursus ini ditugaskan lagi kepada Anda. Anda bisa memulai "
              "penyegaran sekarang dari halaman Kursus Saya.")],
        action_label=_("Buka Kursus Saya"), action_url=url("learner.dashboard"))


def _summary(reminder: PlannedReminder, url) -> MailContent:
    summary = reminder.summary
    rows = [[row.title, str(row.assigned), str(row.completed), str(row.overdue),
             str(row.due_soon)] for row in summary.rows]
    paragraphs = [
        _("Ringkasan pelatihan minggu %(week)s.", week=summary.week),
        _("Sertifikat terbit dalam 7 hari terakhir: %(n)s. Sertifikat yang akan habis masa "
          "berlakunya dalam %(days)s hari: %(m)s.", n=summary.issued_this_week,
          days=summary.notice_days, m=summary.lapsing_soon)]
    if not rows:
        paragraphs.append(_("Belum ada kursus yang ditugaskan dengan tenggat."))
    reports = "reports.index"
    return MailContent(
        subject=_("Ringkasan mingguan Pimpasa Learning, minggu %(week)s", week=summary.week),
        greeting=_("Halo %(name)s,", name=reminder.recipient.name),
        paragraphs=paragraphs,
        table=MailTable(caption=_("Penugasan per kursus"),
                        headers=[_("Kursus"), _("Ditugaskan"), _("Selesai"), _("Terlambat"),
                                 _("Jatuh tempo 7 hari")], rows=rows) if rows else None,
        action_label=_("Buka laporan"), action_url=url(reports))


def compose_message(reminder: PlannedReminder, address: str, today: date, *, site_url: str,
                    secret_key: str) -> Message:
    """The message for one planned reminder, in the recipient's language."""
    url = url_builder(site_url)
    locale = reminder.recipient.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "id")
    with force_locale(locale):
        if reminder.stage == SUMMARY:
            content = _summary(reminder, url)
        else:
            content = _course_reminder(reminder, today, url)
        headers: Mapping[str, str] = {}
        if reminder.essential:
            content.footer = [_("Email ini wajib dikirim karena kursus yang ditugaskan kepada Anda "
                                "sudah melewati tenggat.")]
        else:
            stop_url = url("certificates.email_stop",
                           token=preferences_token(reminder.recipient.id, secret_key))
            content.footer = [_("Anda bisa berhenti menerima email pengingat yang tidak wajib:"),
                              stop_url]
            headers = {"List-Unsubscribe": f"<{stop_url}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        env = current_app.jinja_env
        context = {"content": content, "lang": str(locale)}
        text = env.get_template("mail/message.txt").render(context)
        html = env.get_template("mail/message.html").render(context)
    return Message(address=address, name=reminder.recipient.name, subject=content.subject,
                   text=text, html=html, headers=dict(headers))


def composer(today: date, config: Mapping) -> Callable[[PlannedReminder, str], Message]:
    site_url, secret = config.get("SITE_URL") or "http://localhost", config["SECRET_KEY"]

    def compose(reminder: PlannedReminder, address: str) -> Message:
        return compose_message(reminder, address, today, site_url=site_url, secret_key=secret)
    return compose
