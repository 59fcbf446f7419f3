"""The trainer studio: create and edit courses, modules and quizzes; drafts, publishing, history.

Saving always adds a revision (a draft); publishing points the module or quiz at one revision;
restoring copies an old revision into a new one. History is never rewritten, and officers only
ever see published revisions. Every change is written to the audit log in the same
transaction. Functions add and flush; the view commits.

Quizzes are edited through studio_quizzes, which follows the same rules. The readable diff
lives in revision_diff and the legal-currency views (law search, "Perlu ditinjau") in
legal_currency; both are re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from learning import audit
from learning.content.curriculum import SLUG_RE
from learning.content.markdown_limits import markdown_problem
from learning.content.rendering import render_markdown
from learning.extensions import db
from .legal_currency import is_review_due
from learning.models import Course, Module, ModuleRevision, Quiz, QuizRevision, User, utcnow
from learning.content.revisions import (latest_module_revision,
    module_revision_matches,
    publish_module_revision,
    save_module_revision)

MAX_SOURCE_CHARS = 200_000


class StudioError(ValueError):
    """A studio rule was broken. `code` names the rule; `params` fill in the message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def module_label(module: Module) -> str:
    return f"{module.course.slug}/{module.slug}"


# --------------------------------------------------------------------------- courses


def _check_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug):
        raise StudioError("bad_slug")
    return slug


def create_course(*, slug: str, title: str, actor: User | None, summary: str = "",
                  description: str = "", order: int | None = None,
                  validity_months: int | None = None) -> Course:
    """A new course, hidden from officers until it is shown (it has no modules yet)."""
    slug = _check_slug(slug)
    if db.session.scalar(sa.select(Course.id).where(Course.slug == slug)) is not None:
        raise StudioError("slug_taken", slug=slug)
    if order is None:
        order = (db.session.scalar(sa.select(sa.func.max(Course.position))) or 0) + 1
    course = Course(slug=slug, title=title.strip(), summary=summary.strip(), position=order,
                    validity_months=validity_months or None, published=False,
                    description_source=description.strip(),
                    description_html=render_markdown(description.strip()).html)
    db.session.add(course)
    db.session.flush()
    audit.record(actor, audit.CREATE, "course", course.id, course.slug, course.title)
    return course


def update_course(course: Course, *, title: str, summary: str, description: str, order: int,
                  validity_months: int | None, published: bool, actor: User | None,
                  jp: int | None = None) -> bool:
    """Change a course's details; return False (and record nothing) when nothing changed.
    `jp` None leaves the course's JP as it is."""
    values = dict(title=title.strip(), summary=summary.strip(), position=order,
                  validity_months=validity_months or None, published=published,
                  description_source=description.strip())
    if jp is not None:
        values["jp"] = jp
    changed = [key for key, value in values.items() if getattr(course, key) != value]
    if not changed:
        return False
    for key in changed:
        setattr(course, key, values[key])
    course.description_html = render_markdown(course.description_source).html
    db.session.flush()
    audit.record(actor, audit.EDIT, "course", course.id, course.slug, ", ".join(changed))
    return True


def delete_course(course: Course, actor: User | None) -> None:
    """Delete a course created by mistake. A course with modules keeps its history: retire them."""
    if db.session.scalar(sa.select(Module.id).where(Module.course_id == course.id).limit(1)):
        raise StudioError("course_not_empty")
    audit.record(actor, audit.DELETE, "course", course.id, course.slug, course.title)
    db.session.delete(course)
    db.session.flush()


# --------------------------------------------------------------------------- modules


def add_module(course: Course, *, slug: str, title: str, actor: User | None) -> Module:
    """A new module at the end of the course. It has no text yet, so officers do not see it."""
    slug = _check_slug(slug)
    taken = db.session.scalar(sa.select(Module.id).where(Module.course_id == course.id,
                                                         Module.slug == slug))
    if taken is not None:
        raise StudioError("slug_taken", slug=slug)
    last = db.session.scalar(sa.select(sa.func.max(Module.position))
                             .where(Module.course_id == course.id)) or 0
    module = Module(course_id=course.id, slug=slug, title=title.strip(), position=last + 1,
                    minutes=0, laws=[])
    db.session.add(module)
    db.session.flush()
    audit.record(actor, audit.CREATE, "module", module.id, f"{course.slug}/{slug}", module.title)
    return module


def _ordered_modules(course: Course) -> list[Module]:
    return list(db.session.scalars(sa.select(Module).where(Module.course_id == course.id)
                                   .order_by(Module.position, Module.id)))


