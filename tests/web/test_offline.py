"""Reading offline over HTTP: manifest, service worker, offline page, course download list,
and the batch endpoint for progress queued on the device."""
from datetime import datetime, timezone
import json
import re

import pytest
import sqlalchemy as sa
from flask import g, request_started

from learning import create_app
from learning.models import Module, ModuleProgress, ProgressEvent
from learning.content.revisions import publish_module_revision, save_module_revision

from ..factories import import_sample_curriculum, login, make_user

EVENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture
def officer(client, db):
    import_sample_curriculum()
    # Her account is older than the queued events (events before it are refused).
    user = make_user(username="sari", created_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    login(client, "sari")
    return user


def _module(db, slug):
    return db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _progress(db, user, slug):
    return db.session.scalar(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == _module(db, slug).id))


def test_manifest_describes_an_installable_app(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    data = response.get_json()
    assert data["start_url"] == "/" and data["display"] == "standalone"
    assert data["name"] == "Pimpasa Learning" and data["short_name"] and data["theme_color"]
    assert data["icons"] and all(i["type"] == "image/svg+xml" for i in data["icons"])
    assert client.get(data["icons"][0]["src"]).status_code == 200


def test_service_worker_is_served_from_the_root_and_always_revalidated(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.text
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", script).group(1))
    assert precache and all(client.get(asset).status_code == 200 for asset in precache)
    assert "/a/css/site." in script and "root.PimpasaOffline = " in script  # the queue, inlined
    assert "Anda sedang offline" in script  # the offline page travels inside the worker


def test_offline_page_needs_no_sign_in_and_says_so_in_indonesian(client, db):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "Anda sedang offline" in response.text and 'id="offline-courses"' in response.text
    assert "Keluar" not in response.text  # the same page for everyone: no account menu


def test_bundle_lists_course_modules_images_and_assets(client, officer, db):
    module = _module(db, "penutup")
    revision = save_module_revision(
        module, title=module.title, minutes=module.minutes, laws=module.laws, reviewed=None,
        source="Teks.\n\n![Peta desa](/media/peta-desa.png)\n", author=None)
    publish_module_revision(module, revision)
    db.session.commit()
    data = client.get("/courses/contoh/offline-bundle").get_json()
    assert data["course"] == "contoh" and data["title"] == "Kursus Contoh"
    assert "/courses/contoh/" in data["urls"] and "/" in data["urls"]
    assert [m["url"] for m in data["modules"]] == [
        "/courses/contoh/pengantar", "/courses/contoh/unsur", "/courses/contoh/penutup"]
    assert data["media"] == ["/media/peta-desa.png"]
    assert any(u.startswith("/a/css/site.") for u in data["urls"])
    assert any(u.startswith("/a/js/offline.") for u in data["urls"])


def test_bundle_of_unknown_course_is_404_and_needs_sign_in(client, db):
    import_sample_curriculum()
    assert client.get("/courses/contoh/offline-bundle").status_code == 302
    make_user(username="sari")
    login(client, "sari")
    assert client.get("/courses/tidak-ada/offline-bundle").status_code == 404


def test_downloading_a_module_is_not_counted_as_opening_it(client, officer, db):
    response = client.get("/courses/contoh/pengantar", headers={"X-Pimpasa-Download": "1"})
    assert response.status_code == 200 and "Tandai selesai" in response.text
    assert _progress(db, officer, "pengantar") is None
    client.get("/courses/contoh/pengantar")
    assert _progress(db, officer, "pengantar") is not None


def _event(kind="done", id=EVENT_ID, module="contoh/pengantar", at="2025-03-01T08:00:00.000Z", **extra):
    return {"id": id, "module": module, "kind": kind, "at": at, **extra}


def test_queued_events_are_applied_and_a_resend_counts_once(client, officer, db):
    batch = [_event("open", id="open-0001", at="2025-03-01T07:58:00Z"),
             _event("heartbeat", id="beat-0001", at="2025-03-01T07:59:00Z", scroll=0.5),
             _event("done")]
    token = client.get("/progress/events").get_json()
    assert token["user"] == officer.id and token["csrf_token"]
    first = client.post("/progress/events", json=batch)
    assert first.status_code == 200
    assert first.get_json() == {"applied": ["open-0001", "beat-0001", EVENT_ID], "seen": [],
                                "dropped": []}
    again = client.post("/progress/events", json={"events": batch})
    assert again.get_json()["seen"] == ["open-0001", "beat-0001", EVENT_ID]
    row = _progress(db, officer, "pengantar")
    assert row.completed_at is not None and row.seconds_spent == 120 and row.scroll_position == 0.5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressEvent)) == 3
    assert "1 dari 3 modul" in client.get("/").text


def test_same_device_id_from_two_officers_counts_for_each(client, officer, db):
    client.post("/progress/events", json=[_event()])
    make_user(username="budi")
    client.post("/logout")
    login(client, "budi")
    assert client.post("/progress/events", json=[_event()]).get_json()["applied"] == [EVENT_ID]


def test_done_for_a_module_with_a_quiz_is_kept_but_does_not_complete_it(client, officer, db):
    response = client.post("/progress/events", json=[_event(module="contoh/unsur")])
    assert response.get_json()["applied"] == [EVENT_ID]
    row = _progress(db, officer, "unsur")
    assert row is None or row.completed_at is None


def test_events_for_a_module_that_is_gone_are_dropped_not_refused(client, officer, db):
    response = client.post("/progress/events", json=[_event(module="contoh/dihapus")])
    assert response.status_code == 200 and response.get_json()["dropped"] == [EVENT_ID]


@pytest.mark.parametrize("payload, index", [
    ({"nope": 1}, None),
    ("done", None),
    ([_event(), "x"], 1),
    ([_event(id="pendek")], 0),
    ([_event(id="a b c d e f g h")], 0),
    ([_event(module="contoh")], 0),
    ([_event(module="../etc/passwd")], 0),
    ([_event(kind="delete")], 0),
    ([_event(at="kemarin")], 0),
    ([_event(at=12)], 0),
    ([_event("heartbeat", scroll=3)], 0),
    ([_event("heartbeat", scroll="0.5")], 0),
    ([_event(id=f"event-{n:04d}") for n in range(201)], None),
])
def test_bad_batches_are_refused_whole_with_a_message(client, officer, db, payload, index):
    response = client.post("/progress/events", json=payload)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] and body["index"] == index
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressEvent)) == 0


def test_non_json_body_is_refused(client, officer, db):
    response = client.post("/progress/events", data="not json", content_type="text/plain")
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]


def test_signed_out_device_is_told_401(client, db):
    assert client.get("/progress/events").status_code == 401
    assert client.post("/progress/events", json=[_event()]).status_code == 401


def _fresh_token(sender, **extra):
    """Tests keep one app context (and so one `g`) across requests: forget the last token."""
    g.pop("csrf_token", None)


@pytest.fixture
def csrf_client(database_url):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    request_started.connect(_fresh_token, app)
    with app.app_context():
        yield app.test_client()


def test_batch_needs_the_csrf_header(app, csrf_client):
    import_sample_curriculum()
    make_user(username="sari")
    page = csrf_client.get("/login").text
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    csrf_client.post("/login", data={"identifier": "sari", "password": "kata-sandi-uji-123",
                                     "csrf_token": form_token})
    assert csrf_client.post("/progress/events", json=[_event()]).status_code == 400
    token = csrf_client.get("/progress/events").get_json()["csrf_token"]
    response = csrf_client.post("/progress/events", json=[_event()], headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["applied"] == [EVENT_ID]


def test_service_worker_carries_no_personal_data(client, officer, db):
    script = client.get("/sw.js").text
    assert "Petugas Uji" not in script and 'name=\\"csrf_token\\"' not in script
    assert 'data-user=\\"\\"' in script  # the offline page inside is the same for everyone


def test_a_forged_sync_is_shown_to_staff_as_refused_time(client, officer, db):
    """Through the real endpoint: 200 back-dated and future heartbeats; the officer detail
    report shows the minutes credited and the minutes refused as impossible."""
    from datetime import timedelta

    from learning.models import utcnow
    from .pages import page

    from zoneinfo import ZoneInfo

    from learning import clock

    now = utcnow()
    # four hours of yesterday morning (local time): one day, so one day's cap, whatever the hour
    start = (now.astimezone(ZoneInfo(clock.app_timezone())) - timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0)
    beats = [_event("heartbeat", id=f"beat-{i:05d}",
                    at=(start + timedelta(seconds=119 * i)).isoformat())
             for i in range(120)]
    beats += [_event("heartbeat", id=f"ahead-{i:05d}",
                     at=(now + timedelta(days=1, seconds=119 * i)).isoformat()) for i in range(80)]
    response = client.post("/progress/events", json=beats)
    assert response.status_code == 200 and len(response.get_json()["applied"]) == 200
    row = _progress(db, officer, "pengantar")
    assert row.seconds_spent == 15 * 60  # 3 × the module's 5 minutes, of 4 h claimed
    client.post("/logout")
    make_user(role="admin", username="kepala")
    login(client, "kepala")
    detail = page(client.get(f"/admin/reports/officer/{officer.id}"))
    first = detail.table("table-modul").texts()[0]
    assert first[1] == "Pengantar" and first[5] == "15,00"
    # Claimed: 119 gaps of 119 s yesterday, 80 future beats (the first 120 s): 22,781 s.
    refused_seconds = 119 * 119 - 15 * 60 + 120 + 79 * 119
    assert first[6] == f"{refused_seconds / 60:.2f}".replace(".", ",")  # 379,70 min
