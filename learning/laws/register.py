"""The register of laws: one Markdown file per law in `laws/`, read, checked and imported like the
courses, and written back out from a studio edit.

```markdown
---
citation: UU 21/2007
title: Pemberantasan Tindak Pidana Perdagangan Orang
date: 2007-04-19
status: berlaku            # berlaku | diubah | diganti | dicabut
amended_by: [UU 63/2024]   # optional
replaced_by: ""            # optional
source: https://...        # where the official text is
checked: 2026-12-03        # when this entry was last compared with the official text
aliases: [UU TPPO]         # other names a citation may use
---
Notes in Markdown.
```

The key a citation resolves to is computed from `citation` ("uu-21-2007"). An import never
overwrites an entry a trainer edited in the studio since the last import: it reports it as kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml

from learning import audit
from learning.content.errors import ContentError
from learning.content.front_matter import meta_line, split_front_matter
from learning.content.rendering import render_markdown
from learning.extensions import db
from learning.models import Law, User, utcnow
from learning.models.laws import LAW_STATUSES
from .citations import normalise, parse_citation

REGISTER_DIR = "laws"
SHIPPED_REGISTER = Path(__file__).resolve().parents[2] / REGISTER_DIR


@dataclass
class LawSource:
    path: str
    key: str
    citation: str
    title: str
    enacted: date | None
    status: str
    amended_by: list[str]
    replaced_by: str
    source_url: str
    checked: date | None
    aliases: list[str]
    notes: str
    text: str

    def values(self) -> dict:
        return dict(citation=self.citation, title=self.title, enacted=self.enacted,
                    status=self.status, amended_by=list(self.amended_by),
                    replaced_by=self.replaced_by, source_url=self.source_url,
                    checked=self.checked, aliases=list(self.aliases), notes=self.notes)


@dataclass
class Register:
    laws: dict[str, LawSource] = field(default_factory=dict)

    def aliases(self) -> dict[str, str]:
        return alias_map((law.key, law.aliases) for law in self.laws.values())


def alias_map(entries) -> dict[str, str]:
    """Normalised alias -> key, from (key, aliases) pairs."""
    return {normalise(alias): key for key, aliases in entries for alias in aliases or []
            if normalise(alias)}


def _list(value) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def key_of(citation: str) -> str | None:
    return parse_citation(citation).key


def parse_law(text: str, path: str) -> LawSource:
    """One register file; raises ContentError(path, line, reason) at the first problem."""
    doc = split_front_matter(text, path)
    meta = doc.meta
    citation = str(meta.get("citation") or "").strip()
    title = str(meta.get("title") or "").strip()
    if not citation:
        raise ContentError(path, meta_line(text, "citation"), "'citation' is required")
    aliases = _list(meta.get("aliases"))
    if aliases is None:
        raise ContentError(path, meta_line(text, "aliases"), "'aliases' must be a list")
    key = key_of(citation) or (normalise(aliases[0]).replace(" ", "-") if aliases else None)
    if not key:
        raise ContentError(path, meta_line(text, "citation"),
                           f"'{citation}' names no law (write e.g. 'UU 21/2007') and has no alias")
    if not title:
        raise ContentError(path, meta_line(text, "title"), "'title' is required")
    status = str(meta.get("status") or "berlaku").strip()
    if status not in LAW_STATUSES:
        raise ContentError(path, meta_line(text, "status"),
                           f"'status' must be one of {', '.join(LAW_STATUSES)}")
    for name in ("date", "checked"):
        if meta.get(name) not in (None, "") and not isinstance(meta.get(name), date):
            raise ContentError(path, meta_line(text, name),
                               f"'{name}' must be a date written YYYY-MM-DD")
    amended = _list(meta.get("amended_by"))
    if amended is None:
        raise ContentError(path, meta_line(text, "amended_by"), "'amended_by' must be a list")
    return LawSource(
        path=path, key=key, citation=citation, title=title, enacted=meta.get("date") or None,
        status=status, amended_by=amended, replaced_by=str(meta.get("replaced_by") or "").strip(),
        source_url=str(meta.get("source") or "").strip(), checked=meta.get("checked") or None,
        aliases=aliases, notes=doc.body.strip(), text=text)


def read_register(folder: Path) -> Register:
    """Every `*.md` in `folder`; raises the first ContentError, or one for a key used twice."""
    register = Register()
    for path in sorted(Path(folder).glob("*.md")):
        law = parse_law(path.read_text(encoding="utf-8"), str(path))
        if law.key in register.laws:
            raise ContentError(str(path), meta_line(law.text, "citation"),
                               f"'{law.citation}' is also in {register.laws[law.key].path}")
        register.laws[law.key] = law
    return register


def register_folder(root: Path | None) -> Path:
    """`root/laws` when the curriculum folder has one, else the shipped register."""
    if root is not None and (Path(root) / REGISTER_DIR).is_dir():
        return Path(root) / REGISTER_DIR
    return SHIPPED_REGISTER


def law_file_text(law: Law) -> str:
    """The register file for `law` as it stands in the database (a studio edit, to commit)."""
    meta = {"citation": law.citation, "title": law.title}
    if law.enacted:
        meta["date"] = law.enacted
    meta["status"] = law.status
    if law.amended_by:
        meta["amended_by"] = list(law.amended_by)
    if law.replaced_by:
        meta["replaced_by"] = law.replaced_by
    meta["source"] = law.source_url or ""
    if law.checked:
        meta["checked"] = law.checked
    if law.aliases:
        meta["aliases"] = list(law.aliases)
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return f"---\n{head}---\n{law.notes.strip()}\n" if law.notes.strip() else f"---\n{head}---\n"


@dataclass
class RegisterReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in the studio: not overwritten


def apply_law(law: Law, values: dict) -> None:
    for name, value in values.items():
        setattr(law, name, value)
    law.notes_html = render_markdown(law.notes).html if law.notes else ""


def import_register(register: Register, actor: User | None = None) -> RegisterReport:
    """Create or update a Law row per file. Adds and flushes; the caller commits. Like the
    curriculum import, it leaves no audit rows: the files' history is the repository's."""
    report = RegisterReport()
    existing = {law.key: law for law in db.session.scalars(sa.select(Law))}
    for key, source in register.laws.items():
        law = existing.get(key)
        if law is None:
            law = Law(key=key)
            apply_law(law, source.values())
            law.file_text, law.imported_at = source.text, utcnow()
            db.session.add(law)
            report.created.append(key)
            continue
        if law.edited_at is not None and (law.imported_at is None or law.edited_at > law.imported_at):
            report.kept.append(key)  # a trainer's edit since the last import wins
            continue
        if law.file_text == source.text:
            report.unchanged.append(key)
            continue
        apply_law(law, source.values())
        law.file_text, law.imported_at = source.text, utcnow()
        report.updated.append(key)
    db.session.flush()
    return report


def edit_law(law: Law, values: dict, actor: User | None) -> None:
    """A trainer's edit in the studio: kept over later imports until laws/ holds the same."""
    changed = [name for name, value in values.items() if getattr(law, name) != value]
    apply_law(law, values)
    law.edited_at, law.edited_by_id = utcnow(), actor.id if actor else None
    audit.record(actor, audit.CREATE if law.id is None else audit.EDIT, "law", law.id,
                 law.citation, ", ".join(changed))
    db.session.flush()


def create_law(values: dict, actor: User | None) -> Law:
    key = key_of(values["citation"]) or normalise(values["citation"]).replace(" ", "-")
    law = Law(key=key)
    db.session.add(law)
    apply_law(law, values)
    law.edited_at, law.edited_by_id = utcnow(), actor.id if actor else None
    db.session.flush()
    audit.record(actor, audit.CREATE, "law", law.id, law.citation, "")
    return law


def law_by_key(key: str) -> Law | None:
    return db.session.scalar(sa.select(Law).where(Law.key == key))


def db_aliases() -> dict[str, str]:
    return alias_map(db.session.execute(sa.select(Law.key, Law.aliases)).all())
