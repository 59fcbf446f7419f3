"""Quiz quality rules of `content check --strict`: questions that test judgement, not test-taking.

- In each bank, the correct option of a single-choice question is the strictly longest option in
  at most `MAX_LONGEST_CORRECT_SHARE` of the bank's single-choice questions (an officer who always
  picks the longest option must not pass).
- No two questions anywhere in the curriculum have the same prompt (compared after folding case
  and runs of whitespace).
- A single-choice question has at least `MIN_SINGLE_OPTIONS` options.
- A prompt that says "menurut modul" is a *warning*, not an error: it asks what a text says
  rather than what to do, and is sometimes still the right question.

Pure functions over parsed quiz documents; nothing here reads files or touches the database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable

MAX_LONGEST_CORRECT_SHARE = Fraction(2, 5)  # 40%
MIN_SINGLE_OPTIONS = 4
WARN_PHRASES = ("menurut modul",)
_SPACE = re.compile(r"\s+")


@dataclass
class QualityReport:
    """Errors fail `content check --strict`; warnings are printed and do not."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalise_prompt(prompt: str) -> str:
    """The prompt as compared for duplicates: case folded, whitespace runs as one space."""
    return _SPACE.sub(" ", prompt or "").strip().casefold()


def correct_is_strictly_longest(question) -> bool:
    """True when the one correct option of a single-choice question is longer than every other."""
    correct = [o for o in question.options if o.correct]
    if len(correct) != 1:
        return False
    length = len(correct[0].text.strip())
    return all(length > len(o.text.strip()) for o in question.options if not o.correct)


def longest_correct_share(questions: Iterable) -> tuple[int, int]:
    """(single-choice questions whose correct option is strictly longest, single-choice questions)."""
    singles = [q for q in questions if q.type == "single"]
    return sum(1 for q in singles if correct_is_strictly_longest(q)), len(singles)


def quiz_quality(quizzes: Iterable) -> QualityReport:
    """Apply the rules above to `quizzes` (objects with `.path` and `.document`, as in
    `Curriculum.quizzes`); duplicate prompts are looked for across all of them together."""
    report = QualityReport()
    first_seen: dict[str, str] = {}
    for quiz in quizzes:
        questions = quiz.document.questions
        longest, singles = longest_correct_share(questions)
        if singles and Fraction(longest, singles) > MAX_LONGEST_CORRECT_SHARE:
            report.problems.append(
                f"{quiz.path}: the correct option is the longest in {longest} of {singles} "
                f"single-choice questions; at most {int(MAX_LONGEST_CORRECT_SHARE * 100)}% allowed "
                f"(here at most {int(singles * MAX_LONGEST_CORRECT_SHARE)})")
        for question in questions:
            where = f"{quiz.path}:{question.line}: question '{question.slug}'"
            if question.type == "single" and len(question.options) < MIN_SINGLE_OPTIONS:
                report.problems.append(f"{where} has {len(question.options)} options, single "
                                       f"choice needs at least {MIN_SINGLE_OPTIONS}")
            key = normalise_prompt(question.prompt)
            if key in first_seen:
                report.problems.append(f"{where} has the same prompt as {first_seen[key]}")
            else:
                first_seen[key] = f"{quiz.path}:{question.line} ('{question.slug}')"
            for phrase in WARN_PHRASES:
                if phrase in key:
                    report.warnings.append(f"{where} says '{phrase}': ask what the officer should "
                                           "do or recognise, not what the text says")
    return report
