"""Reading the Aiken format: the plain list many trainers type in a word processor.

    Apa kepanjangan Pimpasa?
    A. Petugas Imigrasi Pembina Desa
    B) Pusat Informasi Migran
    ANSWER: A

One question per block: the question text (one or more lines), two or more options lettered
A, B, C ... in order (`A.` or `A)`), and the line `ANSWER: <letter>`. Aiken has no feedback,
weights or titles. A file with any malformed question is refused as a whole, with every problem
by line: Aiken is typed by hand, and a misread file would import wrong answers.
"""
from __future__ import annotations

import re

from .model import MULTICHOICE, BankAnswer, BankError, BankQuestion

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)


def read_aiken(text: str, filename: str) -> list[BankQuestion]:
    """Every question of an Aiken file; raise BankError listing each malformed one by line."""
    questions: list[BankQuestion] = []
    problems: list[tuple[str, str, dict]] = []
    for start, lines in _blocks(text):
        where = f"{filename}:{start}"
        try:
            questions.append(_question(lines, where, filename))
        except _Malformed as exc:
            problems.append((f"{filename}:{exc.line}", exc.code, exc.params))
    if problems:
        raise BankError(problems)
    if not questions:
        raise BankError([(filename, "empty_file", {})])
    return questions


class _Malformed(Exception):
    def __init__(self, line: int, code: str, **params):
        self.line, self.code, self.params = line, code, params


def _blocks(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines + [""], start=1):
        if raw.strip():
            current.append((number, raw.strip()))
        elif current:
            blocks.append((current[0][0], current))
            current = []
    return blocks


def _question(lines: list[tuple[int, str]], where: str, filename: str) -> BankQuestion:
    prompt: list[str] = []
    options: list[tuple[int, str, str]] = []
    answer: tuple[int, str] | None = None
    for number, text in lines:
        if answer is not None:
            raise _Malformed(number, "aiken_after_answer")
        option, verdict = _OPTION.match(text), _ANSWER.match(text)
        if verdict:
            answer = (number, verdict.group(1).upper())
        elif option and (options or prompt):
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                raise _Malformed(number, "aiken_letter", expected=expected, got=option.group(1))
            options.append((number, option.group(1), option.group(2)))
        elif options:
            raise _Malformed(number, "aiken_not_option", text=text[:60])
        else:
            prompt.append(text)
    first = lines[0][0]
    if not prompt:
        raise _Malformed(first, "aiken_no_question")
    if answer is None:
        raise _Malformed(lines[-1][0], "aiken_no_answer")
    if len(options) < 2:
        raise _Malformed(first, "aiken_few_options")
    letters = [letter for _, letter, _ in options]
    if answer[1] not in letters:
        raise _Malformed(answer[0], "aiken_bad_answer", letter=answer[1][:5],
                         letters=", ".join(letters))
    answers = [BankAnswer(text, 1.0 if letter == answer[1] else 0.0, where=f"{filename}:{number}")
               for number, letter, text in options]
    name = " ".join(prompt[0].split()[:6])  # Aiken has no titles: the slug comes from the text
    return BankQuestion(where=where, qtype=MULTICHOICE, name=name, text="\n".join(prompt),
                        answers=answers, single=True)
