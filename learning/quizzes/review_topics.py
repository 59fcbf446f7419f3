"""The topics to revisit after a failed attempt: the legal provisions of the questions missed, each
linked to the section of the module that treats it (see learning.content.quiz_review).

A section is found by its text: the module's published HTML is cut at its headings (which carry
ids from the table of contents), and the first section that names the provision, or failing that
its article ("Pasal 12"), is the one linked. A question without a legal reference sends the officer
to the module as a whole.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from learning.models import Module

_HEADING = re.compile(r'<h([2-4])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ARTICLE = re.compile(r"\bPasal\s+\d+[A-Z]?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    law: str | None  # None: the module's content in general
    missed: int  # questions of this attempt on this topic not fully right
    anchor: str | None  # id of the module section to read again, None for the module's top
    section: str | None  # that section's heading


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split()).lower()


def module_sections(module: Module) -> list[tuple[str | None, str | None, str]]:
    """(anchor, heading, plain text) of each section of the module's published text."""
    revision = module.published_revision
    source = revision.html if revision is not None else ""
    sections: list[tuple[str | None, str | None, str]] = []
    start, anchor, heading = 0, None, None
    for match in _HEADING.finditer(source):
        sections.append((anchor, heading, _plain(source[start:match.start()])))
        anchor, heading, start = match.group(2), _plain(match.group(3)), match.end()
    sections.append((anchor, heading, _plain(source[start:])))
    return sections


def _section_for(law: str, sections) -> tuple[str | None, str | None]:
    wanted = [" ".join(law.split()).lower()]
    article = _ARTICLE.search(law)
    if article:
        wanted.append(" ".join(article.group().split()).lower())
    for needle in wanted:
        for anchor, heading, text in sections:
            if anchor is not None and (needle in text or needle in (heading or "")):
                return anchor, heading
    return None, None


def topics_to_revisit(module: Module, missed_laws: list[str | None]) -> list[Topic]:
    """One Topic per distinct legal reference among the missed questions (in order of first
    appearance), the questions without one gathered last."""
    counts: dict[str | None, int] = {}
    for law in missed_laws:
        key = " ".join(law.split()) if law else None
        counts[key] = counts.get(key, 0) + 1
    sections = module_sections(module) if counts else []
    topics = []
    for law, missed in counts.items():
        if law is None:
            continue
        anchor, heading = _section_for(law, sections)
        topics.append(Topic(law=law, missed=missed, anchor=anchor, section=heading))
    if None in counts:
        topics.append(Topic(law=None, missed=counts[None], anchor=None, section=None))
    return topics
