"""Law changes kept as files, `laws/changes/*.md`, so a change the whole curriculum must answer to
(the 2026 penal reform) is recorded once in the repository and applied on every installation.

```markdown
---
law: UU 21/2007
article: Pasal 2–27        # optional: articles, ranges; empty = the whole law
changed_on: 2026-01-02
changed_by: UU 1/2023 (KUHP) dan UU 1/2026
---
What changed, in Bahasa Indonesia.
```

Applying is idempotent: a change already recorded for the same law, article and date is skipped.
Recording goes through `changes.record_change`, so review tasks open and the audit log notes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from learning.content.errors import ContentError
from learning.content.front_matter import meta_line, split_front_matter
from learning.extensions import db
from learning.models import LawChange, User
from .changes import record_change
from .register import key_of, law_by_key

CHANGES_DIR = "changes"


@dataclass
class ChangeSource:
    path: str
    law: str
    article: str
    changed_on: date
    changed_by: str
    summary: str


def parse_change(text: str, path: str) -> ChangeSource:
    doc = split_front_matter(text, path)
    meta = doc.meta
    law = str(meta.get("law") or "").strip()
    if not law or key_of(law) is None:
        raise ContentError(path, meta_line(text, "law"), "'law' must name a law, e.g. UU 21/2007")
    changed_on = meta.get("changed_on")
    if not isinstance(changed_on, date):
        raise ContentError(path, meta_line(text, "changed_on"),
                           "'changed_on' must be a date written YYYY-MM-DD")
    if not doc.body.strip():
        raise ContentError(path, doc.body_line, "say what changed below the front matter")
    return ChangeSource(path=path, law=law, article=str(meta.get("article") or "").strip(),
                        changed_on=changed_on, changed_by=str(meta.get("changed_by") or "").strip(),
                        summary=doc.body.strip())


def read_changes(register_dir: Path) -> list[ChangeSource]:
    folder = Path(register_dir) / CHANGES_DIR
    return [parse_change(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(folder.glob("*.md"))] if folder.is_dir() else []


def apply_changes(sources: list[ChangeSource], actor: User | None = None) -> list[LawChange]:
    """Record each change not recorded yet. Adds and flushes; the caller commits."""
    recorded = []
    for source in sources:
        law = law_by_key(key_of(source.law))
        if law is None:
            raise ContentError(source.path, None, f"'{source.law}' is not in the register")
        exists = db.session.scalar(sa.select(LawChange.id).where(
            LawChange.law_id == law.id, LawChange.article == source.article[:120],
            LawChange.changed_on == source.changed_on))
        if exists is None:
            change, _ = record_change(law, article=source.article, changed_on=source.changed_on,
                                      changed_by=source.changed_by, summary=source.summary,
                                      actor=actor)
            recorded.append(change)
    return recorded
