"""Grading: every question type, partial credit, numeric tolerance, short-answer normalisation
and whole attempts. Questions are built directly; responses use canonical indices."""
from __future__ import annotations

import pytest

from learning.content.quiz_format import Option, Question
from learning.quizzes.grading import (AttemptResult,
    QuestionResult,
    grade_attempt,
    grade_question,
    normalise_short,
    parse_number)


def single() -> Question:
    return Question("ibu-kota", "single", "Ibu kota?", options=[
        Option("Bandung"), Option("Jakarta", True), Option("Surabaya")])


def true_false() -> Question:
    return Question("paspor", "true_false", "Paspor dokumen perjalanan?",
                    options=[Option("Salah"), Option("Benar", True)])


def multiple(partial: bool = False, points: int = 1) -> Question:
    return Question("alasan", "multiple", "Pilih semua.", points=points, partial=partial, options=[
        Option("A", True), Option("B", True), Option("C"), Option("D", True), Option("E")])


def short() -> Question:
    return Question("pasal", "short", "Pasal?", accepted=["Pasal 120", "pasal 120 UU 6/2011"])


def numeric(value: float = 15.0, tolerance: float = 1.0) -> Question:
    return Question("tahun", "numeric", "Berapa?", value=value, tolerance=tolerance)


def matching(partial: bool = False) -> Question:
    return Question("tugas", "matching", "Pasangkan.", partial=partial, points=4, pairs=[
        ("Mencatat", "Pimpasa"), ("Menangkap", "Polri"), ("Memverifikasi", "BP2MI"),
        ("Menyidik", "Polri")])


def ordering(partial: bool = False) -> Question:
    return Question("langkah", "ordering", "Urutkan.", partial=partial, points=4,
                    items=["Mengenal", "Memantau", "Meneruskan", "Menanggapi"])


# --------------------------------------------------------------------------- one question


@pytest.mark.parametrize("response,correct", [
    (1, True), ("1", True), (0, False), (2, False), (3, False), (-2, False), (True, False),
    (None, False), ("Jakarta", False), ([1], False), (1.0, False),
])
def test_single_choice_by_canonical_index(response, correct):
    result = grade_question(single(), response)
    assert result == QuestionResult(points=1.0 if correct else 0.0, max_points=1, correct=correct)


def test_true_false_uses_the_source_order_of_its_options():
    assert grade_question(true_false(), 1).correct
    assert not grade_question(true_false(), 0).correct


@pytest.mark.parametrize("response,points,correct", [
    ([0, 1, 3], 2.0, True),
    ([3, 1, 0], 2.0, True),
    ([0, 1, 3, 3], 2.0, True),
    ([0, 1], 0.0, False),
    ([0, 1, 3, 2], 0.0, False),
    ([], 0.0, False),
    (None, 0.0, False),
    ([0, 9], 0.0, False),
    ("0,1,3", 0.0, False),
])
def test_multiple_is_all_or_nothing_without_partial(response, points, correct):
    result = grade_question(multiple(points=2), response)
    assert (result.points, result.max_points, result.correct) == (points, 2, correct)


@pytest.mark.parametrize("response,points,correct", [
    ([0, 1, 3], 3.0, True),       # all three right
    ([0, 1], 2.0, False),         # (2 - 0) / 3 of 3 points
    ([0, 1, 2], 1.0, False),      # (2 - 1) / 3
    ([0, 2], 0.0, False),         # (1 - 1) / 3
    ([2, 4], 0.0, False),         # (0 - 2) / 3 never goes below zero
    ([0, 1, 2, 3, 4], 1.0, False),  # ticking everything: (3 - 2) / 3
    (["x"], 0.0, False),          # malformed
])
def test_multiple_partial_credit(response, points, correct):
    result = grade_question(multiple(partial=True, points=3), response)
    assert result.points == pytest.approx(points, abs=1e-4)
    assert result.correct is correct


@pytest.mark.parametrize("response,correct", [
    ("Pasal 120", True),
    ("  pasal   120. ", True),
    ("PASAL 120 UU 6/2011!", True),
    ("Pasal\t120 uu 6/2011 ?", True),
    ("Pasal 12", False),
    ("120", False),
    ("", False),
    (".", False),
    (120, False),
    (None, False),
])
def test_short_answer_is_compared_normalised(response, correct):
    assert grade_question(short(), response).correct is correct


@pytest.mark.parametrize("response,correct", [
    ("15", True), ("14", True), ("16", True), ("15,5", True), (" 16,0 ", True), ("14.0", True),
    ("16.01", False), ("13,99", False), ("lima belas", False), ("1e1", False), ("", False),
    (15, True), (15.5, True), (17, False), (True, False), (None, False), (10 ** 400, False),
])
def test_numeric_tolerance_and_decimal_comma(response, correct):
    assert grade_question(numeric(), response).correct is correct


def test_numeric_tolerance_survives_binary_rounding():
    assert grade_question(numeric(value=15.0, tolerance=0.1), "15,1").correct
    assert not grade_question(numeric(value=15.0, tolerance=0.1), "15,11").correct
    assert grade_question(numeric(value=0.3, tolerance=0.0), "0,3").correct


def test_numeric_without_tolerance_needs_the_exact_value():
    assert grade_question(numeric(tolerance=0.0), "15").correct
    assert not grade_question(numeric(tolerance=0.0), "15,5").correct


def test_matching_all_or_nothing():
    right = {0: 0, 1: 1, 2: 2, 3: 3}
    assert grade_question(matching(), right) == QuestionResult(4.0, 4, True)
    assert grade_question(matching(), {0: 0, 1: 1, 2: 2, 3: 0}) == QuestionResult(0.0, 4, False)


