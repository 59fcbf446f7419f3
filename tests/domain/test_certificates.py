"""Certificates without HTTP: issuing once, numbers, status, signatures and the signing key."""
import base64
import os
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learning.certificates import issuing as certs
from learning.learner import progress
from learning.certificates.signing import (CertificatePayload,
    load_signing_key,
    qr_text,
    verify_payload)
from learning.models import Certificate, Course

from ..factories import import_sample_curriculum, make_office, make_user

T0 = datetime(2026, 11, 1, 20, 0, tzinfo=timezone.utc)  # 2 November, 03:00 in Jakarta
NUMBER = re.compile(r"^PIMPASA-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


@pytest.fixture
def officer(db):
    office = make_office()
    return make_user(username="sari", full_name="Sari Wulandari", nip="198701012010121001",
                     office=office)


def complete(user, course, when, slugs=None):
    """Complete modules (all by default). The quiz module is completed the way a passed quiz does
    it: learning.quizzes.quizzing calls progress.complete_module."""
    for i, module in enumerate(course.live_modules):
        if slugs is None or module.slug in slugs:
            progress.complete_module(user, module, when + timedelta(minutes=i))


def count(db):
    return db.session.scalar(sa.select(sa.func.count(Certificate.id)))


def test_completing_the_last_module_issues_exactly_one_certificate(db, course, officer):
    complete(officer, course, T0, slugs={"pengantar", "penutup"})
    assert count(db) == 0  # the quiz module is not passed yet
    complete(officer, course, T0, slugs={"unsur"})
    db.session.commit()
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.holder_name == "Sari Wulandari"
    assert certificate.holder_nip == "198701012010121001"
    assert certificate.office_name == "Kantor Imigrasi Batulicin"
    assert certificate.course_title == "Kursus Contoh"
    assert certificate.completed_on == date(2026, 11, 2)  # the local date in Jakarta
    assert certificate.valid_until == date(2028, 11, 2)  # validity_months: 24
    assert certs.issue_certificate_if_complete(officer, course, T0 + timedelta(days=1)) is None
    assert certs.issue_missing_certificates(T0 + timedelta(days=1)) == []
    complete(officer, course, T0 + timedelta(days=2))  # completing again changes nothing
    assert count(db) == 1


def test_missing_certificates_are_issued_for_earlier_completions(db, course, officer):
    complete(officer, course, T0)
    db.session.execute(sa.delete(Certificate))  # as if completed before certificates existed
    issued = certs.issue_missing_certificates(T0 + timedelta(days=3))
    assert [c.user_id for c in issued] == [officer.id] and count(db) == 1
    assert certs.issue_missing_certificates(T0 + timedelta(days=4)) == []


def test_staff_completing_a_course_get_no_certificate(db, course):
    trainer = make_user(role="trainer")
    complete(trainer, course, T0)
    assert count(db) == 0


def test_numbers_are_random_well_formed_and_forgiving_when_typed():
    numbers = {certs.new_number() for _ in range(500)}
    assert len(numbers) == 500 and all(NUMBER.match(n) for n in numbers)
    assert certs.normalise_number("pimpasa 7qx2m k9d4b") == "PIMPASA-7QX2M-K9D4B"
    assert certs.normalise_number("7QX2M-K9D4B") == "PIMPASA-7QX2M-K9D4B"
    assert certs.normalise_number("PIMPASA-OQX2M-K9D4L") == "PIMPASA-0QX2M-K9D41"
    for bad in ("", "PIMPASA-1", "PIMPASA-7QX2M-K9D4BX", "../../etc/passwd", "PIMPASA-7QX2M-K9D4U"):
        assert certs.normalise_number(bad) is None


def test_numbers_of_consecutive_certificates_are_unrelated(db, course):
    first, second = make_user(), make_user()
    complete(first, course, T0)
    complete(second, course, T0)
    a, b = db.session.scalars(sa.select(Certificate.number).order_by(Certificate.id)).all()
    assert NUMBER.match(a) and NUMBER.match(b) and a != b
    assert sum(x == y for x, y in zip(a[8:], b[8:])) < 8


def test_status_valid_then_expired_and_revoked_trumps_both(db, course, officer):
    complete(officer, course, T0)
    certificate = db.session.scalar(sa.select(Certificate))
    assert certs.certificate_status(certificate, date(2028, 11, 2)) == certs.VALID
    assert certs.certificate_status(certificate, date(2028, 11, 3)) == certs.EXPIRED
    assert certs.in_refresher_window(certificate, date(2028, 9, 3), 60)
    assert not certs.in_refresher_window(certificate, date(2028, 9, 2), 60)
    admin = make_user(role="admin")
    with pytest.raises(certs.CertificateError):
        certs.revoke(certificate, admin, "   ", T0)
    certs.revoke(certificate, admin, "Diterbitkan karena kesalahan data", T0 + timedelta(days=5))
    assert certificate.revoked_by_id == admin.id and certificate.revoke_reason
    assert certs.certificate_status(certificate, date(2027, 1, 1)) == certs.REVOKED
    assert certs.certificate_status(certificate, date(2030, 1, 1)) == certs.REVOKED
    with pytest.raises(certs.CertificateError):
        certs.revoke(certificate, admin, "lagi", T0)
    # a revocation is not undone by asking again for the same completion
    assert certs.issue_certificate_if_complete(officer, course, T0 + timedelta(days=6)) is None
    assert certs.issue_missing_certificates(T0 + timedelta(days=6)) == []


def test_a_course_without_validity_never_lapses(db, course, officer):
    course.validity_months = None
    complete(officer, course, T0)
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.valid_until is None
    assert certs.certificate_status(certificate, date(2090, 1, 1)) == certs.VALID
    assert certs.certificate_payload(certificate).message().endswith(b"\n-")


def test_add_months_keeps_the_day_or_the_month_end():
    assert certs.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert certs.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert certs.add_months(date(2026, 11, 2), 24) == date(2028, 11, 2)


def _payload():
    return CertificatePayload(number="PIMPASA-7QX2M-K9D4B", name="Sari Wulandari",
                              course="Kursus Contoh", completed_on=date(2026, 11, 2),
                              valid_until=date(2028, 11, 2))


def _resign(text: str, **changes) -> str:
    """The QR text with the message changed but the original signature kept."""
    parts = urlsplit(text)
    query = parse_qs(parts.query)
    message = base64.urlsafe_b64decode(query["p"][0] + "==").decode()
    for old, new in changes.items():
        message = message.replace(old, new)
    p = base64.urlsafe_b64encode(message.encode()).rstrip(b"=").decode()
    return f"{parts.scheme}://{parts.netloc}{parts.path}?p={p}&s={query['s'][0]}"


def test_signature_verifies_and_any_tampering_fails():
    key = Ed25519PrivateKey.generate()
    text = qr_text(_payload(), key, "https://pimpasa.example/")
    assert text.startswith("https://pimpasa.example/verify/PIMPASA-7QX2M-K9D4B?p=")
    assert verify_payload(text, key.public_key()) == _payload()
    assert verify_payload(_resign(text, **{"Sari Wulandari": "Sari Wulandary"}), key) is None
    assert verify_payload(_resign(text, **{"2028-11-02": "2030-11-02"}), key) is None
    signature = parse_qs(urlsplit(text).query)["s"][0]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert verify_payload(text.replace(signature, flipped), key) is None
    assert verify_payload(text, Ed25519PrivateKey.generate().public_key()) is None
    other_path = text.replace("/verify/PIMPASA-7QX2M-K9D4B", "/verify/PIMPASA-00000-00000")
    assert verify_payload(other_path, key) is None
    assert verify_payload("https://pimpasa.example/verify/PIMPASA-7QX2M-K9D4B", key) is None
    assert verify_payload("not a certificate", key) is None


def test_payload_round_trips_unicode_and_refuses_line_breaks():
    payload = CertificatePayload("PIMPASA-7QX2M-K9D4B", "Ni Kadek Ayu Śrī", "TPPO — dasar",
                                 date(2026, 1, 2), None)
    assert CertificatePayload.from_message(payload.message()) == payload
    with pytest.raises(ValueError):
        CertificatePayload("PIMPASA-7QX2M-K9D4B", "Sari\nAdmin", "x", date(2026, 1, 2),
                           None).message()


def test_signing_key_is_created_once_private_and_reused(tmp_path):
    key = load_signing_key(tmp_path)
    path = tmp_path / "certificate_signing_key.pem"
    assert path.exists() and (os.stat(path).st_mode & 0o777) == 0o600
    again = load_signing_key(str(tmp_path) + "/")  # another cache entry, same file
    assert again.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()


def test_signing_key_from_configuration(tmp_path):
    seed = Ed25519PrivateKey.generate()
    configured = base64.b64encode(seed.private_bytes_raw()).decode()
    key = load_signing_key(tmp_path, configured)
    assert key.public_key().public_bytes_raw() == seed.public_key().public_bytes_raw()
    assert not (tmp_path / "certificate_signing_key.pem").exists()
    from learning.certificates.signing import SigningKeyError
    with pytest.raises(SigningKeyError):
        load_signing_key(tmp_path, "not-a-key")
