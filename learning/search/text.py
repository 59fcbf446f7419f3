"""Text for the search index: Markdown to plain text, words, Indonesian stems, highlighted passages.

Pure functions. Stemming uses the Snowball Indonesian stemmer, the algorithm PostgreSQL's
`indonesian` configuration uses, so "perdagangan" and "diperdagangkan" both find "dagang" on
SQLite as on PostgreSQL.
"""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+")
_DIGIT_SLASH = re.compile(r"(?<=\d)/(?=\d)")
_stemmer = snowballstemmer.stemmer("indonesian")

# Words that carry no meaning in a question ("apa itu LPSK?"), dropped unless nothing else is left.
STOPWORDS = frozenset("""
apa itu ini yang dan atau di ke dari untuk dengan dalam pada adalah bagaimana mengapa kapan
siapa berapa mana apakah tentang oleh saya kami kita akan bisa harus juga sebagai the of what is
""".split())

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:?")
_MD_MARKS = re.compile(r"[*_`>#|]+")
_MD_RULE = re.compile(r"^\s*[-:| ]{3,}\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


_LONG_NAMES = ((re.compile(r"\bundang[- ]undang\b", re.I), "UU"),
               (re.compile(r"\bperaturan pemerintah\b", re.I), "PP"),
               (re.compile(r"\bperaturan presiden\b", re.I), "Perpres"))
_LONG_NUMBER = re.compile(r"\b(uu|pp|perpres)\s+(?:nomor|no\.?)\s*(\d+)\s+tahun\s+(\d{4})\b",
                          re.I)


def short_references(text: str) -> str:
    """"Undang-Undang Nomor 6 Tahun 2011" written as the curriculum does: "UU 6/2011"."""
    for pattern, short in _LONG_NAMES:
        text = pattern.sub(short, text)
    return _LONG_NUMBER.sub(lambda m: f"{m.group(1)} {m.group(2)}/{m.group(3)}", text)


def words(text: str) -> list[str]:
    """Lowercase words; "6/2011" gives "6" and "2011"."""
    return [w.lower() for w in WORD.findall(_DIGIT_SLASH.sub(" ", text or ""))]


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    word = word.lower()
    return word if word.isdigit() else _stemmer.stemWord(word)


def stemmed(text: str) -> str:
    """The index form of `text` for SQLite: each word lowercased and stemmed."""
    return " ".join(stem(w) for w in words(text))


def headings(markdown: str) -> list[str]:
    return [m.group(1) for line in (markdown or "").splitlines() if (m := _HEADING.match(line))]


def plain_text(markdown: str) -> str:
    """Readable text of a module's Markdown: paragraphs kept, markup dropped."""
    lines = []
    for line in (markdown or "").splitlines():
        if _MD_RULE.match(line):
            continue
        line = _MD_IMAGE.sub(r"\1", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_FOOTNOTE.sub("", line)
        line = _MD_MARKS.sub(" ", line)
        line = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", line)
        lines.append(" ".join(line.split()))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


def _marked(passage: str, stems: set[str], phrase: re.Pattern | None) -> Markup:
    spans = []
    if phrase is not None:
        spans = [(m.start(), m.end()) for m in phrase.finditer(passage)]
    for m in WORD.finditer(passage):
        if stem(m.group(0)) in stems and not any(a <= m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(escape(passage[last:start]))
        out.append(Markup("<mark>") + escape(passage[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(passage[last:]))
    return Markup("").join(out)


def passage(text: str, query_words: list[str], phrase: re.Pattern | None = None,
            width: int = 240) -> Markup:
    """The paragraph of `text` that holds the most query words (the cited phrase counts most),
    cut to about `width` characters around the first match, the words wrapped in <mark>."""
    stems = {stem(w) for w in query_words}
    best, best_score, best_at = "", (-1, 0), 0
    for paragraph in _paragraphs(text):
        found = [m.start() for m in WORD.finditer(paragraph) if stem(m.group(0)) in stems]
        phrase_hits = [m.start() for m in phrase.finditer(paragraph)] if phrase else []
        score = (len(set(stem(w) for w in WORD.findall(paragraph)) & stems)
                 + 5 * len(phrase_hits), min(len(paragraph), 120))  # a sentence over a heading
        if score > best_score:
            first = min(phrase_hits or found or [0])
            best, best_score, best_at = paragraph, score, first
    if len(best) > width:
        start = max(0, min(best_at - width // 3, len(best) - width))
        start = best.rfind(" ", 0, start) + 1 if start else 0
        cut = best[start:start + width]
        cut = cut[:cut.rfind(" ")] if " " in cut and start + width < len(best) else cut
        best = ("… " if start else "") + cut + (" …" if start + width < len(best) else "")
    return _marked(best, stems, phrase)
