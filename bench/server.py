"""The server under test: a throw-away database and the production gunicorn server on loopback.

`bench_database("sqlite"|"postgres", workdir)` yields a `Database` (a SQLite file in `workdir`, or a
fresh PostgreSQL database that is dropped afterwards). `ProductionServer(database, workdir)` runs
`gunicorn -c gunicorn.conf.py app:app` from the repository on 127.0.0.1 and a free port, in its own
process group, and kills that whole group on exit, error or Ctrl-C.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class BenchError(RuntimeError):
    """The benchmark could not run (server did not start, database missing, ...)."""


@dataclass
class Database:
    kind: str  # "sqlite" or "postgres"
    url: str  # SQLAlchemy URL, as DATABASE_URL

    @property
    def sqlite_path(self) -> Path | None:
        if self.kind != "sqlite":
            return None
        return Path(self.url.removeprefix("sqlite:///"))


def _pg_admin_url() -> str:
    return os.environ.get("BENCH_PG_ADMIN_URL", DEFAULT_PG_ADMIN_URL)


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


@contextmanager
def bench_database(kind: str, workdir: Path) -> Iterator[Database]:
    """A database nobody else uses, removed (PostgreSQL) or left in `workdir` (SQLite) afterwards."""
    if kind == "sqlite":
        yield Database("sqlite", f"sqlite:///{workdir / 'pimpasa.db'}")
        return
    if kind != "postgres":
        raise BenchError(f"unknown database kind {kind!r} (sqlite or postgres)")
    admin_url = _pg_admin_url()
    name = f"pimpasa_bench_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with _pg_connect(admin_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server, no rights: say so plainly
        raise BenchError(f"cannot create PostgreSQL database via {admin_url}: {exc}") from exc
    try:
        yield Database("postgres", admin_url.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with _pg_connect(admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def workspace(prefix: str = "pimpasa-bench-", keep: bool = False) -> Iterator[Path]:
    """A temporary folder for the database, logs and plans; removed afterwards unless `keep`."""
    if keep:
        path = Path(tempfile.mkdtemp(prefix=prefix))
        print(f"workspace kept: {path}", flush=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        yield Path(name)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def app_environment(database: Database, secret_key: str, extra: dict | None = None) -> dict:
    """The environment for the app (server, `flask` commands): production, plain-http cookies."""
    env = dict(os.environ)
    env.update({
        "APP_ENV": "production",
        "SESSION_COOKIE_SECURE": "0",  # plain http on loopback
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database.url,
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def run_flask(args: list[str], env: dict, *, stdin: str | None = None,
              timeout: float = 3600) -> subprocess.CompletedProcess:
    """Run `flask --app app ARGS` from the repository with `env`; raise BenchError on failure."""
    command = [sys.executable, "-m", "flask", "--app", "app", *args]
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, input=stdin, text=True,
                                capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"`flask {' '.join(args)}` took longer than {timeout:.0f} s") from exc
    if result.returncode != 0:
        raise BenchError(f"`flask {' '.join(args)}` failed ({result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result


def stop_process_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the process group of `process`, then SIGKILL what is left after `grace` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


class ProductionServer:
    """`gunicorn -c gunicorn.conf.py app:app` on 127.0.0.1:<free port>, as a context manager."""

    def __init__(self, database: Database, workdir: Path, *, workers: int | None = None,
                 threads: int | None = None, env: dict | None = None,
                 secret_key: str | None = None, start_timeout: float = 180.0,
                 config: Path | None = None):
        self.config = config or ROOT / "gunicorn.conf.py"
        self.database = database
        self.workdir = workdir
        self.secret_key = secret_key or secrets.token_hex(32)
        self.port = free_port()
        self.log_path = workdir / f"gunicorn-{self.port}.log"
        extra = {"BIND": f"{LOOPBACK}:{self.port}", **(env or {})}
        if workers:
            extra["WEB_CONCURRENCY"] = str(workers)
        if threads:
            extra["THREADS"] = str(threads)
        self.env = app_environment(database, self.secret_key, extra)
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "ProductionServer":
        command = [sys.executable, "-m", "gunicorn", "-c", str(self.config), "app:app"]
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode} while starting:\n"
                                 f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer /healthz within {self.start_timeout:.0f} s:\n"
                         f"{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The pids of gunicorn's workers (children of the master)."""
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (live and reaped), from /proc."""
        if self.process is None:
            return 0.0
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == self.process.pid:  # same process group as the master
                total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process, grace=25.0)
            self.process = None
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def server_errors(self) -> list[str]:
        """Error lines in the server log: tracebacks, 'database is locked', worker timeouts."""
        markers = ("Traceback", "database is locked", "OperationalError", "[CRITICAL]",
                   "WORKER TIMEOUT", "[ERROR]")
        return [line for line in self.log_text().splitlines() if any(m in line for m in markers)]

    def __enter__(self) -> "ProductionServer":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def install_signal_handlers() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so every `with` block cleans up (call from main)."""

    def _exit(signum, _frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C even if started with it ignored


def _importable(module: str) -> bool:
    import importlib
    import importlib.util

    importlib.invalidate_caches()
    return importlib.util.find_spec(module) is not None


def ensure_bench_requirements() -> None:
    """Install requirements-bench.lock (hashed) into this interpreter when Locust is missing (as bin/test does)."""
    if _importable("locust"):
        return
    requirements = ROOT / "requirements-bench.lock"
    print(f"Locust is not installed: installing {requirements.name} into {sys.prefix}", flush=True)
    result = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                             "--disable-pip-version-check", "--require-hashes", "-r", str(requirements)])
    if result.returncode != 0 or not _importable("locust"):
        raise BenchError(f"could not install {requirements}; run "
                         f"`{sys.executable} -m pip install --require-hashes -r {requirements}`")


def run_command(run, args, *, before=None,
                interrupted: str = "interrupted: server and clients stopped") -> int:
    """A benchmark command's exit status: `run(args)`'s, 2 when it fails, 130 on Ctrl-C."""
    try:
        if before is not None:
            before()
        return run(args)
    except BenchError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(interrupted, file=sys.stderr)
        return 130
