"""Password strength: refuse the most common and easily guessed passwords, offline.

The estimate comes from zxcvbn (pinned in requirements.txt), which ships frequency lists of
common and breached passwords, names and English words, and recognises keyboard walks
(`qwertyuiop`), repeats (`aaaaaaaaaa`), sequences (`1234567890`) and leet or capitalised variants
(`Password123`). To its lists the check adds Indonesian words that are common in passwords, the
project's own words (pimpasa, imigrasi, kanim, ...), the site's name and, when known, the
account's username, NIP, name and office code. A password whose estimate is below MIN_SCORE (fewer
than about 10^8 guesses) is refused.
"""
from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 10
MIN_SCORE = 3
ESTIMATE_CHARS = 72  # zxcvbn refuses longer input (its work grows with length)

PROJECT_WORDS = (
    "pimpasa", "imigrasi", "keimigrasian", "kanim", "kanwil", "ditjen", "ditjenim", "kemenkumham",
    "kemenimipas", "petugas", "desa", "binaan", "tppo", "paspor", "visa", "learning", "pelatihan",
)
INDONESIAN_WORDS = (
    "indonesia", "rahasia", "sandi", "katasandi", "merdeka", "sayang", "cinta", "bismillah",
    "jakarta", "surabaya", "bandung", "garuda", "pancasila", "nusantara", "bangsa", "selamat",
    "admin", "masuk", "sukses", "semangat", "bersama", "allahuakbar", "alhamdulillah", "ganteng",
    "cantik", "bunda", "mama", "papa", "anak", "rumah", "kantor", "rahasiaku", "qwerty",
    "batam", "medan", "bali", "denpasar", "makassar", "semarang", "yogyakarta", "jogja", "malang",
    "palembang", "pontianak", "nunukan", "entikong", "kupang", "manado", "ambon", "jayapura",
)


SITE_NAME = "Pimpasa Learning"


def password_problem(password: str, words: Iterable[str] = (),
                     site_name: str = SITE_NAME) -> str | None:
    """Why `password` may not be used ("too_short", "same_as_account" or "common"), or None.

    `words` are the account's own words (username, NIP, name, office code): a password equal to
    one is "same_as_account", and each counts against the strength like a dictionary word."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    own = [str(word).strip().lower() for word in words if word and str(word).strip()]
    if password.strip().lower() in own:
        return "same_as_account"
    inputs = [*PROJECT_WORDS, *INDONESIAN_WORDS, *own]
    inputs += [part for word in own for part in word.split() if len(part) > 2]
    if site_name:
        inputs += [site_name.lower(), *site_name.lower().split()]
    estimate = zxcvbn(password[:ESTIMATE_CHARS], user_inputs=inputs)
    return "common" if estimate["score"] < MIN_SCORE else None
