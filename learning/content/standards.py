"""Curriculum quality rules for shipped and imported content (`content check --strict`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .curriculum import Curriculum
from .quiz_quality import quiz_quality

MIN_MODULE_WORDS = 600
MIN_QUIZ_QUESTIONS = 10
MIN_QUESTION_TYPES = 4
WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:[-'/][0-9A-Za-zÀ-ÿ]+)*")


def word_count(markdown_text: str) -> int:
    """Words of prose: footnote markers, table rules and Markdown punctuation are not words."""
    text = re.sub(r"\[\^[^\]]+\]", " ", markdown_text)
    return len(WORD_RE.findall(text))


@dataclass
class CheckResult:
    """What `content check` reports: problems fail the check, warnings are printed only."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def curriculum_check(curriculum: Curriculum, strict: bool) -> CheckResult:
    """Cross-file problems always; with `strict`, also the pedagogical minimums, the quiz
    quality rules of `quiz_quality` (which also give the warnings) and the legal citations,
    each of which must resolve to an entry of the register of laws (learning.laws.checks)."""
    result = CheckResult(problems=minimum_problems(curriculum, strict))
    if strict:
        from learning.laws.checks import check_citations  # the register of laws (laws/)

        quality = quiz_quality(curriculum.quizzes)
        result.problems.extend(quality.problems)
        result.warnings.extend(quality.warnings)
        citations = check_citations(curriculum)
        result.problems.extend(citations.problems)
        result.warnings.extend(citations.warnings)
    return result


def curriculum_problems(curriculum: Curriculum, strict: bool) -> list[str]:
    """The problems of `curriculum_check` (every rule that fails the check)."""
    return curriculum_check(curriculum, strict).problems


def minimum_problems(curriculum: Curriculum, strict: bool) -> list[str]:
    """Cross-file problems always; with `strict`, also the pedagogical minimums."""
    problems: list[str] = []
    modules = {f"{c.slug}/{m.slug}": m for c in curriculum.courses for m in c.modules}
    quizzes = {q.document.module_ref: q for q in curriculum.quizzes}
    for quiz in curriculum.quizzes:
        if modules and quiz.document.module_ref not in modules:
            problems.append(f"{quiz.path}: module '{quiz.document.module_ref}' is not in this "
                            "curriculum (it must exist in the database when importing)")
    if not strict:
        return problems
    for ref, module in modules.items():
        if not module.laws:
            problems.append(f"{module.path}: 'laws' is empty")
        if module.reviewed is None:
            problems.append(f"{module.path}: 'reviewed' is missing")
        words = word_count(module.body)
        if words < MIN_MODULE_WORDS:
            problems.append(f"{module.path}: {words} words, at least {MIN_MODULE_WORDS} needed")
        if ref not in quizzes:
            problems.append(f"{module.path}: no quiz for module '{ref}'")
    for quiz in curriculum.quizzes:
        questions = quiz.document.questions
        if len(questions) < MIN_QUIZ_QUESTIONS:
            problems.append(f"{quiz.path}: {len(questions)} questions, at least "
                            f"{MIN_QUIZ_QUESTIONS} needed")
        types = {q.type for q in questions}
        if len(types) < MIN_QUESTION_TYPES:
            problems.append(f"{quiz.path}: {len(types)} question types, at least "
                            f"{MIN_QUESTION_TYPES} needed")
        for question in questions:
            if not question.law:
                problems.append(f"{quiz.path}:{question.line}: question '{question.slug}' has no law:")
            if not question.explanation:
                problems.append(f"{quiz.path}:{question.line}: question '{question.slug}' has no "
                                "explanation")
    return problems
