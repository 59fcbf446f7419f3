"""Finding the administrator's report pages on a running server, by following links like a person:
the national page at /admin/reports/, then the first region and the first office linked from it."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .client import Browser

REPORTS_ROOT = "/admin/reports/"
HREF = re.compile(r'href="(/admin/reports/[^"#?]*)"')


def _links(html: str) -> list[str]:
    seen = []
    for link in HREF.findall(html):
        if link not in seen and link.rstrip("/") != REPORTS_ROOT.rstrip("/"):
            seen.append(link)
    return seen


def _first(links: list[str], word: str) -> str | None:
    """The first link to a `word` page itself (/admin/reports/region/3), not to its exports."""
    page = re.compile(rf"/{word}/\d+/?$")
    return next((link for link in links if page.search(link)), None)


def discover_report_pages(browser: Browser) -> list[dict]:
    """[{"name": "report: national", "path": ...}, region, office] for what exists; [] if none."""
    root = REPORTS_ROOT
    national = browser.get(root)
    if national.status in (301, 302, 303, 307, 308) and national.location:
        root = urlsplit(national.location).path  # e.g. /admin/reports -> /admin/reports/
        national = browser.get(root)
    if national.status != 200:
        return []
    pages = [{"name": "report: national", "path": root}]
    links = _links(national.text)
    region = _first(links, "region")
    if region:
        pages.append({"name": "report: region", "path": region})
        links = _links(browser.get(region).text) + links
    office = _first(links, "office")
    if office:
        pages.append({"name": "report: office", "path": office})
    return pages