def reorder_modules(course: Course, ordered_ids: list[int], actor: User | None) -> None:
    """Put the course's modules in this order (every module exactly once); positions 1..n."""
    modules = _ordered_modules(course)
    if sorted(ordered_ids) != sorted(m.id for m in modules):
        raise StudioError("bad_order")
    by_id = {m.id: m for m in modules}
    before = [m.id for m in modules]
    for position, module_id in enumerate(ordered_ids, start=1):
        by_id[module_id].position = position
    db.session.flush()
    db.session.expire(course, ["modules"])
    if before != list(ordered_ids):
        audit.record(actor, audit.REORDER, "course", course.id, course.slug,
                     ", ".join(by_id[i].slug for i in ordered_ids))


def move_module(module: Module, offset: int, actor: User | None) -> None:
    """Move a module up (offset -1) or down (+1) in its course."""
    ids = [m.id for m in _ordered_modules(module.course)]
    index = ids.index(module.id)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    reorder_modules(module.course, ids, actor)


def retire_module(module: Module, actor: User | None, effect: str = "") -> None:
    """Hide a module from officers for good. Its revisions and learners' progress stay."""
    if module.retired_at is None:
        module.retired_at = utcnow()
        db.session.flush()
        audit.record(actor, audit.RETIRE, "module", module.id, module_label(module),
                     module.title + (f": {effect}" if effect else ""))


def reinstate_module(module: Module, actor: User | None) -> None:
    if module.retired_at is not None:
        module.retired_at = None
        db.session.flush()
        audit.record(actor, audit.REINSTATE, "module", module.id, module_label(module),
                     module.title)


@dataclass(frozen=True)
class ModuleDraft:
    title: str
    minutes: int
    laws: list[str]
    reviewed: date | None
    source: str
    note: str = ""


def clean_laws(text_or_list) -> list[str]:
    """Legal references one per line (or a list), trimmed, blanks and repeats dropped."""
    lines = text_or_list.splitlines() if isinstance(text_or_list, str) else list(text_or_list)
    seen: list[str] = []
    for line in lines:
        law = " ".join(str(line).split())
        if law and law not in seen:
            seen.append(law)
    return seen


@dataclass(frozen=True)
class RevisionSaved:
    revision: ModuleRevision | QuizRevision | None
    created: bool  # False when the text was identical to the latest revision


def check_base(latest, base_number: int | None) -> None:
    """Refuse to save over a revision someone else saved after this editor was opened."""
    if base_number is None:
        return
    current = latest.number if latest else 0
    if current != base_number:
        author = getattr(latest, "author", None)
        raise StudioError("conflict", number=current, author=author.full_name if author else "",
                          kind="quiz" if isinstance(latest, QuizRevision) else "module")


def save_module_draft(module: Module, draft: ModuleDraft, actor: User | None,
                      base_number: int | None = None) -> RevisionSaved:
    """Save the editor's content as the module's next revision (a draft officers do not see).
    The module row is locked first, so concurrent saves from one revision give one conflict."""
    db.session.execute(sa.select(Module.id).where(Module.id == module.id).with_for_update())
    latest = latest_module_revision(module)
    check_base(latest, base_number)
    if len(draft.source) > MAX_SOURCE_CHARS:
        raise StudioError("too_long", limit=MAX_SOURCE_CHARS)
    problem = markdown_problem(draft.source)
    if problem is not None:
        raise StudioError("markdown", why=problem.describe())
    fields = dict(title=draft.title.strip(), minutes=draft.minutes, laws=clean_laws(draft.laws),
                  reviewed=draft.reviewed, source=normalise_source(draft.source))
    if module_revision_matches(latest, **fields):
        return RevisionSaved(latest, created=False)
    revision = save_module_revision(module, author=actor, note=draft.note.strip(), **fields)
    audit.record(actor, audit.EDIT, "module", module.id, module_label(module),
                 f"revisi {revision.number}" + (f": {revision.note}" if revision.note else ""))
    return RevisionSaved(revision, created=True)


