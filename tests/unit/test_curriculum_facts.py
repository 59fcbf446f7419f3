"""Key legal facts: wherever the curriculum states one, it states it as the fact sheet does.

Each fact is a pattern that captures the figures a sentence states next to the article it is
about. Every capture anywhere in the shipped modules and quizzes must equal the fact sheet's
figures, and every fact must be stated at least once (so the test cannot pass vacuously).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(*])|\n\s*\n|\n(?=\s*(?:[-*|>]|\d+\.|##))")


def _sentences() -> list[tuple[str, str]]:
    found = []
    for path in sorted([*ROOT.glob("courses/*/*.md"), *ROOT.glob("quizzes/*/*.md")]):
        text = path.read_text(encoding="utf-8").replace("**", "")
        for sentence in SENTENCE_BREAK.split(text):
            found.append((str(path.relative_to(ROOT)), " ".join(sentence.split())))
    return found


SENTENCES = _sentences()
N = r"(\d+(?:,\d+)?)"
TO = r"(?:\s*(?:sampai|hingga|s\.d\.|–|-)\s*|\s+dan paling (?:lama|banyak)\s+)"
YEARS = rf"(?:paling singkat |minimal )?{N}(?: tahun)?{TO}{N} tahun"
RUPIAH = rf"(?:paling sedikit |minimal )?Rp ?{N} (?:juta|miliar){TO}Rp ?{N} (?:juta|miliar)"
UPTO = rf"paling lama {N} tahun"
FINE_UPTO = rf"paling banyak Rp ?{N} (?:juta|miliar)"
GAP = r"[^.;]*?"

# name: (pattern with capture groups, the fact sheet's figures)
FACTS = {
    "UU 21/2007 Pasal 2 prison term": (rf"Pasal 2(?: ayat \(1\))?\b(?! huruf){GAP}{YEARS}", ("3", "15")),
    "UU 21/2007 Pasal 2 fine": (rf"Pasal 2(?: ayat \(1\))?\b(?! huruf){GAP}{RUPIAH}", ("120", "600")),
    "UU 21/2007 Pasal 19 penalty": (rf"Pasal 19\b{GAP}{YEARS}{GAP}{RUPIAH}", ("1", "7", "40", "280")),
    "UU 6/2011 Pasal 120 prison term": (rf"Pasal 120\b{GAP}{YEARS}", ("5", "15")),
    "UU 6/2011 Pasal 120 fine": (rf"Pasal 120\b{GAP}{RUPIAH}", ("500", "1,5")),
    "UU 6/2011 Pasal 113 penalty": (rf"Pasal 113\b{GAP}{UPTO}{GAP}{FINE_UPTO}", ("1", "100")),
    "UU 6/2011 Pasal 126 huruf c penalty": (rf"Pasal 126 huruf c\b{GAP}{UPTO}{GAP}{FINE_UPTO}",
                                             ("5", "500")),
    "UU 18/2017 Pasal 5 minimum age": (
        rf"(?:berusia|usia|umur)(?: paling rendah| minimal| minimum| sekurang-kurangnya) {N} tahun",
        ("18",)),
    "UU 18/2017 Pasal 79 penalty": (rf"Pasal 79\b{GAP}{UPTO}{GAP}{FINE_UPTO}", ("2", "200")),
    "UU 18/2017 Pasal 80 penalty": (rf"Pasal 80\b{GAP}{UPTO}{GAP}{FINE_UPTO}", ("3", "500")),
    "UU 63/2024 is the third amendment": (
        r"UU 63/2024[^.;]*?perubahan (pertama|kedua|ketiga|keempat)", ("ketiga",)),
    "new KUHP in force": (
        r"(?:KUHP|UU 1/2023)[^.;]*?berlaku (?:sejak|mulai) (?:tanggal )?(\d+ \w+ \d{4})",
        ("2 Januari 2026",)),
    "Pimpasa sworn in on 4 November 2024": (
        r"(\d+) (?:orang )?Pimpasa(?: pertama)? dikukuhkan", ("146",)),
}

KNOWN_NUMBERS = {"0800-1000", "+62 21 29244800", "0811-8080-141", "08111-129-129"}
PHONE = re.compile(r"(?<![\w/.-])(\+62[\d ]{6,}\d|0\d{2,4}-\d{3,4}(?:-\d{3,4})?)(?![\w/-])")


@pytest.mark.parametrize("name", sorted(FACTS))
def test_key_fact_is_stated_and_stated_correctly(name):
    pattern, expected = FACTS[name]
    regex = re.compile(pattern, re.IGNORECASE)
    stated = [(path, sentence, match.groups()) for path, sentence in SENTENCES
              for match in regex.finditer(sentence)]
    assert stated, f"the curriculum never states: {name}"
    wrong = [(path, sentence) for path, sentence, groups in stated
             if tuple(g.lower() for g in groups) != tuple(e.lower() for e in expected)]
    assert not wrong, f"{name} stated wrongly:\n" + "\n".join(f"{p}: {s}" for p, s in wrong)


def test_every_hotline_number_is_one_from_the_fact_sheet():
    numbers = {(path, m.group(1)) for path, sentence in SENTENCES for m in PHONE.finditer(sentence)}
    assert numbers, "the curriculum gives no hotline numbers"
    unknown = sorted((path, number) for path, number in numbers if number not in KNOWN_NUMBERS)
    assert not unknown, f"numbers not on the fact sheet: {unknown}"
    assert {number for _, number in numbers} >= {"0800-1000", "08111-129-129"}


def test_dated_facts_carry_a_date():
    """Hotlines and ministers change: each mention comes with 'per <bulan> <tahun>' nearby."""
    undated = []
    for path in sorted(ROOT.glob("courses/*/*.md")):
        text = path.read_text(encoding="utf-8")
        if ("0800-1000" in text or "08111-129-129" in text) and not re.search(
                r"per (?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
                r"November|Desember) \d{4}", text):
            undated.append(str(path.relative_to(ROOT)))
    assert not undated, f"hotline numbers without 'per <month year>': {undated}"


def test_shipped_curriculum_meets_the_curriculum_rules():
    """`content check --strict`, first part: every module has laws, reviewed, 600+ words and a
    quiz of 10+ questions of 4+ types, every question with an explanation and a law."""
    from learning.content.curriculum import read_curriculum
    from learning.content.standards import minimum_problems

    curriculum = read_curriculum(ROOT)
    assert len(curriculum.courses) == 5
    assert all(len(course.modules) >= 4 for course in curriculum.courses)
    assert minimum_problems(curriculum, strict=True) == []


def test_shipped_curriculum_meets_the_quiz_quality_rules():
    """`content check --strict`, second part: the quiz quality rules (learning.content.quiz_quality)."""
    from learning.content.curriculum import read_curriculum
    from learning.content.standards import curriculum_check

    result = curriculum_check(read_curriculum(ROOT), strict=True)
    assert result.problems == [] and result.warnings == []


def test_docs_curriculum_is_current():
    from learning.content.catalogue import curriculum_catalogue
    from learning.content.curriculum import read_curriculum

    expected = curriculum_catalogue(read_curriculum(ROOT))
    assert (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8") == expected, (
        "regenerate with: flask --app app content catalogue > docs/curriculum.md")
