"""A certificate as an Open Badges 3.0 credential (an OpenBadgeCredential, W3C VC 2.0), signed as
a VC-JWT with the certificate key.

The credential is built from the certificate's copied fields only (never from the live user or
course rows, so it stays what was issued), and names the officer by name alone: no NIP, no
e-mail, no office. It is signed the way Open Badges 3.0 section 8.2 describes:

    base64url(header) "." base64url(payload) "." base64url(Ed25519 signature)

    header   {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": "<SITE_URL>/verify/key#ed25519"}
    payload  the credential JSON itself, plus the registered claims iss (issuer id),
             jti (credential id), nbf (validFrom) and exp (validUntil, when it lapses)

The signing key is the one that signs the QR code (learning.certificates.signing), so the public
key published at /verify/key checks both, offline. `validFrom` is the moment the course was
completed; `validUntil` is the end of the certificate's last valid day in the application's
time zone (it is "expired" the next day, as everywhere else). Revocation is a status entry of
type 1EdTechRevocationList pointing at /verify/<number>/status, which lists the credential once
it is revoked; `check_credential` reports the same status from the database.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from learning.clock import app_timezone
from learning.models import Certificate
from .issuing import REVOKED, certificate_status, find_certificate
from .signing import as_public_key

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
MEDIA_TYPE = "application/vc+jwt"
STATUS_TYPE = "1EdTechRevocationList"
DEFAULT_ISSUER_NAME = "Direktorat Jenderal Imigrasi"
MAX_TOKEN_LENGTH = 64 * 1024


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    if not text or any(ch not in _B64URL for ch in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _stamp(moment: datetime) -> str:
    """A UTC timestamp with the trailing Z that DateTimeZ asks for, to the second."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_until_moment(day: date, tz: str | None = None) -> datetime:
    """The last second of `day` in the officers' time zone, in UTC."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(tz or app_timezone()))
    return local.astimezone(timezone.utc)


@dataclass(frozen=True)
class Issuer:
    """Who awards the credential, as its Open Badges profile says."""

    site_url: str
    name: str = DEFAULT_ISSUER_NAME

    @property
    def base(self) -> str:
        return self.site_url.rstrip("/")

    @property
    def id(self) -> str:
        return f"{self.base}/verify/issuer"

    @property
    def key_id(self) -> str:
        return f"{self.base}/verify/key#ed25519"

    def profile(self) -> dict:
        return {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.base + "/",
                "description": "Penerbit sertifikat pelatihan Pimpasa (Petugas Imigrasi "
                               "Pembina Desa)."}


def credential_id(issuer: Issuer, number: str) -> str:
    return f"{issuer.base}/verify/{number}"


def status_url(issuer: Issuer, number: str) -> str:
    return f"{issuer.base}/verify/{number}/status"


def build_credential(certificate: Certificate, issuer: Issuer, tz: str | None = None) -> dict:
    """The OpenBadgeCredential of a certificate (JSON-LD, without proof)."""
    course_slug = certificate.course.slug if certificate.course is not None else "kursus"
    achievement = {
        "id": f"{issuer.base}/courses/{course_slug}/",
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": certificate.course_title,
        "description": f"Menyelesaikan seluruh modul dan kuis kursus {certificate.course_title} "
                       "pada Pimpasa Learning.",
        "criteria": {"narrative": "Semua modul kursus ditandai selesai dan setiap kuis lulus "
                                  "dengan nilai minimal kelulusan."},
    }
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(issuer, certificate.number),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Sertifikat {certificate.course_title}",
        "description": f"Sertifikat nomor {certificate.number}.",
        "issuer": issuer.profile(),
        "validFrom": _stamp(certificate.completed_at),
        "awardedDate": _stamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": certificate.holder_name}],
            "activityEndDate": _stamp(certificate.completed_at),
            "achievement": achievement,
        },
        "credentialStatus": {"id": status_url(issuer, certificate.number), "type": STATUS_TYPE},
    }
    if certificate.valid_until is not None:
        credential["validUntil"] = _stamp(valid_until_moment(certificate.valid_until, tz))
    return credential


def _epoch(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=timezone.utc).timestamp())


def sign_credential(credential: dict, key: Ed25519PrivateKey, key_id: str) -> str:
    """The compact VC-JWT of `credential`, signed with the Ed25519 certificate key."""
    header = {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": key_id}
    payload = dict(credential)
    issuer = credential["issuer"]
    payload.update(iss=issuer["id"] if isinstance(issuer, dict) else issuer,
                   jti=credential["id"], nbf=_epoch(credential["validFrom"]))
    if "validUntil" in credential:
        payload["exp"] = _epoch(credential["validUntil"])
    signing_input = ".".join(_b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":"))
                                     .encode("utf-8")) for part in (header, payload))
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


def certificate_badge(certificate: Certificate, key: Ed25519PrivateKey, issuer: Issuer,
                      tz: str | None = None) -> str:
    """What the officer downloads: the signed credential of `certificate`."""
    return sign_credential(build_credential(certificate, issuer, tz), key, issuer.key_id)


def read_credential(token: str, public_key: Ed25519PublicKey | Ed25519PrivateKey | str | bytes,
                    ) -> dict | None:
    """The credential in a VC-JWT when its EdDSA signature is the key's; None for anything else
    (another key, a changed character, another algorithm, not a JWT at all). Offline."""
    text = (token or "").strip()
    if len(text) > MAX_TOKEN_LENGTH or text.count(".") != 2:
        return None
    head, body, signature = text.split(".")
    try:
        header = json.loads(_unb64url(head))
        if not isinstance(header, dict) or header.get("alg") != "EdDSA":
            return None
        as_public_key(public_key).verify(_unb64url(signature), f"{head}.{body}".encode("ascii"))
        payload = json.loads(_unb64url(body))
    except (InvalidSignature, ValueError, UnicodeError):
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class BadgeCheck:
    """The outcome of checking a credential file against the key and the records."""

    signed: bool  # the signature is ours and the file is unchanged
    certificate: Certificate | None  # the certificate it names (when signed)
    status: str | None  # valid, expired or revoked (when the certificate is known)


def number_of(credential: dict) -> str | None:
    """The certificate number a credential names (the last part of its id)."""
    ident = credential.get("id")
    if not isinstance(ident, str) or "/verify/" not in ident:
        return None
    return ident.rsplit("/", 1)[-1]


def check_credential(token: str, public_key, today: date) -> BadgeCheck:
    """Verify a downloaded credential: signature first, then the certificate's status today."""
    credential = read_credential(token, public_key)
    if credential is None:
        return BadgeCheck(signed=False, certificate=None, status=None)
    certificate = find_certificate(number_of(credential))
    if certificate is None:
        return BadgeCheck(signed=True, certificate=None, status=None)
    return BadgeCheck(signed=True, certificate=certificate,
                      status=certificate_status(certificate, today))


def revocation_list(certificate: Certificate, issuer: Issuer) -> dict:
    """The status document at the credential's credentialStatus id: it lists the credential as
    revoked once it is, and is empty otherwise. The reason stays private."""
    revoked = []
    if certificate.revoked_at is not None:
        revoked.append({"id": credential_id(issuer, certificate.number),
                        "revoked": True, "revokedAt": _stamp(certificate.revoked_at)})
    return {"id": status_url(issuer, certificate.number), "type": STATUS_TYPE,
            "revokedCredentials": revoked}


def is_revoked(check: BadgeCheck) -> bool:
    return check.status == REVOKED
