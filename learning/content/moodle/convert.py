"""BankQuestions into our quiz Questions, saying for each what was changed, lost or refused.

The rules (docs/moodle.md has the trainer's version):

- multiple choice, one answer: the 100% answer is the right option; other weights cannot be kept
  (a partly right or a penalised option scores 0 here) and each is reported with its weight.
- multiple choice, several answers: every option with a positive weight is correct and the
  question gets partial credit. Here each right tick earns 1/k of the points and each wrong tick
  takes 1/k away (k = number of right options); any Moodle weight that differs is reported.
- short answer: every 100% answer is accepted; partial-credit answers are reported and kept as
  wrong answers; 0% answers and the `*` catch-all only carried feedback.
- numerical: one value with its tolerance (full-credit ranges that overlap are merged); other
  answers are reported.
- matching: the pairs; ordering: the items in order, with partial credit unless Moodle marked it
  all-or-nothing.
- essay, description, cloze and other types are refused with the reason.
Feedback for one answer is kept in the explanation, after the general feedback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote

from learning.content.errors import ContentError
from learning.content.quiz_format import (Option, Question, QuizDocument, check_question,
                                          parse_quiz, quiz_to_markdown)
from .model import (CHANGED, CLOZE, DESCRIPTION, ESSAY, LOST, MATCHING, MULTICHOICE, NUMERICAL,
                    ORDERING, REFUSED, SHORTANSWER, TRUEFALSE, BankQuestion, Note)
from .text import percent, slugify, unique

FULL = 0.9999
MAX_TEXT = 20_000  # characters of one question's text, feedback included
ImageStore = Callable[[str, bytes], str]  # (name, bytes) -> URL; raises ValueError to refuse
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\s\"')]+)")
_EMPTY_IMAGE = re.compile(r"!\[([^\]]*)\]\(\)")  # an image whose file could not be kept


class _Refuse(Exception):
    def __init__(self, code: str, **params):
        self.code, self.params = code, params


@dataclass
class Outcome:
    where: str
    name: str
    qtype: str  # the Moodle type
    question: Question | None
    notes: list[Note] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.question is None:
            return REFUSED
        kinds = {note.kind for note in self.notes}
        return LOST if LOST in kinds else CHANGED if CHANGED in kinds else "kept"


@dataclass
class Conversion:
    outcomes: list[Outcome]
    file_notes: list[Note] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [o.question for o in self.outcomes if o.question is not None]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def has_losses(self) -> bool:
        return any(o.status in (LOST, REFUSED) for o in self.outcomes) or any(
            note.kind == LOST for note in self.file_notes)


def convert_bank(bank: list[BankQuestion], *, taken: set[str] | frozenset = frozenset(),
                 store_image: ImageStore | None = None) -> Conversion:
    """Convert every question; slugs avoid `taken` (the questions already in the quiz)."""
    used = set(taken)
    outcomes = []
    for ordinal, source in enumerate(bank, start=1):
        notes: list[Note] = []
        try:
            question = _convert(source, notes, store_image)
            question.slug = unique(slugify(source.name) or f"q{ordinal}", used)
            check_question(question, source.where)
            _check_export(question)
        except _Refuse as exc:
            notes.append(Note(REFUSED, source.where, exc.code, exc.params))
            question = None
        except ContentError as exc:
            notes.append(Note(REFUSED, source.where, "format_rule", {"reason": exc.message}))
            question = None
        if question is not None:
            used.add(question.slug)
        outcomes.append(Outcome(source.where, source.name, source.qtype, question, notes))
    return Conversion(outcomes, _file_notes(bank))


def _file_notes(bank: list[BankQuestion]) -> list[Note]:
    notes = []
    categories = sorted({q.category for q in bank if q.category})
    if categories:
        notes.append(Note(CHANGED, bank[0].where.split(":")[0], "categories",
                          {"count": len(categories), "names": ", ".join(categories)[:300]}))
    penalised = sum(1 for q in bank if q.penalty > 0)
    if penalised:
        notes.append(Note(CHANGED, bank[0].where.split(":")[0], "penalty", {"count": penalised}))
    return notes


def _check_export(question: Question) -> None:
    """The question must read back unchanged from the quiz Markdown it will be saved as."""
    probe = QuizDocument(slug="probe", module_ref="probe/probe", title="probe", questions=[question])
    try:
        same = parse_quiz(quiz_to_markdown(probe), "probe").questions == [question]
    except ContentError:
        same = False
    if not same:
        raise _Refuse("cannot_write")


def _convert(source: BankQuestion, notes: list[Note], store_image: ImageStore | None) -> Question:
    if source.problem:
        raise _Refuse(source.problem, **source.problem_params)
    size = len(source.text) + len(source.general_feedback) + sum(
        len(a.text) + len(a.feedback) for a in source.answers)
    if size > MAX_TEXT:
        raise _Refuse("question_too_long", limit=MAX_TEXT)
    refusals = {ESSAY: "essay", DESCRIPTION: "description", CLOZE: "cloze"}
    if source.qtype in refusals:
        raise _Refuse(refusals[source.qtype])
    if source.qtype not in _BUILDERS:
        raise _Refuse("other_type", type=source.qtype.partition(":")[2] or source.qtype)
    fields = _BUILDERS[source.qtype](source, notes)
    feedback = [(_answer_label(source.qtype, a), a.feedback)
                for a in source.answers if a.feedback.strip()]
    explanation = _explanation(source, feedback, notes)
    question = Question(slug="", prompt=source.text, explanation=explanation or None,
                        points=_points(source, notes), law=source.law or None, **fields)
    _common_notes(source, notes)
    _images(question, source, notes, store_image)
    return question


def _explanation(source: BankQuestion, feedback: list[tuple[str, str]], notes: list[Note]) -> str:
    parts = [source.general_feedback.strip()] if source.general_feedback.strip() else []
    if feedback:
        lines = ["Umpan balik per jawaban:", ""]
        lines += [f"- {answer}: {' '.join(text.split())}" for answer, text in feedback]
        parts.append("\n".join(lines))
        notes.append(Note(CHANGED, source.where, "feedback_moved", {"count": len(feedback)}))
    if source.combined_feedback:
        parts += [text for text in source.combined_feedback if text.strip()]
        notes.append(Note(CHANGED, source.where, "combined_feedback", {}))
    return "\n\n".join(parts)


def _points(source: BankQuestion, notes: list[Note]) -> int:
    points = max(1, round(source.points))
    if abs(points - source.points) > 1e-6:
        notes.append(Note(LOST, source.where, "points", {"moodle": f"{source.points:g}",
                                                         "here": points}))
    return points


def _common_notes(source: BankQuestion, notes: list[Note]) -> None:
    if source.html_changed:
        notes.append(Note(CHANGED, source.where, "html", {}))
    if source.tags:
        notes.append(Note(LOST, source.where, "tags", {"tags": ", ".join(source.tags)[:200]}))
    if source.units:
        notes.append(Note(LOST, source.where, "units", {"units": ", ".join(source.units)[:100]}))


def _images(question: Question, source: BankQuestion, notes: list[Note],
            store_image: ImageStore | None) -> None:
    urls: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        name = unquote(match.group(1))
        if name not in urls:
            data = source.images.get(name)
            if data is None or store_image is None:
                notes.append(Note(LOST, source.where, "image_missing", {"name": name[:80]}))
                urls[name] = ""
            else:
                try:
                    urls[name] = store_image(name, data)
                    notes.append(Note(CHANGED, source.where, "image_stored", {"name": name[:80]}))
                except ValueError as exc:
                    notes.append(Note(LOST, source.where, "image_refused",
                                      {"name": name[:80], "reason": str(exc)[:120]}))
                    urls[name] = ""
        return urls[name]

    def fix(text: str) -> str:
        return _EMPTY_IMAGE.sub(r"\1", _PLUGINFILE.sub(replace, text))

    question.prompt = fix(question.prompt)
    if question.explanation:
        question.explanation = fix(question.explanation)
    for option in question.options:
        option.text = fix(option.text)


def _answer_label(qtype: str, answer) -> str:
    """How an answer is named in the explanation's feedback list."""
    if qtype == TRUEFALSE:
        return "Benar" if answer.text.strip().lower() in ("true", "benar") else "Salah"
    if qtype == NUMERICAL and answer.tolerance:
        return f"{answer.text} ± {answer.tolerance:g}"
    return answer.text


