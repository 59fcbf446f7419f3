"""Open Badges 3.0 credentials without HTTP: schema-valid, signed so that an independent JWT library
(PyJWT) verifies them with the public key alone, broken by any change, revocation reported."""
import base64
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft201909Validator, FormatChecker

from learning.certificates import issuing as certs
from learning.certificates.open_badge import (Issuer, build_credential, certificate_badge,
                                              check_credential, read_credential,
                                              revocation_list)
from learning.certificates.signing import public_key_pem
from learning.learner import progress
from learning.models import Certificate, Course

from ..factories import import_sample_curriculum, make_office, make_user

SCHEMA = Path(__file__).parents[1] / "data" / "specs" / "ob3-achievementcredential.schema.json"
T0 = datetime(2026, 11, 1, 20, 0, tzinfo=timezone.utc)  # 2 November, 03:00 in Jakarta
NIP = "198701012010121001"
ISSUER = Issuer(site_url="https://pimpasa.example.go.id/")


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def certificate(db):
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    officer = make_user(username="sari", full_name="Sari Wulandari", nip=NIP,
                        office=make_office(), email="sari@example.test")
    for i, module in enumerate(course.live_modules):
        progress.complete_module(officer, module, T0 + timedelta(minutes=i))
    db.session.commit()
    return db.session.scalar(sa.select(Certificate))


def validator():
    schema = json.loads(SCHEMA.read_text())
    return Draft201909Validator(schema, format_checker=FormatChecker())


def test_the_credential_validates_against_the_1edtech_schema(certificate):
    credential = build_credential(certificate, ISSUER)
    errors = sorted(validator().iter_errors(credential), key=str)
    assert errors == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Kursus Contoh"
    assert credential["issuer"]["name"] == "Direktorat Jenderal Imigrasi"
    # validity follows the certificate: from the completion, to the end of its last valid day
    assert certificate.valid_until == date(2028, 11, 2)
    assert credential["validFrom"] == "2026-11-01T20:02:00Z"
    assert credential["validUntil"] == "2028-11-02T16:59:59Z"  # 23:59:59 in Jakarta
    assert credential["credentialStatus"] == {
        "id": f"https://pimpasa.example.go.id/verify/{certificate.number}/status",
        "type": "1EdTechRevocationList"}
    text = json.dumps(credential)
    assert NIP not in text and "sari@example.test" not in text and "Batulicin" not in text


def test_the_schema_check_is_real(certificate):
    credential = build_credential(certificate, ISSUER)
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["validFrom"] = "yesterday"
    messages = " ".join(e.message for e in validator().iter_errors(credential))
    assert "'criteria' is a required property" in messages
    assert "is not a 'date-time'" in messages


def test_an_independent_jwt_library_verifies_it_with_the_public_key_alone(certificate, key):
    token = certificate_badge(certificate, key, ISSUER)
    public_pem = public_key_pem(key)  # what /verify/key.pem publishes
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    claims = jwt.decode(token, public_pem, algorithms=["EdDSA"],
                        options={"require": ["iss", "jti", "nbf"]})
    assert claims["jti"] == f"https://pimpasa.example.go.id/verify/{certificate.number}"
    assert claims["iss"] == "https://pimpasa.example.go.id/verify/issuer"
    assert claims["exp"] == int(datetime(2028, 11, 2, 16, 59, 59, tzinfo=timezone.utc)
                                .timestamp())
    body = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "exp")}
    assert body == build_credential(certificate, ISSUER)
    assert list(validator().iter_errors(body)) == []
    # another key does not verify it
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, public_key_pem(Ed25519PrivateKey.generate()), algorithms=["EdDSA"])


def _flip(text: str, index: int) -> str:
    ch = text[index]
    return text[:index] + ("B" if ch == "A" else "A") + text[index + 1:]


def test_a_one_character_change_anywhere_fails_verification(certificate, key):
    token = certificate_badge(certificate, key, ISSUER)
    assert read_credential(token, key.public_key()) is not None
    head, body, sig = token.split(".")
    for index in (len(head) + 5, len(head) + 1 + len(body) // 2, len(token) - 10, 3):
        changed = _flip(token, index)
        assert read_credential(changed, key.public_key()) is None
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(changed, public_key_pem(key), algorithms=["EdDSA"])
    # a payload rewritten to another name, re-encoded, keeps the old signature: refused
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert read_credential(f"{head}.{forged_body}.{sig}", key.public_key()) is None
    # "alg": "none" with no signature is refused
    none_head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    assert read_credential(f"{none_head}.{body}.", key.public_key()) is None
    for junk in ("", "abc", "a.b.c", "..", "x" * 70000):
        assert read_credential(junk, key.public_key()) is None


def test_checking_reports_valid_expired_and_revoked(db, certificate, key):
    token = certificate_badge(certificate, key, ISSUER)
    check = check_credential(token, key.public_key(), date(2027, 1, 1))
    assert check.signed and check.certificate.id == certificate.id and check.status == "valid"
    assert check_credential(token, key.public_key(), date(2028, 11, 3)).status == "expired"
    assert revocation_list(certificate, ISSUER)["revokedCredentials"] == []
    admin = make_user(role="admin")
    certs.revoke(certificate, admin, "Data pelatihan tidak benar", T0 + timedelta(days=3))
    db.session.commit()
    check = check_credential(token, key.public_key(), date(2027, 1, 1))
    assert check.signed and check.status == "revoked"  # the signature still holds; status says no
    listed = revocation_list(certificate, ISSUER)
    assert listed["revokedCredentials"] == [{
        "id": f"https://pimpasa.example.go.id/verify/{certificate.number}", "revoked": True,
        "revokedAt": "2026-11-04T20:00:00Z"}]
    assert "tidak benar" not in json.dumps(listed)  # the reason stays private
    bad = check_credential(_flip(token, len(token) - 10), key.public_key(), date(2027, 1, 1))
    assert not bad.signed and bad.certificate is None and bad.status is None
