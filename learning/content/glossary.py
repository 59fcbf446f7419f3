"""The glossary: `courses/glosarium.md`, one section per term, in Bahasa Indonesia.

```markdown
---
title: Glosarium Istilah dan Singkatan
checked: 2026-12-02
---

## TPPO
kepanjangan: Tindak Pidana Perdagangan Orang
alias: perdagangan orang
sumber: UU 21/2007 Pasal 1 angka 1 dan 2

Setiap tindakan atau serangkaian tindakan yang memenuhi unsur ...
```

Each `## TERM` heading is followed by settings lines (`kepanjangan:` the expansion, required;
`sumber:` the source, required; `alias:` other spellings, optional, separated by `|`), a blank
line and the definition in Markdown. Pure functions only: parsing, abbreviations for the
renderer (Python-Markdown's `abbr` glossary), and search for a future /glossary page.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from .errors import ContentError
from .front_matter import meta_line, split_front_matter

GLOSSARY_FILE = "glosarium.md"  # under courses/
SHIPPED_GLOSSARY = Path(__file__).resolve().parents[2] / "courses" / GLOSSARY_FILE
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$")
_SETTING = re.compile(r"^(kepanjangan|sumber|alias)[ \t]*:[ \t]*(.*)$")
_TERM = re.compile(r"^[0-9A-Za-z][0-9A-Za-z .\-/]{0,39}$")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    expansion: str
    definition: str
    source: str
    aliases: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def anchor(self) -> str:
        """A stable fragment id for a glossary page: 'g-to-g', 'uptd-ppa'."""
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


@dataclass
class Glossary:
    path: str
    title: str
    checked: date | None
    entries: list[GlossaryEntry]


def parse_glossary(text: str, path: str) -> Glossary:
    """Parse the glossary file; raise ContentError(path, line, reason) at the first problem."""
    document = split_front_matter(text, path)
    title = document.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError(path, meta_line(text, "title") if "title" in document.meta else 2,
                           "'title' is required")
    checked = document.meta.get("checked")
    if checked is not None and not isinstance(checked, date):
        raise ContentError(path, meta_line(text, "checked"),
                           "'checked' must be a date written YYYY-MM-DD")
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for line_no, term, body in _sections(document.body, document.body_line, path):
        entry = _entry(line_no, term, body, path)
        for name in (entry.term, *entry.aliases):
            key = name.casefold()
            if key in seen:
                raise ContentError(path, line_no, f"'{name}' is already defined on line {seen[key]}")
            seen[key] = line_no
        entries.append(entry)
    if not entries:
        raise ContentError(path, document.body_line, "the glossary has no '## TERM' sections")
    return Glossary(path=path, title=title.strip(), checked=checked, entries=entries)


def _sections(body: str, first_line: int, path: str) -> list[tuple[int, str, list[str]]]:
    sections: list[tuple[int, str, list[str]]] = []
    for offset, raw in enumerate(body.split("\n")):
        match = _HEADING.match(raw)
        if match:
            sections.append((first_line + offset, match.group(1).strip(), []))
        elif sections:
            sections[-1][2].append(raw.rstrip())
        elif raw.strip():
            raise ContentError(path, first_line + offset, "text before the first '## TERM'")
    return sections


def _entry(line_no: int, term: str, body: list[str], path: str) -> GlossaryEntry:
    if not _TERM.match(term):
        raise ContentError(path, line_no, f"term '{term}' must be letters, digits, spaces, '-', "
                           "'.' or '/' (at most 40)")
    settings: dict[str, str] = {}
    index = 0
    while index < len(body) and (match := _SETTING.match(body[index])):
        settings[match.group(1)] = match.group(2).strip()
        index += 1
    definition = "\n".join(body[index:]).strip()
    for key in ("kepanjangan", "sumber"):
        if not settings.get(key):
            raise ContentError(path, line_no, f"term '{term}': '{key}:' is missing or empty")
    if not definition:
        raise ContentError(path, line_no, f"term '{term}' has no definition")
    aliases = tuple(a.strip() for a in settings.get("alias", "").split("|") if a.strip())
    return GlossaryEntry(term=term, expansion=settings["kepanjangan"], definition=definition,
                         source=settings["sumber"], aliases=aliases, line=line_no)


def read_glossary(courses_dir: Path) -> Glossary | None:
    """`courses/glosarium.md` when there is one (a curriculum may have none)."""
    path = Path(courses_dir) / GLOSSARY_FILE
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "the file is not UTF-8 text") from None
    return parse_glossary(text, str(path))


def glossary_entries(glossary: Glossary | None) -> list[GlossaryEntry]:
    """The entries sorted by term, case-insensitively (the order of a glossary page)."""
    return sorted(glossary.entries, key=lambda e: e.term.casefold()) if glossary else []


def abbreviations(entries: list[GlossaryEntry]) -> dict[str, str]:
    """{abbreviation: explanation} for Python-Markdown's `abbr` extension: every term and alias
    that is an abbreviation (one word with a capital, like Kanim or G-to-G, or several words of
    capitals, like UPTD PPA) explains itself wherever it appears in a module."""
    found: dict[str, str] = {}
    for entry in entries:
        for name in (entry.term, *entry.aliases):
            one_word = " " not in name and any(c.isupper() for c in name)
            if one_word or name.replace(" ", "").isupper():
                found[name] = entry.expansion
    return found


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def search_glossary(entries: list[GlossaryEntry], query: str) -> list[GlossaryEntry]:
    """Entries matching every word of `query` (case and accents ignored). A term or alias equal to
    the query comes first, then matches in the term or expansion, then in the definition."""
    words = _fold(query).split()
    if not words:
        return []
    ranked = []
    for entry in entries:
        names = [_fold(n) for n in (entry.term, *entry.aliases)]
        head = " ".join(names + [_fold(entry.expansion)])
        everything = f"{head} {_fold(entry.definition)} {_fold(entry.source)}"
        if not all(w in everything for w in words):
            continue
        rank = 0 if _fold(query).strip() in names else 1 if all(w in head for w in words) else 2
        ranked.append((rank, entry.term.casefold(), entry))
    return [entry for _, _, entry in sorted(ranked, key=lambda r: r[:2])]


@lru_cache(maxsize=1)
def shipped_abbreviations() -> dict[str, str]:
    """The abbreviations of the shipped glossary (empty when it is missing or broken: rendering
    must never fail because of the glossary; `content check` reports its problems)."""
    try:
        return abbreviations(glossary_entries(read_glossary(SHIPPED_GLOSSARY.parent)))
    except ContentError:
        return {}
