"""Markdown in, safe HTML out. Every piece of authored Markdown goes through `render_markdown`.

The HTML is rendered once, when a revision is saved, and stored with it. The sanitiser (nh3) runs
on the renderer's output, so no author (trainer or administrator) can get script into a page:
no <script>/<style>/<iframe>, no event-handler attributes, and only http(s)/mailto or relative URLs.

Abbreviations: every term of the shipped glossary (courses/glosarium.md, see glossary.py) becomes
`<abbr title="...">` wherever it appears, through the `abbr` extension's glossary; an author's own
`*[X]: ...` line overrides it. Pass `glossary={}` to render without it.
"""
from __future__ import annotations

from dataclasses import dataclass

import markdown
import nh3
from markupsafe import escape

from .markdown_limits import markdown_problem

from learning.media.variants import with_srcset

MARKDOWN_EXTENSIONS = [
    "tables", "footnotes", "toc", "admonition", "fenced_code", "sane_lists", "def_list", "abbr",
]
MARKDOWN_CONFIG = {
    "toc": {"toc_depth": "2-3", "permalink": False},
    "footnotes": {"BACKLINK_TEXT": "↩", "BACKLINK_TITLE": "Kembali ke teks"},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
CONTENT_DROPPED_TAGS = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    toc_html: str


def sanitise_html(html: str) -> str:
    """Keep only the tags, attributes and URL schemes that authored content may use."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_DROPPED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).replace("<img ", '<img loading="lazy" decoding="async" ')  # fixed order: stable output
    return with_srcset(cleaned)


def render_markdown(source: str, glossary: dict[str, str] | None = None) -> RenderedMarkdown:
    """Render authored Markdown (tables, footnotes, table of contents, admonitions, abbreviations)
    and sanitise it. `glossary` is {abbreviation: explanation}; None means the shipped glossary."""
    if markdown_problem(source or "") is not None:
        return RenderedMarkdown(html=plain_text_html(source), toc_html="")
    if glossary is None:
        from .glossary import shipped_abbreviations

        glossary = shipped_abbreviations()
    config = {**MARKDOWN_CONFIG, "abbr": {"glossary": dict(glossary)}}
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=config)
    try:
        html = converter.convert(source or "")
    except RecursionError:  # a shape the limits did not foresee: still no server error
        return RenderedMarkdown(html=plain_text_html(source), toc_html="")
    toc = getattr(converter, "toc", "") or ""
    has_headings = "<li>" in toc
    return RenderedMarkdown(
        html=sanitise_html(html), toc_html=sanitise_html(toc) if has_headings else ""
    )


def plain_text_html(source: str) -> str:
    """Text past the Markdown limits, shown as escaped paragraphs instead of being parsed."""
    paragraphs = [part for part in (source or "").replace("\r\n", "\n").split("\n\n") if part]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs)


def render_inline(source: str, glossary: dict[str, str] | None = None) -> str:
    """Render a short piece of Markdown (a question prompt or option) without a wrapping <p>."""
    html = render_markdown(source, glossary).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
