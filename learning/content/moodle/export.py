"""Writing a quiz out as GIFT or Moodle XML, for every question the format can carry.

Each writer returns the file's text and the list of (question slug, code) for what it could not
carry, so nothing is dropped silently. What the formats hold:

- GIFT: single, multiple (as weighted `~%w%` answers), true/false, short, numeric, matching;
  the explanation as general feedback. Not carried: ordering questions, `law:` lines (written as
  a `//` comment, which Moodle ignores), points other than 1.
- Moodle XML: every type (ordering as Moodle's `ordering` plugin), points as the default grade,
  the explanation as general feedback, `law:` as a tag "law: ..." that our importer reads back.

Moodle gives a multiple-answer question partial credit always; an all-or-nothing `multiple`
question is exported with partial credit and listed.
"""
from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from learning.content.quiz_format import Question, QuizDocument, format_number


def _weight(fraction: float) -> str:
    """Moodle's way of writing a percentage: 100, 50, 33.33333, -25."""
    value = round(fraction * 100, 5)
    return str(int(value)) if value == int(value) else f"{value:.5f}".rstrip("0")


# --------------------------------------------------------------------------- GIFT


def _escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def to_gift(document: QuizDocument) -> tuple[str, list[tuple[str, str]]]:
    """The quiz as GIFT text, and what it could not carry."""
    left_out: list[tuple[str, str]] = []
    title = " ".join(document.title.split())
    blocks = [f"// {title}", f"$CATEGORY: $course$/top/{title}"]
    for question in document.questions:
        answer = _gift_answer(question, left_out)
        if answer is None:
            continue
        lines = []
        if question.law:
            lines.append(f"// law: {question.law}")
            left_out.append((question.slug, "export_law_gift"))
        if question.points != 1:
            left_out.append((question.slug, "export_points_gift"))
        feedback = f"####[markdown]{_escape(question.explanation)}" if question.explanation else ""
        lines.append(f"::{_escape(question.slug)}::[markdown]{_escape(question.prompt)} "
                     f"{{{answer}{feedback}}}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n", left_out


def _gift_answer(question: Question, left_out: list[tuple[str, str]]) -> str | None:
    kind = question.type
    if kind == "single":
        return " ".join(("=" if o.correct else "~") + _escape(o.text) for o in question.options)
    if kind == "multiple":
        if not question.partial:
            left_out.append((question.slug, "export_all_or_nothing"))
        right = sum(1 for o in question.options if o.correct)
        return " ".join(f"~%{_weight((1 if o.correct else -1) / right)}%{_escape(o.text)}"
                        for o in question.options)
    if kind == "true_false":
        return "T" if question.options[0].correct == (question.options[0].text == "Benar") else "F"
    if kind == "short":
        return " ".join("=" + _escape(text) for text in question.accepted)
    if kind == "numeric":
        return f"#{format_number(question.value)}:{format_number(question.tolerance)}"
    if kind == "matching":
        if not question.partial:
            left_out.append((question.slug, "export_all_or_nothing"))
        return " ".join([f"={_escape(left)} -> {_escape(right)}" for left, right in question.pairs]
                        + [f"= -> {_escape(extra)}" for extra in question.distractors])
    left_out.append((question.slug, "export_ordering_gift"))
    return None


# --------------------------------------------------------------------------- Moodle XML


def _text(parent: Element, tag: str, text: str, fmt: str | None = "markdown") -> Element:
    element = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = text
    return element


def to_moodle_xml(document: QuizDocument) -> tuple[str, list[tuple[str, str]]]:
    """The quiz as a Moodle XML question bank export, and what it could not carry."""
    left_out: list[tuple[str, str]] = []
    root = Element("quiz")
    category = SubElement(root, "question", {"type": "category"})
    _text(category, "category", f"$course$/top/{document.title}", None)
    for question in document.questions:
        root.append(_xml_question(question, left_out))
    indent(root)
    body = tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", left_out


_XML_TYPES = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse",
              "short": "shortanswer", "numeric": "numerical", "matching": "matching",
              "ordering": "ordering"}


def _xml_question(question: Question, left_out: list[tuple[str, str]]) -> Element:
    element = Element("question", {"type": _XML_TYPES[question.type]})
    _text(element, "name", question.slug, None)
    _text(element, "questiontext", question.prompt)
    _text(element, "generalfeedback", question.explanation or "")
    SubElement(element, "defaultgrade").text = f"{question.points:.7f}"
    SubElement(element, "penalty").text = "0.0000000"
    SubElement(element, "hidden").text = "0"
    _XML_WRITERS[question.type](element, question, left_out)
    if question.law:
        tag = SubElement(SubElement(element, "tags"), "tag")
        SubElement(tag, "text").text = f"law: {question.law}"
    return element


def _answer(parent: Element, text: str, fraction: float, fmt: str = "plain_text") -> Element:
    answer = SubElement(parent, "answer", {"fraction": _weight(fraction), "format": fmt})
    SubElement(answer, "text").text = text
    _text(answer, "feedback", "", "html")
    return answer


def _choices(element: Element, question: Question, left_out) -> None:
    single = question.type == "single"
    SubElement(element, "single").text = "true" if single else "false"
    SubElement(element, "shuffleanswers").text = "true"
    SubElement(element, "answernumbering").text = "abc"
    right = sum(1 for o in question.options if o.correct)
    if not single and not question.partial:
        left_out.append((question.slug, "export_all_or_nothing"))
    for option in question.options:
        fraction = (1.0 if option.correct else 0.0) if single else (1 if option.correct else -1) / right
        _answer(element, option.text, fraction, "markdown")


def _true_false(element: Element, question: Question, left_out) -> None:
    truth = question.options[0].correct == (question.options[0].text == "Benar")
    _answer(element, "true", 1.0 if truth else 0.0, "moodle_auto_format")
    _answer(element, "false", 0.0 if truth else 1.0, "moodle_auto_format")


def _short(element: Element, question: Question, left_out) -> None:
    SubElement(element, "usecase").text = "0"
    for text in question.accepted:
        _answer(element, text, 1.0)


def _numeric(element: Element, question: Question, left_out) -> None:
    answer = _answer(element, format_number(question.value), 1.0)
    SubElement(answer, "tolerance").text = format_number(question.tolerance)


def _matching(element: Element, question: Question, left_out) -> None:
    SubElement(element, "shuffleanswers").text = "true"
    if not question.partial:
        left_out.append((question.slug, "export_all_or_nothing"))
    for left, right in question.pairs + [("", extra) for extra in question.distractors]:
        sub = _text(element, "subquestion", left)
        _text(sub, "answer", right, None)


def _ordering(element: Element, question: Question, left_out) -> None:
    SubElement(element, "layouttype").text = "VERTICAL"
    SubElement(element, "selecttype").text = "ALL"
    SubElement(element, "selectcount").text = "0"
    SubElement(element, "gradingtype").text = "ABSOLUTE_POSITION" if question.partial else "ALL_OR_NOTHING"
    for position, item in enumerate(question.items, start=1):
        answer = SubElement(element, "answer", {"fraction": str(position), "format": "markdown"})
        SubElement(answer, "text").text = item


_XML_WRITERS = {"single": _choices, "multiple": _choices, "true_false": _true_false,
                "short": _short, "numeric": _numeric, "matching": _matching,
                "ordering": _ordering}
