"""The quiz quality rules of `content check --strict` (learning.content.quiz_quality): a small
bank breaking each rule fails, a bank keeping them all passes, and "menurut modul" only warns."""
from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.curriculum import Curriculum, CourseSource, ModuleSource, QuizSource
from learning.content.quiz_format import parse_quiz
from learning.content.quiz_quality import (correct_is_strictly_longest, longest_correct_share,
                                           normalise_prompt, quiz_quality)
from learning.content.standards import curriculum_check, curriculum_problems

ROOT = Path(__file__).resolve().parents[2]


def bank(slug: str, *questions: str, module: str = "contoh/modul") -> QuizSource:
    text = f"---\nslug: {slug}\nmodule: {module}\ntitle: Kuis {slug}\n---\n\n" + "\n".join(questions)
    return QuizSource(path=f"quizzes/{slug}.md", text=text, document=parse_quiz(text, slug))


def single(slug: str, prompt: str, correct: str, *wrong: str) -> str:
    options = [f"- [x] {correct}"] + [f"- [ ] {w}" for w in wrong]
    return f"## {slug}\nlaw: UU 21/2007 Pasal 1\n{prompt}\n\n" + "\n".join(options) + "\n\n> Alasan.\n"


def short(slug: str, prompt: str) -> str:
    return f"## {slug}\ntype: short\nlaw: UU 6/2011 Pasal 120\n{prompt}\n\nanswer: Polri\n"


# Five single-choice questions, the correct option strictly longest in exactly two (40%).
GOOD = [
    single("q1", "Siapa yang menyelidiki perekrut?", "Polri", "Pimpasa", "Kepala desa", "Keluarga"),
    single("q2", "Ke mana korban dirujuk?", "UPTD PPA", "Kantor pos", "Bank desa", "Pasar"),
    single("q3", "Apa tanda bahaya?", "Visa turis untuk bekerja", "Paspor", "KTP", "Akta"),
    single("q4", "Siapa yang mengecek P3MI?", "Dinas tenaga kerja kabupaten", "BPS",
           "Kantor camat", "Puskesmas"),
    single("q5", "Kapan melapor?", "Segera", "Setelah sebulan berlalu",
           "Menunggu korban pulang", "Tidak perlu"),
]


def test_a_bank_keeping_every_rule_passes():
    report = quiz_quality([bank("baik", *GOOD)])
    assert report.problems == [] and report.warnings == []


def test_longest_correct_share_counts_only_strictly_longest_single_choice():
    quiz = bank("baik", *GOOD, short("s1", "Siapa penyidik?"))
    assert longest_correct_share(quiz.document.questions) == (2, 5)
    tie = bank("seri", single("t", "Pilih?", "abcd", "wxyz", "ab", "a")).document.questions[0]
    assert not correct_is_strictly_longest(tie)  # a tie is not "longest"


def test_correct_option_longest_in_more_than_40_percent_fails():
    first = single("q1", "Siapa yang menyelidiki perekrut?", "Penyidik Polri", "Pimpasa", "Camat",
                   "Keluarga")
    report = quiz_quality([bank("panjang", first, *GOOD[1:])])
    assert len(report.problems) == 1
    assert "longest in 3 of 5" in report.problems[0] and "panjang" in report.problems[0]


def test_single_choice_with_three_options_fails():
    report = quiz_quality([bank("tiga", single("q1", "Siapa penyidik?", "Polri", "Pimpasa",
                                               "Kepala desa"))])
    assert report.problems == ["quizzes/tiga.md:7: question 'q1' has 3 options, single choice "
                               "needs at least 4"]


def test_same_prompt_in_two_banks_fails_whatever_the_case_and_spacing():
    first = bank("satu", single("a", "Siapa  yang MENYELIDIKI perekrut?", "Polri", "Pimpasa",
                                "Kepala desa", "Camat"))
    second = bank("dua", short("b", "siapa yang menyelidiki\nperekrut?"))
    report = quiz_quality([first, second])
    assert len(report.problems) == 1
    assert "quizzes/dua.md" in report.problems[0] and "quizzes/satu.md:7 ('a')" in report.problems[0]
    assert normalise_prompt(" A\n  b ") == "a b"


def test_same_prompt_twice_in_one_bank_fails():
    report = quiz_quality([bank("ulang", short("a", "Siapa penyidik?"), short("b", "Siapa penyidik?"))])
    assert len(report.problems) == 1 and "'b'" in report.problems[0]


def test_menurut_modul_is_a_warning_not_a_problem():
    report = quiz_quality([bank("modul", short("a", "Menurut modul, siapa penyidik?"))])
    assert report.problems == []
    assert len(report.warnings) == 1 and "menurut modul" in report.warnings[0]


def _curriculum(*quizzes: QuizSource) -> Curriculum:
    module = ModuleSource(path="courses/contoh/01-modul.md", slug="modul", title="Modul", minutes=5,
                          laws=["UU 21/2007 Pasal 1"], reviewed=None, body="teks\n", position=1)
    course = CourseSource(path="courses/contoh/course.md", slug="contoh", title="Contoh", summary="",
                          order=1, validity_months=None, description="", modules=[module])
    return Curriculum(courses=[course], quizzes=list(quizzes))


def test_quality_rules_apply_only_with_strict():
    bad = bank("tiga", single("q1", "Menurut modul, siapa penyidik?", "Polri", "Pimpasa", "Camat"))
    relaxed = curriculum_check(_curriculum(bad), strict=False)
    assert relaxed.problems == [] and relaxed.warnings == []
    strict = curriculum_check(_curriculum(bad), strict=True)
    assert any("needs at least 4" in p for p in strict.problems)
    assert len(strict.warnings) == 1
    assert curriculum_problems(_curriculum(bad), strict=True) == strict.problems


def test_the_new_course_meets_the_quality_rules():
    """penanganan-korban is written to the second-edition rules (the four older banks are being
    rewritten separately; see test_curriculum_facts)."""
    from learning.content.curriculum import read_curriculum

    curriculum = read_curriculum(ROOT)
    ours = [q for q in curriculum.quizzes if q.document.module_ref.startswith("penanganan-korban/")]
    assert len(ours) == 4
    report = quiz_quality(ours)
    assert report.problems == [] and report.warnings == []
    for quiz in ours:
        questions = quiz.document.questions
        assert len(questions) >= 10 and len({q.type for q in questions}) >= 4
        assert all(q.law and q.explanation for q in questions)


@pytest.mark.parametrize("phrase", ["MENURUT MODUL", "menurut  modul"])
def test_warning_phrase_is_found_after_normalising(phrase):
    report = quiz_quality([bank("modul", short("a", f"{phrase} ini, siapa penyidik?"))])
    assert len(report.warnings) == 1
