"""Sending the outbox to the LRS: in batches, each statement exactly once, retried with backoff.

A run claims the due statements (pending, next attempt due, not claimed by a live run) by
writing its own claim token on them and committing, so two runs at once (cron and a person)
never send the same statement twice. It then POSTs each batch to <XAPI_ENDPOINT>/statements
with HTTP basic authentication and `X-Experience-API-Version: 1.0.3`:

  * 200 or 204: every statement of the batch is marked sent;
  * 400 or 422 (the LRS refuses a statement): the batch is split, statements are sent one by
    one and the refused one is marked rejected with the LRS's answer (kept, shown by
    `flask xapi status`); 409 for one statement (the LRS holds a different statement under
    that id) is a rejection too;
  * no answer, a timeout, 401/403, 408, 429 or a 5xx: nothing is marked sent; the attempt is
    counted and the statement waits 1, 2, 4 ... minutes (at most 6 hours) before the next try.

The statement ids are fixed when the statement is written, and an LRS keeps one statement per
id (xAPI 1.0.3, 2.2), so even a batch whose answer was lost in the network and is sent again is
stored once.
"""
from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib import error as urlerror
from urllib import request as urlrequest

import sqlalchemy as sa

from learning.extensions import db
from learning.models import XapiStatement, utcnow
from learning.models.xapi import PENDING, REJECTED, SENT

VERSION = "1.0.3"
MAX_BACKOFF = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)
# The LRS refuses the content (400; 422 from Ralph, 409 a different statement under the id,
# 413 too large): the batch is split and the refused statement kept as rejected.
REFUSED = (400, 409, 413, 422)


class LrsUnavailable(RuntimeError):
    """The LRS could not be reached or did not accept the request for now: retry later."""


class LrsRejected(ValueError):
    """The LRS refused the statement(s) as they are: retrying the same thing will not help."""


