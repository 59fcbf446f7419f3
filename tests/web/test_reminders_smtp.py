"""`flask reminders send` against a real SMTP server (aiosmtpd on 127.0.0.1): each reminder
arrives exactly once, however often the job runs, even after a crash midway."""
import email
import email.policy
import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from learning.learner import progress
from learning.certificates.issuing import local_date
from learning.models import Assignment, Certificate, Course, ReminderLog, utcnow
from learning.certificates.notify import Channel, EmailChannel
from learning.certificates.messages import composer
from learning.certificates.reminders import plan_reminders, send_reminders

from ..factories import import_sample_curriculum, make_office, make_user


class Inbox:
    """An aiosmtpd handler that keeps every message; it can refuse some recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp(app, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SENDER", "Pimpasa Learning <noreply@pimpasa.test>")
    yield inbox
    controller.stop()


@pytest.fixture
def people(db):
    """Officers in every situation a reminder run meets, and two administrators."""
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    office = make_office()
    today = local_date(utcnow())
    mail = lambda name: f"{name}@example.test"  # noqa: E731
    p = {name: make_user(username=name, full_name=name.title(), office=office, email=mail(name))
         for name in ("ani", "budi", "citra", "dedi")}
    p["eko"] = make_user(username="eko", office=office)  # no e-mail address
    p["budi"].email_opt_out = True  # overdue is essential: still told
    p["citra"].email_opt_out = True  # due soon is not: not told
    p["admin"] = make_user(role="admin", username="admin", full_name="Admin", email=mail("admin"))
    p["admin2"] = make_user(role="admin", username="admin2", email=mail("admin2"),
                            email_opt_out=True)
    # the whole office has a distant deadline; the user-scope ones below are more specific
    db.session.add(Assignment(course_id=course.id, scope="office", office_id=office.id,
                              due_date=today + timedelta(days=40)))
    for name, days in (("ani", 3), ("budi", -2), ("citra", 2), ("dedi", 1), ("eko", 1)):
        db.session.add(Assignment(course_id=course.id, scope="user", user_id=p[name].id,
                                  due_date=today + timedelta(days=days)))
    for i, module in enumerate(course.live_modules):  # dedi is done and has a certificate...
        progress.complete_module(p["dedi"], module, utcnow() + timedelta(seconds=i))
    certificate = db.session.scalar(sa.select(Certificate))
    certificate.valid_until = today + timedelta(days=30)  # ...that lapses within 60 days
    db.session.commit()
    return p


EXPECTED = {"ani@example.test", "budi@example.test", "dedi@example.test", "admin@example.test"}


def subject(message) -> str:
    # Python folds a long Subject onto the next line and its parser keeps the fold's space
    return str(message["Subject"]).strip()


def recipients(inbox):
    return sorted(m["To"].addresses[0].addr_spec for m in inbox.messages)


def test_two_runs_deliver_each_reminder_exactly_once(runner, db, smtp, people):
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "sent: 4" in first.output and "opted out: 2" in first.output
    assert "no address: 1" in first.output
    second = runner.invoke(args=["reminders", "send"])
    assert second.exit_code == 0, second.output
    assert "sent: 0" in second.output and "sent before: 4" in second.output
    assert recipients(smtp) == sorted(EXPECTED)
    statuses = db.session.scalars(sa.select(ReminderLog.status)).all()
    assert sorted(statuses) == ["sent"] * 4


def test_messages_are_indonesian_text_and_html_and_opt_out_is_offered_when_allowed(
        runner, smtp, people):
    runner.invoke(args=["reminders", "send"])
    (due_soon,) = smtp.to("ani@example.test")
    assert subject(due_soon).startswith("Pengingat: kursus Kursus Contoh jatuh tempo")
    assert due_soon.get_content_type() == "multipart/alternative"
    text = due_soon.get_body(("plain",)).get_content()
    html = due_soon.get_body(("html",)).get_content()
    assert "Halo Ani," in text and "3 hari lagi" in text and "Kemajuan Anda: 0 dari 3 modul" in text
    assert "http://127.0.0.1:5000/courses/contoh/" in text
    assert '<html lang="id">' in html and "<p>Halo Ani,</p>" in html
    assert 'href="http://127.0.0.1:5000/courses/contoh/"' in html
    assert "/email/stop/" in due_soon["List-Unsubscribe"]
    assert due_soon["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    (overdue,) = smtp.to("budi@example.test")
    assert subject(overdue).startswith("Terlambat: kursus Kursus Contoh melewati tenggat")
    assert "2 hari yang lalu" in overdue.get_body(("plain",)).get_content()
    assert "wajib dikirim" in overdue.get_body(("plain",)).get_content()
    assert overdue["List-Unsubscribe"] is None

    (refresher,) = smtp.to("dedi@example.test")
    assert subject(refresher).startswith("Perlu penyegaran: sertifikat Kursus Contoh")

    (summary,) = smtp.to("admin@example.test")
    assert subject(summary).startswith("Ringkasan mingguan Pimpasa Learning, minggu ")
    summary_html = summary.get_body(("html",)).get_content()
    assert "<caption" in summary_html and "Terlambat" in summary_html
    summary_text = summary.get_body(("plain",)).get_content()
    row = "Kursus Contoh: Ditugaskan 5, Selesai 1, Terlambat 1, Jatuh tempo 7 hari 3"
    assert row in summary_text
    assert not smtp.to("citra@example.test") and not smtp.to("admin2@example.test")


class ProcessKilled(BaseException):
    """Stands for the process dying (kill -9, power cut): nothing after it runs."""


class DyingChannel(Channel):
    """The real e-mail channel, except that the process dies before the second message."""

    name = "email"

    def __init__(self, inner: EmailChannel):
        self.inner, self.sent = inner, 0

    def address_for(self, user):
        return self.inner.address_for(user)

    def send(self, message):
        if self.sent == 1:
            raise ProcessKilled()
        self.inner.send(message)
        self.sent += 1


def test_a_crash_midway_then_the_next_run_sends_the_rest_exactly_once(
        app, runner, db, smtp, people, monkeypatch):
    now = utcnow()
    today = local_date(now)
    planned = plan_reminders(now, today)
    with pytest.raises(ProcessKilled):
        send_reminders(planned, DyingChannel(EmailChannel.from_config(app.config)),
                       composer(today, app.config), now)
    db.session.rollback()
    assert len(smtp.messages) == 1
    assert sorted(db.session.scalars(sa.select(ReminderLog.status))) == ["sending", "sent"]
    monkeypatch.setitem(app.config, "REMINDER_STALE_MINUTES", 0)  # the crashed run is long gone
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "sent: 3" in result.output
    assert runner.invoke(args=["reminders", "send"]).exit_code == 0
    assert recipients(smtp) == sorted(EXPECTED)


def test_an_overlapping_run_leaves_a_freshly_claimed_reminder_alone(
        app, runner, db, smtp, people):
    now = utcnow()
    planned = plan_reminders(now, local_date(now))
    with pytest.raises(ProcessKilled):
        send_reminders(planned, DyingChannel(EmailChannel.from_config(app.config)),
                       composer(local_date(now), app.config), now)
    db.session.rollback()
    result = runner.invoke(args=["reminders", "send"])  # within 30 minutes: maybe still sending
    assert "sent: 2" in result.output and "skipped: 1" in result.output
    assert len(smtp.messages) == 3


def test_a_refused_message_is_reported_and_sent_on_a_later_run(runner, db, smtp, people):
    smtp.refuse.add("ani@example.test")
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 1 and "failed: 1" in first.output
    assert "ani@example.test" in first.output
    assert db.session.scalar(sa.select(ReminderLog.status).where(
        ReminderLog.address == "ani@example.test")) == "failed"
    smtp.refuse.clear()
    second = runner.invoke(args=["reminders", "send"])
    assert second.exit_code == 0 and "sent: 1" in second.output
    assert recipients(smtp) == sorted(EXPECTED)


def test_a_dry_run_sends_and_records_nothing(runner, db, smtp, people):
    result = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert result.exit_code == 0 and "would send: 4" in result.output
    assert smtp.messages == [] and db.session.scalar(sa.select(sa.func.count(ReminderLog.id))) == 0
    assert runner.invoke(args=["reminders", "send", "--today", "31-12-2026"]).exit_code == 2
