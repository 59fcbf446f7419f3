"""Keeping the curriculum legally current: find every citation of a law, and list stale modules.

When a law is amended (UU 6/2011 by UU 63/2024; the new KUHP from 2 January 2026), a trainer
searches "UU 6/2011 Pasal 120" and gets every module that lists it in its legal references or
mentions it in its text, and every quiz question whose `law:` or text cites it, in the published
and in the draft revisions. `modules_due_for_review` lists modules whose `reviewed` date is
missing or older than the review period.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Course, Module, ModuleRevision, Quiz, QuizRevision

MAX_LINE_MATCHES = 5
_SPACES = re.compile(r"\s+")
_LONG_FORM = re.compile(
    r"\b(uu|pp|perpres|permen\w*)\s+(?:nomor|no\.?)\s*(\d+)\s+tahun\s+(\d{4})\b")


def normalise_reference(text: str) -> str:
    """Lowercase, single spaces, and the long form 'Undang-Undang Nomor 6 Tahun 2011' read as
    'uu 6/2011'."""
    text = _SPACES.sub(" ", (text or "").lower()).strip()
    text = re.sub(r"\bundang[- ]undang\b", "uu", text)
    text = re.sub(r"\bperaturan pemerintah\b", "pp", text)
    return _LONG_FORM.sub(lambda m: f"{m.group(1)} {m.group(2)}/{m.group(3)}", text)


def reference_pattern(query: str) -> re.Pattern | None:
    """Matches the normalised query as whole words: 'Pasal 12' does not find 'Pasal 120'."""
    needle = normalise_reference(query)
    if not needle:
        return None
    return re.compile(r"(?<![0-9a-z])" + re.escape(needle).replace(r"\ ", " ") + r"(?![0-9a-z])")


def _cites(pattern: re.Pattern, text: str | None) -> bool:
    return bool(text) and pattern.search(normalise_reference(text)) is not None


def _matching_lines(pattern: re.Pattern, source: str) -> list[tuple[int, str]]:
    hits = []
    for number, line in enumerate((source or "").splitlines(), start=1):
        if _cites(pattern, line):
            hits.append((number, line.strip()[:240]))
            if len(hits) >= MAX_LINE_MATCHES:
                break
    return hits


@dataclass
class LawMatch:
    """One module or one quiz question that cites the searched reference."""

    kind: str  # "module" or "question"
    module: Module
    quiz: Quiz | None = None
    question_slug: str = ""
    laws: list[str] = field(default_factory=list)  # matching entries of the legal references
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line, text) in the Markdown
    in_published: bool = False
    in_draft: bool = False  # cited in a newer, unpublished revision


def _latest_revisions(model, owner_column) -> dict[int, object]:
    newest = (sa.select(owner_column.label("owner"), sa.func.max(model.number).label("number"))
              .group_by(owner_column).subquery())
    rows = db.session.scalars(sa.select(model).join(
        newest, sa.and_(owner_column == newest.c.owner, model.number == newest.c.number)))
    return {getattr(row, owner_column.key): row for row in rows}


def _module_match(pattern, module: Module, revision: ModuleRevision) -> LawMatch | None:
    laws = [law for law in (revision.laws or []) if _cites(pattern, law)]
    lines = _matching_lines(pattern, revision.source)
    if not laws and not lines:
        return None
    return LawMatch("module", module, laws=laws, lines=lines)


def _question_matches(pattern, quiz: Quiz, revision: QuizRevision) -> dict[str, LawMatch]:
    found = {}
    for question in revision.questions or []:
        law = question.get("law") or ""
        text = "\n".join(filter(None, [question.get("prompt"), question.get("explanation")]))
        lines = [(question.get("line") or 0, line) for _, line in _matching_lines(pattern, text)]
        if _cites(pattern, law) or lines:
            found[question["slug"]] = LawMatch(
                "question", quiz.module, quiz=quiz, question_slug=question["slug"],
                laws=[law] if _cites(pattern, law) else [], lines=lines)
    return found


def _merge(published: dict, draft: dict) -> list[LawMatch]:
    merged = []
    for key in list(published) + [k for k in draft if k not in published]:
        match = published.get(key) or draft[key]
        match.in_published = key in published
        match.in_draft = key in draft
        merged.append(match)
    return merged


def law_search(query: str, include_retired: bool = False) -> list[LawMatch]:
    """Modules, then quiz questions, citing `query` in a published or a newer draft revision."""
    pattern = reference_pattern(query)
    if pattern is None:
        return []
    modules = list(db.session.scalars(
        sa.select(Module).join(Course).order_by(Course.position, Course.title, Module.position)))
    if not include_retired:
        modules = [m for m in modules if m.retired_at is None]
    latest = _latest_revisions(ModuleRevision, ModuleRevision.module_id)
    results: list[LawMatch] = []
    for module in modules:
        published, draft = {}, {}
        if module.published_revision is not None:
            if match := _module_match(pattern, module, module.published_revision):
                published[module.id] = match
        newest = latest.get(module.id)
        if newest is not None and newest.id != module.published_revision_id:
            if match := _module_match(pattern, module, newest):
                draft[module.id] = match
        results += _merge(published, draft)
    quizzes = {q.module_id: q for q in db.session.scalars(sa.select(Quiz))}
    latest_quiz = _latest_revisions(QuizRevision, QuizRevision.quiz_id)
    for module in modules:
        quiz = quizzes.get(module.id)
        if quiz is None:
            continue
        published = (_question_matches(pattern, quiz, quiz.published_revision)
                     if quiz.published_revision is not None else {})
        newest = latest_quiz.get(quiz.id)
        draft = (_question_matches(pattern, quiz, newest)
                 if newest is not None and newest.id != quiz.published_revision_id else {})
        results += _merge(published, draft)
    return results


# --------------------------------------------------------------------------- review dates


@dataclass(frozen=True)
class ReviewDue:
    module: Module
    reviewed: date | None
    days_since: int | None  # None when it was never reviewed
    draft_reviewed: date | None  # a newer reviewed date waiting in an unpublished draft


def is_review_due(reviewed: date | None, today: date, period_days: int) -> bool:
    return reviewed is None or (today - reviewed).days > period_days


def modules_due_for_review(today: date, period_days: int) -> list[ReviewDue]:
    """Live modules (published, not retired) never reviewed, or reviewed too long ago; oldest
    first."""
    modules = db.session.scalars(
        sa.select(Module).join(Course)
        .where(Module.is_live)
        .order_by(Course.position, Module.position))
    latest = _latest_revisions(ModuleRevision, ModuleRevision.module_id)
    due = []
    for module in modules:
        if not is_review_due(module.reviewed, today, period_days):
            continue
        newest = latest.get(module.id)
        waiting = newest is not None and newest.id != module.published_revision_id
        pending = newest.reviewed if waiting and newest.reviewed != module.reviewed else None
        due.append(ReviewDue(module=module, reviewed=module.reviewed,
                             days_since=(today - module.reviewed).days if module.reviewed else None,
                             draft_reviewed=pending))
    due.sort(key=lambda d: (d.reviewed is not None, d.reviewed or date.min))
    return due
