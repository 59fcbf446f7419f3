"""Matching questions with distractors (Moodle's `= -> extra`): the quiz format, the draw, the
answer sheet, grading and review treat a distractor as one more right-hand choice that is never
right."""
from __future__ import annotations

import random
import re

import pytest

from learning.content.errors import ContentError
from learning.content.quiz_format import parse_quiz, quiz_to_markdown
from learning.content.revisions import rendered_questions
from learning.quizzes.answer_sheet import read_responses, sheet
from learning.quizzes.grading import grade_question
from learning.quizzes.quizzing import draw_questions
from learning.quizzes.review import _describe_matching

def text(html) -> str:
    return re.sub(r"<[^>]+>", "", str(html))


QUIZ = """---
slug: kuis
module: c/m
title: Kuis
---

## lembaga
type: matching
partial: true
Pasangkan tugas dengan lembaga.

- Menerbitkan paspor => Imigrasi
- Menyidik TPPO => Polri
- => Bea Cukai
- => BMKG
"""


class _Revision:
    draw = None
    shuffle = True

    def __init__(self, questions):
        self.questions = questions


@pytest.fixture
def drawn():
    document = parse_quiz(QUIZ, "kuis.md")
    question = rendered_questions(document)[0]
    (entry,) = draw_questions(_Revision([question]), random.Random(7))
    return document, entry, question


def test_distractors_are_read_written_and_checked():
    document = parse_quiz(QUIZ, "kuis.md")
    question = document.questions[0]
    assert question.pairs == [("Menerbitkan paspor", "Imigrasi"), ("Menyidik TPPO", "Polri")]
    assert question.distractors == ["Bea Cukai", "BMKG"]
    assert parse_quiz(quiz_to_markdown(document), "kuis.md") == document
    with pytest.raises(ContentError, match="repeats a right item"):
        parse_quiz(QUIZ.replace("- => BMKG", "- => polri"), "kuis.md")
    with pytest.raises(ContentError, match="two distractors"):
        parse_quiz(QUIZ.replace("- => BMKG", "- => Bea Cukai"), "kuis.md")
    with pytest.raises(ContentError, match="at least two pairs"):
        parse_quiz(QUIZ.replace("- Menyidik TPPO => Polri\n", ""), "kuis.md")


def test_the_draw_and_the_sheet_offer_the_distractors_as_choices(drawn):
    _, entry, question = drawn
    assert sorted(entry["right"]) == [0, 1, 2, 3]
    (shown,) = sheet([(entry, question)], {})
    assert sorted(text(choice.html) for choice in shown.rows[0].choices) == ["BMKG", "Bea Cukai", "Imigrasi", "Polri"]


def test_choosing_a_distractor_is_read_back_and_scores_nothing(drawn):
    document, entry, question = drawn
    bea_cukai = entry["right"].index(2) + 1
    imigrasi = entry["right"].index(0) + 1
    reading = read_responses([(entry, question)], {"q1-1": str(imigrasi), "q1-2": str(bea_cukai)})
    response = reading.responses["lembaga"]
    assert response == {"0": 0, "1": 2}
    result = grade_question(document.questions[0], response)
    assert (result.points, result.correct) == (0.5, False)
    (shown,) = sheet([(entry, question)], {"lembaga": response})
    assert [text(c.html) for c in shown.rows[1].choices if c.selected] == ["Bea Cukai"]
    given, key = _describe_matching(entry, question, response)
    assert text(given[1]).endswith("Bea Cukai") and len(key) == 2
