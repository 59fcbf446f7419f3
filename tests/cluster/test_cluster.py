"""Three app servers behind nginx on one PostgreSQL and Redis: started together, shared state,
throttling across servers, logs, stalled clients, and an app server killed under load."""
from __future__ import annotations

import io
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from PIL import Image as PILImage

from bench.cluster_load import cluster_app, live_modules, make_officers, run_load
from bench.slow_clients import Stalled, measure_healthz
from bench.tables import percentile

from .browsers import browser, sign_in_status


def test_three_servers_started_at_once_migrate_and_import_once(cluster):
    logs = [cluster.log_text(s.index) for s in cluster.app_servers]
    everything = "\n".join(logs)
    assert everything.count("Running upgrade  -> 7949a0e80819") == 1
    assert everything.count("Curriculum import: ") == 1
    assert everything.count("First administrator created") == 1
    assert everything.count("migration lock taken") == 3
    assert "UniqueViolation" not in everything and "Traceback" not in everything
    for server in cluster.app_servers:
        assert browser(server.url).get("/healthz").status == 200
    assert browser(cluster.url).get("/healthz").status == 200


def test_gunicorn_writes_an_access_line_and_the_app_a_request_line_per_request(cluster):
    server = cluster.app_servers[0]
    ids = [f"uji-akses-{n:04d}-abcdef" for n in range(5)]
    b = browser(server.url)
    for request_id in ids:
        assert b.request("GET", "/login", headers={"X-Request-Id": request_id}).status == 200
    time.sleep(0.5)
    log = cluster.log_text(0)
    for request_id in ids:
        access = [l for l in log.splitlines() if f"request_id={request_id}" in l and '"GET /login' in l]
        app_line = [l for l in log.splitlines()
                    if f"request_id={request_id} method=GET path=/login status=200" in l]
        assert len(access) == 1 and len(app_line) == 1, request_id
    # through nginx: nginx's own id reaches the app, its response and both logs
    response = browser(cluster.url).get("/login")
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    time.sleep(0.5)
    assert f"request_id={request_id}" in cluster.nginx_access_log.read_text()
    assert sum(f"request_id={request_id}" in cluster.log_text(s.index)
               for s in cluster.app_servers) == 1


def test_a_session_made_on_one_server_works_on_the_others(cluster):
    (name,), password = make_officers(cluster, 1, prefix="sesi")
    first = browser(cluster.app_servers[0].url)
    assert sign_in_status(first, name, password) == 302
    for server in cluster.app_servers[1:]:
        other = browser(server.url)
        other.cookies = dict(first.cookies)
        page = other.get("/")
        assert page.status == 200 and f"Petugas {name}" in page.text
    # a CSRF token from a page of server 1 is accepted by server 2 (sign out there)
    second = browser(cluster.app_servers[1].url)
    second.cookies = dict(first.cookies)
    second.get("/")
    third = browser(cluster.app_servers[2].url)
    third.cookies = dict(second.cookies)
    third.csrf = second.csrf
    assert third.post_form("/logout", {}).status == 302
    # signed out on server 2 means signed out everywhere, the copied cookie too
    again = browser(cluster.app_servers[0].url)
    again.cookies = dict(first.cookies)
    assert again.get("/").status == 302


def test_an_image_uploaded_through_one_server_is_served_by_every_server(cluster):
    (name,), password = make_officers(cluster, 1, prefix="pelatih", role="trainer")
    trainer = browser(cluster.url)
    assert sign_in_status(trainer, name, password) == 302
    assert trainer.get("/studio/images").status == 200
    picture = io.BytesIO()
    PILImage.new("RGB", (64, 48), "green").save(picture, "PNG")
    boundary = "----klaster" + "0" * 16
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{trainer.csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n"
            f"\r\nPeta desa\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; "
            f"filename=\"peta.png\"\r\nContent-Type: image/png\r\n\r\n").encode() + \
        picture.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    uploaded = trainer.request("POST", "/media/upload", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"})
    assert uploaded.status == 201, uploaded.text
    path = uploaded.json()["url"]
    served = [browser(s.url).get(path) for s in cluster.app_servers]
    assert [r.status for r in served] == [200, 200, 200]
    assert len({r.body for r in served}) == 1
    # one certificate signing key: every server publishes the same public key
    keys = {browser(s.url).get("/verify/key.pem").body for s in cluster.app_servers}
    assert len(keys) == 1 and b"BEGIN PUBLIC KEY" in keys.pop()


def test_wrong_passwords_spread_over_servers_lock_the_account_everywhere(cluster):
    (name,), password = make_officers(cluster, 1, prefix="kunci")
    servers = cluster.app_servers
    # an attacker on two servers, from two addresses: five wrong guesses in all
    for n in range(5):
        server = servers[n % 2]
        assert sign_in_status(browser(server.url, f"10.7.0.{n % 2 + 1}"), name, "tebak-salah-1") == 401
    for server in servers:  # the 6th, even with the right password, on every server
        assert sign_in_status(browser(server.url, "10.7.0.9"), name, password) == 429
    through_nginx = browser(cluster.url)
    page = through_nginx.get("/login")
    refused = through_nginx.post_form("/login", {"identifier": name, "password": password})
    assert page.status == 200 and refused.status == 429
    assert "Coba lagi pukul" in refused.text and int(refused.headers["retry-after"]) > 800


def test_twenty_guesses_at_once_over_three_servers_check_exactly_five(cluster):
    (name,), _ = make_officers(cluster, 1, prefix="serbu")
    prepared = []
    for n in range(20):
        b = browser(cluster.app_servers[n % 3].url, f"10.8.{n}.1")
        assert b.get("/login").status == 200
        prepared.append(b)
    barrier = threading.Barrier(20)

    def guess(b):
        barrier.wait()
        return b.post_form("/login", {"identifier": name, "password": "tebak-salah-2"}).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(guess, prepared))
    assert statuses.count(401) == 5 and statuses.count(429) == 15


