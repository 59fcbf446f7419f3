"""What rests on a law: the modules and quiz questions citing it (in their legal references or in
their text, published or in a newer draft), the certificates of the courses they belong to, and
the officers holding those certificates. Read-only; the figures a trainer sees before confirming.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from learning.content.revisions import latest_module_revision, latest_quiz_revision
from learning.extensions import db
from learning.models import Certificate, Law, Module, ModuleProgress, Quiz
from .citations import parse_citation, rests_on, split_citations, text_mentions
from .register import db_aliases


@dataclass
class ModuleHit:
    module: Module
    citations: list[str] = field(default_factory=list)  # the `laws:` entries resting on it
    in_text: bool = False  # the text mentions the law (and article)


@dataclass
class QuizHit:
    quiz: Quiz
    questions: list[str] = field(default_factory=list)  # slugs
    citations: list[str] = field(default_factory=list)


@dataclass
class Impact:
    modules: list[ModuleHit] = field(default_factory=list)
    quizzes: list[QuizHit] = field(default_factory=list)
    certificate_ids: list[int] = field(default_factory=list)
    officers: int = 0  # holders of those certificates
    readers: int = 0  # officers who completed an affected module

    @property
    def questions(self) -> int:
        return sum(len(hit.questions) for hit in self.quizzes)

    @property
    def course_ids(self) -> set[int]:
        return ({hit.module.course_id for hit in self.modules}
                | {hit.quiz.module.course_id for hit in self.quizzes})


def _citing(citations, law: Law, article: str, aliases) -> list[str]:
    return [text for text in citations or [] for part in split_citations(text)
            if rests_on(parse_citation(part, aliases), law.key, article)]


def _module_hit(module: Module, law: Law, article: str, aliases) -> ModuleHit | None:
    hit = ModuleHit(module)
    revisions = [module.published_revision, latest_module_revision(module)]
    for revision in filter(None, revisions):
        for text in _citing(revision.laws, law, article, aliases):
            if text not in hit.citations:
                hit.citations.append(text)
        hit.in_text = hit.in_text or text_mentions(revision.source, law.citation, article)
    return hit if hit.citations or hit.in_text else None


def _quiz_hit(quiz: Quiz, law: Law, article: str, aliases) -> QuizHit | None:
    hit = QuizHit(quiz)
    for revision in filter(None, [quiz.published_revision, latest_quiz_revision(quiz)]):
        for question in revision.questions or []:
            cited = _citing([question.get("law") or ""], law, article, aliases)
            prose = "\n".join(filter(None, [question.get("prompt"), question.get("explanation")]))
            if cited or text_mentions(prose, law.citation, article):
                if question["slug"] not in hit.questions:
                    hit.questions.append(question["slug"])
                hit.citations += [c for c in cited if c not in hit.citations]
    return hit if hit.questions else None


def certificates_resting_on(course_ids: set[int]) -> list[int]:
    """Certificates an officer holds now (not revoked, no refresher opened) in those courses."""
    if not course_ids:
        return []
    return list(db.session.scalars(
        sa.select(Certificate.id).where(Certificate.course_id.in_(course_ids),
                                        Certificate.revoked_at.is_(None),
                                        Certificate.refresher_opened_at.is_(None))
        .order_by(Certificate.id)))


def impact_of(law: Law, article: str = "") -> Impact:
    """Every module (not retired) and quiz question resting on `law` (`article`, or any)."""
    aliases = db_aliases()
    impact = Impact()
    modules = db.session.scalars(sa.select(Module).where(Module.retired_at.is_(None))
                                 .order_by(Module.course_id, Module.position))
    for module in modules:
        if (hit := _module_hit(module, law, article, aliases)) is not None:
            impact.modules.append(hit)
        if module.quiz is not None and (qhit := _quiz_hit(module.quiz, law, article, aliases)):
            impact.quizzes.append(qhit)
    impact.certificate_ids = certificates_resting_on(impact.course_ids)
    if impact.certificate_ids:
        impact.officers = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Certificate.user_id)))
            .where(Certificate.id.in_(impact.certificate_ids))) or 0
    module_ids = [hit.module.id for hit in impact.modules]
    if module_ids:
        impact.readers = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(ModuleProgress.user_id)))
            .where(ModuleProgress.module_id.in_(module_ids), ModuleProgress.is_done)) or 0
    return impact


def cited_articles(law: Law) -> list[tuple[str, int]]:
    """The articles of `law` the live curriculum cites, with how many modules and questions."""
    aliases = db_aliases()
    counts: dict[str, int] = {}

    def count(text: str) -> None:
        for part in split_citations(text):
            citation = parse_citation(part, aliases)
            if citation.key == law.key:
                for detail in citation.details or ("",):
                    counts[detail] = counts.get(detail, 0) + 1

    for module in db.session.scalars(sa.select(Module).where(Module.is_live)):
        for text in module.laws or []:
            count(text)
        if module.quiz is not None and module.quiz.published_revision is not None:
            for question in module.quiz.published_revision.questions or []:
                count(question.get("law") or "")
    return sorted(counts.items(), key=lambda item: (item[0] == "", _article_order(item[0])))


def _article_order(detail: str) -> tuple:
    digits = "".join(ch for ch in detail.split(" ")[1] if ch.isdigit()) if " " in detail else ""
    return (int(digits) if digits else 0, detail)
