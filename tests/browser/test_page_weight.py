"""The page-weight budget: every officer page, on a first visit with an empty cache, arrives in at
most 30 KB (compressed, as transferred: headers, HTML, CSS, JavaScript and icons together) and at
most 5 requests. Measured in Chromium through the DevTools protocol on the shipped curriculum;
the figures go to bench/results/page_weight.json (docs/BENCHMARKS.md shows them)."""
import pytest

from ..factories import PASSWORD, make_user
from .conftest import PHONE
from .network import NetworkLog, ServerLog, mark_context, sign_in_quietly
from .officer_pages import (import_shipped_curriculum, largest_module, leave_module, take_quiz,
                            write_result)

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 5


def measure(app, browser, base_url: str, path: str) -> dict:
    """A first visit: fresh context (empty cache, no service worker), signed in without a page.
    Counts the page's requests (bytes from DevTools) and whatever else reached the server in the
    meantime: the service worker installing itself."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    probe = mark_context(context, base_url)
    try:
        sign_in_quietly(context, base_url, "sari", PASSWORD)
        page = context.new_page()
        log = NetworkLog.attach(context, page)
        with ServerLog(app) as server:
            response = page.goto(base_url + path, wait_until="load")
            assert response.status == 200, (path, response.status)
            # let the page finish what it starts after load: the service worker installs
            page.evaluate("""() => 'serviceWorker' in navigator
                ? Promise.race([navigator.serviceWorker.ready, new Promise(r => setTimeout(r, 5000))])
                : null""")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
        transfers = log.over_network
        leave_module(page, base_url)
        server.ignored = log.sent
        background = server.beyond(transfers, probe)
        files = [{"url": t.url.replace(base_url, ""), "type": t.kind, "status": t.status,
                  "bytes": t.encoded_bytes} for t in transfers]
        files += [{"url": h.path, "type": "ServiceWorker", "status": h.status, "bytes": h.bytes}
                  for h in background]
        return {
            "path": path,
            "requests": len(files),
            "bytes": sum(f["bytes"] for f in files),
            "html_bytes": next((t.encoded_bytes for t in transfers if t.kind == "Document"), 0),
            "files": files,
            "sent_by_scripts": [{"url": t.url.replace(base_url, ""), "method": t.method,
                                 "bytes": t.encoded_bytes} for t in log.sent],
        }
    finally:
        context.close()


def test_every_officer_page_is_within_30_kb_and_5_requests(live_server, browser, phone, db, app):
    import_shipped_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    lesson = largest_module()
    pages = {"dashboard": "/", "course": f"/courses/{lesson.course}/", "module": lesson.url}
    results = {name: measure(app, browser, live_server, path) for name, path in pages.items()}
    if "quiz.start" in app.view_functions:
        sign_in_quietly(phone.context, live_server, "sari", PASSWORD)

        def visit(name, url):
            results[name] = measure(app, browser, live_server, url.replace(live_server, ""))

        take_quiz(phone, live_server, largest_module(with_quiz=True), visit)
    write_result("page_weight.json", {
        "budget": {"bytes": BUDGET_BYTES, "requests": BUDGET_REQUESTS},
        "module": {"course": lesson.course, "module": lesson.module, "html_chars": lesson.chars},
        "quiz_measured": "quiz intro" in results,
        "pages": results,
    })
    over = {name: (r["bytes"], r["requests"], [f["url"] for f in r["files"]])
            for name, r in results.items()
            if r["bytes"] > BUDGET_BYTES or r["requests"] > BUDGET_REQUESTS}
    assert not over, over
    assert results["module"]["bytes"] > 2000  # the measurement saw the real page
    if "quiz.start" not in app.view_functions:
        pytest.skip("quiz pages not measured: the quiz blueprint is not installed")
