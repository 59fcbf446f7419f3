"""Bringing a question bank into a module's quiz: read, convert, preview, then save a draft.

`read_bank` turns the uploaded bytes into BankQuestions (GIFT, Moodle XML or Aiken, guessed from
the name and the content when not given); `plan_import` converts them against the quiz's current
questions and writes nothing; `apply_import` adds the converted questions after the questions the
quiz already has, as a new draft revision (never published, never replacing a question a person
wrote), stores embedded images like studio uploads, and records one audit event with the figures.
The caller commits, or rolls back on any error.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa

from learning import audit
from learning.content.errors import ContentError
from learning.content.quiz_format import QuizDocument, parse_quiz, quiz_to_markdown
from learning.content.revisions import latest_quiz_revision, save_quiz_revision
from learning.extensions import db
from learning.models import Course, Module, Quiz, StagedImport, User, utcnow
from .aiken import read_aiken
from .convert import Conversion, ImageStore, convert_bank
from .gift import read_gift
from .model import LOST, REFUSED, BankError, BankQuestion
from .moodle_xml import read_moodle_xml

STAGED_KIND = "question_bank"
FORMATS = ("gift", "moodle_xml", "aiken")
FORMAT_LABELS = {"gift": "GIFT", "moodle_xml": "Moodle XML", "aiken": "Aiken"}
MAX_BYTES = 8 * 1024 * 1024
MAX_QUIZ_CHARS = 400_000


def detect_format(filename: str, data: bytes) -> str:
    """'moodle_xml' for XML, 'aiken' for ANSWER: lines without braces, else 'gift'."""
    name = (filename or "").lower()
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".xml") or head.startswith(b"<"):
        return "moodle_xml"
    if name.endswith(".gift"):
        return "gift"
    text = data[:200_000].decode("utf-8", "replace")
    has_answer_lines = any(line.strip().upper().startswith("ANSWER:") for line in text.splitlines())
    return "aiken" if has_answer_lines and "{" not in text else "gift"


def read_bank(data: bytes, filename: str, fmt: str | None = None) -> tuple[str, list[BankQuestion]]:
    """(format, questions) of an uploaded file; BankError when the file cannot be read at all."""
    if len(data) > MAX_BYTES:
        raise BankError([(filename, "too_large", {"limit": MAX_BYTES})])
    if b"\x00" in data:
        raise BankError([(filename, "nul_bytes", {})])
    fmt = fmt if fmt in FORMATS else detect_format(filename, data)
    if fmt == "moodle_xml":
        return fmt, read_moodle_xml(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BankError([(filename, "not_utf8", {})]) from None
    questions = read_aiken(text, filename) if fmt == "aiken" else read_gift(text, filename)
    if not questions:
        raise BankError([(filename, "empty_file", {})])
    return fmt, questions


def find_module(module_ref: str) -> Module | None:
    course_slug, _, module_slug = module_ref.partition("/")
    return db.session.scalar(sa.select(Module).join(Course).where(
        Course.slug == course_slug, Module.slug == module_slug))


def _quiz_of(module: Module) -> Quiz | None:
    return db.session.scalar(sa.select(Quiz).where(Quiz.module_id == module.id))


def current_document(module: Module) -> QuizDocument:
    """The quiz as its latest revision has it (a draft included), or a new empty one."""
    quiz = _quiz_of(module)
    latest = latest_quiz_revision(quiz) if quiz is not None else None
    if latest is not None:
        return parse_quiz(latest.source, f"quizzes/{module.course.slug}/{module.slug}.md")
    slug = quiz.slug if quiz is not None else _free_quiz_slug(f"{module.slug}-kuis")
    title = quiz.title if quiz is not None else f"Kuis {module.title}"
    return QuizDocument(slug=slug, module_ref=f"{module.course.slug}/{module.slug}", title=title)


def _free_quiz_slug(slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3` ... when another module's quiz already has it."""
    taken = set(db.session.scalars(sa.select(Quiz.slug).where(Quiz.slug.like(f"{slug}%"))))
    candidate, counter = slug, 1
    while candidate in taken:
        counter += 1
        candidate = f"{slug}-{counter}"
    return candidate


@dataclass
class Plan:
    fmt: str
    filename: str
    conversion: Conversion
    existing: int  # questions the quiz already has (kept, before the imported ones)

    @property
    def imported(self) -> int:
        return len(self.conversion.questions)

    @property
    def needs_acceptance(self) -> bool:
        return self.conversion.has_losses

    def figures(self) -> dict:
        c = self.conversion
        return {"total": len(c.outcomes), "imported": self.imported, "kept": c.count("kept"),
                "changed": c.count("changed"), "lost": c.count(LOST), "refused": c.count(REFUSED),
                "existing": self.existing}


