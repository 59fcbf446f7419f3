"""Reading Moodle XML (the question bank's full-fidelity export) into BankQuestions.

The file is parsed with defusedxml: a DOCTYPE, an entity declaration (billion laughs) or an
external reference refuses the whole file before anything is expanded. Each <question> is read
by its `type` attribute; the place of every question in the report is its XML path,
`/quiz/question[n]` (n counts every <question>, category markers included, as an XPath would).
Fractions are Moodle's percentages (100, 50, -33.33333); they become 1.0, 0.5, -0.3333333.
"""
from __future__ import annotations

import base64
import binascii
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .model import (CLOZE, DESCRIPTION, ESSAY, MATCHING, MULTICHOICE, NUMERICAL, ORDERING,
                    SHORTANSWER, TRUEFALSE, BankAnswer, BankError, BankQuestion)
from .text import format_name, to_markdown, to_one_line

_TYPES = {"multichoice": MULTICHOICE, "truefalse": TRUEFALSE, "shortanswer": SHORTANSWER,
          "numerical": NUMERICAL, "matching": MATCHING, "ordering": ORDERING, "essay": ESSAY,
          "description": DESCRIPTION, "multianswer": CLOZE}
STOCK_FEEDBACK = {"", "your answer is correct.", "your answer is partially correct.",
                  "your answer is incorrect."}
MAX_QUESTIONS = 5000


def read_moodle_xml(data: bytes, filename: str) -> list[BankQuestion]:
    """Every question of a Moodle XML export; raise BankError when the file is not one."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BankError([(filename, "xml_forbidden", {})]) from None
    except (ParseError, ValueError) as exc:
        raise BankError([(filename, "xml_unreadable", {"detail": str(exc)[:120]})]) from None
    if root.tag != "quiz":
        raise BankError([(filename, "xml_not_quiz", {"tag": str(root.tag)[:40]})])
    elements = root.findall("question")
    if len(elements) > MAX_QUESTIONS:
        raise BankError([(filename, "too_many_questions", {"limit": MAX_QUESTIONS})])
    questions: list[BankQuestion] = []
    category = ""
    for position, element in enumerate(elements, start=1):
        kind = element.get("type") or ""
        if kind == "category":
            category = _text(element.find("category"))
            continue
        where = f"{filename}:/quiz/question[{position}]"
        qtype = _TYPES.get(kind, f"other:{kind[:40]}")
        question = BankQuestion(where=where, qtype=qtype, category=category)
        _common(question, element)
        if qtype in _READERS:
            _READERS[qtype](question, element)
        questions.append(question)
    return questions


def _text(element: Element | None) -> str:
    """The <text> inside `element` (or the element's own text when it has none)."""
    if element is None:
        return ""
    inner = element.find("text")
    return ((inner.text if inner is not None else element.text) or "").strip()


def _rich(question: BankQuestion, element: Element | None) -> str:
    """A formatted text (question text, feedback) as Markdown, collecting its embedded files."""
    if element is None:
        return ""
    _files(question, element)
    markdown, changed = to_markdown(_text(element), format_name(element.get("format")))
    question.html_changed |= changed
    return markdown


def _line(question: BankQuestion, element: Element | None) -> str:
    """An option or pair text: one line."""
    if element is None:
        return ""
    _files(question, element)
    text, changed = to_one_line(_text(element), format_name(element.get("format")))
    question.html_changed |= changed
    return text


def _files(question: BankQuestion, element: Element) -> None:
    for file in element.findall("file"):
        name = (file.get("name") or "").strip()
        try:
            question.images[name] = base64.b64decode(file.text or "", validate=False)
        except (binascii.Error, ValueError):
            question.missing_images.append(name)


def _number(text: str | None, default: float = 0.0) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        return default
    return value if value == value and abs(value) != float("inf") else default


def _common(question: BankQuestion, element: Element) -> None:
    question.name = " ".join(_text(element.find("name")).split())
    question.text = _rich(question, element.find("questiontext"))
    question.general_feedback = _rich(question, element.find("generalfeedback"))
    question.points = _number(element.findtext("defaultgrade"), 1.0)
    question.penalty = _number(element.findtext("penalty"), 0.0)
    tags = [_text(tag) for tag in element.findall("tags/tag") if _text(tag)]
    question.law = next((t[4:].strip() for t in tags if t.lower().startswith("law:")), "")
    question.tags = [t for t in tags if not t.lower().startswith("law:")]
    for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        feedback = _rich(question, element.find(name))
        if feedback.strip().lower() not in STOCK_FEEDBACK:
            question.combined_feedback.append(feedback)


def _answers(question: BankQuestion, element: Element, one_line: bool = True) -> None:
    for answer in element.findall("answer"):
        text = _line(question, answer) if one_line else _text(answer)
        question.answers.append(BankAnswer(
            text=text, fraction=_number(answer.get("fraction"), 0.0) / 100,
            feedback=_rich(question, answer.find("feedback")),
            tolerance=abs(_number(answer.findtext("tolerance"), 0.0))))


def _multichoice(question: BankQuestion, element: Element) -> None:
    question.single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    _answers(question, element)


def _truefalse(question: BankQuestion, element: Element) -> None:
    _answers(question, element)
    for answer in question.answers:
        answer.text = answer.text.strip().lower()


def _shortanswer(question: BankQuestion, element: Element) -> None:
    question.case_sensitive = (element.findtext("usecase") or "0").strip() == "1"
    _answers(question, element)


def _numerical(question: BankQuestion, element: Element) -> None:
    _answers(question, element, one_line=False)
    question.units = [unit.findtext("unit_name") or "" for unit in element.findall("units/unit")
                      if (unit.findtext("unit_name") or "").strip()]


def _matching(question: BankQuestion, element: Element) -> None:
    for position, sub in enumerate(element.findall("subquestion"), start=1):
        left = _line(question, sub)
        right = _line(question, sub.find("answer"))
        question.pairs.append((left, right, f"{question.where}/subquestion[{position}]"))


def _ordering(question: BankQuestion, element: Element) -> None:
    answers = element.findall("answer")
    ranked = sorted(enumerate(answers), key=lambda pair: (_number(pair[1].get("fraction"), 0), pair[0]))
    question.items = [_line(question, answer) for _, answer in ranked]
    grading = (element.findtext("gradingtype") or "").strip().upper()
    question.ordering_partial = grading not in ("-1", "ALL_OR_NOTHING", "ALLORNOTHING")


_READERS = {MULTICHOICE: _multichoice, TRUEFALSE: _truefalse, SHORTANSWER: _shortanswer,
            NUMERICAL: _numerical, MATCHING: _matching, ORDERING: _ordering}
