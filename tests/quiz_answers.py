"""Test helpers for quizzes: the form fields that answer an attempt right or wrong, worked out
from the attempt's draw exactly as an officer would see the page."""
from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from learning.content.quiz_format import format_number
from learning.extensions import db
from learning.models import Quiz
from learning.quizzes.quizzing import attempt_questions

from .factories import SAMPLE_CURRICULUM


def sample_quiz() -> Quiz:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))


def _right_fields(number: int, entry: dict, question: dict) -> dict[str, list[str]]:
    name, kind = f"q{number}", question["type"]
    if kind in ("single", "true_false", "multiple"):
        return {name: [str(shown) for shown, index in enumerate(entry["options"], start=1)
                       if question["options"][index]["correct"]]}
    if kind == "short":
        return {name: [question["accepted"][0]]}
    if kind == "numeric":
        return {name: [format_number(question["value"])]}
    if kind == "matching":
        pairs = question["pairs"]
        shown_for = {pairs[index][1]: shown for shown, index in enumerate(entry["right"], start=1)}
        return {f"{name}-{left}": [str(shown_for[right])]
                for left, (_, right) in enumerate(pairs, start=1)}
    return {f"{name}-{shown}": [str(index + 1)]  # ordering: each item to its own place
            for shown, index in enumerate(entry["items"], start=1)}


def _wrong_fields(number: int, entry: dict, question: dict) -> dict[str, list[str]]:
    name, kind = f"q{number}", question["type"]
    if kind in ("single", "true_false", "multiple"):
        wrong = [str(shown) for shown, index in enumerate(entry["options"], start=1)
                 if not question["options"][index]["correct"]]
        return {name: wrong[:1]}
    if kind == "short":
        return {name: ["jawaban yang keliru"]}
    if kind == "numeric":
        return {name: [format_number(question["value"] + question["tolerance"] + 1000)]}
    if kind == "matching":
        size = len(entry["right"])
        right = _right_fields(number, entry, question)
        return {field: [str(int(values[0]) % size + 1)] for field, values in right.items()}
    size = len(entry["items"])
    return {f"{name}-{shown}": [str(size - index)]
            for shown, index in enumerate(entry["items"], start=1)}


def answer_fields(attempt, right=True, only: list[int] | None = None) -> dict[str, list[str]]:
    """Form fields answering every question (or the 1-based numbers in `only`) right or wrong."""
    fields: dict[str, list[str]] = {}
    maker = _right_fields if right else _wrong_fields
    for number, (entry, question) in enumerate(attempt_questions(attempt), start=1):
        if only is None or number in only:
            fields.update(maker(number, entry, question))
    return fields


def as_form(fields: dict[str, list[str]], **extra) -> MultiDict:
    """Fields as form data for a test client post (repeated names allowed)."""
    pairs = [(name, value) for name, values in fields.items() for value in values]
    return MultiDict(pairs + list(extra.items()))


def edited_curriculum(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the sample curriculum whose quiz file has each (old, new) text replaced."""
    target = tmp_path / "curriculum"
    shutil.copytree(SAMPLE_CURRICULUM, target)
    quiz_file = target / "quizzes" / "contoh" / "unsur.md"
    text = quiz_file.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    quiz_file.write_text(text, encoding="utf-8")
    return target


ALL_TYPES_QUIZ = """---
slug: penutup-kuis
module: contoh/penutup
title: Kuis Semua Jenis
pass_mark: 60
max_attempts: 2
shuffle: true
time_limit: 0
---

## pilih-satu
law: UU 21/2007 Pasal 1
Pilih satu jawaban yang *benar*.

- [ ] Opsi salah pertama
- [x] Opsi benar
- [ ] Opsi salah kedua

> Penjelasan pilih satu.

## pilih-banyak
type: multiple
partial: true
Pilih semua yang benar.

- [x] Benar A
- [ ] Salah B
- [x] Benar C
- [ ] Salah D

## benar-salah
type: true_false
Pernyataan ini benar.

- [x] Benar
- [ ] Salah

## isian
type: short
law: UU 6/2011 Pasal 120
Pasal berapa mengatur penyelundupan manusia?

answer: Pasal 120 | pasal 120 UU 6/2011

## angka
type: numeric
Berapa tahun pidana paling singkat?

answer: 15 ± 1

## pasangan
type: matching
Pasangkan lembaga dengan tugasnya.

- Imigrasi => Paspor
- Polri => Penyidikan
- BP2MI => Pelindungan PMI

## urutan
type: ordering
Urutkan langkahnya.

1. Menerima laporan
2. Memverifikasi dokumen
3. Merujuk ke instansi
"""


def curriculum_with_all_types(tmp_path: Path) -> Path:
    """The sample curriculum plus a quiz with every question type on the module `penutup`."""
    target = tmp_path / "all-types"
    shutil.copytree(SAMPLE_CURRICULUM, target)
    (target / "quizzes" / "contoh" / "penutup.md").write_text(ALL_TYPES_QUIZ, encoding="utf-8")
    return target


def all_types_quiz() -> Quiz:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == "penutup-kuis"))
