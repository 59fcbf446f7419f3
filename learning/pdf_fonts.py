"""Unicode fonts for every PDF the platform writes, so a name prints exactly as it is stored.

DejaVu Sans (shipped in learning/fonts/) covers Latin with every diacritic, Arabic, Cyrillic and
Greek; Droid Sans Fallback covers Chinese, Japanese and Korean and is added to a document only
when one of its texts needs a character DejaVu lacks (it is a 4 MB font: parsing it costs a
third of a second). Text shaping (HarfBuzz, through uharfbuzz) joins Arabic letters and lays
right-to-left text out in its visual order; the text layer keeps the logical order, so copying
or `pdftotext` gives back what was stored.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
FALLBACK_FAMILY = "DroidFallback"
STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
          "BI": "DejaVuSans-BoldOblique.ttf"}
FALLBACK_FILE = "DroidSansFallbackFull.ttf"


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """The code points DejaVu Sans has a glyph for."""
    font = TTFont(FONT_DIR / STYLES[""], lazy=True)
    return frozenset(font.getBestCmap())


def needs_fallback(texts: Iterable[str]) -> bool:
    """Whether any printable character of `texts` is missing from DejaVu Sans."""
    covered = _covered()
    return any(ord(ch) not in covered for text in texts for ch in (text or "")
               if ch.isprintable() and not ch.isspace())


def install_fonts(pdf: FPDF, texts: Iterable[str] = ()) -> str:
    """Add the shipped fonts to `pdf` (the CJK fallback only when `texts` need it), turn text
    shaping on, and return the family name to pass to `set_font`."""
    for style, name in STYLES.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / name))
    if needs_fallback(texts):
        pdf.add_font(FALLBACK_FAMILY, "", str(FONT_DIR / FALLBACK_FILE))
        pdf.set_fallback_fonts([FALLBACK_FAMILY], exact_match=False)
    pdf.set_text_shaping(True)
    return FAMILY
