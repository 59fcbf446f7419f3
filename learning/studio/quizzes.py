"""The studio's quiz editing: Markdown checked by the quiz parser, drafts, publishing, history.

The same rules as for modules (learning.studio.authoring): a save adds a revision, publishing points the
quiz at one, restoring copies an old one. Attempts keep the revision they were taken on, so
publishing a new revision never changes a past score.
"""
from __future__ import annotations

import sqlalchemy as sa

from learning import audit
from learning.content.errors import ContentError
from learning.content.front_matter import meta_line
from learning.content.quiz_format import QuizDocument, is_slug, parse_quiz
from learning.extensions import db
from learning.models import Module, Quiz, QuizRevision, User
from learning.content.revisions import latest_quiz_revision, publish_quiz_revision, save_quiz_revision
from .authoring import (MAX_SOURCE_CHARS,
    RevisionSaved,
    StudioError,
    check_base,
    module_label,
    normalise_source)


def quiz_path(module: Module) -> str:
    """Where the quiz lives in the exchange format; errors name this file."""
    return f"quizzes/{module.course.slug}/{module.slug}.md"


def create_quiz(module: Module, *, slug: str, title: str, actor: User | None) -> Quiz:
    """An empty quiz for a module (officers see it once a revision is published)."""
    slug = (slug or "").strip()
    if not is_slug(slug):
        raise StudioError("bad_quiz_slug")
    if db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == slug)) is not None:
        raise StudioError("slug_taken", slug=slug)
    if db.session.scalar(sa.select(Quiz.id).where(Quiz.module_id == module.id)) is not None:
        raise StudioError("module_has_quiz")
    quiz = Quiz(slug=slug, module_id=module.id, title=title.strip())
    db.session.add(quiz)
    db.session.flush()
    audit.record(actor, audit.CREATE, "quiz", quiz.id, slug,
                 f"{module_label(module)}: {quiz.title}")
    return quiz


def quiz_starter_source(quiz: Quiz) -> str:
    """A first, valid quiz to edit: the settings and one example question."""
    return (f"---\nslug: {quiz.slug}\nmodule: {module_label(quiz.module)}\ntitle: {quiz.title}\n"
            "pass_mark: 70\nmax_attempts: 0\nshuffle: true\ntime_limit: 0\n---\n\n"
            "## contoh-pertanyaan\ntype: single\nlaw: UU 21/2007 Pasal 1 angka 1\n"
            "Tulis pertanyaan di sini.\n\n- [x] Jawaban benar\n- [ ] Jawaban salah\n\n"
            "> Penjelasan yang ditampilkan setelah menjawab.\n")


def check_quiz_source(quiz: Quiz, source: str) -> QuizDocument:
    """Parse quiz Markdown edited in the browser; raise ContentError naming the line."""
    path = quiz_path(quiz.module)
    if len(source) > MAX_SOURCE_CHARS:
        raise ContentError(path, None, f"the quiz is longer than {MAX_SOURCE_CHARS} characters")
    document = parse_quiz(source, path)
    if document.slug != quiz.slug:
        raise ContentError(path, meta_line(source, "slug"),
                           f"slug must stay '{quiz.slug}' (it identifies this quiz)")
    expected = module_label(quiz.module)
    if document.module_ref != expected:
        raise ContentError(path, meta_line(source, "module"),
                           f"module must stay '{expected}'")
    return document


def save_quiz_draft(quiz: Quiz, source: str, actor: User | None, note: str = "",
                    base_number: int | None = None) -> RevisionSaved:
    """Validate and save quiz Markdown as the quiz's next revision (a draft). Two saves of one
    quiz run one after the other (the quiz row is locked), so the second sees the first's
    revision and gets the conflict instead of a duplicate revision number."""
    db.session.execute(sa.select(Quiz.id).where(Quiz.id == quiz.id).with_for_update())
    latest = latest_quiz_revision(quiz)
    check_base(latest, base_number)
    source = normalise_source(source)
    document = check_quiz_source(quiz, source)
    if latest is not None and latest.source == source:
        return RevisionSaved(latest, created=False)
    revision = save_quiz_revision(quiz, document, source, actor, note=note.strip())
    audit.record(actor, audit.EDIT, "quiz", quiz.id, quiz.slug,
                 f"revisi {revision.number}" + (f": {revision.note}" if revision.note else ""))
    return RevisionSaved(revision, created=True)


def publish_quiz(quiz: Quiz, revision: QuizRevision, actor: User | None) -> None:
    """Officers' next attempts use `revision`; past attempts keep the revision they were on."""
    if revision.quiz_id != quiz.id:
        raise StudioError("wrong_revision")
    publish_quiz_revision(quiz, revision)
    audit.record(actor, audit.PUBLISH, "quiz", quiz.id, quiz.slug, f"revisi {revision.number}")


def restore_quiz_revision(quiz: Quiz, revision: QuizRevision, actor: User | None) -> QuizRevision:
    if revision.quiz_id != quiz.id:
        raise StudioError("wrong_revision")
    document = check_quiz_source(quiz, revision.source)
    restored = save_quiz_revision(quiz, document, revision.source, actor,
                                  note=f"Dipulihkan dari revisi {revision.number}")
    audit.record(actor, audit.RESTORE, "quiz", quiz.id, quiz.slug,
                 f"revisi {revision.number} → revisi {restored.number}")
    return restored


def quiz_revisions(quiz: Quiz) -> list[QuizRevision]:
    return list(db.session.scalars(sa.select(QuizRevision).where(QuizRevision.quiz_id == quiz.id)
                                   .order_by(QuizRevision.number.desc())))


def quiz_revision(quiz: Quiz, number: int) -> QuizRevision | None:
    return db.session.scalar(sa.select(QuizRevision).where(
        QuizRevision.quiz_id == quiz.id, QuizRevision.number == number))
