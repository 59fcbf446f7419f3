"""WCAG 2.1 AA: axe-core (from the npm registry, pinned in tests/browser/package.json and
installed by bin/test) runs on every main page for each role and finds nothing serious or
critical. Also: the layout reflows at 200% zoom and the keyboard reaches everything with a
visible focus."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import PHONE, sign_in
from .officer_pages import Lesson, leave_module, take_quiz

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def axe_problems(page) -> list[str]:
    # The strict CSP forbids injected scripts: these contexts bypass it, for the checker only.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in BLOCKING]


@pytest.fixture
def checker(browser, live_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/browser` (bin/test does it)")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    found: dict[str, list[str]] = {}

    def check(url: str) -> None:
        if not url.startswith("http"):
            page.goto(live_server + url)
        found[page.url.replace(live_server, "")] = axe_problems(page)

    check.page = page
    check.found = found
    yield check
    context.close()


def _existing(app, *endpoints_and_urls):
    return [url for endpoint, url in endpoints_and_urls if endpoint in app.view_functions]


def _assert_clean(found):
    bad = {url: problems for url, problems in found.items() if problems}
    assert found and not bad, bad


def test_anonymous_pages(checker, app, db):
    for url in ["/login", "/offline", "/halaman-tidak-ada",
                *_existing(app, ("certificates.verify_form", "/verify"))]:
        checker(url)
    _assert_clean(checker.found)


def test_officer_pages(checker, app, db, live_server):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    sign_in(checker.page, live_server, "sari", PASSWORD)
    for url in ["/", "/courses/contoh/", "/courses/contoh/pengantar", "/account/password",
                *_existing(app, ("certificates.mine", "/certificates"),
                           ("certificates.email_preferences", "/account/email"))]:
        checker(url)
    if "quiz.start" in app.view_functions:
        take_quiz(checker.page, live_server, Lesson("contoh", "unsur", 0),
                  visit=lambda name, url: checker(url))
    checker.page.goto(f"{live_server}/courses/contoh/penutup")
    checker.page.get_by_role("button", name="Aktifkan hemat data").click()
    checker("/courses/contoh/penutup?hemat=1")  # the footer with data saver on
    leave_module(checker.page, live_server)
    _assert_clean(checker.found)


@pytest.mark.parametrize("role, endpoints", [
    ("trainer", [("studio.index", "/studio/"), ("studio.course", "/studio/courses/contoh/"),
                 ("reports.index", "/reports/")]),
    ("admin", [("admin.index", "/admin/"), ("reports.index", "/reports/"),
               ("studio.index", "/studio/")]),
])
def test_staff_pages(checker, app, db, live_server, role, endpoints):
    import_sample_curriculum()
    make_user(role=role, username="staf")
    sign_in(checker.page, live_server, "staf", PASSWORD)
    checker("/")
    for url in _existing(app, *endpoints):
        checker(url)
    _assert_clean(checker.found)


@pytest.mark.parametrize("url", ["/", "/courses/contoh/", "/courses/contoh/pengantar"])
def test_pages_reflow_at_200_percent_zoom(browser, live_server, db, url):
    """A 640 px window at 200% zoom is 320 CSS px wide: nothing may scroll sideways."""
    import_sample_curriculum()
    make_user(username="sari")
    context = browser.new_context(viewport={"width": 320, "height": 480}, device_scale_factor=2)
    page = context.new_page()
    try:
        sign_in(page, live_server, "sari", PASSWORD)
        page.goto(live_server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        leave_module(page, live_server)
    finally:
        context.close()


def test_keyboard_alone_skips_to_content_and_reaches_mark_done(phone, live_server, db):
    import_sample_curriculum()
    make_user(username="sari")
    page = phone
    sign_in(page, live_server, "sari", PASSWORD)
    page.goto(f"{live_server}/courses/contoh/pengantar")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.includes('Tandai selesai')"):
            break
    else:
        pytest.fail("Tab never reached 'Tandai selesai'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Modul ditandai selesai.")).to_be_visible()
    leave_module(page, live_server)


def test_the_checker_does_find_a_serious_problem(checker, db):
    checker("/login")
    page = checker.page
    page.evaluate("""() => {
        const b = document.createElement('button'); document.querySelector('main').appendChild(b);
        const i = document.createElement('input'); document.querySelector('main').appendChild(i);
    }""")
    problems = axe_problems(page)
    assert any(p.startswith("button-name") for p in problems), problems
    assert any(p.startswith("label") for p in problems), problems