def plan_import(module: Module, data: bytes, filename: str, fmt: str | None = None,
                store_image: ImageStore | None = None) -> Plan:
    """What importing the file would do. Writes nothing unless `store_image` does."""
    fmt, bank = read_bank(data, filename, fmt)
    document = current_document(module)
    conversion = convert_bank(bank, taken={q.slug for q in document.questions},
                              store_image=store_image)
    return Plan(fmt, filename, conversion, len(document.questions))


def stage_bank(module: Module, plan: Plan, data: bytes, user: User) -> StagedImport:
    """Keep an uploaded bank and its report until the trainer confirms (any app server can
    confirm it). The report holds figures and codes, so it is shown in the reader's language."""
    def notes(rows):
        return [[n.kind, n.where, n.code, n.params] for n in rows]

    report = {
        "kind": STAGED_KIND, "module_id": module.id, "format": plan.fmt,
        "figures": plan.figures(), "needs_acceptance": plan.needs_acceptance,
        "outcomes": [{"where": o.where, "status": o.status, "moodle": o.qtype,
                      "type": o.question.type if o.question else None,
                      "slug": o.question.slug if o.question else None, "notes": notes(o.notes)}
                     for o in plan.conversion.outcomes],
        "file_notes": notes(plan.conversion.file_notes),
    }
    staged = StagedImport(id=secrets.token_urlsafe(24), user_id=user.id,
                          filename=plan.filename[:200], sha256=hashlib.sha256(data).hexdigest(),
                          data=data, report=report, created_at=utcnow())
    db.session.add(staged)
    db.session.flush()
    return staged


class ImportRefused(Exception):
    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


def apply_import(module: Module, data: bytes, filename: str, actor: User | None, *,
                 fmt: str | None = None, accept_losses: bool = False,
                 store_image: ImageStore | None = None):
    """Add the converted questions to the module's quiz as a new draft revision.

    Raises ImportRefused('losses') when something would be lost and the trainer has not
    accepted it, ImportRefused('nothing_imported') when no question converts."""
    plan = plan_import(module, data, filename, fmt, store_image)
    if not plan.imported:
        raise ImportRefused("nothing_imported")
    if plan.needs_acceptance and not accept_losses:
        raise ImportRefused("losses")
    quiz = _quiz_of(module)
    document = current_document(module)
    if quiz is None:
        from learning.studio.quizzes import create_quiz

        quiz = create_quiz(module, slug=document.slug, title=document.title, actor=actor)
    document.questions = document.questions + plan.conversion.questions
    markdown = quiz_to_markdown(document)
    if len(markdown) > MAX_QUIZ_CHARS:
        raise ImportRefused("source_too_long", limit=MAX_QUIZ_CHARS)
    path = f"quizzes/{module.course.slug}/{module.slug}.md"
    checked = parse_quiz(markdown, path)  # must read back as written; ContentError otherwise
    label = FORMAT_LABELS[plan.fmt]
    try:
        revision = save_quiz_revision(quiz, checked, markdown, actor,
                                      note=f"Impor {label}: {filename}"[:300])
    except RecursionError:  # Markdown nested thousands of levels deep cannot be rendered
        raise ImportRefused("too_deep") from None
    figures = plan.figures()
    audit.record(actor, audit.IMPORT, "quiz", quiz.id, quiz.slug,
                 f"revisi {revision.number} (draf) dari {filename} ({label}): "
                 f"{figures['imported']} soal diimpor ({figures['changed']} diubah, "
                 f"{figures['lost']} dengan bagian hilang), {figures['refused']} ditolak")
    return plan, quiz, revision


def image_checker() -> Callable[[str, bytes], str]:
    """For a preview: check an embedded image as an upload would be checked, store nothing."""
    from learning.studio.media import MediaError, prepare_image

    def check(name: str, data: bytes) -> str:
        try:
            prepare_image(data)
        except MediaError as exc:
            raise ValueError(exc.code) from None
        return f"@@PREVIEW@@/{name}"
    return check


def image_storer(actor: User | None, media_root: str | None) -> Callable[[str, bytes], str]:
    """For the import itself: store an embedded image like a studio upload; its URL."""
    from learning.studio.media import MediaError, store_image

    def store(name: str, data: bytes) -> str:
        try:
            return store_image(data, uploader=actor, original_name=name,
                               media_root=media_root).image.path
        except MediaError as exc:
            raise ValueError(exc.code) from None
    return store


__all__ = ["BankError", "ContentError", "FORMATS", "ImportRefused", "Plan", "apply_import",
           "detect_format", "find_module", "image_checker", "image_storer", "plan_import",
           "read_bank"]
