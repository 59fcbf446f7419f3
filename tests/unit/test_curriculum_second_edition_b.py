"""Issue 17, curriculum second edition, for the courses `keimigrasian` and `pimpasa-desa`.

Each test asserts one corrected statement or one standard of the second edition on the shipped
files, so that a later edit that brings the old mistake back fails here.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from learning.content.curriculum import read_curriculum
from learning.content.quiz_quality import quiz_quality

ROOT = Path(__file__).resolve().parents[2]
COURSES = ("keimigrasian", "pimpasa-desa")
CURRICULUM = read_curriculum(ROOT)
MODULES = [(course.slug, module) for course in CURRICULUM.courses if course.slug in COURSES
           for module in course.modules]
QUIZZES = [quiz for quiz in CURRICULUM.quizzes
           if Path(quiz.path).parent.name in COURSES]


def _quiz(relative: str):
    """The parsed quiz document of a shipped quiz file, e.g. 'quizzes/tppo/unsur-tppo.md'."""
    return next(q.document for q in CURRICULUM.quizzes if Path(q.path) == ROOT / relative)


def _text(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8").replace("**", "")


def _paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines, whitespace folded (admonition bodies stay together)."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {heading}.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no '## {heading}' section"
    return match.group(1)


def test_both_courses_are_read_with_all_their_modules():
    assert {slug for slug, _ in MODULES} == set(COURSES)
    assert len(MODULES) == 13
    assert len(QUIZZES) == 13


# --- Error 1: UU 18/2017 Pasal 79 is "dan/atau" -------------------------------------------------

PASAL_79_PENALTY = re.compile(r"Pasal 79\b[^.;]*?paling lama 2 tahun(?P<link>[^.;]*?)"
                              r"denda paling banyak Rp ?200 juta", re.I)


@pytest.mark.parametrize("relative", [
    "courses/keimigrasian/05-paspor-calon-pekerja-migran.md",
    "quizzes/keimigrasian/paspor-calon-pekerja-migran.md",
    "courses/pimpasa-desa/06-koordinasi-desa-kanim.md",
    "quizzes/pimpasa-desa/koordinasi-desa-kanim.md",
])
def test_pasal_79_penalty_is_stated_with_dan_atau(relative):
    found = [m for p in _paragraphs(_text(relative)) for m in PASAL_79_PENALTY.finditer(p)]
    assert found, f"{relative} no longer states the Pasal 79 penalty"
    assert all("dan/atau" in m.group("link") for m in found), [m.group(0) for m in found]


def test_no_file_of_the_two_courses_teaches_pasal_79_as_prison_and_fine():
    for path in [*ROOT.glob("courses/keimigrasian/*.md"), *ROOT.glob("courses/pimpasa-desa/*.md"),
                 *ROOT.glob("quizzes/keimigrasian/*.md"), *ROOT.glob("quizzes/pimpasa-desa/*.md")]:
        for paragraph in _paragraphs(path.read_text(encoding="utf-8").replace("**", "")):
            for match in PASAL_79_PENALTY.finditer(paragraph):
                assert "dan/atau" in match.group("link"), f"{path}: {match.group(0)}"


# --- Error 2: the smuggled person and Pasal 113 -------------------------------------------------

NOT_PUNISHED = re.compile(r"(?:diselundupkan|orang yang dibawa)[^.]*?tidak (?:dipidana|mengancam|menjerat)"
                          r"|tidak mengancam pidana orang yang diselundupkan", re.I)


def test_module_qualifies_that_the_smuggled_person_is_not_punished_under_pasal_120():
    text = _text("courses/keimigrasian/04-penyelundupan-manusia-dan-data-palsu.md")
    assert "Orang yang diselundupkan tidak dipidana berdasarkan pasal ini" not in text
    statements = [p for p in _paragraphs(text) if NOT_PUNISHED.search(p)]
    assert statements, "the module no longer explains the position of the smuggled person"
    whole = " ".join(statements)
    assert "Pasal 120" in whole and "Pasal 113" in whole
    # the paragraph right after the Pasal 120 statement applies Pasal 113 to leaving without a TPI check
    assert re.search(r"tidak sama dengan[^.]*tidak melanggar apa pun", " ".join(text.split()))
    assert re.search(r"tanpa melalui pemeriksaan[^.]*TPI melanggar Pasal 113", " ".join(text.split()))


def test_summary_table_row_for_the_smuggled_person_names_pasal_113():
    text = _text("courses/keimigrasian/04-penyelundupan-manusia-dan-data-palsu.md")
    rows = [line for line in text.splitlines() if line.startswith("| Orang yang diselundupkan")]
    assert rows and all("Pasal 113" in row and "Tidak dipidana menurut Pasal 120" in row for row in rows)


def test_quiz_on_the_smuggled_person_rewards_the_pasal_113_answer():
    document = _quiz("quizzes/keimigrasian/penyelundupan-manusia-dan-data-palsu.md")
    question = next(q for q in document.questions if q.slug == "diselundupkan-dan-tpi")
    correct = [o.text for o in question.options if o.correct]
    assert correct and "Pasal 113" in correct[0] and "Pasal 120" in correct[0]
    wrong = [o.text for o in question.options if not o.correct]
    assert any("tidak pernah dipidana" in text for text in wrong)
    assert question.law == "UU 6/2011 Pasal 113"


# --- Error 3: the village head and the family-permission letter ---------------------------------

def test_village_head_warning_names_the_uu_18_2017_and_uu_21_2007_provisions():
    text = _text("courses/pimpasa-desa/06-koordinasi-desa-kanim.md")
    start = text.index('!!! danger "Bahaya')
    warning = " ".join(text[start:text.index("!!! note", start)].split())
    for needle in ("UU 18/2017 Pasal 13", "Pasal 65", "Pasal 79", "UU 21/2007 Pasal 19"):
        assert needle in warning, needle
    module = next(m for c, m in MODULES if m.slug == "koordinasi-desa-kanim")
    assert {"UU 18/2017 Pasal 13", "UU 18/2017 Pasal 65", "UU 18/2017 Pasal 79",
            "UU 21/2007 Pasal 19"} <= set(module.laws)


def test_village_head_quiz_rests_on_pasal_65_not_only_on_uu_6_2011():
    document = _quiz("quizzes/pimpasa-desa/koordinasi-desa-kanim.md")
    question = next(q for q in document.questions if q.slug == "aturan-surat-izin-palsu")
    assert question.law == "UU 18/2017 Pasal 65"
    correct = next(o.text for o in question.options if o.correct)
    assert "Pasal 65" in correct and "Pasal 79" in correct
    only_uu6 = next(o for o in question.options if o.text.startswith("Hanya UU 6/2011"))
    assert not only_uu6.correct


def test_child_is_defined_by_uu_21_2007_itself():
    text = " ".join(_text("courses/pimpasa-desa/02-tanda-bahaya.md").split())
    assert re.search(r"UU 21/2007 sendiri mendefinisikan anak[^.]*18 tahun[^.]*kandungan", text)


# --- The 2026 penal reform in every module ------------------------------------------------------

TO_CONFIRM = re.compile(r"belum (?:kami )?(?:dipastikan|pastikan)|untuk dikonfirmasi|"
                        r"dikonfirmasi|konfirmasikan|saya cek|tanyakan", re.I)


@pytest.mark.parametrize("course,module", MODULES, ids=[f"{c}/{m.slug}" for c, m in MODULES])
def test_every_module_handles_the_2026_penal_reform(course, module):
    body = " ".join(module.body.split())
    assert "UU 1/2026" in body, "UU 1/2026 tentang Penyesuaian Pidana is not mentioned"
    assert "2 Januari 2026" in body
    assert TO_CONFIRM.search(body), "nothing is marked as still to confirm"
    assert any(law.startswith("UU 1/2026") for law in module.laws)
    assert module.reviewed is not None and module.reviewed >= date(2026, 12, 3)


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DATE_CHECKED = re.compile(rf"Diperiksa (\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})")


def _date_checked(note: str) -> date | None:
    match = DATE_CHECKED.search(" ".join(note.split()))
    if not match:
        return None
    return date(int(match.group(3)), MONTHS.index(match.group(2)) + 1, int(match.group(1)))


@pytest.mark.parametrize("course,module", MODULES, ids=[f"{c}/{m.slug}" for c, m in MODULES])
def test_every_footnote_carries_the_date_checked(course, module):
    notes = re.findall(r"^\[\^\d+\]:(.*?)(?=^\[\^|\Z)", module.body, re.M | re.S)
    assert notes, "the module has no footnotes"
    undated = [n.strip()[:60] for n in notes if _date_checked(n) is None]
    assert not undated, f"footnotes without 'Diperiksa <tanggal>': {undated}"
    stale = [n.strip()[:60] for n in notes if _date_checked(n) < date(2026, 12, 3)]
    assert not stale, f"footnotes checked before the second edition: {stale}"


def test_kuhp_module_gives_the_fine_categories_of_kuhp_pasal_79():
    text = _text("courses/keimigrasian/06-kuhp-baru-dan-dampaknya.md")
    expected = {"I": "Rp1 juta", "II": "Rp10 juta", "III": "Rp50 juta", "IV": "Rp200 juta",
                "V": "Rp500 juta", "VI": "Rp2 miliar", "VII": "Rp5 miliar", "VIII": "Rp50 miliar"}
    cells = dict(re.findall(r"\|\s*(I{1,3}|IV|VI{0,3})\s*\|\s*(Rp\d+ (?:juta|miliar))", text))
    assert cells == expected


def test_special_minimums_are_marked_unconfirmed_with_whom_to_ask():
    text = " ".join(_text("courses/keimigrasian/06-kuhp-baru-dan-dampaknya.md").split())
    row = re.search(r"\| Apakah ancaman minimum khusus[^\n]*?\|([^|]*)\|([^|]*)\|", text)
    assert row and "Belum dipastikan" in row.group(1)
    assert "PPNS keimigrasian" in row.group(2) and "Polres" in row.group(2)


# --- Cases from several provinces ---------------------------------------------------------------

def test_case_studies_cover_five_provinces_outside_south_kalimantan():
    provinces = set()
    for _, module in MODULES:
        case = _section(module.body, "Studi Kasus")
        for name in ("Nusa Tenggara Timur", "Nusa Tenggara Barat", "Jawa Timur", "Kalimantan Utara",
                     "Sumatera Utara"):
            if name in " ".join(case.split()):
                provinces.add(name)
    assert len(provinces) == 5, provinces


# --- Quiz banks, second edition -----------------------------------------------------------------

def test_quiz_quality_rules_hold_for_both_courses_across_the_whole_curriculum():
    report = quiz_quality(CURRICULUM.quizzes)
    mine = [p for p in report.problems + report.warnings
            if any(f"quizzes/{course}/" in p for course in COURSES)]
    assert mine == []


@pytest.mark.parametrize("quiz", QUIZZES, ids=[Path(q.path).stem for q in QUIZZES])
def test_each_bank_has_ten_questions_four_options_and_law_lines(quiz):
    questions = quiz.document.questions
    assert len(questions) >= 10
    assert len({q.type for q in questions}) >= 4
    for question in questions:
        assert question.law, question.slug
        assert "menurut modul" not in question.prompt.lower(), question.slug
        if question.type == "single":
            assert len(question.options) >= 4, question.slug


def test_short_answers_naming_the_labour_office_accept_disnakertrans():
    checked = 0
    for quiz in QUIZZES:
        for question in quiz.document.questions:
            answers = {a.lower() for a in question.accepted}
            if question.type == "short" and "disnaker" in answers:
                assert "disnakertrans" in answers, f"{quiz.path}: {question.slug}"
                checked += 1
    assert checked >= 3


def test_pimpasa_desa_bank_no_longer_repeats_the_tppo_three_elements_question():
    tppo = _quiz("quizzes/tppo/unsur-tppo.md")
    peran = _quiz("quizzes/pimpasa-desa/peran-pimpasa.md")
    fold = lambda s: " ".join(s.split()).casefold()  # noqa: E731
    assert not {fold(q.prompt) for q in tppo.questions} & {fold(q.prompt) for q in peran.questions}
