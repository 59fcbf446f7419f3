"""Text handling shared by the readers: Moodle's format prefixes, HTML to Markdown, one-line
option text, slugs.

Moodle stores question text as HTML (or as "moodle auto-format", plain or Markdown). Our quiz
format is Markdown, so simple HTML (paragraphs, line breaks, bold, italics, links, images, lists)
becomes the equivalent Markdown; anything richer (a table, a span with a class) is sanitised with
the same rules as every rendered page and kept as inline HTML, which our Markdown renders.
"""
from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

from learning.content.rendering import sanitise_html

FORMAT_PREFIX = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_SIMPLE_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "img", "ul", "ol", "li", "div", "span"}
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_SLUG_LENGTH = 60


_FORMAT_NAMES = {"plain_text": "plain", "moodle_auto_format": "moodle"}


def format_name(value: str | None) -> str:
    """Moodle XML's format attribute in the short form GIFT uses ('html' when absent)."""
    value = (value or "html").strip().lower()
    return _FORMAT_NAMES.get(value, value)


def split_format(text: str) -> tuple[str, str]:
    """('html'|'markdown'|'plain'|'moodle', the text without its prefix); 'moodle' when absent."""
    match = FORMAT_PREFIX.match(text)
    if not match:
        return "moodle", text
    return match.group(1).lower(), text[match.end():]


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def to_markdown(text: str, fmt: str = "html") -> tuple[str, bool]:
    """The text as Markdown, and whether HTML had to be converted. Plain and Markdown text are
    kept; HTML (or Moodle auto-format holding tags) is converted."""
    if fmt in ("markdown", "plain") or not looks_like_html(text):
        return tidy(text if fmt != "plain" else text), False
    tags = {tag.lower() for tag in _TAG.findall(text)}
    if tags <= _SIMPLE_TAGS:
        converter = _Converter()
        converter.feed(text)
        converter.close()
        return tidy(converter.markdown()), True
    return tidy(sanitise_html(text)), True


def to_one_line(text: str, fmt: str = "html") -> tuple[str, bool]:
    """Option, pair or item text: one line, no block markup."""
    converted, changed = to_markdown(text, fmt)
    if looks_like_html(converted):
        converted, changed = html.unescape(re.sub(r"<[^>]*>", " ", converted)), True
    return " ".join(converted.split()), changed


def tidy(text: str) -> str:
    """Lines stripped (indentation must not become a Markdown code block), runs of blank lines
    reduced to one, blank edges dropped."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


class _Converter(HTMLParser):
    """Simple HTML to Markdown: p, br, b/strong, i/em, a, img, ul/ol/li; other tags dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.lists: list[list] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("  \n")
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
            self.parts.append("[")
        elif tag == "img":
            alt = (attributes.get("alt") or "").replace("]", "")
            self.parts.append(f"![{alt}]({attributes.get('src') or ''})")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self.parts.append("\n\n")
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            marker = f"{self.lists[-1][1]}." if self.lists[-1][0] == "ol" else "-"
            self.parts.append(f"\n{marker} ")

    def handle_endtag(self, tag):
        if tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")
        elif tag == "a" and self.links:
            self.parts.append(f"]({self.links.pop()})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))

    def markdown(self) -> str:
        text = "".join(self.parts)
        return re.sub(r"\n{3,}", "\n\n", text)


def slugify(title: str) -> str:
    """ASCII lowercase words joined by '-', at most 60 characters ('' for no usable title)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    return slug[:_SLUG_LENGTH].rstrip("-_")


def unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3` ... when it is already taken."""
    candidate, counter = slug, 1
    while candidate in taken:
        counter += 1
        candidate = f"{slug}-{counter}"
    return candidate


def percent(fraction: float) -> str:
    """0.5 -> '50', 0.3333333 -> '33.33', -1 -> '-100'."""
    value = round(fraction * 100, 2)
    return str(int(value)) if value == int(value) else f"{value:g}"
