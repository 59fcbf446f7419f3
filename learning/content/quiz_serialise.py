"""The quiz data model and its two serialised forms: JSON-safe dicts and quiz Markdown.

`quiz_to_markdown` is the inverse of `quiz_format.parse_quiz`: parsing its output gives back an
equal document for every question that passes `quiz_format.check_question`. Import the public
names from `learning.content.quiz_format`, which re-exports them; this module depends on nothing
else in the package so that the parser can build on it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from .quiz_review import DEFAULT_REVIEW

QUESTION_TYPES = ("single", "multiple", "true_false", "short", "numeric", "matching", "ordering")
CHOICE_TYPES = ("single", "multiple", "true_false")
PARTIAL_TYPES = ("multiple", "matching", "ordering")
TRUE_FALSE_TEXTS = ("Benar", "Salah")
DEFAULT_PASS_MARK = 70

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


@dataclass
class Option:
    """One answer option of a single, multiple or true_false question."""

    text: str
    correct: bool = False


@dataclass
class Question:
    """One question of a quiz. Only the fields of its `type` carry meaning.

    `line` is where the question's heading was found; it is provenance, not content, so two
    questions that differ only in `line` compare equal.
    """

    slug: str
    type: str
    prompt: str
    points: int = 1
    law: str | None = None
    explanation: str | None = None
    partial: bool = False
    options: list[Option] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    value: float | None = None
    tolerance: float = 0.0
    pairs: list[tuple[str, str]] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)  # matching: extra right-hand choices
    items: list[str] = field(default_factory=list)
    line: int = field(default=0, compare=False)

    def to_dict(self) -> dict:
        """A JSON-safe dict holding every field; `Question.from_dict` restores an equal question."""
        return {
            "slug": self.slug, "type": self.type, "prompt": self.prompt, "points": self.points,
            "law": self.law, "explanation": self.explanation, "partial": self.partial,
            "options": [{"text": o.text, "correct": o.correct} for o in self.options],
            "accepted": list(self.accepted), "value": self.value, "tolerance": self.tolerance,
            "pairs": [[left, right] for left, right in self.pairs], "items": list(self.items),
            "distractors": list(self.distractors), "line": self.line,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """The question stored by `to_dict`; JSON lists become tuples again in `pairs`, and keys
        this class does not know (such as pre-rendered HTML) are ignored."""
        value = data.get("value")
        return cls(
            slug=data["slug"], type=data["type"], prompt=data["prompt"],
            points=int(data.get("points", 1)), law=data.get("law"),
            explanation=data.get("explanation"), partial=bool(data.get("partial", False)),
            options=[Option(o["text"], bool(o["correct"])) for o in data.get("options", [])],
            accepted=list(data.get("accepted", [])),
            value=None if value is None else float(value),
            tolerance=float(data.get("tolerance", 0.0)),
            pairs=[(left, right) for left, right in data.get("pairs", [])],
            distractors=list(data.get("distractors") or []),
            items=list(data.get("items", [])), line=int(data.get("line", 0)),
        )


@dataclass
class QuizDocument:
    """A quiz: its settings (the front matter) and its question pool."""

    slug: str
    module_ref: str  # "<course slug>/<module slug>"
    title: str
    pass_mark: int = DEFAULT_PASS_MARK  # percent needed to pass
    max_attempts: int = 0  # 0 = unlimited
    draw: int | None = None  # questions drawn per attempt; None = all
    shuffle: bool = True  # question order and option order per attempt
    time_limit: int = 0  # minutes; 0 = none
    review: str = DEFAULT_REVIEW  # what a failed attempt shows while attempts remain (quiz_review)
    questions: list[Question] = field(default_factory=list)

    @property
    def course_slug(self) -> str:
        return self.module_ref.partition("/")[0]

    @property
    def module_slug(self) -> str:
        return self.module_ref.partition("/")[2]


def parse_number(text: str) -> float | None:
    """The number in `text`, or None. Accepts '15', ' 15,5 ', '1.5', '-2': one decimal point or
    decimal comma, no thousands separators, no exponent."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(cleaned):
        return None
    number = float(cleaned.replace(",", "."))
    return number if math.isfinite(number) else None


def format_number(number: float) -> str:
    """`number` in plain decimal notation that parse_number reads back exactly: '15', '0.5',
    '0.00001' (never '1e-05')."""
    if number == int(number):
        return str(int(number))
    return format(Decimal(repr(number)), "f")


# --------------------------------------------------------------------------- Markdown writer


def quiz_to_markdown(doc: QuizDocument) -> str:
    """The quiz file for `doc`: front matter, then one section per question."""
    sections = [_front_matter(doc)] + [_question(question) for question in doc.questions]
    return "\n\n".join(sections) + "\n"


def _front_matter(doc: QuizDocument) -> str:
    """Every setting written out, so the file shows its defaults; `draw` only when set."""
    settings: dict = {"slug": doc.slug, "module": doc.module_ref, "title": doc.title,
                      "pass_mark": doc.pass_mark, "max_attempts": doc.max_attempts}
    if doc.draw is not None:
        settings["draw"] = doc.draw
    settings.update(shuffle=doc.shuffle, time_limit=doc.time_limit)
    if doc.review != DEFAULT_REVIEW:
        settings["review"] = doc.review
    body = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{body}---"


def _question(question: Question) -> str:
    """Heading and `key: value` lines, prompt, answer part and explanation, blank-line separated."""
    head = [f"## {question.slug}", f"type: {question.type}"]
    if question.points != 1:
        head.append(f"points: {question.points}")
    if question.law:
        head.append(f"law: {question.law}")
    if question.partial:
        head.append("partial: true")
    blocks = ["\n".join(head), question.prompt.strip("\n"), _answer_part(question)]
    if question.explanation:
        blocks.append(_block_quote(question.explanation))
    return "\n\n".join(blocks)


def _answer_part(question: Question) -> str:
    kind = question.type
    if kind in CHOICE_TYPES:
        return "\n".join(f"- [{'x' if o.correct else ' '}] {o.text}" for o in question.options)
    if kind == "short":
        return "answer: " + " | ".join(question.accepted)
    if kind == "numeric":
        tolerance = f" ± {format_number(question.tolerance)}" if question.tolerance else ""
        return f"answer: {format_number(question.value)}{tolerance}"
    if kind == "matching":
        return "\n".join([f"- {left} => {right}" for left, right in question.pairs]
                         + [f"- => {extra}" for extra in question.distractors])
    if kind == "ordering":
        return "\n".join(f"{position}. {item}" for position, item in enumerate(question.items, start=1))
    raise ValueError(f"unknown question type {kind!r}")


def _block_quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in markdown.strip("\n").split("\n"))
