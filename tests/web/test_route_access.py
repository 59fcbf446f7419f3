"""Role checks on every route of the app, route by route.

Every endpoint must be classified here; a new route that is not fails the first test, so nobody
can add a page without deciding who may open it.
"""
import pytest

from learning import create_app

from ..factories import login, make_user

PUBLIC = {
    "auth.login", "auth.set_language", "ops.healthz", "static", "assets.asset", "media.image", "media.image_variant",
    "offline.manifest", "offline.service_worker", "offline.offline_page",
    "certificates.verify_form", "certificates.verify", "certificates.public_key",
    "certificates.public_key_file", "certificates.email_stop", "certificates.issuer_profile",
    "certificates.badge_status", "certificates.verify_credential",
}
ADMIN_ONLY = {"studio.audit_log", "certificates.manage", "certificates.revoke_certificate"}
STAFF_PREFIXES = ("studio.", "reports.", "grants.")
STAFF = {"laws.new_law", "laws.edit", "laws.law_file", "laws.record_change", "laws.change",
         "laws.reviews", "laws.review"}
ADMIN_PREFIXES = ("admin.",)
ANY_SIGNED_IN = {
    "learner.dashboard", "learner.course", "learner.takeaway", "learner.module", "learner.mark_done",
    "learner.heartbeat", "auth.logout", "auth.change_password", "quiz.start", "quiz.attempt",
    "quiz.post_attempt", "quiz.autosave", "quiz.result", "offline.bundle",
    "offline.progress_token", "offline.progress_events", "certificates.mine",
    "certificates.detail", "certificates.pdf", "certificates.open_badge",
    "certificates.start_refresher",
    "certificates.email_preferences", "preferences.data_saver", "media.upload",
    "laws.register", "laws.law", "search.results",
    "events.index", "events.event", "events.check_in", "events.check_in_queued", "events.test",
    "events.evaluate", "events.my_recap", "events.certificate",
}
STAFF_ONLY = {"events.manage_index", "events.new", "events.manage", "events.qr", "events.invite",
              "events.tick", "events.attendance_export", "events.report", "events.below",
              "events.recap", "events.cancel", "events.report_export"}
SAMPLE = {"int": "999999", "default": "x", "path": "x"}


def _required_role(endpoint: str) -> str:
    if endpoint in PUBLIC:
        return "public"
    if endpoint in ADMIN_ONLY or endpoint.startswith(ADMIN_PREFIXES):
        return "admin"
    if endpoint == "media.upload" or endpoint in STAFF or endpoint in STAFF_ONLY \
            or endpoint.startswith(STAFF_PREFIXES):
        return "staff"
    if endpoint in ANY_SIGNED_IN:
        return "signed_in"
    return "unclassified"


def _routes():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        values = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            values[name] = {"fmt": "csv", "ext": "webp", "table": "x"}.get(
                name, SAMPLE.get("int" if kind == "integer" else kind, SAMPLE["default"]))
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(pytest.param(rule.endpoint, method, url,
                                       id=f"{method} {rule.rule}"))
    return routes


ROUTES = _routes()


@pytest.mark.parametrize("endpoint,method,url", ROUTES)
def test_every_route_is_classified(endpoint, method, url):
    assert _required_role(endpoint) != "unclassified", f"classify {endpoint} in this test"


@pytest.mark.parametrize("endpoint,method,url", ROUTES)
def test_anonymous_visitor_is_sent_to_sign_in(client, endpoint, method, url):
    if _required_role(endpoint) == "public":
        response = client.open(url, method=method)
        assert response.status_code < 500
        return
    body = {"json": {"answers": {}}} if endpoint == "quiz.autosave" else {}
    response = client.open(url, method=method, **body)
    assert response.status_code in (302, 303, 401), response.status_code
    if response.status_code != 401:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role,forbidden", [("officer", {"staff", "admin"}), ("trainer", {"admin"})])
def test_roles_without_the_right_get_403(app, role, forbidden):
    make_user(role=role, username=f"u-{role}")
    client = app.test_client()
    login(client, f"u-{role}")
    checked = 0
    for param in ROUTES:
        endpoint, method, url = param.values
        if _required_role(endpoint) in forbidden:
            response = client.open(url, method=method)
            assert response.status_code == 403, f"{role} {method} {url}: {response.status_code}"
            checked += 1
    assert checked > 20
