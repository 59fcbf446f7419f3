"""The signed payload in a certificate's QR code, the Ed25519 key that signs it, and checking it.

The QR code holds a URL that opens the public verification page, and carries the signed fields:

    <SITE_URL>/verify/<number>?p=<base64url(message)>&s=<base64url(signature)>

`message` is UTF-8 text, six lines joined by "\\n" (no trailing newline):

    PIMPASA-CERT-1
    <number>                 PIMPASA-XXXXX-XXXXX
    <officer's name>
    <course title>
    <completion date>        YYYY-MM-DD
    <valid until>            YYYY-MM-DD, or "-" when the certificate does not lapse

`signature` is the 64-byte Ed25519 signature of exactly those bytes. base64url is written without
"=" padding. Anyone with the public key (published at /verify/key) can check a certificate with no
network: see docs/certificates.md.

The private key comes from the CERT_SIGNING_KEY setting (PEM, or base64 of the 32-byte seed) or,
when that is unset, from instance/certificate_signing_key.pem, created once with mode 0600.
"""
from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT_TAG = "PIMPASA-CERT-1"
NO_EXPIRY = "-"
KEY_FILE = "certificate_signing_key.pem"


class SigningKeyError(RuntimeError):
    """CERT_SIGNING_KEY is set but is not an Ed25519 private key."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class CertificatePayload:
    """The fields a verifier may see: no NIP, no office, no scores."""

    number: str
    name: str
    course: str
    completed_on: date
    valid_until: date | None

    def message(self) -> bytes:
        lines = [FORMAT_TAG, self.number, self.name, self.course, self.completed_on.isoformat(),
                 self.valid_until.isoformat() if self.valid_until else NO_EXPIRY]
        for line in lines:
            if "\n" in line or "\r" in line:
                raise ValueError("a certificate field may not contain a line break")
        return "\n".join(lines).encode("utf-8")

    @classmethod
    def from_message(cls, message: bytes) -> "CertificatePayload":
        """Parse a message; ValueError when it is not a version-1 certificate payload."""
        lines = message.decode("utf-8").split("\n")
        if len(lines) != 6 or lines[0] != FORMAT_TAG:
            raise ValueError("not a Pimpasa certificate payload")
        until = None if lines[5] == NO_EXPIRY else date.fromisoformat(lines[5])
        return cls(number=lines[1], name=lines[2], course=lines[3],
                   completed_on=date.fromisoformat(lines[4]), valid_until=until)


# --------------------------------------------------------------------------- keys

_cache: dict[tuple, Ed25519PrivateKey] = {}
_lock = threading.Lock()


def _key_from_text(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if "BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as exc:
        raise SigningKeyError("CERT_SIGNING_KEY is not a readable Ed25519 private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("CERT_SIGNING_KEY must be an Ed25519 key")
    return key


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _key_from_file(path: Path) -> Ed25519PrivateKey:
    """Read the key file, creating it first when it does not exist.

    The new key is written to a private temporary file and hard-linked into place, which fails
    when another worker got there first: then that worker's complete file is read instead."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_pem(key))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)
                return key
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return _key_from_text(path.read_text())


def load_signing_key(instance_path: str | Path, configured: str | None = None) -> Ed25519PrivateKey:
    """The private key: `configured` (CERT_SIGNING_KEY) when set, else the instance key file."""
    cache_key = (str(instance_path), configured or "")
    with _lock:
        key = _cache.get(cache_key)
        if key is None:
            key = (_key_from_text(configured) if configured
                   else _key_from_file(Path(instance_path) / KEY_FILE))
            _cache[cache_key] = key
        return key


def signing_key_from_config(config: Mapping, instance_path: str | Path) -> Ed25519PrivateKey:
    return load_signing_key(instance_path,
                            config.get("CERT_SIGNING_KEY") or os.environ.get("CERT_SIGNING_KEY"))


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def public_key_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in groups of four hex digits: to compare by eye or phone."""
    digest = hashlib.sha256(public_key_raw(key)).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def as_public_key(key: Ed25519PublicKey | Ed25519PrivateKey | str | bytes) -> Ed25519PublicKey:
    """A public key from a key object, a PEM text or the base64 of the 32 raw bytes."""
    if isinstance(key, Ed25519PrivateKey):
        return key.public_key()
    if isinstance(key, Ed25519PublicKey):
        return key
    text = key.decode("ascii") if isinstance(key, bytes) else key
    if "BEGIN PUBLIC KEY" in text:
        loaded = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return loaded
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))


# --------------------------------------------------------------------------- sign and verify

def sign(payload: CertificatePayload, key: Ed25519PrivateKey) -> bytes:
    return key.sign(payload.message())


def qr_text(payload: CertificatePayload, key: Ed25519PrivateKey, site_url: str) -> str:
    """What the QR code holds: the verification URL carrying the message and its signature."""
    base = site_url.rstrip("/")
    return (f"{base}/verify/{quote(payload.number)}?p={_b64url(payload.message())}"
            f"&s={_b64url(sign(payload, key))}")


def split_qr_text(text: str) -> tuple[bytes, bytes]:
    """(message, signature) from QR text; ValueError when they are missing or not base64url."""
    query = parse_qs(urlsplit(text.strip()).query)
    try:
        return _unb64url(query["p"][0]), _unb64url(query["s"][0])
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError("no signed certificate payload in this text") from exc


def verify_message(message: bytes, signature: bytes,
                   public_key: Ed25519PublicKey | Ed25519PrivateKey | str | bytes,
                   ) -> CertificatePayload | None:
    """The payload when `signature` is the key's signature of `message`; None otherwise."""
    try:
        as_public_key(public_key).verify(signature, message)
        return CertificatePayload.from_message(message)
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        return None


def verify_payload(payload: str, public_key: Ed25519PublicKey | Ed25519PrivateKey | str | bytes,
                   ) -> CertificatePayload | None:
    """Check the text of a certificate's QR code offline: the signed fields when the signature is
    good (and the number in the URL, if any, is the signed one); None for anything else."""
    try:
        message, signature = split_qr_text(payload)
    except ValueError:
        return None
    fields = verify_message(message, signature, public_key)
    if fields is None:
        return None
    path = urlsplit(payload.strip()).path
    if "/verify/" in path and path.rsplit("/", 1)[-1] != quote(fields.number):
        return None
    return fields
