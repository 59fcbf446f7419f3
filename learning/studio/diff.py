"""A readable difference between two revisions: changed metadata, then a line diff of the text."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from learning.models import ModuleRevision, QuizRevision

CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "ctx", "add" or "del"
    old_no: int | None
    new_no: int | None
    text: str


@dataclass(frozen=True)
class DiffHunk:
    old_start: int
    new_start: int
    lines: list[DiffLine]


@dataclass(frozen=True)
class FieldChange:
    name: str  # "title", "minutes", "laws", "reviewed", "pass_mark", ...
    old: str
    new: str
    added: list[str] = field(default_factory=list)  # for lists: entries only in the new one
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RevisionDiff:
    old_number: int
    new_number: int
    fields: list[FieldChange]
    hunks: list[DiffHunk]

    @property
    def added(self) -> int:
        return sum(1 for h in self.hunks for line in h.lines if line.kind == "add")

    @property
    def removed(self) -> int:
        return sum(1 for h in self.hunks for line in h.lines if line.kind == "del")

    @property
    def identical(self) -> bool:
        return not self.fields and not self.hunks


def text_diff(old: str, new: str, context: int = CONTEXT_LINES) -> list[DiffHunk]:
    """Line diff of two texts, grouped into hunks with `context` unchanged lines around."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("ctx", i + 1, j + 1, old_lines[i])
                          for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("del", i + 1, None, old_lines[i]) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("add", None, j + 1, new_lines[j]) for j in range(j1, j2)]
        hunks.append(DiffHunk(old_start=group[0][1] + 1, new_start=group[0][3] + 1, lines=lines))
    return hunks


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _changes(old, new, names: tuple[str, ...]) -> list[FieldChange]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, list) or isinstance(after, list):
            before, after = list(before or []), list(after or [])
            if before != after:
                changes.append(FieldChange(name, _plain(before), _plain(after),
                                           added=[x for x in after if x not in before],
                                           removed=[x for x in before if x not in after]))
        elif before != after:
            changes.append(FieldChange(name, _plain(before), _plain(after)))
    return changes


def module_diff(old: ModuleRevision, new: ModuleRevision) -> RevisionDiff:
    """What changed from `old` to `new`: title, minutes, laws, reviewed date, and the text."""
    return RevisionDiff(old_number=old.number, new_number=new.number,
                        fields=_changes(old, new, ("title", "minutes", "laws", "reviewed")),
                        hunks=text_diff(old.source, new.source))


def quiz_diff(old: QuizRevision, new: QuizRevision) -> RevisionDiff:
    """What changed between two quiz revisions: the settings, the question count, the Markdown."""
    fields = _changes(old, new, ("title", "pass_mark", "max_attempts", "draw", "shuffle",
                                 "time_limit"))
    if len(old.questions or []) != len(new.questions or []):
        fields.append(FieldChange("questions", str(len(old.questions or [])),
                                  str(len(new.questions or []))))
    return RevisionDiff(old_number=old.number, new_number=new.number, fields=fields,
                        hunks=text_diff(old.source, new.source))
