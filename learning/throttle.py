"""Sign-in throttling that holds across gunicorn workers and app servers.

Each guess at a password (sign-in, and the current-password check when changing it) is counted
against two keys before the password is checked: the account (by user id, however it was named:
username or NIP) and the client's address. A key has a fixed window (15 minutes by default) and a
limit; the guess that takes a key over its limit is refused without checking the password, and
the officer is told when the window ends. A correct password gives its own count back, so people
who sign in often are never locked out; a refused guess gives its counts back too (it checked
nothing), so a locked account does not also lock its office's address.

The counters live where every worker and server sees them:

- Redis (`LOGIN_THROTTLE_STORAGE=redis://...`, or `RATELIMIT_STORAGE_URI` when it names Redis):
  `SET key 0 EX window NX` + `INCR` in one MULTI, so concurrent guesses on any server are counted
  exactly once each.
- The database otherwise (one office, several workers): an atomic upsert on `login_throttles` in
  the request's own transaction, committed by the view. Never per process.

If Redis does not answer, the database store takes over (and the error is logged): a throttle that
silently stopped counting would be worse than a slower one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from limits import parse

from .extensions import db
from .models import LoginThrottle, utcnow
from .models.base import UTCDateTime


@dataclass
class Verdict:
    """The outcome of counting one guess: allowed, or refused until `retry_after` seconds pass."""

    allowed: bool
    retry_after: int = 0
    counted: list[str] = field(default_factory=list)

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _limit(text: str) -> tuple[int, int]:
    """'5 per 15 minutes' -> (5, 900)."""
    item = parse(text)
    return item.amount, item.get_expiry()


class DatabaseStore:
    """Counters in `login_throttles`, changed in the current session's transaction."""

    name = "database"

    def hit(self, key: str, window: int) -> tuple[int, int]:
        now = utcnow()
        ends = now + timedelta(seconds=window)
        table = LoginThrottle.__table__
        dialect = db.session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        now_value = sa.literal(now, UTCDateTime())
        expired = table.c.window_ends <= now_value
        statement = insert(table).values(key=key, hits=1, window_ends=ends)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"hits": sa.case((expired, 1), else_=table.c.hits + 1),
                  "window_ends": sa.case((expired, sa.literal(ends, UTCDateTime())),
                                         else_=table.c.window_ends)},
        ).returning(table.c.hits, table.c.window_ends)
        hits, window_ends = db.session.execute(statement).one()
        return hits, _seconds_until(window_ends, now)

    def give_back(self, key: str) -> None:
        table = LoginThrottle.__table__
        db.session.execute(table.update().where(table.c.key == key, table.c.hits > 0)
                           .values(hits=table.c.hits - 1))


class RedisStore:
    """Counters in Redis under `prefix`, shared by every server that names the same Redis."""

    name = "redis"

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._give_back = self.client.register_script(
            "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end "
            "return 0")

    def hit(self, key: str, window: int) -> tuple[int, int]:
        name = self.prefix + key
        pipe = self.client.pipeline(transaction=True)
        pipe.set(name, 0, ex=window, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _, hits, ttl = pipe.execute()
        return int(hits), max(int(ttl), 1)

    def give_back(self, key: str) -> None:
        # Only while the window lives: a DECR on an expired key would leave -1 without expiry.
        self._give_back(keys=[self.prefix + key])


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


@lru_cache(maxsize=8)
def _redis_store(url: str, prefix: str) -> RedisStore:
    return RedisStore(url, prefix)


def storage_uri(config) -> str:
    """'database' or a redis:// URL: LOGIN_THROTTLE_STORAGE, else RATELIMIT_STORAGE_URI's Redis."""
    chosen = config.get("LOGIN_THROTTLE_STORAGE")
    if chosen:
        return chosen
    limiter_uri = config.get("RATELIMIT_STORAGE_URI") or ""
    return limiter_uri if limiter_uri.startswith(("redis://", "rediss://")) else "database"


def current_store():
    uri = storage_uri(current_app.config)
    if uri == "database":
        return DatabaseStore()
    return _redis_store(uri, current_app.config.get("LOGIN_THROTTLE_PREFIX", "pimpasa:throttle:"))


def _guarded(operation):
    """Run `operation(store)` on the configured store; on a Redis failure, on the database."""
    store = current_store()
    try:
        return operation(store)
    except Exception as exc:
        if isinstance(store, DatabaseStore):
            raise
        current_app.logger.error("sign-in throttle: Redis failed (%s); counting in the database",
                                 exc)
        return operation(DatabaseStore())


def account_key(user_id: int | None, identifier: str) -> str:
    """One key per account whatever it was called by; unknown names are counted by name."""
    if user_id is not None:
        return f"account:{user_id}"
    return "account-name:" + (identifier or "").strip().lower()[:150]


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")


def count_guess(keys: list[tuple[str, str]]) -> Verdict:
    """Count one password guess against each (key, limit text); refuse it if any is over."""

    def run(store) -> Verdict:
        verdict = Verdict(allowed=True)
        for key, limit_text in keys:
            amount, window = _limit(limit_text)
            hits, seconds_left = store.hit(key, window)
            verdict.counted.append(key)
            if hits > amount:
                verdict.allowed = False
                verdict.retry_after = max(verdict.retry_after, seconds_left)
        if not verdict.allowed:  # refused unchecked: it counts against nobody
            for key in verdict.counted:
                store.give_back(key)
            verdict.counted = []
        return verdict

    return _guarded(run)


def give_back(verdict: Verdict) -> None:
    """A correct password: its guess does not count against anyone."""

    def run(store) -> None:
        for key in verdict.counted:
            store.give_back(key)

    _guarded(run)