def _answer_note(notes, kind, source, answer, code, **params) -> None:
    notes.append(Note(kind, answer.where or source.where, code,
                      {"answer": answer.text[:80], "weight": percent(answer.fraction), **params}))


def _multichoice(source: BankQuestion, notes: list[Note]) -> dict:
    answers = source.answers
    if len(answers) < 2:
        raise _Refuse("few_options")
    if source.single:
        full = [a for a in answers if a.fraction >= FULL]
        if len(full) != 1:
            raise _Refuse("single_full", count=len(full))
        for answer in answers:
            if 0 < answer.fraction < FULL:
                _answer_note(notes, LOST, source, answer, "partial_single")
            elif answer.fraction < 0:
                _answer_note(notes, LOST, source, answer, "negative_single")
        return {"type": "single", "options": [Option(a.text, a.fraction >= FULL) for a in answers]}
    right = [a for a in answers if a.fraction > 0]
    if not right:
        raise _Refuse("no_positive")
    share = 1 / len(right)
    for answer in answers:
        expected = share if answer.fraction > 0 else -share
        if abs(answer.fraction - expected) > 0.005:
            code = "weight_right" if answer.fraction > 0 else "weight_wrong"
            _answer_note(notes, LOST, source, answer, code, here=percent(expected))
    return {"type": "multiple", "partial": True,
            "options": [Option(a.text, a.fraction > 0) for a in answers]}