def test_matching_pairs_with_the_same_right_text_are_interchangeable():
    swapped = {0: 0, 1: 3, 2: 2, 3: 1}  # both "Polri" entries chosen the other way round
    assert grade_question(matching(), swapped).correct


def test_matching_partial_credit_and_string_keys():
    result = grade_question(matching(partial=True), {"0": "0", "1": 2, 2: 1})
    assert result == QuestionResult(points=1.0, max_points=4, correct=False)


@pytest.mark.parametrize("response", [None, [0, 1, 2, 3], "0=0", {0: 9, 1: -1, 2: True, 3: None}])
def test_matching_malformed_scores_zero(response):
    assert grade_question(matching(partial=True), response).points == 0.0


def test_ordering_all_or_nothing():
    assert grade_question(ordering(), [0, 1, 2, 3]) == QuestionResult(4.0, 4, True)
    assert grade_question(ordering(), [1, 0, 2, 3]) == QuestionResult(0.0, 4, False)


@pytest.mark.parametrize("response,points", [
    ([0, 1, 3, 2], 2.0),   # first two positions right
    ([3, 2, 1, 0], 0.0),
    ([0, 2, 1, 3], 2.0),
    (["0", "1", "2", "3"], 4.0),
])
def test_ordering_partial_credit_counts_positions(response, points):
    assert grade_question(ordering(partial=True), response).points == points


@pytest.mark.parametrize("response", [[0, 1, 2], [0, 1, 2, 2], [0, 1, 2, 3, 3], [0, 1, 2, 4], "0123", None])
def test_ordering_must_use_every_item_once(response):
    assert grade_question(ordering(partial=True), response).points == 0.0


def test_partial_flag_is_ignored_on_all_or_nothing_types():
    question = single()
    question.partial = True
    assert grade_question(question, 0).points == 0.0


def test_unknown_type_scores_zero():
    assert grade_question(Question("x", "essay", "Tulis."), "jawaban") == QuestionResult(0.0, 1, False)


JUNK = [None, True, -1, 10**400, 3.5, float("nan"), "", "x", [], [None], [[1]], {}, {None: None},
        {"a": "b"}, {1: [2]}, object(), b"1", (1, 2), {1, 2}]


@pytest.mark.parametrize("question", [single(), true_false(), multiple(partial=True), short(),
                                      numeric(), matching(partial=True), ordering(partial=True)],
                         ids=lambda q: q.type)
def test_junk_responses_never_raise(question):
    for response in JUNK:
        result = grade_question(question, response)
        assert 0.0 <= result.points <= question.points
        assert result.max_points == question.points


# --------------------------------------------------------------------------- whole attempts


def test_attempt_score_percent_and_pass():
    questions = [single(), multiple(partial=True, points=3), short(), ordering()]
    responses = {"ibu-kota": 1, "alasan": [0, 1], "pasal": "pasal 120", "langkah": [1, 0, 2, 3],
                 "unknown-slug": 5}
    result = grade_attempt(questions, responses, pass_mark=44)
    assert isinstance(result, AttemptResult)
    assert (result.score, result.max_score) == (4.0, 9)
    assert result.percent == 44.4
    assert result.passed
    assert list(result.results) == ["ibu-kota", "alasan", "pasal", "langkah"]
    assert result.results["alasan"] == QuestionResult(2.0, 3, False)
    assert not grade_attempt(questions, responses, pass_mark=45).passed


def test_attempt_passes_at_exactly_the_pass_mark():
    questions = [single(), short(), numeric(), true_false()]
    responses = {"ibu-kota": 1, "pasal": "Pasal 120", "tahun": "15", "paspor": 0}
    result = grade_attempt(questions, responses, pass_mark=75)
    assert (result.percent, result.passed) == (75.0, True)


def test_percent_is_rounded_half_up_to_one_decimal():
    questions = [Question(f"q{i}", "short", "?", accepted=["a"]) for i in range(16)]
    result = grade_attempt(questions, {"q0": "a"}, pass_mark=6)
    assert result.percent == 6.3  # 6.25 rounds up (round() would give 6.2)
    questions = [Question(f"q{i}", "short", "?", accepted=["a"]) for i in range(3)]
    result = grade_attempt(questions, {"q0": "a", "q1": "a"}, pass_mark=67)
    assert (result.percent, result.passed) == (66.7, False)


def test_attempt_with_missing_or_malformed_responses():
    result = grade_attempt([single(), short()], None, pass_mark=0)
    assert (result.score, result.max_score, result.percent, result.passed) == (0.0, 2, 0.0, True)
    assert all(not r.correct for r in result.results.values())


def test_attempt_without_questions():
    result = grade_attempt([], {}, pass_mark=70)
    assert (result.score, result.max_score, result.percent, result.passed) == (0.0, 0, 0.0, False)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("text,expected", [
    ("Pasal 120", "pasal 120"),
    ("  Pasal   120  ", "pasal 120"),
    ("Pasal 120.", "pasal 120"),
    ("Pasal 120 ?!", "pasal 120"),
    ("pasal\u00a0120;:,", "pasal 120"),
    ("STRASSE", "strasse"),
    ("U.U. 6/2011", "u.u. 6/2011"),
    ("...", ""),
])
def test_normalise_short(text, expected):
    assert normalise_short(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("15", 15.0), (" 15,5 ", 15.5), ("1.5", 1.5), ("-2", -2.0), ("+3", 3.0), (",5", 0.5),
    ("\u22124", -4.0), ("15 000", None), ("1.500,5", None), ("1e3", None), ("abc", None),
    ("", None), ("inf", None), ("nan", None), (None, None), (15, None),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected
