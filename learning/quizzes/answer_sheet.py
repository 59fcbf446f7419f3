"""The answer sheet: what the attempt page shows, and reading what it posts back.

The page only ever carries DISPLAYED positions, never canonical indices or anything that depends
on which option is right. Field names and values (all numbers 1-based):

- single, true_false: `q<n>` = displayed option position
- multiple: `q<n>` (repeated) = displayed option positions
- short, numeric: `q<n>` = the text typed
- matching: `q<n>-<k>` = displayed position of the right-hand item chosen for left item k
  (left items are shown in their written order)
- ordering: `q<n>-<k>` = the place (1 = first) given to the k-th item as displayed

`read_responses` maps them back through the attempt's draw to the canonical responses that
learning.quizzes.grading expects; `sheet` does the reverse, to show saved answers again.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from learning.content.quiz_format import parse_number
from learning.control_chars import has_control_characters

MAX_TEXT = 500  # characters kept from a short answer
MAX_NUMBER_TEXT = 40
MAX_VALUES = 100
FIELD = re.compile(r"^q([1-9][0-9]{0,2})(?:-([1-9][0-9]{0,2}))?$")
CHOICE_TYPES = ("single", "true_false", "multiple")


class BadAnswer(ValueError):
    """A posted value no attempt page could have sent (the request is refused with 400)."""

    def __init__(self, number: int | None, code: str):
        self.number, self.code = number, code
        super().__init__(f"question {number}: {code}")


@dataclass(frozen=True)
class Choice:
    value: str  # what the control posts: a displayed position
    html: str  # safe HTML of the text shown
    selected: bool = False


@dataclass(frozen=True)
class Row:
    """One <select> of a matching (left item) or ordering (item) question."""

    name: str
    label_html: str
    choices: list[Choice]


@dataclass(frozen=True)
class SheetQuestion:
    number: int  # 1-based, as shown
    slug: str
    type: str
    prompt_html: str
    points: int
    name: str  # `q<n>`
    options: list[Choice] = field(default_factory=list)  # single, multiple, true_false
    rows: list[Row] = field(default_factory=list)  # matching, ordering
    text: str = ""  # short, numeric: the saved text
    answered: bool = False
    not_a_number: bool = False  # numeric: the saved text is not a number


@dataclass(frozen=True)
class Reading:
    responses: dict[str, object]  # by question slug; None = unanswered
    conflicts: list[int]  # ordering questions where one place was given to two items


# --------------------------------------------------------------------------- form values


def fields_from(data: Mapping) -> dict[str, list[str]]:
    """The answer fields of a form (werkzeug MultiDict) or a JSON object (name -> value or list
    of values), as name -> list of strings. Other names (csrf_token, action) are ignored."""
    fields: dict[str, list[str]] = {}
    for name in data.keys():
        if not isinstance(name, str) or not FIELD.match(name):
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else data[name]
        if not isinstance(values, list):
            values = [values]
        if len(values) > MAX_VALUES:
            raise BadAnswer(_number(name), "too_many")
        cleaned = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise BadAnswer(_number(name), "bad_value")
            if has_control_characters(value):
                raise BadAnswer(_number(name), "control")
            cleaned.append(str(value))
        fields[name] = cleaned
    return fields


def _number(name: str) -> int:
    return int(FIELD.match(name).group(1))


def question_numbers(fields: Mapping) -> set[int]:
    return {_number(name) for name in fields if isinstance(name, str) and FIELD.match(name)}


def _position(value: str, size: int, number: int) -> int | None:
    """A 1-based displayed position as a 0-based index; '' means no choice."""
    value = value.strip()
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= size:
        raise BadAnswer(number, "bad_choice")
    return int(value) - 1


def _one(values: list[str], number: int) -> str:
    if len(values) > 1:
        raise BadAnswer(number, "many_values")
    return values[0] if values else ""


def read_responses(pairs: list[tuple[dict, dict]], data: Mapping, *,
                   partial: bool = False) -> Reading:
    """Canonical responses for the drawn questions `pairs` ((draw entry, question dict) in display
    order) from posted fields. With `partial`, questions without any field are left out."""
    fields = fields_from(data)
    grouped: dict[int, dict[str, list[str]]] = {}
    for name, values in fields.items():
        match = FIELD.match(name)
        grouped.setdefault(int(match.group(1)), {})[name] = values
    if any(number > len(pairs) for number in grouped):
        raise BadAnswer(max(grouped), "unknown_question")
    numbers = sorted(grouped) if partial else range(1, len(pairs) + 1)
    responses: dict[str, object] = {}
    conflicts: list[int] = []
    for number in numbers:
        entry, question = pairs[number - 1]
        given = grouped.get(number, {})
        reader = _READERS[question["type"]]
        response, conflict = reader(entry, question, given, number)
        responses[question["slug"]] = response
        if conflict:
            conflicts.append(number)
    return Reading(responses, conflicts)


def _plain(given: dict[str, list[str]], number: int) -> list[str]:
    """The values of the plain `q<n>` field; sub-fields do not belong to this question type."""
    if any(name != f"q{number}" for name in given):
        raise BadAnswer(number, "bad_field")
    return given.get(f"q{number}", [])


def _sub(given: dict[str, list[str]], number: int, size: int) -> dict[int, str]:
    """The `q<n>-<k>` fields by k (1..size)."""
    values = {}
    for name, value in given.items():
        match = FIELD.match(name)
        if match.group(2) is None or not 1 <= int(match.group(2)) <= size:
            raise BadAnswer(number, "bad_field")
        values[int(match.group(2))] = _one(value, number)
    return values


def _read_one_option(entry, question, given, number):
    index = _position(_one(_plain(given, number), number), len(entry["options"]), number)
    return (None if index is None else entry["options"][index]), False


def _read_options(entry, question, given, number):
    picks = set()
    for value in _plain(given, number):
        index = _position(value, len(entry["options"]), number)
        if index is not None:
            picks.add(entry["options"][index])
    return (sorted(picks) or None), False


def _read_text(entry, question, given, number):
    text = " ".join(_one(_plain(given, number), number).split())
    limit = MAX_TEXT if question["type"] == "short" else MAX_NUMBER_TEXT
    if len(text) > limit:
        raise BadAnswer(number, "too_long")
    return (text or None), False


def _read_matching(entry, question, given, number):
    chosen = {}
    for left, value in _sub(given, number, len(question["pairs"])).items():
        index = _position(value, len(entry["right"]), number)
        if index is not None:
            chosen[str(left - 1)] = entry["right"][index]
    return (dict(sorted(chosen.items(), key=lambda kv: int(kv[0]))) or None), False


def _read_ordering(entry, question, given, number):
    size = len(entry["items"])
    order: list[int | None] = [None] * size
    conflict = False
    for shown, value in sorted(_sub(given, number, size).items()):
        place = _position(value, size, number)
        if place is None:
            continue
        if order[place] is not None:
            conflict = True  # the first item given this place keeps it
            continue
        order[place] = entry["items"][shown - 1]
    return (order if any(item is not None for item in order) else None), conflict


_READERS = {
    "single": _read_one_option, "true_false": _read_one_option, "multiple": _read_options,
    "short": _read_text, "numeric": _read_text,
    "matching": _read_matching, "ordering": _read_ordering,
}


# --------------------------------------------------------------------------- showing the sheet


def sheet(pairs: list[tuple[dict, dict]], saved: Mapping[str, object]) -> list[SheetQuestion]:
    """What the attempt page shows for each drawn question, with the saved answers selected."""
    questions = []
    for number, (entry, question) in enumerate(pairs, start=1):
        kind, html = question["type"], question["html"]
        response = saved.get(question["slug"])
        common = dict(number=number, slug=question["slug"], type=kind,
                      prompt_html=html["prompt"], points=question["points"], name=f"q{number}",
                      answered=response not in (None, "", [], {}))
        if kind in CHOICE_TYPES:
            chosen = set(response) if isinstance(response, list) else {response}
            options = [Choice(str(shown), html["options"][index], index in chosen)
                       for shown, index in enumerate(entry["options"], start=1)]
            questions.append(SheetQuestion(**common, options=options))
        elif kind in ("short", "numeric"):
            text = response if isinstance(response, str) else ""
            questions.append(SheetQuestion(
                **common, text=text,
                not_a_number=kind == "numeric" and bool(text) and parse_number(text) is None))
        elif kind == "matching":
            questions.append(SheetQuestion(**common, rows=_matching_rows(number, entry, question, response)))
        elif kind == "ordering":
            questions.append(SheetQuestion(**common, rows=_ordering_rows(number, entry, question, response)))
    return questions


def _matching_rows(number: int, entry: dict, question: dict, response: object) -> list[Row]:
    pairs, html = question["pairs"], question["html"]
    rights = [right for _, right in pairs] + list(question.get("distractors") or [])
    rights_html = [right for _, right in html["pairs"]] + list(html.get("distractors") or [])
    shown_for_text = {rights[index]: shown for shown, index in enumerate(entry["right"], start=1)}
    response = response if isinstance(response, Mapping) else {}
    rows = []
    for left in range(len(pairs)):
        chosen = response.get(str(left))
        selected = (shown_for_text.get(rights[chosen])
                    if isinstance(chosen, int) and 0 <= chosen < len(rights) else None)
        choices = [Choice(str(shown), rights_html[index], shown == selected)
                   for shown, index in enumerate(entry["right"], start=1)]
        rows.append(Row(f"q{number}-{left + 1}", html["pairs"][left][0], choices))
    return rows


def _ordering_rows(number: int, entry: dict, question: dict, response: object) -> list[Row]:
    order = response if isinstance(response, list) else []
    place_of = {item: place for place, item in enumerate(order, start=1) if item is not None}
    rows = []
    for shown, index in enumerate(entry["items"], start=1):
        choices = [Choice(str(place), str(place), place_of.get(index) == place)
                   for place in range(1, len(entry["items"]) + 1)]
        rows.append(Row(f"q{number}-{shown}", question["html"]["items"][index], choices))
    return rows
