"""Certificates over HTTP, as an officer, an administrator and a stranger with a phone would."""
import io
import re
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from learning.learner import progress
from learning.certificates.issuing import local_date
from learning.certificates.signing import verify_payload
from learning.models import Assignment, Certificate, Course, utcnow
from learning.certificates.messages import preferences_token

from ..factories import import_sample_curriculum, login, make_office, make_user

NIP = "198701012010121001"


@pytest.fixture
def officer(db):
    import_sample_curriculum()
    return make_user(username="sari", full_name="Sari Wulandari", nip=NIP,
                     office=make_office(), email="sari@example.test")


def finish_course(client, db, user) -> Certificate:
    """Pass the quiz module (what learning.quizzes.quizzing does on a pass), then mark the two reading
    modules done over HTTP: the last one completes the course."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    quiz_module = next(m for m in course.live_modules if m.slug == "unsur")
    progress.complete_module(user, quiz_module, utcnow())
    db.session.commit()
    assert client.post("/courses/contoh/pengantar/done").status_code == 302
    assert db.session.scalar(sa.select(Certificate)) is None
    assert client.post("/courses/contoh/penutup/done").status_code == 302
    return db.session.scalar(sa.select(Certificate))


def decode_qr(pdf: bytes, tmp_path) -> str:
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), \
        "needs poppler-utils and zbar-tools (bin/test installs them)"
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "c.pdf"),
                    str(tmp_path / "page")], check=True)
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_complete_download_decode_and_verify_from_the_qr_alone(app, client, db, officer,
                                                               tmp_path):
    login(client, "sari")
    certificate = finish_course(client, db, officer)
    assert certificate is not None
    page = client.get("/certificates").text
    assert "Sertifikat Saya" in page and certificate.number in page and "Kursus Contoh" in page
    assert certificate.number in client.get("/courses/contoh/").text

    response = client.get(f"/certificates/{certificate.number}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert len(response.data) < 100 * 1024
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    for expected in ("SERTIFIKAT", "Sari Wulandari", f"NIP {NIP}", "Kantor Imigrasi Batulicin",
                     "Kursus Contoh", "Tanggal selesai", "Berlaku sampai", certificate.number):
        assert expected in text
    assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
                     r"Oktober|November|Desember) \d{4}", text)

    qr = decode_qr(response.data, tmp_path)
    assert f"/verify/{certificate.number}?p=" in qr
    key_page = client.get("/verify/key").text
    pem = re.search(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", key_page,
                    re.S).group(0)
    fields = verify_payload(qr, pem)  # offline: the decoded QR text and the public key only
    assert fields is not None
    assert (fields.number, fields.name, fields.course) == (certificate.number, "Sari Wulandari",
                                                          "Kursus Contoh")
    assert fields.completed_on == certificate.completed_on
    assert fields.valid_until == certificate.valid_until

    stranger = app.test_client()
    url = urlsplit(qr)
    verify = stranger.get(f"{url.path}?{url.query}")
    assert verify.status_code == 200
    assert "SAH" in verify.text and "Sari Wulandari" in verify.text
    assert "Kursus Contoh" in verify.text and "cocok dengan catatan kami" in verify.text
    assert NIP not in verify.text and "Batulicin" not in verify.text
    assert "noindex" in verify.headers["X-Robots-Tag"]
    assert stranger.get("/verify/key.pem").text.strip() == pem


def test_a_tampered_qr_is_flagged_on_the_page(app, client, db, officer, tmp_path):
    login(client, "sari")
    certificate = finish_course(client, db, officer)
    qr = decode_qr(client.get(f"/certificates/{certificate.number}.pdf").data, tmp_path)
    url = urlsplit(qr)
    tampered = url.query.replace("p=", "p=AA", 1)
    page = app.test_client().get(f"{url.path}?{tampered}").text
    assert "berbeda dari catatan kami" in page and "cocok dengan catatan kami" not in page


def test_revoked_certificate_shows_revoked_and_cannot_be_downloaded_by_its_owner(
        app, client, db, officer):
    login(client, "sari")
    number = finish_course(client, db, officer).number
    admin = make_user(role="admin", username="admin")
    admin_client = app.test_client()
    login(admin_client, "admin")
    response = admin_client.post(f"/certificates/{number}/revoke", data={"reason": ""})
    assert response.status_code == 400 and "Tulis alasan pencabutan." in response.text
    response = admin_client.post(f"/certificates/{number}/revoke",
                                 data={"reason": "Diterbitkan karena kesalahan data"})
    assert response.status_code == 302
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.revoked_by_id == admin.id and certificate.revoked_at is not None
    page = app.test_client().get(f"/verify/{number}").text
    assert "DICABUT" in page and "kesalahan data" not in page
    assert client.get(f"/certificates/{number}.pdf").status_code == 410
    assert "Dicabut" in client.get("/certificates").text
    assert admin_client.get(f"/certificates/{number}.pdf").status_code == 200


def test_revoking_needs_an_administrator(app, client, db, officer):
    login(client, "sari")
    number = finish_course(client, db, officer).number
    assert client.post(f"/certificates/{number}/revoke", data={"reason": "saya sendiri"}
                       ).status_code == 403
    trainer_client = app.test_client()
    make_user(role="trainer", username="pelatih")
    login(trainer_client, "pelatih")
    assert trainer_client.post(f"/certificates/{number}/revoke",
                               data={"reason": "bukan admin"}).status_code == 403
    assert db.session.scalar(sa.select(Certificate.revoked_at)) is None


def test_revoking_can_assign_the_course_again(app, client, db, officer):
    login(client, "sari")
    number = finish_course(client, db, officer).number
    make_user(role="admin", username="admin")
    admin_client = app.test_client()
    login(admin_client, "admin")
    admin_client.post(f"/certificates/{number}/revoke",
                      data={"reason": "Kuis dikerjakan orang lain", "reopen": "y"})
    assignment = db.session.scalar(sa.select(Assignment))
    assert assignment.scope == "user" and assignment.user_id == officer.id
    assert "0 dari 3 modul" in client.get("/").text


def test_unknown_numbers_are_not_found_and_reveal_nothing(client, db):
    unknown = client.get("/verify/PIMPASA-00000-00000")
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.text
    malformed = client.get("/verify/12345")
    assert malformed.status_code == 404
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(malformed.text) == strip(unknown.text)


def test_the_lookup_form_normalises_what_is_typed(app, client, db, officer):
    login(client, "sari")
    number = finish_course(client, db, officer).number
    stranger = app.test_client()
    assert "Nomor sertifikat" in stranger.get("/verify").text
    typed = number.lower().replace("-", " ")
    response = stranger.get("/verify", query_string={"number": typed})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{number}"
    bad = stranger.get("/verify", query_string={"number": "bukan nomor"})
    assert bad.status_code == 400 and "Nomor sertifikat tidak sah" in bad.text


def test_verification_is_rate_limited_per_address(client, db):
    for _ in range(30):
        assert client.get("/verify/PIMPASA-00000-00000").status_code == 404
    assert client.get("/verify/PIMPASA-00000-00001").status_code == 429
    assert client.get("/verify", query_string={"number": "PIMPASA-00000-00002"}
                      ).status_code == 429


def test_only_the_owner_or_an_administrator_can_download(app, client, db, officer):
    login(client, "sari")
    number = finish_course(client, db, officer).number
    assert app.test_client().get(f"/certificates/{number}.pdf").status_code == 302  # sign in
    for role, username in (("officer", "budi"), ("trainer", "pelatih")):
        make_user(role=role, username=username)
        other = app.test_client()
        login(other, username)
        assert other.get(f"/certificates/{number}.pdf").status_code == 404
        assert other.get(f"/certificates/{number}").status_code == 404
    make_user(role="admin", username="admin")
    admin = app.test_client()
    login(admin, "admin")
    assert admin.get(f"/certificates/{number}.pdf").status_code == 200
    assert NIP in admin.get(f"/certificates/{number}").text
    assert number in admin.get("/certificates/manage", query_string={"q": NIP}).text
    assert client.get("/certificates/manage").status_code == 403


def test_after_the_lapse_the_certificate_is_expired_and_the_course_is_back(client, db, officer):
    login(client, "sari")
    certificate = finish_course(client, db, officer)
    finished = client.get("/").text
    assert "Selamat!" in finished and "Lihat sertifikat" in finished and "Lanjutkan" not in finished
    certificate.valid_until = local_date(utcnow()) - timedelta(days=1)  # 24 months went by
    db.session.commit()
    dashboard = client.get("/").text
    assert "Sertifikat kedaluwarsa" in dashboard and "0 dari 3 modul" in dashboard
    assert db.session.scalar(sa.select(Assignment.user_id)) == officer.id
    assert "Kedaluwarsa" in client.get("/certificates").text
    course_page = client.get("/courses/contoh/").text
    assert certificate.number in course_page and "Kedaluwarsa" in course_page
    assert "KEDALUWARSA" in client.get(f"/verify/{certificate.number}").text
    client.get("/")
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1


def test_perlu_penyegaran_before_the_lapse_and_starting_early(client, db, officer):
    login(client, "sari")
    certificate = finish_course(client, db, officer)
    certificate.valid_until = local_date(utcnow()) + timedelta(days=20)
    db.session.commit()
    dashboard = client.get("/").text
    assert "Perlu penyegaran" in dashboard and "Mulai penyegaran sekarang" in dashboard
    response = client.post("/certificates/refresh/contoh")
    assert response.status_code == 302 and response.headers["Location"] == "/courses/contoh/"
    dashboard = client.get("/").text
    assert "Penyegaran berjalan" in dashboard and "0 dari 3 modul" in dashboard


def test_email_preferences_signed_in_and_from_the_mail_link(app, client, db, officer):
    login(client, "sari")
    assert 'checked' in client.get("/account/email").text
    assert client.post("/account/email", data={}).status_code == 303
    assert officer.email_opt_out is True
    client.post("/account/email", data={"optional_mail": "y"})
    assert officer.email_opt_out is False
    token = preferences_token(officer.id, app.config["SECRET_KEY"])
    stranger = app.test_client()
    page = stranger.get(f"/email/stop/{token}")
    assert page.status_code == 200 and "Ya, berhenti" in page.text
    assert officer.email_opt_out is False  # opening the link changes nothing
    one_click = stranger.post(f"/email/stop/{token}", data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and officer.email_opt_out is True
    assert stranger.get(f"/email/stop/{token}x").status_code == 404


@pytest.mark.parametrize("name", ["Ni Luh Putu Ayu Wédari", "Sa'adah", "مريم", "王小明"])
def test_a_name_prints_exactly_as_written(client, db, name, tmp_path):
    """The certificate embeds Unicode fonts: poppler extracts each name back as stored."""
    import_sample_curriculum()
    user = make_user(username="penerima", full_name=name, nip=NIP, office=make_office())
    login(client, "penerima")
    certificate = finish_course(client, db, user)
    assert certificate.holder_name == name
    (tmp_path / "c.pdf").write_bytes(client.get(f"/certificates/{certificate.number}.pdf").data)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    # pdftotext wraps right-to-left runs in embedding marks (U+202B ... U+202C); they are not text
    text = text.translate({0x202A: None, 0x202B: None, 0x202C: None, 0x200F: None})
    assert name in text.splitlines()
