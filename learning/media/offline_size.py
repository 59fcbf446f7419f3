"""How much an offline download will fetch, so the button can say it before starting.

An estimate from what the server already knows, without rendering anything: the stored size of
each image, the stored HTML of each page plus the page around it, and the static files. The
course page shows it rounded ("≈ 1,2 MB"); it is never smaller than the images alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Image

PAGE_CHROME_BYTES = 6 * 1024  # header, menu and footer around each page's own text
MEDIA_URL = re.compile(r"^/media/([0-9a-f]{64})\.[a-z]+$")


def media_bytes(urls: Iterable[str]) -> int:
    """The stored size of the images behind /media/<sha>.<ext> URLs (others count nothing)."""
    shas = {m.group(1) for m in (MEDIA_URL.match(u) for u in urls) if m}
    if not shas:
        return 0
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Image.byte_size), 0))
        .where(Image.sha256.in_(shas))) or 0)


def bundle_bytes(media_urls: Iterable[str], page_html: Iterable[str],
                 asset_files: Iterable[str | Path]) -> int:
    """Images + pages (their stored HTML and the page around it) + static files, in bytes."""
    pages = sum(len((text or "").encode("utf-8")) + PAGE_CHROME_BYTES for text in page_html)
    assets = sum(Path(f).stat().st_size for f in asset_files if Path(f).is_file())
    return media_bytes(media_urls) + pages + assets
