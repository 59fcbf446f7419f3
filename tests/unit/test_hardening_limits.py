"""The limits behind issue 15, without HTTP: Markdown and front matter limits, bounded JSON,
control characters, common passwords, spreadsheet formulas through any separator, and the
review topics of a failed attempt."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from learning.content import markdown_limits as limits
from learning.content.errors import ContentError
from learning.content.front_matter import split_front_matter
from learning.content.quiz_review import DEFAULT_REVIEW, FULL, review_shown
from learning.content.rendering import render_markdown
from learning.control_chars import has_control_characters
from learning.passwords import password_problem
from learning.quizzes.review_topics import topics_to_revisit
from learning.web.bounded_input import (DB_INT_MAX, JSONRefused, check_json_text,
                                        json_depth_exceeds, parse_db_int)

ROOT = Path(__file__).resolve().parents[2]
NESTED_LIST = "".join("    " * i + "- x\n" for i in range(12))

# Each shape that was slow or overflowed the stack, filled to the size limit.
PATHOLOGICAL = {
    "brackets": "[" * 6000,
    "brackets-at-limit": "[" * 200_000,
    "list-300": "".join("    " * i + "- x\n" for i in range(300)),
    "stars": "*" * 20000 + "a" + "*" * 20000,
    "underscores": "_" * 20000 + "a" + "_" * 20000,
    "emphasis-pairs": "*a*" * 60000,
    "links": "[a](" * 50000,
    "images": "![" * 100000,
    "footnote-refs": "x[^1] " * 4000 + "\n\n[^1]: y\n",
    "abbreviations": "*[HTML]: Hyper\n" * 3000 + "HTML " * 5000,
    "paragraphs": "a\n\n" * 66000,
    "list-items": "- x\n" * 50000,
    "headings": "## Judul\n\n" * 20000,
    "quotes": "".join(">" * i + " x\n" for i in range(1, 13)) * 2000,
    "backslashes": "\\" * 200_000,
}
# Worst shapes just under the limits: these are rendered, and must stay fast too.
UNDER_LIMITS = {
    "emphasis": "*a* " * 3300, "code": "`a` " * 4990, "autolinks": "<http://a.b> " * 4990,
    "entities": "&amp; " * 9990, "links": "[a](b) " * 3300,
    "nested-lists": NESTED_LIST * 160, "table": "| a | b |\n|---|---|\n" + "| x | y |\n" * 1990,
    "paragraphs": ("kata " * 19 + "\n\n") * 1990, "headings": "## Judul\n\n" * 1990,
    "abbreviations": "*[HTML]: Hyper\n" * 100 + "HTML " * 5000, "plain": "Kata biasa. " * 16000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_named_and_shown_as_text_quickly(source):
    source = source[:limits.MAX_CHARS]
    assert limits.markdown_problem(source) is not None
    started = time.process_time()
    html = render_markdown(source).html
    assert time.process_time() - started < 1.0 and html.startswith("<p>")


@pytest.mark.parametrize("source", UNDER_LIMITS.values(), ids=UNDER_LIMITS.keys())
def test_markdown_just_under_the_limits_renders_in_under_a_second(source):
    assert limits.markdown_problem(source) is None
    started = time.process_time()
    render_markdown(source)
    assert time.process_time() - started < 1.0


def test_every_shipped_module_and_quiz_is_within_the_limits():
    files = sorted((ROOT / "courses").rglob("*.md")) + sorted((ROOT / "quizzes").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        split_front_matter(path.read_text(encoding="utf-8"), str(path))  # raises when past one


def test_a_limit_names_its_line():
    problem = limits.markdown_problem("Teks biasa.\n\n" + "x " + "*" * 60 + "\n")
    assert problem.code == "long_run" and problem.line == 3
    assert limits.markdown_problem("---\n\n***\n\n" + "_" * 80 + "\n") is None  # rules are fine


@pytest.mark.parametrize("front", [
    "slug: [" + "[" * 3000 + "]" * 3001,
    "slug: x\nlaws:\n" + "".join("  " * i + "- a:\n" for i in range(1, 40)),
    "a: &a [1, 2]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, "
                                f"*{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(30)),
    "x: " + "y" * 30000,
], ids=["flow-3000", "indent-40", "aliases", "long"])
def test_front_matter_past_its_limits_is_a_line_error(front):
    with pytest.raises(ContentError) as caught:
        split_front_matter(f"---\n{front}\n---\nTeks.\n", "quizzes/x.md")
    assert caught.value.path == "quizzes/x.md"


def test_json_depth_and_text_checks():
    assert json_depth_exceeds("[" * 21) and not json_depth_exceeds("[" * 20)
    assert not json_depth_exceeds('["' + "[" * 100 + '"]')  # brackets inside a string
    with pytest.raises(JSONRefused):
        check_json_text("[" * 100_000)
    with pytest.raises(JSONRefused):
        check_json_text(b'{"a": "\xff"}')
    assert parse_db_int(str(DB_INT_MAX)) == DB_INT_MAX and parse_db_int(str(DB_INT_MAX + 1)) is None
    assert parse_db_int("²") is None and parse_db_int("-1") is None
    assert has_control_characters("a\x00") and has_control_characters("\x7f")
    assert not has_control_characters("baris satu\nbaris dua\tTab")


@pytest.mark.parametrize("password", [
    "password123", "1234567890", "qwertyuiop", "Password123", "aaaaaaaaaa", "pimpasa123",
    "imigrasi123", "indonesia123", "rahasia12345", "admin12345", "kanim12345"])
def test_common_passwords_are_refused(password):
    assert password_problem(password) == "common"


def test_account_words_and_strong_passwords():
    words = ["budi", "198001012005011001", "Budi Santoso", "KANIM-BTL"]
    assert password_problem("198001012005011001", words) == "same_as_account"
    assert password_problem("KANIM-BTL-2024", words) == "common"
    assert password_problem("pendek") == "too_short"
    assert password_problem("kata-sandi-uji-123") is None
    assert password_problem("lompat-kuda-hujan-senja") is None


NAMES = ["Sari Wulandari;=1+1;", "=HYPERLINK(\"http://x\")", "Budi\t=2+2", "Ani|@SUM(A1)",
         "Dewi,+3", "Rina\n-4+4", "Tono; \t=5"]


def _table():
    columns = [SimpleNamespace(label="Nama", kind="text"), SimpleNamespace(label="Nilai", kind="int")]
    rows = [SimpleNamespace(values=[name, 7]) for name in NAMES]
    return SimpleNamespace(columns=columns, all_rows=lambda: rows, name="uji")


def _live_formula(cell: str) -> bool:
    return cell.strip(' "').startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_csv_read_back_with_any_separator_has_no_live_formula(separator):
    from learning.reports.export import table_csv

    text = table_csv(_table(), "Asia/Jakarta").decode("utf-8-sig")
    parsed = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    naive = [cell for line in text.splitlines() for cell in line.split(separator)]
    assert not [cell for cell in parsed + naive if _live_formula(cell)]
    assert "Sari Wulandari;'=1+1;" in text  # the name is kept, only made inert


def test_xlsx_cells_are_text_and_neutralised():
    from openpyxl import load_workbook

    from learning.reports.export import table_xlsx

    book = load_workbook(io.BytesIO(table_xlsx(_table(), "Asia/Jakarta")))
    cells = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert cells[0] == "Sari Wulandari;'=1+1;" and cells[1].startswith("'=")
    assert not [cell for cell in cells if _live_formula(cell)]


def test_review_modes_and_topics_linked_to_sections():
    assert review_shown("questions", revealed=True) == FULL
    assert review_shown(None, revealed=False) == DEFAULT_REVIEW == "topics"
    html = ('<p>Pengantar.</p><h2 id="unsur">Unsur</h2><p>Menurut UU 21/2007 Pasal 1 angka 1 ...'
            '</p><h2 id="pidana">Ancaman pidana</h2><p>Pasal 2 mengatur pidana.</p>')
    module = SimpleNamespace(published_revision=SimpleNamespace(html=html))
    topics = topics_to_revisit(module, ["UU 21/2007 Pasal 1 angka 1", "UU 21/2007 Pasal 2",
                                        "UU 21/2007 Pasal 1 angka 1", None])
    assert [(t.law, t.missed, t.anchor) for t in topics] == [
        ("UU 21/2007 Pasal 1 angka 1", 2, "unsur"), ("UU 21/2007 Pasal 2", 1, "pidana"),
        (None, 1, None)]