def test_progress_and_a_quiz_through_one_server_are_seen_through_the_others(cluster):
    (name,), password = make_officers(cluster, 1, prefix="kemajuan")
    module = next(m for m in live_modules(cluster) if m["has_quiz"])
    path = f"/courses/{module['course']}/{module['module']}"
    s0, s1, s2 = (browser(s.url) for s in cluster.app_servers)
    assert sign_in_status(s0, name, password) == 302
    for other in (s1, s2):
        other.cookies = s0.cookies  # one browser, three servers (one dict of cookies)
    assert s0.get(path).status == 200  # opened on server 0
    s1.csrf = s0.csrf
    beat = s1.post_json(f"{path}/heartbeat", {"scroll": 0.5})  # read on server 1
    assert beat.status == 200
    assert s2.get(path).status == 200  # server 2 sees the reading position
    intro = s0.get(f"{path}/quiz")
    started = s0.post_form(f"{path}/quiz", {})
    attempt = re.search(r"/quiz/attempts/(\d+)", started.location).group(1)
    page = s1.get(f"/quiz/attempts/{attempt}")
    assert intro.status == 200 and page.status == 200
    assert 'name="q1' in page.text
    submitted = s2.post_form(f"/quiz/attempts/{attempt}", {"action": "submit-anyway"})
    assert submitted.status == 303
    # the answer was lost on the way: the browser sends the submit again, to another server
    resent = s0.post_form(f"/quiz/attempts/{attempt}", {"action": "submit-anyway"})
    assert resent.status == 303 and resent.location == submitted.location
    result = s0.get(f"/quiz/attempts/{attempt}/result")
    assert result.status == 200
    app = cluster_app(cluster)
    with app.app_context():
        from learning.extensions import db
        from learning.models import Attempt, ModuleProgress, User

        user = db.session.scalar(db.select(User).where(User.username == name))
        row = db.session.get(Attempt, int(attempt))
        progress = db.session.scalars(db.select(ModuleProgress)
                                      .where(ModuleProgress.user_id == user.id)).all()
        assert row.user_id == user.id and row.submitted_at is not None
        assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)
                                 .where(Attempt.user_id == user.id)) == 1
        assert len(progress) == 1 and progress[0].scroll_position == 0.5
        db.session.remove()
        db.engine.dispose()
    dashboard = s2.get("/")
    assert dashboard.status == 200


def test_two_hundred_stalled_connections_do_not_slow_healthz(cluster):
    measure_healthz(cluster.url, 1, 4, 0.02)  # warm up
    with Stalled(cluster.base_port, 200, drip=2.0) as stalled:
        time.sleep(1)
        samples, errors = measure_healthz(cluster.url, 6, 4, 0.02)
        assert stalled.still_open() == 200
    assert not errors
    assert len(samples) > 100
    p99_ms = percentile(samples, 0.99) * 1000
    print(f"\n/healthz through nginx with 200 stalled connections: n={len(samples)} "
          f"p50={statistics.median(samples) * 1000:.1f} ms p99={p99_ms:.1f} ms")
    assert p99_ms < 100


def test_killing_an_app_server_under_load_loses_no_acknowledged_write(cluster):
    outcome = run_load(cluster, users=50, seconds=60, kill_at=20, restart_at=35, victim=1)
    print(f"\ncluster load: {outcome}")
    assert outcome.problems() == []
    assert outcome.acked_submits >= 20 and outcome.acked_autosaves >= 40
    assert outcome.kill_seconds < outcome.restart_seconds
