"""Every studio URL over HTTP: who may open it, and that authored Markdown stays inert.

The route list is read from the app's URL map, so a view added later is covered automatically.
"""
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask import url_for

from learning import create_app
from learning.studio import media
from learning.content.exchange import export_course_zip
from learning.studio.exchange import stage_import
from learning.content.moodle.bank import plan_import, stage_bank
from learning.models import Course, Module, Quiz

from ..factories import import_sample_curriculum, login, make_user
from ..unit.test_rendering import ACTIVE, XSS_PAYLOADS


def _studio_routes() -> list[tuple[str, str]]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("studio.") or rule.endpoint == "media.upload":
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            routes += [(rule.endpoint, method) for method in methods]
    return sorted(routes)


ROUTES = _studio_routes()
GET_PAGES = [endpoint for endpoint, method in ROUTES if method == "GET"]
ADMIN_ONLY = {"studio.audit_log"}


def test_the_route_list_covers_the_studio():
    endpoints = {endpoint for endpoint, _ in ROUTES}
    assert {"studio.index", "studio.edit_module", "studio.preview", "studio.publish_module",
            "studio.module_history", "studio.module_diff", "studio.restore_module_revision",
            "studio.edit_quiz", "studio.laws", "studio.review", "studio.images",
            "studio.export_course", "studio.import_zip", "studio.audit_log",
            "media.upload"} <= endpoints
    assert len(ROUTES) >= 35


@pytest.fixture
def content(db):
    """The sample course, one staged import and one image, and the URL values that reach them."""
    import_sample_curriculum()
    users = {role: make_user(role=role, username=role) for role in ("officer", "trainer", "admin")}
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    unsur = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
    penutup = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    image = media.store_image(_png(), uploader=users["trainer"]).image
    zip_data = export_course_zip(course)
    tokens = {role: stage_import(zip_data, "contoh.zip", user).id for role, user in users.items()}
    aiken = b"Soal?\nA. satu\nB. dua\nANSWER: A\n"
    bank_tokens = {role: stage_bank(unsur, plan_import(unsur, aiken, "soal.txt"), aiken, user).id
                   for role, user in users.items()}
    db.session.commit()
    values = {"course_slug": "contoh", "module_id": unsur.id, "quiz_id": quiz.id, "number": 1,
              "image_id": image.id}
    return {"users": users, "values": values, "tokens": tokens, "penutup": penutup.id,
            "bank_tokens": bank_tokens}


def _png() -> bytes:
    import io
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def _url(app, endpoint: str, content: dict, role: str = "trainer") -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    tokens = content["bank_tokens" if endpoint.startswith("studio.question_bank_") else "tokens"]
    values = dict(content["values"], token=tokens[role])
    if endpoint == "studio.new_quiz":
        values["module_id"] = content["penutup"]  # a module that has no quiz yet
    with app.test_request_context():
        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


@pytest.mark.parametrize("endpoint, method", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, content, endpoint, method):
    response = client.open(_url(app, endpoint, content), method=method)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("endpoint, method", ROUTES)
def test_officers_are_refused(app, client, content, endpoint, method):
    login(client, "officer")
    response = client.open(_url(app, endpoint, content, "officer"), method=method)
    assert response.status_code == 403


@pytest.mark.parametrize("endpoint", GET_PAGES)
@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_staff_open_every_studio_page(app, client, content, endpoint, role):
    login(client, role)
    response = client.get(_url(app, endpoint, content, role))
    if endpoint in ADMIN_ONLY and role == "trainer":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    if response.mimetype == "text/html":
        assert '<html lang="id">' in response.text and "<h1>" in response.text


def test_studio_is_in_the_staff_menu_only(client, content):
    login(client, "officer")
    assert 'href="/studio/"' not in client.get("/").text
    client.post("/logout")
    login(client, "trainer")
    assert 'href="/studio/"' in client.get("/").text


# --------------------------------------------------------------------------- stored XSS


class _ProseExtractor(HTMLParser):
    """The inner HTML of the first <div class="prose"> (nested tags included)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.parts.append(self.get_starttag_text())
            self.depth += tag not in ("br", "img", "hr", "input")
        elif tag == "div" and ("class", "prose") in attrs:
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= tag not in ("br", "img", "hr", "input")
            if self.depth:
                self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def prose_of(page: str) -> str:
    parser = _ProseExtractor()
    parser.feed(page)
    return "".join(parser.parts)


def _assert_inert(html: str, payload: str) -> None:
    for pattern in ACTIVE:
        assert not pattern.search(html), f"{pattern.pattern!r} survived {payload!r}: {html!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_xss_corpus_is_inert_in_preview_and_published_page(app, db, role, payload):
    import_sample_curriculum()
    make_user(role=role, username="author")
    make_user(username="sari")
    module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    source = f"## Penutup\n\nTeks sebelum.\n\n{payload}\n\nTeks sesudah.\n"
    author = app.test_client()
    login(author, "author")

    preview = author.post("/studio/preview", data={"source": source})
    assert preview.status_code == 200 and "Teks sebelum." in preview.text
    _assert_inert(preview.text, payload)
    form = {"title": "Penutup", "minutes": "3", "laws": "", "reviewed": "2026-11-01",
            "source": source, "note": "uji", "base": "1"}
    editor_preview = author.post(f"/studio/modules/{module.id}/edit",
                                 data=dict(form, action="preview"))
    assert editor_preview.status_code == 200
    _assert_inert(prose_of(editor_preview.text), payload)
    saved = author.post(f"/studio/modules/{module.id}/edit", data=dict(form, action="save"))
    assert saved.status_code == 302
    published = author.post(f"/studio/modules/{module.id}/publish", data={"revision": "2"})
    assert published.status_code == 302

    officer = app.test_client()
    login(officer, "sari")
    page = officer.get("/courses/contoh/penutup")
    assert page.status_code == 200
    prose = prose_of(page.text)
    assert "Teks sebelum." in prose  # (some payloads swallow what follows them)
    _assert_inert(prose, payload)
    _assert_inert(prose_of(author.get(f"/studio/modules/{module.id}/revisions/2").text), payload)


def test_a_title_with_markup_is_shown_as_text(app, db, client):
    import_sample_curriculum()
    make_user(role="trainer", username="tina")
    module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    login(client, "tina")
    title = "<script>alert(1)</script>Penutup"
    client.post(f"/studio/modules/{module.id}/edit", data={
        "title": title, "minutes": "3", "source": "Teks.\n", "action": "save", "base": "1"})
    client.post(f"/studio/modules/{module.id}/publish", data={"revision": "2"})
    for url in (f"/studio/modules/{module.id}/edit", "/studio/", "/courses/contoh/penutup"):
        page = client.get(url).text
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