def _truefalse(source: BankQuestion, notes: list[Note]) -> dict:
    truth = next((a.text in ("true", "benar") for a in source.answers if a.fraction >= FULL), None)
    if truth is None:
        raise _Refuse("tf_no_answer")
    return {"type": "true_false", "options": [Option("Benar", truth), Option("Salah", not truth)]}


def _shortanswer(source: BankQuestion, notes: list[Note]) -> dict:
    accepted = []
    for answer in source.answers:
        text = answer.text.strip()
        if answer.fraction >= FULL and "*" not in text and text:
            accepted.append(text)
        elif answer.fraction >= FULL:
            _answer_note(notes, LOST, source, answer, "wildcard")
        elif answer.fraction > 0:
            _answer_note(notes, LOST, source, answer, "partial_short")
        else:
            _answer_note(notes, CHANGED, source, answer, "zero_answer")
    if not accepted:
        raise _Refuse("no_full_answer")
    if source.case_sensitive:
        notes.append(Note(CHANGED, source.where, "case", {}))
    return {"type": "short", "accepted": accepted}


def _numerical(source: BankQuestion, notes: list[Note]) -> dict:
    full = []
    for answer in source.answers:
        try:
            value = float(answer.text.replace(",", "."))
        except ValueError:
            value = None
        if answer.fraction >= FULL and value is not None:
            full.append((value - answer.tolerance, value + answer.tolerance, answer))
        elif answer.fraction > 0:
            _answer_note(notes, LOST, source, answer, "partial_numeric", tolerance=f"{answer.tolerance:g}")
        else:
            _answer_note(notes, CHANGED, source, answer, "zero_answer")
    if not full:
        raise _Refuse("no_full_answer")
    full.sort(key=lambda item: item[0])
    low, high, first = full[0]
    if len(full) == 1:
        return {"type": "numeric", "value": float(first.text.replace(",", ".")),
                "tolerance": first.tolerance}
    for start, end, answer in full[1:]:
        if start <= high + 1e-9:
            high = max(high, end)
            notes.append(Note(CHANGED, answer.where or source.where, "numeric_merged",
                              {"answer": answer.text[:40]}))
        else:
            _answer_note(notes, LOST, source, answer, "numeric_extra", tolerance=f"{answer.tolerance:g}")
    return {"type": "numeric", "value": (low + high) / 2, "tolerance": (high - low) / 2}


def _matching(source: BankQuestion, notes: list[Note]) -> dict:
    pairs = [(left, right) for left, right, _ in source.pairs if left.strip()]
    distractors = [right for left, right, _ in source.pairs if not left.strip() and right.strip()]
    return {"type": "matching", "pairs": pairs, "distractors": distractors, "partial": True}


def _ordering(source: BankQuestion, notes: list[Note]) -> dict:
    return {"type": "ordering", "items": list(source.items), "partial": source.ordering_partial}


_BUILDERS = {MULTICHOICE: _multichoice, TRUEFALSE: _truefalse, SHORTANSWER: _shortanswer,
             NUMERICAL: _numerical, MATCHING: _matching, ORDERING: _ordering}
