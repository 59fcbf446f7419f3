"""Search for everyone who reads (learning.search): run on SQLite, and on PostgreSQL with
DATABASE_URL=postgresql+psycopg://... (the `indonesian` configuration). The sample curriculum in
tests/data/lawsearch has a module citing UU 6/2011 Pasal 120 in its legal references, one that only
mentions "Pasal 120" in passing, and a quiz whose answer and explanation hold unique words."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from learning.content.revisions import publish_module_revision, save_module_revision
from learning.models import Course, Module, SearchDocument
from learning.search import querying
from learning.search.indexing import rebuild

from ..factories import import_sample_curriculum

ROOT = Path(__file__).parents[1] / "data" / "lawsearch"


@pytest.fixture
def curriculum(db):
    import_sample_curriculum(ROOT)
    return db.session.scalar(sa.select(Course).where(Course.slug == "hukum"))


def _module(slug):
    from learning.extensions import db
    return db.session.scalar(sa.select(Module).where(Module.slug == slug))


def _modules(answer):
    return [r.module.slug for r in answer.results if r.kind == "module"]


def test_pasal_120_puts_the_citing_module_first_with_the_passage_highlighted(curriculum):
    answer = querying.search("Pasal 120")
    modules = _modules(answer)
    assert modules[0] == "pidana-keimigrasian"  # cites it in its legal references
    assert "rujukan" in modules  # mentions it in its text only: found, but after
    assert modules.index("rujukan") > 0
    first = answer.results[[r.kind for r in answer.results].index("module")]
    assert first.cites and first.laws == ["UU 6/2011 Pasal 120 sebagaimana diubah UU 63/2024"]
    assert "<mark>Pasal 120</mark>" in str(first.passage)


def test_pasal_12_does_not_find_pasal_120_first(curriculum):
    modules = _modules(querying.search("Pasal 12"))
    assert modules and modules[0] == "rujukan"  # the only module saying "Pasal 12"


def test_law_reference_forms(curriculum):
    assert _modules(querying.search("UU 6/2011"))[0] in {"pidana-keimigrasian", "paspor", "rujukan"}
    long_form = _modules(querying.search("Undang-Undang Nomor 6 Tahun 2011 Pasal 120"))
    assert long_form[0] == "pidana-keimigrasian"


def test_words_are_stemmed_and_misspellings_forgiven(curriculum):
    assert _modules(querying.search("perdagangan orang"))[0] == "perdagangan-orang"
    assert _modules(querying.search("diperdagangkan"))[0] == "perdagangan-orang"  # same stem
    assert _modules(querying.search("paspor"))[0] == "paspor"
    misspelt = querying.search("pasport")
    assert misspelt.corrected == {"pasport": "paspor"}
    assert _modules(misspelt)[0] == "paspor"


def test_glossary_terms_are_found_by_name(curriculum):
    answer = querying.search("apa itu LPSK?")
    assert answer.words == ["lpsk"]
    kinds = [(r.kind, r.title) for r in answer.results]
    assert ("glossary", "LPSK: Lembaga Perlindungan Saksi dan Korban") in kinds
    assert any(r.kind == "module" and r.module.slug == "perdagangan-orang" for r in answer.results)
    tppo = querying.search("TPPO")
    assert _modules(tppo)[0] == "perdagangan-orang"
    assert any(r.kind == "glossary" and r.title.startswith("TPPO") for r in tppo.results)


def test_quiz_answers_and_explanations_are_never_found(curriculum, db):
    for word in ("zamrudjawaban", "kalimatpenjelasan"):
        assert querying.search(word).results == []
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)
                                 .where(SearchDocument.body.contains("zamrudjawaban")))


def test_a_draft_is_not_found_until_it_is_published(curriculum, db):
    module = _module("paspor")
    draft = save_module_revision(module, title=module.title, minutes=5, laws=module.laws,
                                 reviewed=module.reviewed, source="## Baru\n\nKata kuncibarudraf.\n",
                                 author=None)
    db.session.commit()
    assert querying.search("kuncibarudraf").results == []
    publish_module_revision(module, draft)
    # Same transaction: the index already reads the new text before the commit...
    assert _modules(querying.search("kuncibarudraf")) == ["paspor"]
    db.session.rollback()
    # ...and a rolled-back publish leaves the index as it was.
    assert querying.search("kuncibarudraf").results == []


def test_retired_modules_and_unpublished_courses_drop_out(curriculum, db):
    module = _module("paspor")
    module.retired_at = sa.func.now()
    db.session.commit()
    assert "paspor" not in _modules(querying.search("paspor"))
    module.retired_at = None
    db.session.commit()
    assert _modules(querying.search("paspor"))[0] == "paspor"
    curriculum.published = False
    db.session.commit()
    assert _modules(querying.search("paspor")) == []


def test_rebuild_indexes_the_same_documents(curriculum, db):
    before = set(db.session.scalars(sa.select(SearchDocument.key)))
    count = rebuild(db.session.connection(), None)
    db.session.commit()
    after = set(db.session.scalars(sa.select(SearchDocument.key)))
    assert count == len(after) and before == after  # without a glossary, its terms are kept
    assert {"module:" in k for k in after} == {True, False} and "law:uu-6-2011" in after
    assert _modules(querying.search("Pasal 120"))[0] == "pidana-keimigrasian"


def test_hostile_queries_are_harmless(curriculum):
    for query in ['"', "AND OR NOT", "pasal*", "a:b", "' OR 1=1 --", "<script>", "x" * 500, "()"]:
        answer = querying.search(query)
        assert all("<script>" not in str(r.passage) for r in answer.results)
