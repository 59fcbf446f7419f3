"""Sending a message to a person: one small interface, so another way of reaching officers (a
WhatsApp or SMS gateway) can be added beside e-mail without touching the reminder rules.

A channel knows two things: which address of a user it sends to (`address_for`) and how to send
one message (`send`, which raises DeliveryError when the message was certainly not accepted).
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr


class DeliveryError(Exception):
    """The channel could not hand the message over; it may be tried again later."""


@dataclass(frozen=True)
class Message:
    """What to say to whom: a subject, plain text, and simple HTML for channels that show it."""

    address: str
    name: str
    subject: str
    text: str
    html: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


class Channel:
    """The interface every way of reaching people implements."""

    name = "channel"

    def address_for(self, user) -> str | None:
        """Where this channel reaches `user`, or None when it cannot."""
        raise NotImplementedError

    def send(self, message: Message) -> None:
        """Deliver `message`; raise DeliveryError when it was not accepted."""
        raise NotImplementedError

    def close(self) -> None:
        """Release any connection held between messages."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class EmailChannel(Channel):
    """E-mail over SMTP (plain, STARTTLS or TLS), one connection reused for a batch."""

    name = "email"

    def __init__(self, host: str, port: int = 25, *, sender: str, username: str | None = None,
                 password: str | None = None, starttls: bool = False, use_ssl: bool = False,
                 timeout: float = 30.0):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.use_ssl, self.timeout = starttls, use_ssl, timeout
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls, config: Mapping) -> "EmailChannel":
        """From the MAIL_* settings (see learning/config.py and docs/deployment.md)."""
        return cls(config.get("MAIL_SERVER") or "localhost", int(config.get("MAIL_PORT") or 25),
                   sender=config.get("MAIL_SENDER") or "Pimpasa Learning <noreply@localhost>",
                   username=config.get("MAIL_USERNAME"), password=config.get("MAIL_PASSWORD"),
                   starttls=bool(config.get("MAIL_USE_TLS")),
                   use_ssl=bool(config.get("MAIL_USE_SSL")),
                   timeout=float(config.get("MAIL_TIMEOUT") or 30))

    def address_for(self, user) -> str | None:
        email = (getattr(user, "email", None) or "").strip()
        return email if "@" in parseaddr(email)[1] else None

    def build(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        name = " ".join((message.name or "").split())  # a header never carries a line break
        mail["To"] = formataddr((name, message.address)) if name else message.address
        mail["Subject"] = " ".join(message.subject.split())
        mail["Date"] = formatdate(localtime=False)
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        mail["Message-ID"] = make_msgid(domain=domain)
        for key, value in message.headers.items():
            mail[key] = value
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        return mail

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls(context=context)
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp

    def send(self, message: Message) -> None:
        try:
            Address(addr_spec=message.address)
        except (ValueError, IndexError, HeaderParseError) as exc:  # SMTP would refuse it
            raise DeliveryError(f"invalid address {message.address!r}") from exc
        mail = self.build(message)
        while True:
            reused = self._smtp is not None
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(mail)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if not reused:  # only a kept connection that timed out is worth one more try
                    raise DeliveryError(str(exc)) from exc
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise DeliveryError(str(exc)) from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None