@dataclass
class LrsClient:
    endpoint: str
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config) -> "LrsClient | None":
        endpoint = (config.get("XAPI_ENDPOINT") or "").strip()
        if not endpoint:
            return None
        return cls(endpoint=endpoint.rstrip("/"), username=config.get("XAPI_USERNAME") or "",
                   password=config.get("XAPI_PASSWORD") or "",
                   timeout=float(config.get("XAPI_TIMEOUT") or 10))

    def _request(self, method: str, path: str, body: bytes | None = None):
        headers = {"X-Experience-API-Version": VERSION, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.username or self.password:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return urlrequest.Request(self.endpoint + path, data=body, method=method,
                                  headers=headers)

    def post_statements(self, statements: list[dict]) -> None:
        body = json.dumps(statements, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            with urlrequest.urlopen(self._request("POST", "/statements", body),
                                    timeout=self.timeout) as response:
                response.read()
        except urlerror.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            if exc.code in REFUSED:
                raise LrsRejected(f"HTTP {exc.code}: {detail}") from exc
            raise LrsUnavailable(f"HTTP {exc.code}: {detail}") from exc
        except (urlerror.URLError, OSError) as exc:  # refused, reset, timed out, DNS
            raise LrsUnavailable(str(getattr(exc, "reason", exc))) from exc

    def get_statements(self, **params) -> dict:
        """GET /statements (for checks and tests): the StatementResult."""
        query = "&".join(f"{k}={v}" for k, v in params.items())
        with urlrequest.urlopen(self._request("GET", "/statements" + (f"?{query}" if query
                                                                       else "")),
                                timeout=self.timeout) as response:
            return json.loads(response.read())


@dataclass
class SendReport:
    sent: int = 0
    rejected: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(now: datetime, limit: int) -> tuple[str, list[int]]:
    token = str(uuid.uuid4())
    due = (sa.select(XapiStatement.id)
           .where(XapiStatement.status == PENDING, XapiStatement.next_attempt_at <= now,
                  sa.or_(XapiStatement.claimed_by.is_(None),
                         XapiStatement.claimed_at < now - STALE_CLAIM))
           .order_by(XapiStatement.id).limit(limit))
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            sa.update(XapiStatement)
            .where(XapiStatement.id.in_(ids), XapiStatement.status == PENDING,
                   sa.or_(XapiStatement.claimed_by.is_(None),
                          XapiStatement.claimed_at < now - STALE_CLAIM))
            .values(claimed_by=token, claimed_at=now))
    db.session.commit()
    return token, ids


def _settle(rows: list[XapiStatement], status: str, now: datetime, error: str = "") -> None:
    for row in rows:
        row.claimed_by, row.claimed_at = None, None
        if status == SENT:
            row.status, row.sent_at, row.attempts = SENT, now, row.attempts + 1
        elif status == REJECTED:
            row.status, row.attempts, row.last_error = REJECTED, row.attempts + 1, error[:2000]
        else:
            row.attempts += 1
            row.last_error = error[:2000]
            row.next_attempt_at = now + backoff(row.attempts)


def _send_batch(client: LrsClient, rows: list[XapiStatement], now: datetime,
                report: SendReport) -> bool:
    """Send one batch; False when the LRS is unavailable (stop this run)."""
    try:
        client.post_statements([row.statement for row in rows])
    except LrsUnavailable as exc:
        _settle(rows, PENDING, now, str(exc))
        report.deferred += len(rows)
        report.errors.append(str(exc))
        return False
    except LrsRejected as exc:
        if len(rows) == 1:
            _settle(rows, REJECTED, now, str(exc))
            report.rejected += 1
            report.errors.append(f"{rows[0].statement_id} rejected: {exc}")
            return True
        for row in rows:  # find the statement the LRS refuses; the others go through
            if not _send_batch(client, [row], now, report):
                rest = [r for r in rows if r.claimed_by is not None and r is not row]
                _settle(rest, PENDING, now, str(exc))
                report.deferred += len(rest)
                return False
        return True
    _settle(rows, SENT, now)
    report.sent += len(rows)
    return True


def send_pending(client: LrsClient, now: datetime | None = None, batch: int = 50,
                 max_batches: int = 1000) -> SendReport:
    """Send every due statement, batch by batch, committing after each batch."""
    report = SendReport()
    for _ in range(max_batches):
        now_batch = now or utcnow()
        token, ids = _claim(now_batch, batch)
        if not ids:
            break
        rows = list(db.session.scalars(sa.select(XapiStatement).where(
            XapiStatement.claimed_by == token).order_by(XapiStatement.id)))
        going_on = _send_batch(client, rows, now_batch, report)
        db.session.commit()
        if not going_on or len(ids) < batch:
            break
    return report


def prune_sent(before: datetime) -> int:
    """Delete statements the LRS accepted before `before`: the LRS holds them now. (A backfill
    over that period writes them again, and the LRS keeps one per id, so nothing doubles.)"""
    result = db.session.execute(sa.delete(XapiStatement).where(
        XapiStatement.status == SENT, XapiStatement.sent_at < before))
    db.session.commit()
    return result.rowcount or 0


def send_due(client: LrsClient, config) -> tuple[SendReport, int]:
    """What a run does (the daily job, `flask xapi send`): send what is due, then prune what
    was sent more than XAPI_KEEP_SENT_DAYS (90) days ago. (report, statements pruned)"""
    report = send_pending(client, batch=int(config.get("XAPI_BATCH") or 50))
    keep = int(config.get("XAPI_KEEP_SENT_DAYS") or 90)
    return report, prune_sent(utcnow() - timedelta(days=keep))


@dataclass(frozen=True)
class OutboxState:
    pending: int
    sent: int
    rejected: int
    oldest_pending: datetime | None


def outbox_state() -> OutboxState:
    counts = dict(db.session.execute(sa.select(XapiStatement.status, sa.func.count())
                                     .group_by(XapiStatement.status)).all())
    oldest = db.session.scalar(sa.select(sa.func.min(XapiStatement.created_at))
                               .where(XapiStatement.status == PENDING))
    return OutboxState(counts.get(PENDING, 0), counts.get(SENT, 0), counts.get(REJECTED, 0),
                       oldest)
