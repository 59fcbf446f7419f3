"""The sanitiser: no author can put active content into a page."""
import re

import pytest

from learning.content.rendering import render_inline, render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://example.org"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=a></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<p title='x' onmouseover='alert(1)'>hover</p>",
    '[a](<javascript:alert(1)>)',
    '<scr<script>ipt>alert(1)</script>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

ACTIVE = [
    re.compile(r"<\s*script", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"(href|src|action)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
    re.compile(r"<\s*(iframe|object|embed|style|form|meta|base|svg|math|input)\b", re.I),
    re.compile(r"style\s*=", re.I),
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_renders_inert(payload):
    for html in (render_markdown(f"Teks\n\n{payload}\n").html, render_inline(payload)):
        for pattern in ACTIVE:
            assert not pattern.search(html), f"{pattern.pattern!r} survived in {html!r}"


def test_corpus_is_large_enough():
    assert len(XSS_PAYLOADS) >= 20


def test_the_three_named_payloads_in_one_module():
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))"
    ).html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" in html  # the harmless part stays


def test_authoring_features_survive_sanitising():
    rendered = render_markdown(
        "## Bagian\n\nTeks[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '!!! warning "Awas"\n    Isi.\n\n[tautan](https://kemenkumham.go.id)\n\n[^1]: UU 21/2007.'
    )
    html = rendered.html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote"' in html and 'href="#fn:1"' in html
    assert 'class="admonition warning"' in html
    assert 'href="https://kemenkumham.go.id"' in html and 'rel="noopener noreferrer"' in html
    assert 'href="#bagian"' in rendered.toc_html


def test_images_are_lazy():
    assert 'loading="lazy"' in render_markdown("![poster](/media/abc.webp)").html


def test_inline_rendering_drops_the_paragraph():
    assert render_inline("Pasal **120**") == "Pasal <strong>120</strong>"
