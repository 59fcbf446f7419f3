"""Every `flask --app app ...` command printed in README.md and docs/ works on a fresh install, in
the order a newcomer meets them, each run as the reader would: a real process, the password piped
in, the shipped curriculum copied to a scratch folder. Each page is a walk of its own: a fresh
database after the first start (`bootstrap`, what `python app.py` does first), then the page's
commands in the order printed.

A command is taken from the page as written; only what a reader must fill in is replaced
(PLACEHOLDERS), optional `[...]` parts are left out, shell redirections and comments are dropped,
and demo sizes are cut to DEMO_OFFICERS so the walk stays quick. A new documented command with a
placeholder this file does not know fails the test until it is added here.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import _worker_database

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
COMMAND = re.compile(r"flask --app app ([^`\n]+)")
DEMO_OFFICERS = "40"
PASSWORD = "Merah-Putih-Desa-2026"


def documents() -> list[Path]:
    return [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


def documented_commands(path: Path) -> list[tuple[str, str]]:
    """(where, command) for each distinct command of one page, in reading order."""
    seen, found = set(), []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in COMMAND.finditer(line):
            command = clean(match.group(1))
            if command not in seen:
                seen.add(command)
                found.append((f"{path.relative_to(ROOT)}:{number}", command))
    return found




def clean(text: str) -> str:
    text = re.split(r"\s{2,}#|\s+#\s", text)[0]       # a trailing comment
    text = text.replace("$(date +%F)", "2026-12-01").rstrip("'")  # inside `sh -c '...'`
    text = re.split(r"\s\d?>>?\s?", text)[0]           # > file, >> log 2>&1
    text = re.sub(r"\s*\[[^\]]*\]", "", text)          # optional parts
    text = re.sub(r"--officers \d+|--officers N", f"--officers {DEMO_OFFICERS}", text)
    return text.strip().rstrip("`").strip()


PAGES = [path for path in documents() if documented_commands(path)]


BANKS = {"import-gift": "bank.gift", "import-aiken": "bank-aiken.txt",
         "import-moodle-xml": "bank.xml"}


def fill(command: str, scratch: Path) -> list[str]:
    bank = next((name for sub, name in BANKS.items() if f" {sub} " in f" {command} "), "bank.gift")
    placeholders = {
        "USERNAME": "admin",  # the first administrator, locked out
        "OUTDIR": str(scratch / "printables"),
        "FILE": str(scratch / bank),
        "<course>/<module>": "tppo/unsur-tppo",
        "path/to/dir": str(scratch / "content"),
        "N": DEMO_OFFICERS,
        "<course-slug>": "tppo",
        "COURSE": "tppo",
        "PATH": str(scratch / "tppo.zip"),
        "<hours>": "4",
        "<OFFICE-CODE>": "KANIM-BTL",
        "WIB|WITA|WIT": "WITA",
    }
    words = []
    for word in shlex.split(command):
        if word in placeholders:
            word = placeholders[word]
        elif word.endswith(".tar.gz"):  # a backup file: written to and read from the scratch folder
            word = str(scratch / "backup.tar.gz")
        elif re.fullmatch(r"[A-Z]{2,}|<[^>]+>", word):
            pytest.fail(f"unknown placeholder {word!r} in '{command}': add it to fill()")
        words.append(word)
    return words


def _admin_engine(url: str):
    import sqlalchemy as sa
    return sa.create_engine(sa.engine.make_url(url).set(database="postgres"),
                            isolation_level="AUTOCOMMIT")


def _database_name(url: str) -> str:
    import sqlalchemy as sa
    return sa.engine.make_url(url).database


@pytest.fixture(scope="module")
def first_start(tmp_path_factory, worker_id):
    """The shipped content copied to a scratch folder, sample question banks (GIFT, Aiken,
    Moodle XML) and a database after the first start: the template every page's walk starts
    from."""
    scratch = tmp_path_factory.mktemp("fresh")
    content = scratch / "content"
    for folder in ("courses", "quizzes"):
        shutil.copytree(ROOT / folder, content / folder)
    (scratch / "bank.gift").write_text(
        "::q1:: Siapa yang menerbitkan paspor? {=Kantor Imigrasi ~Kantor desa ~Puskesmas ~Kantor pos}\n",
        encoding="utf-8")
    (scratch / "bank-aiken.txt").write_text(
        "Siapa yang menerbitkan paspor?\nA. Kantor Imigrasi\nB. Kantor desa\nC. Puskesmas\n"
        "D. Kantor pos\nANSWER: A\n", encoding="utf-8")
    (scratch / "bank.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="truefalse">'
        "<name><text>tf1</text></name><questiontext format=\"html\"><text>Paspor diterbitkan "
        "Kantor Imigrasi.</text></questiontext><answer fraction=\"100\"><text>true</text></answer>"
        "<answer fraction=\"0\"><text>false</text></answer></question></quiz>\n",
        encoding="utf-8")
    url = os.environ.get("DATABASE_URL", "")
    template = (_worker_database(url, f"{worker_id}_docs") if url.startswith("postgresql")
                else f"sqlite:///{scratch / 'template.db'}")
    env = dict(os.environ, DATABASE_URL=template, CONTENT_ROOT=str(content),
               SECRET_KEY="documented-commands", CERT_SIGNING_KEY="", LANG="C.UTF-8")
    for name in ("FLASK_APP", "PYTHONWARNINGS"):
        env.pop(name, None)
    started = run(["bootstrap"], env)  # what `python app.py` does on its first start
    assert started.returncode == 0, started.stderr
    yield scratch, env
    if template.startswith("postgresql"):
        with _admin_engine(template).connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{_database_name(template)}" WITH (FORCE)')


@pytest.fixture
def fresh_install(first_start, tmp_path):
    """A copy of the first-start database for one page's walk."""
    scratch, env = first_start
    template = env["DATABASE_URL"]
    if template.startswith("postgresql"):
        name = f"{_database_name(template)}_{tmp_path.name[-20:]}".replace("-", "_").lower()
        with _admin_engine(template).connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{_database_name(template)}"')
        import sqlalchemy as sa
        database = sa.engine.make_url(template).set(database=name).render_as_string(
            hide_password=False)
    else:
        shutil.copy(scratch / "template.db", tmp_path / "fresh.db")
        database = f"sqlite:///{tmp_path / 'fresh.db'}"
    yield scratch, dict(env, DATABASE_URL=database)
    if database.startswith("postgresql"):
        with _admin_engine(template).connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(words: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(FLASK + words, cwd=ROOT, env=env, input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=300)


def test_the_pages_walked_start_with_the_readme():
    assert PAGES[0].name == "README.md" and len(PAGES) >= 5
    assert sum(len(documented_commands(page)) for page in PAGES) >= 20


# What a page takes as given, from the README a newcomer read first: an office to work with.
GIVEN = {
    "blended-training.md": [
        ["regions", "create", "--code", "KANWIL-KALSEL", "--name", "Kanwil Kalimantan Selatan"],
        ["offices", "create", "--code", "KANIM-BTL", "--name", "Kantor Imigrasi Batulicin",
         "--region", "KANWIL-KALSEL"],
    ],
}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_documented_command_works_on_a_fresh_install(fresh_install, page):
    scratch, env = fresh_install
    for words in GIVEN.get(page.name, []):
        given = run(words, env)
        assert given.returncode == 0, given.stdout + given.stderr
    failures = []
    for where, command in documented_commands(page):
        result = run(fill(command, scratch), env)
        output = result.stdout + result.stderr
        if result.returncode != 0 or "Traceback" in output or "Warning" in output:
            failures.append(f"{where}: flask --app app {command}\n  exit {result.returncode}\n"
                            + "\n".join("  " + line for line in output.splitlines()[-6:]))
    assert not failures, "\n".join(failures)
