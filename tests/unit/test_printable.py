"""Printable take-away material: every course's ringkasan.md and sosialisasi.md become A4 PDFs of
at most two pages, under 200 KB, that poppler opens and whose text holds the title and the date
checked; the curriculum reader keeps these files apart from the modules."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from learning.content.curriculum import ContentErrors, read_curriculum
from learning.content.errors import ContentError
from learning.content.printable import (PrintableTooLong, course_printables, indonesian_date,
                                        takeaway_pdf)
from learning.content.printable_cli import printables_command
from learning.content.takeaways import parse_takeaway

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 200 * 1024
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                                   reason="poppler-utils (pdftotext, pdfinfo) not installed")


@pytest.fixture(scope="module")
def shipped():
    return read_curriculum(ROOT)


@pytest.fixture(scope="module")
def pdfs(shipped, tmp_path_factory):
    folder = tmp_path_factory.mktemp("printables")
    written = []
    for item in course_printables(shipped):
        path = folder / item.filename
        path.write_bytes(item.data)
        written.append((item, path))
    return written


def test_every_course_has_both_take_aways(shipped):
    assert len(shipped.courses) == 5
    for course in shipped.courses:
        assert set(course.takeaways) == {"ringkasan", "sosialisasi"}, course.slug
        assert all(t.checked >= date(2026, 12, 1) for t in course.takeaways.values())
        assert all(not m.path.endswith(("ringkasan.md", "sosialisasi.md")) for m in course.modules)


def test_pdfs_are_small_a4_and_at_most_two_pages(pdfs):
    assert len(pdfs) == 10
    for item, path in pdfs:
        assert item.data.startswith(b"%PDF-") and len(item.data) < MAX_BYTES, item.filename
        assert 1 <= item.pages <= 2, item.filename


@needs_poppler
def test_poppler_opens_them_and_reads_title_and_date(pdfs):
    for item, path in pdfs:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
        assert pages <= 2 and "595.28 x 841.89 pts (A4)" in info, item.filename
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(text.split())
        assert " ".join(item.title.split()) in flat, item.filename
        assert f"Diperiksa {indonesian_date(item.checked)}" in flat, item.filename
        assert "Fakta diperiksa: 2 Desember 2026" in flat


@needs_poppler
def test_the_poster_starts_on_its_own_page(pdfs, tmp_path):
    item, path = next(p for p in pdfs if p[0].filename == "penanganan-korban-sosialisasi.pdf")
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert "Poster" in second and "Naskah pertemuan" not in second


def _course_with(tmp_path: Path, name: str, text: str) -> Path:
    course = tmp_path / "courses" / "contoh"
    course.mkdir(parents=True)
    (course / "course.md").write_text("---\nslug: contoh\ntitle: Contoh\n---\nKursus.\n")
    (course / "01-modul.md").write_text("---\nslug: modul\ntitle: Modul\n---\nTeks.\n")
    (course / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_reader_keeps_take_aways_apart_from_modules(tmp_path):
    root = _course_with(tmp_path, "ringkasan.md",
                        "---\ntitle: Ringkasan Contoh\nchecked: 2026-12-02\n---\nIsi **penting**.\n")
    course = read_curriculum(root).courses[0]
    assert [m.slug for m in course.modules] == ["modul"]
    assert course.takeaways["ringkasan"].title == "Ringkasan Contoh"


def test_reader_still_refuses_other_files(tmp_path):
    root = _course_with(tmp_path, "catatan.md", "---\ntitle: X\n---\nY\n")
    with pytest.raises(ContentErrors) as caught:
        read_curriculum(root)
    assert "module files are named NN-<name>.md" in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ("---\ntitle: R\n---\nIsi.\n", "'checked' is required"),
    ("---\nchecked: 2026-12-02\n---\nIsi.\n", "'title' is required"),
    ("---\ntitle: R\nchecked: 2026-12-02\n---\n\n", "has no text"),
    ("---\ntitle: R\nchecked: kemarin\n---\nIsi.\n", "'checked' is required"),
    ("---\ntitle: R\nchecked: 2026-12-02\nslug: r\n---\nIsi.\n", "unknown front matter field 'slug'"),
])
def test_take_away_errors(text, message):
    with pytest.raises(ContentError) as caught:
        parse_takeaway(text, "courses/contoh/ringkasan.md", "ringkasan")
    assert message in str(caught.value)


def test_too_long_text_is_refused(tmp_path):
    long_text = "\n\n".join(f"Paragraf {i}: " + "kata " * 120 for i in range(40))
    root = _course_with(tmp_path, "ringkasan.md", f"---\ntitle: Panjang\nchecked: 2026-12-02\n---\n{long_text}\n")
    course = read_curriculum(root).courses[0]
    with pytest.raises(PrintableTooLong) as caught:
        takeaway_pdf(course, course.takeaways["ringkasan"])
    assert "ringkasan.md" in str(caught.value) and "shorten" in str(caught.value)


def test_typographic_characters_print_as_written(tmp_path):
    root = _course_with(tmp_path, "ringkasan.md",
                        "---\ntitle: “Uji” — ☐\nchecked: 2026-12-02\n---\n- Ā dan “kutip” ☐\n")
    course = read_curriculum(root).courses[0]
    item = takeaway_pdf(course, course.takeaways["ringkasan"])
    assert item.data.startswith(b"%PDF-") and item.pages == 1
    path = tmp_path / "uji.pdf"
    path.write_bytes(item.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "“Uji” — ☐" in text and "Ā dan “kutip” ☐" in text


def test_cli_writes_every_pdf(tmp_path):
    result = CliRunner().invoke(printables_command, [str(tmp_path / "out"), "--path", str(ROOT)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert len(written) == 10 and "tppo-ringkasan.pdf" in written
    assert "10 PDF(s) written" in result.output
