"""Smaller copies of a stored image, and the `srcset` that offers them to the browser.

A stored image is at most 1,200 px wide (learning.studio.media). A 360 px phone needs a third of
that width, a ninth of the pixels: its copy is made from the stored bytes on first request,
encoded as WebP within a byte budget, and kept in a folder (the same bytes give the same copy,
so every server may make its own). URLs: /media/<width>/<sha256>.<ext>.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

from PIL import Image as PILImage

WIDTHS = (360, 720)  # the copies; the stored image itself serves wider screens
FULL_WIDTH = 1200
BYTES_PER_PIXEL_WIDTH = 40  # budget: 360 px → 14.4 KB, 720 px → 28.8 KB
QUALITIES = (72, 62, 52, 44, 36)
SIZES = "(max-width: 45rem) 100vw, 45rem"  # the module column is at most about 45rem wide
IMG_SRC = re.compile(r'<img\b([^>]*?)\ssrc="/media/([0-9a-f]{64})\.(webp|jpg)"([^>]*)>')


def variant_url(sha256: str, ext: str, width: int) -> str:
    return f"/media/{width}/{sha256}.{ext}"


def with_srcset(html: str) -> str:
    """Give every stored image in sanitised HTML a srcset of its copies (and `sizes`), so a
    phone downloads the 360 px copy, not the 1,200 px original. Other images stay as they are."""

    def replace(match: re.Match) -> str:
        before, sha, ext, after = match.groups()
        if "srcset=" in before + after:
            return match.group(0)
        options = ", ".join([f"{variant_url(sha, ext, w)} {w}w" for w in WIDTHS]
                            + [f"/media/{sha}.{ext} {FULL_WIDTH}w"])
        return (f'<img{before} src="/media/{sha}.{ext}" srcset="{options}" '
                f'sizes="{SIZES}"{after}>')

    return IMG_SRC.sub(replace, html)


def make_variant(data: bytes, width: int) -> bytes | None:
    """A WebP copy `width` px wide within the budget; None when the original is not wider
    (then the original itself is the right answer)."""
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        if source.width <= width:
            return None
        mode = "RGBA" if source.mode in ("RGBA", "LA", "PA") else "RGB"
        height = max(1, round(source.height * width / source.width))
        copy = source.convert(mode).resize((width, height), PILImage.Resampling.LANCZOS)
    budget = width * BYTES_PER_PIXEL_WIDTH
    encoded = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=quality, method=6)
        encoded = buffer.getvalue()
        if len(encoded) <= budget:
            break
    return encoded


def cached_variant(data_source, sha256: str, ext: str, width: int,
                   cache_dir: str | os.PathLike) -> bytes | None:
    """The copy from `cache_dir`, made (from `data_source()`, the stored bytes) on first
    request and written atomically; None when the original is the copy."""
    path = Path(cache_dir) / str(width) / sha256[:2] / f"{sha256}.{ext}"
    if path.is_file():
        return path.read_bytes()
    data = data_source()
    if data is None:
        return None
    copy = make_variant(data, width)
    if copy is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(copy)
    os.replace(tmp, path)
    return copy
