"""Searching modules, glossary terms and laws: SQLite FTS5 or PostgreSQL full-text, one answer.

The query is cut into words ("UU 6/2011" gives "uu 6 2011"); question words ("apa itu") are
dropped; a word the index never saw is replaced by the nearest one it did ("pasport" finds
"paspor"). All words must match; when nothing does, any word may. A query that names a legal
reference ("Pasal 120", "UU 6/2011") puts first the modules whose legal references cite it, then
those whose text does. Each result carries the best passage with the query words marked.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from markupsafe import Markup

from learning.extensions import db
from learning.laws.citations import normalise
from learning.models import Course, Module, SearchDocument
from .text import STOPWORDS, passage, short_references, stem, words

PER_KIND = {"module": 15, "glossary": 5, "law": 5}  # the most one page shows of each
MAX_QUERY_CHARS = 200
_vocabulary_cache: dict[str, object] = {}


@dataclass
class Result:
    kind: str  # module, glossary, law
    key: str
    title: str
    passage: Markup
    laws: list[str] = field(default_factory=list)  # the references citing the query, else the
    # module's first two
    module: Module | None = None
    course: Course | None = None
    law_key: str = ""
    cites: bool = False  # the module's legal references cite the searched reference


@dataclass
class Answer:
    query: str
    words: list[str]
    corrected: dict[str, str]  # typed word -> word searched
    results: list[Result]


def _vocabulary() -> tuple[set[str], set[str]]:
    """Every word in the index and their stems (cached until the index changes)."""
    stamp = db.session.execute(sa.select(sa.func.count(SearchDocument.id),
                                         sa.func.max(SearchDocument.updated_at))).first()
    marker = f"{db.engine.url}|{stamp[0]}|{stamp[1]}"
    if _vocabulary_cache.get("marker") != marker:
        vocabulary: set[str] = set()
        for row in db.session.execute(sa.select(SearchDocument.title, SearchDocument.laws,
                                                SearchDocument.headings, SearchDocument.body)):
            for text in row:
                vocabulary.update(words(text))
        _vocabulary_cache.update(marker=marker, words=vocabulary,
                                 stems={stem(word) for word in vocabulary})
    return _vocabulary_cache["words"], _vocabulary_cache["stems"]


def query_words(query: str) -> tuple[list[str], dict[str, str]]:
    typed = words(short_references(query[:MAX_QUERY_CHARS]))[:12]
    meaningful = [w for w in typed if w not in STOPWORDS] or typed
    vocabulary, stems = _vocabulary()
    corrected, result = {}, []
    for word in meaningful:
        if word.isdigit() or word in vocabulary or stem(word) in stems or len(word) < 4:
            result.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
        if close:
            corrected[word] = close[0]
        result.append(close[0] if close else word)
    return result, corrected


def _reference(query: str) -> re.Pattern | None:
    """A whole-word pattern when the query names a legal reference ("pasal 120", "uu 6/2011")."""
    norm = normalise(short_references(query))
    match = re.search(r"\b(?:(?:uu|pp|perpres|permen\w*)\s+\d+/\d{4}(?:\s+pasal\s+\d+[a-z]?)?|"
                      r"pasal\s+\d+[a-z]?)\b", norm)
    if not match:
        return None
    needle = re.escape(match.group(0)).replace(r"\ ", r"\s+")
    return re.compile(r"(?<![0-9A-Za-z])" + needle + r"(?![0-9A-Za-z])", re.IGNORECASE)


def _sqlite_ids(terms: list[str], any_word: bool) -> list[int]:
    match = (" OR " if any_word else " ").join(f'"{stem(t)}"' for t in terms)
    rows = db.session.execute(sa.text(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH :match "
        "ORDER BY bm25(search_fts, 10.0, 8.0, 4.0, 1.0) LIMIT 200"), {"match": match})
    return [row[0] for row in rows]


def _postgresql_ids(terms: list[str], any_word: bool) -> list[int]:
    safe = [re.sub(r"[^0-9a-z]", "", t) for t in terms]
    expression = (" | " if any_word else " & ").join(t for t in safe if t)
    if not expression:
        return []
    rows = db.session.execute(sa.text(
        "SELECT id FROM search_documents, to_tsquery('indonesian', :q) AS query "
        "WHERE tsv @@ query ORDER BY ts_rank_cd(tsv, query) DESC, id LIMIT 200"),
        {"q": expression})
    return [row[0] for row in rows]


def _matching_ids(terms: list[str]) -> list[int]:
    finder = _postgresql_ids if db.engine.dialect.name == "postgresql" else _sqlite_ids
    return finder(terms, False) or finder(terms, True)


def search(query: str) -> Answer:
    """The best results for `query`: live modules, glossary terms, laws."""
    terms, corrected = query_words(query or "")
    answer = Answer(query=query, words=terms, corrected=corrected, results=[])
    if not terms:
        return answer
    ids = _matching_ids(terms)
    if not ids:
        return answer
    documents = {d.id: d for d in db.session.scalars(
        sa.select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    module_ids = [d.module_id for d in documents.values() if d.module_id]
    live = {m.id: m for m in db.session.scalars(
        sa.select(Module).join(Course).where(Module.id.in_(module_ids), Module.is_live,
                                             Course.published))} if module_ids else {}
    reference = _reference(query)
    scored = []
    for rank, doc_id in enumerate(ids):
        doc = documents.get(doc_id)
        if doc is None or (doc.kind == "module" and doc.module_id not in live):
            continue  # never show what is not live, even if the index lagged behind
        references = [law for law in doc.laws.split("; ") if law] if doc.kind == "module" else []
        cited = [law for law in references if reference and reference.search(law)]
        boost = 0
        if reference is not None:
            boost = 2 if cited else (1 if reference.search(doc.body) else 0)
        scored.append((-boost, rank, doc, cited or references[:2]))
    scored.sort(key=lambda item: (item[0], item[1]))
    room = dict(PER_KIND)
    for _, _, doc, shown in scored:
        if room.get(doc.kind, 0) <= 0:
            continue
        room[doc.kind] -= 1
        module = live.get(doc.module_id) if doc.module_id else None
        answer.results.append(Result(
            kind=doc.kind, key=doc.key, title=doc.title,
            passage=passage(doc.body, terms, reference), laws=shown, module=module,
            course=module.course if module else None,
            cites=bool(reference) and any(reference.search(law) for law in shown),
            law_key=doc.key.split(":", 1)[1] if doc.kind == "law" else ""))
    return answer
