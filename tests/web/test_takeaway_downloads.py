"""Take-away PDFs on the course page: listed with their size and date, downloaded as PDF under
200 KB that poppler opens, kept by the offline download, and refused to strangers."""
import shutil
import subprocess

import pytest

from ..factories import SAMPLE_CURRICULUM, import_sample_curriculum, login, make_office, make_user

SUMMARY = """---
title: Ringkasan Kursus Contoh
checked: 2026-12-01
---
## Yang perlu diingat

- Tiga unsur: proses, cara, tujuan eksploitasi.
- Laporkan ke Kantor Imigrasi lewat atasan Anda.
"""


@pytest.fixture
def content(app, db, tmp_path):
    """The sample curriculum with a summary file, as the content root for this test."""
    root = tmp_path / "content"
    shutil.copytree(SAMPLE_CURRICULUM, root)
    (root / "courses" / "contoh" / "ringkasan.md").write_text(SUMMARY, encoding="utf-8")
    before = app.config["CONTENT_ROOT"]
    app.config["CONTENT_ROOT"] = root
    import_sample_curriculum(root)
    yield root
    app.config["CONTENT_ROOT"] = before


@pytest.fixture
def officer(db):
    return make_user(username="sari", office=make_office())


def test_the_course_page_offers_the_summary_and_it_opens_as_a_pdf(client, content, officer,
                                                                   tmp_path):
    login(client, "sari")
    page = client.get("/courses/contoh/").text
    assert "Bahan untuk dibawa ke desa" in page and "Ringkasan Kursus Contoh" in page
    assert 'href="/courses/contoh/bahan/ringkasan.pdf"' in page
    assert "/courses/contoh/bahan/sosialisasi.pdf" not in page  # this course has no script
    response = client.get("/courses/contoh/bahan/ringkasan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(response.data) < 200 * 1024
    (tmp_path / "r.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Tiga unsur: proses, cara, tujuan eksploitasi." in text and "1 Desember 2026" in text
    bundle = client.get("/courses/contoh/offline-bundle").get_json()
    assert bundle["files"] == ["/courses/contoh/bahan/ringkasan.pdf"]
    assert "/courses/contoh/bahan/ringkasan.pdf" in bundle["urls"]


def test_an_edited_summary_is_served_as_edited(client, content, officer):
    login(client, "sari")
    first = client.get("/courses/contoh/bahan/ringkasan.pdf").data
    path = content / "courses" / "contoh" / "ringkasan.md"
    path.write_text(SUMMARY.replace("2026-12-01", "2026-12-03"), encoding="utf-8")
    import os
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert client.get("/courses/contoh/bahan/ringkasan.pdf").data != first


@pytest.mark.parametrize("url", ["/courses/contoh/bahan/sosialisasi.pdf",
                                 "/courses/contoh/bahan/lain.pdf",
                                 "/courses/tidak-ada/bahan/ringkasan.pdf"])
def test_missing_material_is_not_found(client, content, officer, url):
    login(client, "sari")
    assert client.get(url).status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, content):
    response = client.get("/courses/contoh/bahan/ringkasan.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
