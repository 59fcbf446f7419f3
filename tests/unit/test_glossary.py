"""The glossary (courses/glosarium.md): parsing and its errors, abbreviations in rendered modules,
search, and the shipped glossary covering the terms the curriculum uses."""
from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.errors import ContentError
from learning.content.glossary import (abbreviations, glossary_entries, parse_glossary,
                                       read_glossary, search_glossary, shipped_abbreviations)
from learning.content.rendering import render_inline, render_markdown

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = """\
---
title: Glosarium
checked: 2026-12-02
---

## TPPO
kepanjangan: Tindak Pidana Perdagangan Orang
sumber: UU 21/2007 Pasal 1 angka 1

Perekrutan ... untuk tujuan eksploitasi.

## UPTD PPA
kepanjangan: Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak
alias: UPTD-PPA
sumber: dinas PPPA

Unit layanan bagi perempuan dan anak korban.

## Dinas Sosial
kepanjangan: Dinas Sosial kabupaten/kota
sumber: UU 21/2007 Pasal 51

Rehabilitasi sosial dan pemulangan korban ke daerah asal.
"""


def test_entries_are_parsed_and_sorted():
    glossary = parse_glossary(SAMPLE, "courses/glosarium.md")
    assert glossary.title == "Glosarium" and glossary.checked.isoformat() == "2026-12-02"
    entries = glossary_entries(glossary)
    assert [e.term for e in entries] == ["Dinas Sosial", "TPPO", "UPTD PPA"]
    uptd = entries[2]
    assert uptd.aliases == ("UPTD-PPA",) and uptd.anchor == "uptd-ppa" and uptd.line == 12
    assert uptd.definition == "Unit layanan bagi perempuan dan anak korban."


def test_abbreviations_are_the_terms_written_as_abbreviations():
    abbr = abbreviations(glossary_entries(parse_glossary(SAMPLE, "g.md")))
    assert abbr == {"TPPO": "Tindak Pidana Perdagangan Orang",
                    "UPTD PPA": "Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak",
                    "UPTD-PPA": "Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak"}


@pytest.mark.parametrize("broken, message", [
    ("## TPPO\nsumber: UU\n\nTeks.\n", "'kepanjangan:' is missing"),
    ("## TPPO\nkepanjangan: T\n\nTeks.\n", "'sumber:' is missing"),
    ("## TPPO\nkepanjangan: T\nsumber: UU\n", "has no definition"),
    ("## TPPO\nkepanjangan: T\nsumber: U\n\nA.\n\n## tppo\nkepanjangan: T\nsumber: U\n\nB.\n",
     "already defined on line 5"),
    ("Teks lepas.\n", "text before the first"),
    ("## <b>x</b>\nkepanjangan: T\nsumber: U\n\nA.\n", "must be letters"),
])
def test_broken_glossary_is_reported_with_a_line(broken, message):
    with pytest.raises(ContentError) as caught:
        parse_glossary(f"---\ntitle: G\n---\n\n{broken}", "courses/glosarium.md")
    assert message in str(caught.value) and "courses/glosarium.md:" in str(caught.value)


def test_search_ranks_exact_terms_first_and_ignores_case_and_accents():
    entries = glossary_entries(parse_glossary(SAMPLE, "g.md"))
    assert [e.term for e in search_glossary(entries, "tppo")] == ["TPPO"]
    assert [e.term for e in search_glossary(entries, "korban")] == ["Dinas Sosial", "UPTD PPA"]
    assert [e.term for e in search_glossary(entries, "ANAK Perempuan")] == ["UPTD PPA"]
    assert [e.term for e in search_glossary(entries, "uptd-ppa")] == ["UPTD PPA"]
    assert search_glossary(entries, "  ") == []


def test_rendered_markdown_explains_abbreviations_and_keeps_abbr_title():
    glossary = {"TPPO": "Tindak Pidana Perdagangan Orang", "UPTD PPA": "Unit PPA"}
    html = render_markdown("Korban TPPO dirujuk ke UPTD PPA, bukan `TPPO` dalam kode.", glossary).html
    assert '<abbr title="Tindak Pidana Perdagangan Orang">TPPO</abbr>' in html
    assert '<abbr title="Unit PPA">UPTD PPA</abbr>' in html
    assert "<code>TPPO</code>" in html
    assert render_inline("TPPO", {}) == "TPPO"  # no glossary: plain text
    # a hostile explanation cannot add attributes or tags
    evil = render_markdown("X1", {"X1": '"><script>alert(1)</script>'}).html
    assert "<script" not in evil and "<abbr" in evil


def test_an_author_abbreviation_overrides_the_glossary():
    html = render_markdown("ABK\n\n*[ABK]: Awak kapal", {"ABK": "Anak Buah Kapal"}).html
    assert '<abbr title="Awak kapal">ABK</abbr>' in html


def test_shipped_glossary_is_valid_and_covers_the_curriculum_terms():
    glossary = read_glossary(ROOT / "courses")
    terms = {e.term for e in glossary.entries}
    required = {"TPPO", "PMI", "CPMI", "P3MI", "KP2MI", "BP2MI", "TPI", "UPTD PPA", "LPSK", "Kanim",
                "Kanwil", "Bhabinkamtibmas", "Disnakertrans", "LTSA", "SISKOP2MI", "KTKLN",
                "G-to-G", "ABK", "Perdes"}
    assert required <= terms
    assert glossary.checked is not None
    assert all(e.source and e.definition for e in glossary.entries)
    abbr = shipped_abbreviations()
    assert abbr["UPTD PPA"].startswith("Unit Pelaksana Teknis Daerah")


def test_modules_of_the_new_course_render_with_glossary_explanations():
    from learning.content.curriculum import read_curriculum

    curriculum = read_curriculum(ROOT)
    assert curriculum.glossary is not None
    course = next(c for c in curriculum.courses if c.slug == "penanganan-korban")
    for module in course.modules:
        html = render_markdown(module.body).html
        assert "<abbr title=" in html, module.path
    first = render_markdown(course.modules[0].body).html
    assert '<abbr title="Lembaga Perlindungan Saksi dan Korban">LPSK</abbr>' in first
