"""The register of laws (laws/*.md) and citations by identity (learning.laws): every citation the
shipped curriculum makes resolves to a register entry, and `content check --strict` reports one
that does not."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning.content.curriculum import read_curriculum
from learning.content.errors import ContentError
from learning.content.standards import curriculum_check
from learning.laws.checks import check_citations, cited_keys
from learning.laws.citations import parse_citation, rests_on, text_mentions
from learning.laws.register import SHIPPED_REGISTER, parse_law, read_register
from learning.search.text import passage, plain_text, stemmed

ROOT = Path(__file__).parents[2]
SAMPLE = Path(__file__).parents[1] / "data" / "lawsearch"


@pytest.mark.parametrize("text, keys, articles", [
    ("UU 21/2007 Pasal 2 ayat (1)", ("uu-21-2007",), ("pasal 2",)),
    ("Undang-Undang Nomor 6 Tahun 2011 Pasal 120", ("uu-6-2011",), ("pasal 120",)),
    ("UU 6/2011 Pasal 120 sebagaimana diubah UU 63/2024", ("uu-6-2011", "uu-63-2024"), ("pasal 120",)),
    ("UU 6/2011 Pasal 8, Pasal 9 ayat (1), Pasal 113", ("uu-6-2011",), ("pasal 8", "pasal 9", "pasal 113")),
    ("Perpres 165/2024; Perpres 166/2024", ("perpres-165-2024", "perpres-166-2024"), ()),
    ("Peraturan BP2MI 9/2020", ("perban-9-2020",), ()),
    ("Perban 9/2020", ("perban-9-2020",), ()),
    ("SE IMI-0277.GR.02.06 Tahun 2017", ("se-imi-0277-gr-02-06",), ()),
    ("SE IMI-0277.GR.02.06/2017", ("se-imi-0277-gr-02-06",), ()),
    ("SE IMI.4-GR.04.01-691 (26 Juli 2023) tentang Desa Binaan Imigrasi", ("se-imi-4-gr-04-01-691",), ()),
    ("UU 1/2023 (KUHP)", ("uu-1-2023",), ()),
    ("Protokol Palermo (Protokol Perdagangan Orang)", ("protokol-palermo",), ()),
    ("Nomor layanan resmi per November 2026 (bukan ketentuan pasal)", (), ()),
])
def test_citations_resolve_by_identity(text, keys, articles):
    citation = parse_citation(text, {"protokol palermo": "protokol-palermo"})
    assert citation.keys == keys and citation.articles == articles


def test_what_rests_on_an_article():
    assert rests_on(parse_citation("UU 21/2007 Pasal 2 ayat (1)"), "uu-21-2007", "Pasal 2")
    assert not rests_on(parse_citation("UU 21/2007 Pasal 20"), "uu-21-2007", "Pasal 2")
    assert rests_on(parse_citation("UU 21/2007"), "uu-21-2007", "Pasal 2")  # the whole law
    assert rests_on(parse_citation("UU 6/2011 Pasal 120 sebagaimana diubah UU 63/2024"),
                    "uu-63-2024", "Pasal 5")  # the amending law, whatever its article
    assert text_mentions("menurut UU 21/2007 Pasal 2 ayat (1), pelaku", "UU 21/2007", "Pasal 2")
    assert text_mentions("Pasal 2 ayat (1) UU 21/2007", "UU 21/2007", "Pasal 2")
    assert not text_mentions("UU 21/2007 Pasal 20", "UU 21/2007", "Pasal 2")


def test_the_register_lists_every_law_the_shipped_curriculum_cites():
    register = read_register(SHIPPED_REGISTER)
    curriculum = read_curriculum(ROOT)
    keys = cited_keys(curriculum, register.aliases())
    assert keys and keys <= set(register.laws), sorted(keys - set(register.laws))
    assert {"uu-21-2007", "uu-6-2011", "uu-63-2024", "uu-18-2017", "uu-1-2023", "uu-1-2026",
            "perpres-165-2024", "perban-9-2020"} <= set(register.laws)
    assert check_citations(curriculum, register).problems == []
    law = register.laws["uu-6-2011"]
    assert law.status == "diubah" and law.amended_by == ["UU 63/2024"]


def test_strict_check_fails_on_a_citation_outside_the_register(tmp_path):
    root = tmp_path / "kurikulum"
    shutil.copytree(SAMPLE, root)
    module = root / "courses" / "hukum" / "01-paspor.md"
    module.write_text(module.read_text().replace("  - UU 6/2011 Pasal 24A",
                                                 "  - UU 99/2099 Pasal 1\n  - UU 6/2011 Pasal 24A"))
    quiz = root / "quizzes" / "hukum" / "pidana-keimigrasian.md"
    quiz.write_text(quiz.read_text().replace("law: UU 6/2011 Pasal 126 huruf c",
                                             "law: Perpres 1/1999 Pasal 3"))
    result = check_citations(read_curriculum(root))
    assert len(result.problems) == 2
    assert "01-paspor.md: laws 'UU 99/2099 Pasal 1' resolves to no register entry (uu-99-2099)" \
        in result.problems[0]
    assert "question 'dokumen-palsu' law 'Perpres 1/1999 Pasal 3'" in result.problems[1]
    assert any("UU 99/2099" in p for p in curriculum_check(read_curriculum(root), True).problems)
    assert not any("register" in p for p in curriculum_check(read_curriculum(root), False).problems)
    (root / "laws" / "uu-99-2099.md").write_text(
        "---\ncitation: UU 99/2099\ntitle: Contoh\nstatus: berlaku\n---\n")
    (root / "laws" / "perpres-1-1999.md").write_text(
        "---\ncitation: Perpres 1/1999\ntitle: Contoh\n---\n")
    assert check_citations(read_curriculum(root)).problems == []


@pytest.mark.parametrize("text, problem", [
    ("---\ntitle: Tanpa nomor\n---\n", "'citation' is required"),
    ("---\ncitation: UU 1/2020\n---\n", "'title' is required"),
    ("---\ncitation: UU 1/2020\ntitle: X\nstatus: hidup\n---\n", "'status' must be one of"),
    ("---\ncitation: UU 1/2020\ntitle: X\ndate: kemarin\n---\n", "'date' must be a date"),
    ("---\ncitation: Sesuatu\ntitle: X\n---\n", "names no law"),
])
def test_register_files_are_checked(text, problem):
    with pytest.raises(ContentError) as error:
        parse_law(text, "laws/x.md")
    assert problem in str(error.value)


def test_index_text_is_stemmed_and_passages_escaped():
    assert stemmed("Perdagangan orang diperdagangkan UU 6/2011") == "dagang orang dagang uu 6 2011"
    assert plain_text("## Judul\n\n**Tebal** dan [tautan](http://x) | a |") == "Judul\n\nTebal dan tautan a"
    marked = str(passage("Orang <b>diperdagangkan</b> di laut.", ["perdagangan"]))
    assert marked == "Orang &lt;b&gt;<mark>diperdagangkan</mark>&lt;/b&gt; di laut."
