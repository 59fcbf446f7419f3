"""`flask laws import`, `flask laws apply-changes`, `flask search rebuild` and `content check`
with a citation outside the register."""
from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from learning.models import Law, LawChange, SearchDocument

SAMPLE = Path(__file__).parents[1] / "data" / "lawsearch"


def test_laws_import_apply_changes_and_search_rebuild(runner, db, tmp_path):
    root = tmp_path / "kurikulum"
    shutil.copytree(SAMPLE, root)
    assert runner.invoke(args=["content", "import", str(root)]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(Law.id))) == 5  # the sample's own register
    again = runner.invoke(args=["laws", "import", str(root)])
    assert again.exit_code == 0 and "created 0, updated 0, unchanged 5" in again.output
    (root / "laws" / "changes").mkdir()
    (root / "laws" / "changes" / "a.md").write_text(
        "---\nlaw: UU 6/2011\narticle: Pasal 113–136\nchanged_on: 2026-01-02\n---\nPidana.\n")
    applied = runner.invoke(args=["laws", "apply-changes", str(root)])
    assert applied.exit_code == 0 and "recorded 1 change(s)" in applied.output
    # pidana-keimigrasian (Pasal 120, 126) and its quiz, and rujukan (the whole law); not paspor
    assert "3 review task(s) opened" in applied.output
    assert runner.invoke(args=["laws", "apply-changes", str(root)]).output.startswith("recorded 0")
    assert db.session.scalar(sa.select(sa.func.count(LawChange.id))) == 1
    db.session.execute(sa.delete(SearchDocument))
    db.session.commit()
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "indexed" in rebuilt.output
    assert db.session.scalar(sa.select(sa.func.count(SearchDocument.id))) >= 9


def test_content_check_strict_reports_a_citation_outside_the_register(runner, tmp_path):
    root = tmp_path / "kurikulum"
    shutil.copytree(SAMPLE, root)
    module = root / "courses" / "hukum" / "03-rujukan.md"
    module.write_text(module.read_text().replace("  - UU 6/2011\n", "  - UU 6/2011\n  - PP 77/2099\n"))
    result = runner.invoke(args=["content", "check", "--strict", str(root)])
    assert result.exit_code == 1
    assert "'PP 77/2099' resolves to no register entry (pp-77-2099); add it to laws/" in result.output
