"""Message catalogs: find every interface string, keep the English catalog in step, and list
what is still untranslated.

The msgids are the Indonesian text (the interface is Bahasa Indonesia first). `bin/translations`
runs this module: extract -> update learning/translations/en/LC_MESSAGES/messages.po -> list the
entries still missing, untranslated or fuzzy (exit status 1 while any are).
The same functions back tests/unit/test_translations.py, which fails on any such entry.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "learning" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = ("en",)
# (folder, method): Python code in learning/, Jinja templates in templates/ (babel.cfg says the same)
SOURCES = (("learning", "python"), ("templates", "jinja2"))
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols", "trimmed": "false"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract_messages(root: Path = ROOT) -> Catalog:
    """Every string wrapped in _(), gettext(), _l() or lazy_gettext() in code and templates."""
    catalog = Catalog(project="Pimpasa Learning", msgid_bugs_address="", fuzzy=False)
    for folder, method in SOURCES:
        base = root / folder
        pattern = "**.py" if method == "python" else "**.html"
        options = {pattern: JINJA_OPTIONS} if method == "jinja2" else {}
        for filename, lineno, message, comments, context in extract_from_dir(
                base, method_map=[(pattern, method)], options_map=options, keywords=KEYWORDS,
                directory_filter=lambda path: "__pycache__" not in path):
            location = (f"{folder}/{filename}", lineno)
            catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_previous=False)


@dataclass(frozen=True)
class Problem:
    msgid: str
    kind: str  # missing | untranslated | fuzzy | placeholders
    where: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.msgid!r} ({self.where})"


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    if isinstance(message.string, (tuple, list)):
        return tuple(message.string)
    return (message.string,)


def problems(template: Catalog, translated: Catalog) -> list[Problem]:
    """Entries of `template` that `translated` lacks, leaves empty, marks fuzzy, or whose
    placeholders (%(name)s, {name}) differ from the msgid's."""
    found = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:3])
        entry = translated.get(message.id, context=message.context)
        if entry is None:
            found.append(Problem(_ids(message)[0], "missing", where))
        elif entry.fuzzy:
            found.append(Problem(_ids(message)[0], "fuzzy", where))
        elif not all(_strings(entry)):
            found.append(Problem(_ids(message)[0], "untranslated", where))
        elif any(sorted(PLACEHOLDER.findall(_ids(message)[0])) != sorted(PLACEHOLDER.findall(s))
                 for s in _strings(entry)):
            found.append(Problem(_ids(message)[0], "placeholders", where))
    return found


def update(locale: str, template: Catalog) -> Catalog:
    """Bring the locale's catalog in step with the template: new msgids are added empty, gone
    ones are dropped (no fuzzy guessing: a guess would hide an untranslated string)."""
    path = po_path(locale)
    if path.exists():
        catalog = read_catalog(path, locale)
    else:
        catalog = Catalog(locale=locale, project="Pimpasa Learning", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    write_catalog(path, catalog)
    return catalog


def main(argv: list[str] | None = None) -> int:
    """`--check`: only list the problems, write nothing."""
    argv = sys.argv[1:] if argv is None else argv
    check_only = "--check" in argv
    template = extract_messages()
    print(f"extracted {len(template)} messages")
    if not check_only:
        write_catalog(TEMPLATE, template)
    status = 0
    for locale in LOCALES:
        if check_only:
            catalog = read_catalog(po_path(locale), locale)
        else:
            catalog = update(locale, template)
        found = problems(template, catalog)
        print(f"{locale}: {len(found)} to do in {po_path(locale).relative_to(ROOT)}")
        for problem in found:
            print(f"  {problem}")
        status = status or (1 if found else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