def normalise_source(source: str) -> str:
    """Browser line endings to \\n, no surrounding blank space, one final newline: exactly what
    the importer stores for a module file's body, so export and import round-trip."""
    text = (source or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return text + "\n" if text else ""


def _notify_refresher(module: Module, revision: ModuleRevision) -> None:
    """Tell the certificates feature about a substantive change: officers who completed the module
    get it back (learning.certificates.refresher)."""
    from learning.certificates.refresher import mark_module_updated

    mark_module_updated(module, revision)


def publish_module(module: Module, revision: ModuleRevision, actor: User | None,
                   substantive: bool = False, effect: str = "") -> None:
    """Show `revision` to officers. A substantive change asks completed learners to re-read.
    `effect`: what it does to the figures, in words (learning.studio.publish_effect), logged."""
    if revision.module_id != module.id:
        raise StudioError("wrong_revision")
    if not revision.source.strip():
        raise StudioError("empty_module")
    if substantive:
        revision.substantive = True
    publish_module_revision(module, revision)
    audit.record(actor, audit.PUBLISH, "module", module.id, module_label(module),
                 f"revisi {revision.number}" + (" (substantif)" if substantive else "")
                 + (f": {effect}" if effect else ""))
    if substantive:
        _notify_refresher(module, revision)


def restore_module_revision(module: Module, revision: ModuleRevision,
                            actor: User | None) -> ModuleRevision:
    """A new draft revision holding exactly the old one's text and metadata."""
    if revision.module_id != module.id:
        raise StudioError("wrong_revision")
    restored = save_module_revision(
        module, title=revision.title, minutes=revision.minutes, laws=list(revision.laws or []),
        reviewed=revision.reviewed, source=revision.source, author=actor,
        note=f"Dipulihkan dari revisi {revision.number}")
    audit.record(actor, audit.RESTORE, "module", module.id, module_label(module),
                 f"revisi {revision.number} → revisi {restored.number}")
    return restored


def module_revisions(module: Module) -> list[ModuleRevision]:
    return list(db.session.scalars(sa.select(ModuleRevision)
                                   .where(ModuleRevision.module_id == module.id)
                                   .order_by(ModuleRevision.number.desc())))


def module_revision(module: Module, number: int) -> ModuleRevision | None:
    return db.session.scalar(sa.select(ModuleRevision).where(
        ModuleRevision.module_id == module.id, ModuleRevision.number == number))


# --------------------------------------------------------------------------- the overview

NEW, UNPUBLISHED, DRAFT, PUBLISHED, RETIRED = "new", "unpublished", "draft", "published", "retired"


def revision_state(latest_number: int | None, published_number: int | None,
                   retired: bool = False) -> str:
    """new (no text yet), unpublished (drafts only), draft (a newer draft waits), published."""
    if retired:
        return RETIRED
    if latest_number is None:
        return NEW
    if published_number is None:
        return UNPUBLISHED
    return DRAFT if latest_number > published_number else PUBLISHED


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    state: str
    latest_number: int | None
    published_number: int | None
    quiz: Quiz | None
    quiz_state: str | None
    review_due: bool


@dataclass(frozen=True)
class CourseRow:
    course: Course
    modules: list[ModuleRow]


def _latest_numbers(model, owner) -> dict[int, int]:
    """owner id -> its latest revision number."""
    return dict(tuple(row) for row in db.session.execute(
        sa.select(owner, sa.func.max(model.number)).group_by(owner)).all())


def studio_overview(today: date, review_period_days: int,
                    course: Course | None = None) -> list[CourseRow]:
    """Every course (or one) with its modules and quizzes, their draft/published state and
    review status."""
    module_numbers = _latest_numbers(ModuleRevision, ModuleRevision.module_id)
    published = dict(tuple(row) for row in db.session.execute(
        sa.select(Module.id, ModuleRevision.number)
        .join(ModuleRevision, ModuleRevision.id == Module.published_revision_id)).all())
    quiz_numbers = _latest_numbers(QuizRevision, QuizRevision.quiz_id)
    quiz_published = dict(tuple(row) for row in db.session.execute(
        sa.select(Quiz.id, QuizRevision.number)
        .join(QuizRevision, QuizRevision.id == Quiz.published_revision_id)).all())
    quizzes = {q.module_id: q for q in db.session.scalars(sa.select(Quiz))}
    rows = []
    courses = [course] if course is not None else db.session.scalars(
        sa.select(Course).order_by(Course.position, Course.title))
    for listed in courses:
        module_rows = []
        for module in listed.modules:
            latest = module_numbers.get(module.id)
            quiz = quizzes.get(module.id)
            quiz_state = None
            if quiz is not None:
                quiz_state = revision_state(quiz_numbers.get(quiz.id),
                                            quiz_published.get(quiz.id))
            live = module.is_live
            module_rows.append(ModuleRow(
                module=module, latest_number=latest, published_number=published.get(module.id),
                state=revision_state(latest, published.get(module.id),
                                     module.retired_at is not None),
                quiz=quiz, quiz_state=quiz_state,
                review_due=live and is_review_due(module.reviewed, today, review_period_days)))
        rows.append(CourseRow(course=listed, modules=module_rows))
    return rows
