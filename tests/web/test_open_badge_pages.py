"""Open Badges over HTTP: the officer downloads the credential, anyone checks it on the
verification page (file or pasted text), the status document and the issuer profile."""
import io
from datetime import timedelta

import jwt
import pytest
import sqlalchemy as sa

from learning.certificates.issuing import revoke
from learning.learner import progress
from learning.models import Certificate, Course, utcnow

from ..factories import import_sample_curriculum, login, make_office, make_user

NIP = "198701012010121001"


@pytest.fixture
def certificate(db):
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    officer = make_user(username="sari", full_name="Sari Wulandari", nip=NIP, office=make_office())
    for i, module in enumerate(course.live_modules):
        progress.complete_module(officer, module, utcnow() - timedelta(minutes=10 - i))
    db.session.commit()
    return db.session.scalar(sa.select(Certificate))


def download(client, certificate) -> str:
    response = client.get(f"/certificates/{certificate.number}/open-badge.jwt")
    assert response.status_code == 200
    assert response.mimetype == "application/vc+jwt"
    assert f"open-badge-{certificate.number}.jwt" in response.headers["Content-Disposition"]
    return response.text


def test_the_officer_downloads_a_badge_that_verifies_with_the_published_key(client, certificate):
    login(client, "sari")
    assert "open-badge.jwt" in client.get(f"/certificates/{certificate.number}").text
    token = download(client, certificate)
    client.post("/logout")
    pem = client.get("/verify/key.pem").text
    claims = jwt.decode(token, pem, algorithms=["EdDSA"])
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Sari Wulandari"
    assert NIP not in token and NIP not in str(claims)
    profile = client.get("/verify/issuer").get_json()
    assert profile["id"] == claims["issuer"]["id"] and profile["type"] == ["Profile"]


def test_the_verification_page_accepts_the_file_and_the_pasted_text(client, certificate):
    login(client, "sari")
    token = download(client, certificate)
    client.post("/logout")
    form = client.get("/verify").text
    assert 'action="/verify/credential"' in form and 'enctype="multipart/form-data"' in form
    page = client.post("/verify/credential", data={
        "file": (io.BytesIO(token.encode()), "open-badge.jwt")},
        content_type="multipart/form-data")
    assert page.status_code == 200
    assert "SAH dan masih berlaku" in page.text and "berkas Open Badge sah" in page.text
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    pasted = client.post("/verify/credential", data={"text": "  " + token + "\n"})
    assert pasted.status_code == 200 and "Sari Wulandari" in pasted.text
    changed = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    bad = client.post("/verify/credential", data={"text": changed})
    assert bad.status_code == 422 and "tidak sah" in bad.text and "Sari" not in bad.text
    empty = client.post("/verify/credential", data={"text": ""})
    assert empty.status_code == 400 and "Pilih berkas Open Badge" in empty.text
    junk = client.post("/verify/credential", data={
        "file": (io.BytesIO(b"\xff\xfe\x00binary"), "x.jwt")}, content_type="multipart/form-data")
    assert junk.status_code == 422


def test_a_revoked_certificate_reports_revoked(client, db, certificate):
    login(client, "sari")
    token = download(client, certificate)
    status = client.get(f"/verify/{certificate.number}/status").get_json()
    assert status["type"] == "1EdTechRevocationList" and status["revokedCredentials"] == []
    revoke(certificate, make_user(role="admin"), "Nilai kuis dibatalkan", utcnow())
    db.session.commit()
    page = client.post("/verify/credential", data={"text": token})
    assert page.status_code == 200 and "DICABUT" in page.text
    status = client.get(f"/verify/{certificate.number}/status").get_json()
    assert status["revokedCredentials"][0]["id"].endswith(f"/verify/{certificate.number}")
    assert "dibatalkan" not in str(status)
    # the officer can no longer download it
    assert client.get(f"/certificates/{certificate.number}/open-badge.jwt").status_code == 410


def test_only_the_holder_or_an_administrator_downloads(client, certificate):
    make_user(username="budi")
    login(client, "budi")
    assert client.get(f"/certificates/{certificate.number}/open-badge.jwt").status_code == 404
    client.post("/logout")
    anonymous = client.get(f"/certificates/{certificate.number}/open-badge.jwt")
    assert anonymous.status_code in (302, 401)
    make_user(role="admin", username="admin1")
    login(client, "admin1")
    assert client.get(f"/certificates/{certificate.number}/open-badge.jwt").status_code == 200
    assert client.get("/verify/PIMPASA-00000-00000/status").status_code == 404
    assert client.get("/verify/nonsense/status").status_code == 404


def test_the_credential_check_needs_the_form_token(database_url, app, db, certificate):
    import re

    from learning import create_app
    from learning.certificates.open_badge import Issuer, certificate_badge
    from learning.certificates.signing import signing_key_from_config
    token = certificate_badge(certificate, signing_key_from_config(app.config, app.instance_path),
                              Issuer(site_url="http://localhost/"))
    db.session.commit()  # no open transaction while the second app writes
    csrf_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                           "SQLALCHEMY_DATABASE_URI": database_url})
    with csrf_app.app_context():
        visitor = csrf_app.test_client()
        assert visitor.post("/verify/credential", data={"text": token}).status_code == 400
        page = visitor.get("/verify").text
        form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        checked = visitor.post("/verify/credential", data={"text": token,
                                                           "csrf_token": form_token})
        assert checked.status_code == 200 and "SAH dan masih berlaku" in checked.text
