"""What the review of a failed attempt shows while attempts remain: the quiz's `review:` setting.

Moodle answers the harvesting problem (fail once on purpose, copy the key, pass the next attempt)
with review options per attempt state; this is the same idea with three choices for the one state
that matters. After a failed attempt, while the officer may still try again, the result page shows

- `topics` (the default): the score and the topics to revisit, that is the legal provisions of the
  questions missed, each linked to the module section that treats it; no question is marked
  right or wrong and no explanation is shown;
- `questions`: the score and each question with the officer's answer marked right or wrong, still
  without explanations or the correct answers;
- `score`: the score alone.

After a pass, or once no attempt is left, every mode shows the full review: each question, the
officer's answer, the correct answer and the explanation.
"""
from __future__ import annotations

from typing import Callable, NoReturn

REVIEW_MODES = ("topics", "questions", "score")
DEFAULT_REVIEW = "topics"
FULL = "full"  # what every mode shows after a pass or the last attempt


def read_review(meta: dict, fail: Callable[[str, str], NoReturn]) -> str:
    """The front matter's `review:` value, checked; DEFAULT_REVIEW when absent."""
    value = meta.get("review", DEFAULT_REVIEW)
    if value not in REVIEW_MODES:
        fail("review", f"review must be one of {', '.join(REVIEW_MODES)}, got {value!r}")
    return value


def review_shown(mode: str | None, revealed: bool) -> str:
    """The review an attempt page shows: FULL once answers may be revealed, else the quiz's
    mode (DEFAULT_REVIEW for revisions saved before the setting existed)."""
    if revealed:
        return FULL
    return mode if mode in REVIEW_MODES else DEFAULT_REVIEW
