"""The neutral shape every question-bank reader produces and every writer consumes.

A `BankQuestion` holds what Moodle keeps for a question (type, name, text, answers with their
fractions and feedback, matching pairs, ordering items, tags, penalty, images), independent of the
file format it came from. `convert.py` turns it into our `Question` and says, in `Note`s, what was
adapted, what was lost and what was refused. Fractions follow Moodle: 1.0 is full credit, 0.5 is
half, negative values take marks away.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CHANGED = "changed"  # kept, but in another form (feedback moved to the explanation, HTML to Markdown)
LOST = "lost"  # part of the question could not be kept (partial credit, a distractor, a tag)
REFUSED = "refused"  # the question is not imported at all
KINDS = (CHANGED, LOST, REFUSED)

# Moodle question types we read; anything else arrives as "other:<name>" and is refused.
MULTICHOICE, TRUEFALSE, SHORTANSWER, NUMERICAL = "multichoice", "truefalse", "shortanswer", "numerical"
MATCHING, ORDERING, ESSAY, DESCRIPTION, CLOZE = "matching", "ordering", "essay", "description", "cloze"


@dataclass
class BankAnswer:
    text: str  # Markdown; for numerical the number as written
    fraction: float = 0.0  # 1.0 full credit, 0.5 half, -1.0 takes all the marks away
    feedback: str = ""  # Markdown
    tolerance: float = 0.0  # numerical only
    where: str = ""  # the answer's own place, when the format gives one


@dataclass
class BankQuestion:
    where: str  # "bank.gift:12", "bank.xml:/quiz/question[3]"
    qtype: str
    name: str = ""
    text: str = ""  # Markdown
    general_feedback: str = ""  # Markdown
    answers: list[BankAnswer] = field(default_factory=list)
    single: bool | None = None  # multichoice: one answer (True) or several (False)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # matching (left, right, where)
    items: list[str] = field(default_factory=list)  # ordering, in the correct order
    ordering_partial: bool = True
    points: float = 1.0
    penalty: float = 0.0
    tags: list[str] = field(default_factory=list)
    law: str = ""  # our own `law:` line, carried by our Moodle XML export as a tag "law: ..."
    category: str = ""
    case_sensitive: bool = False
    combined_feedback: list[str] = field(default_factory=list)  # correct / partly / incorrect
    units: list[str] = field(default_factory=list)  # numerical units (not kept)
    images: dict[str, bytes] = field(default_factory=dict)  # embedded files by name
    missing_images: list[str] = field(default_factory=list)
    problem: str = ""  # set by a reader when the text cannot be read at all
    problem_params: dict = field(default_factory=dict)
    html_changed: bool = False  # HTML was converted to Markdown


@dataclass(frozen=True)
class Note:
    """One thing the trainer should know about the import, at a place in the source file."""

    kind: str  # CHANGED, LOST or REFUSED
    where: str
    code: str  # a key of messages.MESSAGES
    params: dict = field(default_factory=dict, hash=False, compare=False)


class BankError(Exception):
    """The file as a whole cannot be read (not UTF-8, not XML, malformed Aiken): nothing imported.
    `problems` is a list of (where, code, params)."""

    def __init__(self, problems: list[tuple[str, str, dict]]):
        self.problems = problems
        super().__init__("; ".join(f"{where}: {code}" for where, code, _ in problems))
