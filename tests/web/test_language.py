"""Switching to English translates the whole interface; switching back returns to Indonesian."""
import re
from html.parser import HTMLParser

import pytest
from flask import session

from learning.catalog import po_path, read_catalog

from ..factories import import_sample_curriculum, login, make_user

TEXT_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value", "label"}
SKIPPED_TAGS = {"script", "style"}


class _InterfaceText(HTMLParser):
    """Text nodes and text-bearing attributes, outside authored content (.prose)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._content_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        is_content = "prose" in (attrs.get("class") or "").split()
        void = tag in {"input", "img", "br", "meta", "link", "hr", "source"}
        if not void:
            self._stack.append((tag, is_content))
            self._content_depth += is_content
            self._skip += tag in SKIPPED_TAGS
        if self._content_depth:
            return
        for name, value in attrs.items():
            if value and (name in TEXT_ATTRIBUTES or name.startswith("data-")):
                if name == "value" and attrs.get("type") not in ("submit", "button"):
                    continue
                self.texts.append(value)

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, is_content = self._stack.pop()
            self._content_depth -= is_content
            self._skip -= open_tag in SKIPPED_TAGS
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._content_depth and not self._skip and data.strip():
            self.texts.append(data)


def interface_texts(html: str) -> list[str]:
    parser = _InterfaceText()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


def _pattern(msgid: str):
    """A msgid as a regex: its placeholders match any text."""
    parts = re.split(r"%\(\w+\)[sdif]|\{\w+\}", msgid.replace("%%", "%"))
    return re.compile("^" + ".+?".join(re.escape(re.sub(r"\s+", " ", p)) for p in parts) + "$")


@pytest.fixture(scope="module")
def indonesian_strings():
    """msgids whose English differs (names such as 'Pimpasa Learning' stay as they are)."""
    catalog = read_catalog(po_path("en"), "en")
    return [(m.id, _pattern(m.id)) for m in catalog
            if m.id and isinstance(m.id, str) and m.string and m.string != m.id
            and len(re.sub(r"%\(\w+\)[sdif]|\{\w+\}|\W", "", m.id)) >= 3]


def content_titles() -> list[str]:
    """Titles authored in Indonesian (courses, modules, quizzes): content, not interface."""
    from learning.extensions import db
    from learning.models import Course, Module, Quiz

    titles = set()
    for model in (Course, Module, Quiz):
        titles.update(t for t in db.session.scalars(db.select(model.title)) if t)
    return sorted(titles, key=len, reverse=True)


def untranslated_on(html: str, indonesian_strings, titles=()) -> list[str]:
    found = []
    for text in interface_texts(html):
        for title in titles:
            text = text.replace(title, "\u2039content\u203a")
        for msgid, pattern in indonesian_strings:
            if pattern.match(text):
                found.append(f"{text!r} (msgid {msgid!r})")
                break
    return found


def _officer_pages(client):
    pages = ["/", "/courses/contoh/", "/courses/contoh/pengantar", "/courses/contoh/penutup",
             "/account/password", "/offline", "/courses/tidak-ada/"]
    module_with_quiz = client.get("/courses/contoh/unsur")
    if module_with_quiz.status_code == 200:
        pages.append("/courses/contoh/unsur")
        start = re.search(r'href="([^"]+)"[^>]*>[^<]*Take the quiz', module_with_quiz.text)
        if start:
            pages.append(start.group(1))
    return pages


def test_english_translates_every_officer_page_and_indonesian_comes_back(client, db,
                                                                        indonesian_strings):
    import_sample_curriculum()
    user = make_user(username="sari")
    login(client, "sari")
    client.post("/language", data={"lang": "en", "next": "/"})
    assert user.locale == "en"
    problems = {}
    titles = content_titles()
    for url in _officer_pages(client):
        response = client.get(url)
        assert '<html lang="en">' in response.text, url
        left = untranslated_on(response.text, indonesian_strings, titles)
        if left:
            problems[url] = left
    assert not problems, problems
    dashboard = client.get("/").text
    assert "My Courses" in dashboard and "Sign out" in dashboard and "0 of 3 modules" in dashboard

    client.post("/language", data={"lang": "id", "next": "/"})
    dashboard = client.get("/").text
    assert '<html lang="id">' in dashboard and "Kursus Saya" in dashboard
    assert "My Courses" not in dashboard and "0 dari 3 modul" in dashboard


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_english_translates_the_staff_pages_in_the_menu(client, db, role, indonesian_strings):
    import_sample_curriculum()
    make_user(role=role, username="staf", locale="en")
    login(client, "staf")
    dashboard = client.get("/").text
    menu = re.findall(r'<li><a href="(/[^"]*)">', dashboard)
    problems = {}
    for url in dict.fromkeys(menu):
        response = client.get(url)
        if response.status_code != 200:
            continue
        left = untranslated_on(response.text, indonesian_strings, content_titles())
        if left:
            problems[url] = left
    assert not problems, problems


def test_sign_in_page_offers_the_language_and_remembers_the_choice(client, db,
                                                                   indonesian_strings):
    page = client.get("/login").text
    assert '<label for="lang-select">Bahasa (Language)</label>' in page
    assert '<option value="en" lang="en"' in page
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").text
    assert "Username or NIP" in page and '<html lang="en">' in page
    assert not untranslated_on(page, indonesian_strings)
    make_user(username="sari")
    login(client, "sari")
    assert "My Courses" in client.get("/").text  # the choice made before signing in holds


def test_checker_notices_an_indonesian_interface_string(indonesian_strings):
    html = '<main><button type="submit">Tandai selesai</button><p>Modul 2 dari 3</p>' \
           '<div class="prose"><p>Kursus Saya</p></div></main>'
    found = untranslated_on(html, indonesian_strings)
    assert len(found) == 2 and "Tandai selesai" in found[0] and "Modul 2 dari 3" in found[1]


@pytest.mark.parametrize("locale, number, percent", [("id", "1.234,5", "75,5%"),
                                                      ("en", "1,234.5", "75.5%")])
def test_numbers_and_percentages_follow_the_locale(app, locale, number, percent):
    with app.test_request_context("/"):
        session["locale"] = locale
        render = app.jinja_env.from_string(
            "{{ 1234.5|format_number }} {{ 0.755|format_percent(1) }} {{ 0.5|format_percent }}")
        assert render.render() == f"{number} {percent} 50%"
