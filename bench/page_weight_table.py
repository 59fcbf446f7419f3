"""Write the page-weight and slow-phone figures into docs/BENCHMARKS.md.

The browser tests measure them (tests/browser/test_page_weight.py and test_phone_network.py)
and save JSON under bench/results/. This turns that JSON into the two sections
"Page weight (officer pages)" and "Phone on slow 3G", replacing only those sections:

    .venv/bin/python -m pytest tests/browser/test_page_weight.py tests/browser/test_phone_network.py
    .venv/bin/python -m bench.page_weight_table
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "BENCHMARKS.md"
WEIGHT_HEADING = "## Page weight (officer pages)"
PHONE_HEADING = "## Phone on slow 3G"
PAGE_NAMES = {"dashboard": "Dashboard (Kursus Saya)", "course": "Course", "module": "Module",
              "quiz intro": "Quiz intro", "quiz attempt": "Quiz attempt", "quiz result": "Quiz result"}


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def weight_section(data: dict) -> str:
    budget = data["budget"]
    module = data["module"]
    rows = []
    for name, page in data["pages"].items():
        files = ", ".join(f"`{f['url'].split('?')[0]}` {_kb(f['bytes'])}" for f in page["files"])
        rows.append(f"| {PAGE_NAMES.get(name, name)} | {_kb(page['bytes'])} | {page['requests']} "
                    f"| {_kb(page['html_bytes'])} | {files} |")
    quiz = "" if data.get("quiz_measured") else (
        "\nThe quiz pages were not measured in this run (the quiz blueprint was not installed).\n")
    return f"""{WEIGHT_HEADING}

Budget: **{_kb(budget['bytes'])} and {budget['requests']} requests** per officer page on a first
visit (empty cache), everything that crosses the network counted: response headers, HTML, CSS,
JavaScript, icons, and the service worker installing itself in the background (`sw.js`, which
carries the offline page and the progress queue inside it). Measured in Chromium through the
DevTools protocol plus the server's own log, on the shipped curriculum; the module page is its
largest module (`{module['course']}/{module['module']}`, {module['html_chars']:,} characters of
HTML). Enforced by `tests/browser/test_page_weight.py`. Bytes are as transferred (Brotli).
Requests a page's scripts *send* (quiz autosave, progress) are data, not weight, and not counted.

| Page | Transferred | Requests | of which HTML | Files |
| --- | ---: | ---: | ---: | --- |
{chr(10).join(rows)}
{quiz}
How it stays small: no web fonts, no framework, icons as inline SVG (the favicon is a `data:`
URI), one stylesheet, one small script per page plus `offline.js`; assets under content-hashed
names, compressed once at the highest Brotli level and cached for a year (`immutable`, and no
session cookie on them); pages answer `304 Not Modified` to a browser that has them
(ETag over the rendered page). To refresh these figures: run the two browser tests named here,
then `.venv/bin/python -m bench.page_weight_table` (it rewrites only these two sections).
"""


def phone_section(data: dict) -> str:
    network = data["network"]
    first, again = data["first_visit"], data["revisit"]

    def runs(block):
        return ", ".join(f"{r['seconds']:.2f} s" for r in block["runs"])

    return f"""{PHONE_HEADING}

The officer on a cheap phone over weak mobile data: a {data['viewport']['width']}×{data['viewport']['height']}
screen, the network throttled through Chromium's DevTools protocol (`Network.emulateNetworkConditions`)
to {network['down_kbit_s']} kbit/s down, {network['up_kbit_s']} kbit/s up and {network['latency_ms']} ms
latency. Time from starting the navigation until the module's text is visible and painted
(`{data['module']}`, the largest module), median of {len(first['runs'])} runs.
Enforced by `tests/browser/test_phone_network.py`.

| Visit | Median | Target | Runs |
| --- | ---: | ---: | --- |
| First visit (nothing cached) | {first['median_s']:.2f} s | < {data['limits_s']['first_visit']:.0f} s | {runs(first)} |
| Revisit (page answered 304, assets from cache) | {again['median_s']:.2f} s | < {data['limits_s']['revisit']:.0f} s | {runs(again)} |

The service worker is blocked in this test (DevTools throttling does not reach its own fetches),
so these are the figures of a plain browser; with the service worker a revisit makes the same one
conditional request, and without a signal the page comes from the device at once.
"""


def replace_section(text: str, heading: str, body: str) -> str:
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _: body.rstrip() + "\n\n", text, count=1)
    return text.rstrip() + "\n\n" + body


def main() -> int:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    wrote = []
    for name, heading, render in (("page_weight.json", WEIGHT_HEADING, weight_section),
                                  ("phone_network.json", PHONE_HEADING, phone_section)):
        path = RESULTS / name
        if path.exists():
            text = replace_section(text, heading, render(json.loads(path.read_text())))
            wrote.append(heading)
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")
    print("updated:", ", ".join(wrote) if wrote else "nothing (run the browser tests first)")
    return 0 if wrote else 1


if __name__ == "__main__":
    sys.exit(main())
