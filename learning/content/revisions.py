"""Saving and publishing revisions of modules and quizzes.

A save always adds a new revision (history is never rewritten); publishing points the module or
quiz at one revision. Officers only ever see published revisions. These functions add and flush;
the caller commits.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from .rendering import render_inline, render_markdown
from learning.extensions import db
from learning.models import Module, ModuleRevision, Quiz, QuizRevision, User


def latest_module_revision(module: Module) -> ModuleRevision | None:
    return db.session.scalar(
        sa.select(ModuleRevision).where(ModuleRevision.module_id == module.id)
        .order_by(ModuleRevision.number.desc()).limit(1)
    )


def module_revision_matches(revision: ModuleRevision | None, *, title: str, minutes: int,
                            laws: list[str], reviewed: date | None, source: str) -> bool:
    """True when `revision` already holds exactly this text and metadata."""
    return (revision is not None and revision.source == source and revision.title == title
            and revision.minutes == minutes and list(revision.laws or []) == list(laws)
            and revision.reviewed == reviewed)


def save_module_revision(module: Module, *, title: str, minutes: int, laws: list[str],
                         reviewed: date | None, source: str, author: User | None,
                         note: str = "", substantive: bool = False,
                         file_sha256: str | None = None) -> ModuleRevision:
    """Render and sanitise `source` once and store it as the module's next revision (a draft)."""
    if module.id is None:
        db.session.flush()
    previous = latest_module_revision(module)
    rendered = render_markdown(source)
    revision = ModuleRevision(
        module_id=module.id, number=(previous.number + 1) if previous else 1, title=title,
        minutes=minutes, laws=list(laws), reviewed=reviewed, source=source, html=rendered.html,
        toc_html=rendered.toc_html, note=note[:300], substantive=substantive,
        author_id=author.id if author else None,
        origin="file" if file_sha256 else "studio", file_sha256=file_sha256,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def publish_module_revision(module: Module, revision: ModuleRevision) -> None:
    """Make `revision` the text officers read, and mirror its metadata onto the module."""
    module.published_revision_id = revision.id
    module.title = revision.title
    module.minutes = revision.minutes
    module.laws = list(revision.laws or [])
    module.reviewed = revision.reviewed
    db.session.flush()


def rendered_questions(document) -> list[dict]:
    """The questions of a parsed quiz as JSON-safe dicts, each with its pre-rendered safe HTML."""
    rendered = []
    for question in document.questions:
        data = question.to_dict()
        data["html"] = {
            "prompt": render_markdown(question.prompt).html,
            "explanation": render_markdown(question.explanation).html if question.explanation else "",
            "options": [render_inline(option.text) for option in question.options],
            "pairs": [[render_inline(left), render_inline(right)] for left, right in question.pairs],
            "distractors": [render_inline(extra) for extra in question.distractors],
            "items": [render_inline(item) for item in question.items],
        }
        rendered.append(data)
    return rendered


def latest_quiz_revision(quiz: Quiz) -> QuizRevision | None:
    return db.session.scalar(
        sa.select(QuizRevision).where(QuizRevision.quiz_id == quiz.id)
        .order_by(QuizRevision.number.desc()).limit(1)
    )


def save_quiz_revision(quiz: Quiz, document, source: str, author: User | None,
                       note: str = "", file_sha256: str | None = None) -> QuizRevision:
    """Store a parsed quiz (`QuizDocument`) and its Markdown as the quiz's next revision."""
    if quiz.id is None:
        db.session.flush()
    previous = latest_quiz_revision(quiz)
    revision = QuizRevision(
        quiz_id=quiz.id, number=(previous.number + 1) if previous else 1, title=document.title,
        source=source, pass_mark=document.pass_mark, max_attempts=document.max_attempts,
        draw=document.draw, shuffle=document.shuffle, time_limit=document.time_limit,
        review=document.review,
        questions=rendered_questions(document), note=note[:300],
        author_id=author.id if author else None,
        origin="file" if file_sha256 else "studio", file_sha256=file_sha256,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def publish_quiz_revision(quiz: Quiz, revision: QuizRevision) -> None:
    quiz.published_revision_id = revision.id
    quiz.title = revision.title
    db.session.flush()
