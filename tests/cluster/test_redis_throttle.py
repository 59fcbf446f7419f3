"""The sign-in throttle in Redis: exact under concurrency, shared by every app that names the same
Redis, and never silently off when Redis is down (the database counts instead)."""
from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time

import pytest
import redis

from learning import create_app
from learning.extensions import db as _db
from learning.models import LoginThrottle
from learning.throttle import RedisStore

from ..factories import PASSWORD, login, make_user

from .conftest import port_block


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory, worker_id):
    port = port_block(worker_id) + 5
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
                               str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(workdir)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.STDOUT)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def test_fifty_hits_at_once_are_counted_exactly_once_each(redis_url):
    store = RedisStore(redis_url, "uji-serentak:")
    results, barrier = [], threading.Barrier(50)

    def hit():
        barrier.wait()
        results.append(store.hit("account:7", 900))

    threads = [threading.Thread(target=hit) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(hits for hits, _ in results) == list(range(1, 51))
    assert all(0 < ttl <= 900 for _, ttl in results)


def test_giving_back_after_the_window_ended_leaves_no_counter(redis_url):
    store = RedisStore(redis_url, "uji-habis:")
    store.hit("account:8", 1)
    time.sleep(1.2)
    store.give_back("account:8")
    assert store.client.get("uji-habis:account:8") is None
    assert store.hit("account:8", 900)[0] == 1


def _apps(database_url, storage, count=2):
    return [create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                        "LOGIN_THROTTLE_STORAGE": storage,
                        "LOGIN_THROTTLE_PREFIX": f"uji-{time.time_ns()}:"}) for _ in range(count)]


def test_two_servers_on_one_redis_lock_the_account_at_the_sixth_guess(app, database_url, redis_url):
    make_user(username="sari", nip="199001012015012001")
    first, second = _apps(database_url, redis_url)
    second.config["LOGIN_THROTTLE_PREFIX"] = first.config["LOGIN_THROTTLE_PREFIX"]
    clients = [first.test_client(), second.test_client()]
    for n in range(5):
        identifier = "sari" if n % 2 else "199001012015012001"
        assert login(clients[n % 2], identifier, "tebak-tebakan-1").status_code == 401
    for client in clients:
        assert login(client, "sari", PASSWORD).status_code == 429
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(LoginThrottle)) == 0


def test_when_redis_is_down_the_database_counts_and_the_error_is_logged(app, database_url, caplog,
                                                                        worker_id):
    make_user(username="sari")
    nobody = port_block(worker_id) + 6  # no Redis listens here
    (down,) = _apps(database_url, f"redis://127.0.0.1:{nobody}/0", count=1)
    client = down.test_client()
    with caplog.at_level(logging.ERROR):
        for _ in range(5):
            assert login(client, "sari", "tebak-tebakan-1").status_code == 401
        assert login(client, "sari", PASSWORD).status_code == 429
    assert any("Redis failed" in r.getMessage() for r in caplog.records)
    assert _db.session.scalar(_db.select(_db.func.max(LoginThrottle.hits))) == 5
