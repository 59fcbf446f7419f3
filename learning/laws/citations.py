"""Legal citations by identity: "UU 21/2007 Pasal 2 ayat (1)", "Undang-Undang Nomor 6 Tahun 2011
Pasal 120 sebagaimana diubah UU 63/2024", "Perpres 165/2024; Perpres 166/2024", "SE IMI.4-GR.04.01-691
Tahun 2023", "Protokol Palermo (Protokol Perdagangan Orang)".

A citation names one or more laws, each known by a `key` ("uu-21-2007", "perpres-165-2024",
"se-imi-4-gr-04-01-691"); the first is the law cited, the others amend it. Named instruments
without a number (a treaty, the KUHP) are found through the register's aliases. Pure functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")
_KINDS = {
    "uu": "uu", "undang-undang": "uu", "undang undang": "uu", "pp": "pp",
    "peraturan pemerintah": "pp", "perpu": "perppu", "perppu": "perppu",
    "perpres": "perpres", "peraturan presiden": "perpres", "keppres": "keppres",
    "inpres": "inpres", "perban": "perban", "peraturan bp2mi": "perban",
    "peraturan badan": "perban", "perda": "perda",
}
_KIND_WORDS = "|".join(sorted((re.escape(k) for k in _KINDS), key=len, reverse=True))
_NUMBERED = re.compile(
    r"(?<![0-9a-z])(" + _KIND_WORDS + r"|permen[a-z]*|peraturan menteri [a-z ]+?)"
    r"\s+(?:nomor|no\.?)?\s*(\d+[a-z]?)\s*(?:/|\s+tahun\s+)(\d{4})(?![0-9])")
_CIRCULAR = re.compile(r"(?<![0-9a-z])se\s+([a-z]+[-.][0-9a-z.\-]*[0-9a-z])")
_ARTICLE = re.compile(r"pasal\s+(\d+[a-z]?)((?:\s+(?:ayat\s+\(\d+\)|huruf\s+[a-z]|angka\s+\d+))*)")
_AMENDING = re.compile(r"\b(?:sebagaimana|sebagaimana telah|yang)?\s*(?:diubah|diganti)\b")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", (text or "").lower()).strip()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def law_key(kind: str, number: str, year: str) -> str:
    kind = normalise(kind)
    kind = _KINDS.get(kind, _slug(kind))
    return f"{kind}-{number.lower()}-{year}"


def _circular_key(number: str) -> str:
    return "se-" + _slug(number)


@dataclass(frozen=True)
class Citation:
    """What a citation names: the laws in order (the first is the one cited) and the articles of
    the first ("pasal 2", "pasal 120"), each without its ayat/huruf detail."""

    text: str
    keys: tuple[str, ...]
    articles: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=(), compare=False)  # "pasal 2 ayat (1)"

    @property
    def key(self) -> str | None:
        return self.keys[0] if self.keys else None


def parse_citation(text: str, aliases: dict[str, str] | None = None) -> Citation:
    """The laws and articles `text` names. `aliases` maps a normalised alias ("protokol
    palermo", "kuhp") to a key; they are tried only when no numbered instrument is named."""
    norm = normalise(text)
    found: list[tuple[int, str]] = []
    for m in _NUMBERED.finditer(norm):
        found.append((m.start(), law_key(m.group(1), m.group(2), m.group(3))))
    for m in _CIRCULAR.finditer(norm):
        number = re.sub(r"(?:\s*/\s*\d{4}|\s+tahun\s+\d{4})$", "", m.group(1))
        number = re.sub(r"/\d{4}$", "", number)
        found.append((m.start(), _circular_key(number)))
    if not found and aliases:
        for alias, key in sorted(aliases.items(), key=lambda item: -len(item[0])):
            at = re.search(r"(?<![0-9a-z])" + re.escape(alias) + r"(?![0-9a-z])", norm)
            if at:
                found.append((at.start(), key))
                break
    keys = []
    for _, key in sorted(found):
        if key not in keys:
            keys.append(key)
    # The articles belong to the first law: stop at "sebagaimana diubah" or at a second law.
    scope = norm
    if len(found) > 1:
        second = sorted(found)[1][0]
        scope = norm[:second]
    if (amend := _AMENDING.search(scope)) is not None:
        scope = scope[:amend.start()]
    articles, details = [], []
    for m in _ARTICLE.finditer(scope):
        base = f"pasal {m.group(1)}"
        if base not in articles:
            articles.append(base)
        details.append(normalise(m.group(0)))
    return Citation(text=text, keys=tuple(keys), articles=tuple(articles), details=tuple(details))


def split_citations(text: str) -> list[str]:
    """"Perpres 165/2024; Perpres 166/2024" cites two laws: one citation per part."""
    return [part.strip() for part in (text or "").split(";") if part.strip()]


_RANGE = re.compile(r"pasal\s+(\d+)\s*(?:-|–|—|s\.?d\.?|sampai(?: dengan)?)\s*(?:pasal\s+)?(\d+)")
MAX_RANGE = 200


def article_bases(article: str) -> list[str]:
    """"Pasal 2 ayat (1)" -> ["pasal 2"]; "Pasal 2–5, Pasal 19" -> ["pasal 2", ..., "pasal 5",
    "pasal 19"]; "" -> [] (the whole law)."""
    text = normalise(article)
    bases: list[str] = []
    for m in _RANGE.finditer(text):
        low, high = int(m.group(1)), int(m.group(2))
        if low <= high <= low + MAX_RANGE:
            bases += [f"pasal {n}" for n in range(low, high + 1)]
    text = _RANGE.sub(" ", text)
    bases += [f"pasal {m.group(1)}" for m in _ARTICLE.finditer(text)]
    bases += [f"pasal {n}" for n in re.findall(r",\s*(\d+[a-z]?)(?![0-9a-z])", text)
              if bases]  # "Pasal 2, 3, 4"
    return list(dict.fromkeys(bases))


def article_base(article: str) -> str:
    """The first article of `article` ("" for the whole law)."""
    bases = article_bases(article)
    return bases[0] if bases else ""


def rests_on(citation: Citation, key: str, article: str = "") -> bool:
    """Whether a citation rests on law `key` and, when `article` names articles, on one of them.
    A citation of the whole law (no article) rests on every article of it."""
    if citation.key != key and key not in citation.keys:
        return False
    bases = article_bases(article)
    if not bases or citation.key != key or not citation.articles:
        return True
    return any(base in citation.articles for base in bases)


def text_mentions(text: str, short: str, article: str = "") -> bool:
    """Whether prose mentions the law (its short form, "UU 21/2007") and, when given, the article
    next to it ("UU 21/2007 Pasal 2" or "Pasal 2 UU 21/2007"), as whole words."""
    norm = normalise(text)
    law = re.escape(normalise(short))
    bases = article_bases(article)
    if not bases:
        return re.search(r"(?<![0-9a-z])" + law + r"(?![0-9a-z/])", norm) is not None
    numbers = "|".join(re.escape(base.split()[1]) for base in bases)
    near = (rf"(?<![0-9a-z]){law}\s+pasal\s+(?:{numbers})(?![0-9a-z])|"
            rf"(?<![0-9a-z])pasal\s+(?:{numbers})(?![0-9a-z])[^.;\n]{{0,40}}?{law}(?![0-9a-z/])")
    return re.search(near, norm) is not None
