"""Characters that no text the app stores may hold.

PostgreSQL refuses NUL in text and lone surrogates cannot be encoded as UTF-8; the other C0 and
C1 controls (tab, line feed and carriage return excepted) have no place in a name, an answer or
a search. Forms (learning.web.safe_form), JSON bodies (learning.web.bounded_input) and quiz
answers (learning.quizzes.answer_sheet) refuse them with this one test.
"""
from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: object) -> bool:
    return isinstance(text, str) and CONTROL_CHARACTERS.search(text) is not None
