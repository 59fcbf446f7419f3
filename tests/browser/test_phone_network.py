"""The officer on a cheap phone over weak mobile data: a 360×740 screen and a network throttled
through Chromium's DevTools protocol to about 400 kbit/s with a 400 ms round trip. The module
text must be on screen within 5 s on the first visit (nothing cached) and within 2 s on a revisit.

This is the one test with timing assertions, as the product issue demands. It stays robust by
measuring three times and judging the median, with wide margins (typical runs are well under
the limits; see docs/BENCHMARKS.md).

Service workers are blocked here: DevTools throttling does not reach a service worker's own
fetches, so with one installed the revisit would be measured on an unthrottled network. Blocked,
the figures are those of a plain browser (HTTP cache and 304 answers), which is the harder case.
"""
import statistics
import time

from ..factories import PASSWORD, make_user
from .conftest import PHONE
from .network import SLOW_MOBILE, NetworkLog, ServerLog, sign_in_quietly
from .officer_pages import import_shipped_curriculum, largest_module, leave_module, write_result

FIRST_VISIT_LIMIT_S = 5.0
REVISIT_LIMIT_S = 2.0
RUNS = 3
TEXT = "article#lesson .prose p"


def time_until_text(page, url: str) -> dict:
    """Seconds from starting the navigation until the module's first paragraph is visible and
    painted (first contentful paint recorded), and the browser's own paint time."""
    started = time.monotonic()
    page.goto(url, wait_until="commit", timeout=30000)
    page.locator(TEXT).first.wait_for(state="visible", timeout=30000)
    page.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=30000)
    seen = time.monotonic() - started
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    return {"seconds": round(seen, 3), "first_contentful_paint_ms": round(paint)}


def phone_context(browser, base_url):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="id-ID", service_workers="block")
    sign_in_quietly(context, base_url, "sari", PASSWORD)
    page = context.new_page()
    log = NetworkLog.attach(context, page)
    log.emulate(SLOW_MOBILE)
    return context, page, log


def test_module_text_shows_within_5_s_first_and_2_s_again_on_slow_mobile_data(
        live_server, browser, db, app):
    import_shipped_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    lesson = largest_module()
    url = live_server + lesson.url
    first, again = [], []
    for _ in range(RUNS):
        context, page, log = phone_context(browser, live_server)
        try:
            first.append(time_until_text(page, url) | {"bytes": log.total_bytes(),
                                                       "requests": len(log.over_network)})
            page.goto(live_server + "/", wait_until="load")  # elsewhere, then back
            with ServerLog(app) as server:
                again.append(time_until_text(page, url))
            pages = [h for h in server.hits if h.path == lesson.url]
            again[-1]["not_modified"] = bool(pages) and pages[-1].status == 304
            again[-1]["requests"] = sum(1 for h in server.hits if not h.path.endswith("/heartbeat"))
            log.emulate({**SLOW_MOBILE, "latency": 0, "downloadThroughput": -1,
                         "uploadThroughput": -1})
            leave_module(page, live_server)
        finally:
            context.close()
    first_median = statistics.median(r["seconds"] for r in first)
    again_median = statistics.median(r["seconds"] for r in again)
    write_result("phone_network.json", {
        "network": {"latency_ms": SLOW_MOBILE["latency"],
                    "down_kbit_s": SLOW_MOBILE["downloadThroughput"] * 8 // 1000,
                    "up_kbit_s": SLOW_MOBILE["uploadThroughput"] * 8 // 1000},
        "viewport": PHONE, "module": lesson.url, "html_chars": lesson.chars,
        "first_visit": {"median_s": first_median, "runs": first},
        "revisit": {"median_s": again_median, "runs": again},
        "limits_s": {"first_visit": FIRST_VISIT_LIMIT_S, "revisit": REVISIT_LIMIT_S},
    })
    assert first_median < FIRST_VISIT_LIMIT_S, first
    assert again_median < REVISIT_LIMIT_S, again
    assert all(r["not_modified"] for r in again), again  # the unchanged module came back as 304
