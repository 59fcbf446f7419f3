"""Write storm: `python -m bench.write_storm [--clients 32] [--seconds 30] [--workers 4] [--db sqlite]`.

Many officers record progress at once, as fast as the server answers, against several gunicorn
workers: each client opens a module page (records the open), sends reading heartbeats with a
scroll position it chose, and marks the module done ("Tandai selesai"), module after module.
Every answer the server acknowledged is remembered. Afterwards, with the server stopped, the
database must hold every acknowledged write: the last acknowledged scroll position of each
(officer, module), at least the acknowledged reading seconds, and a completion for every
acknowledged "done". Passes with zero errors, zero "database is locked" and zero lost writes.

Modules with a quiz are completed by passing the quiz, not by the button, so the run imports the
shipped courses without their quiz banks (a copy in the temporary folder).
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .client import Browser
from .population import ModuleRef, app_context, prepare
from .server import (run_command, ROOT, BenchError, ProductionServer, bench_database, install_signal_handlers,
                     workspace)
from .tables import machine_note, percentile, save_results, text_table

HEARTBEATS_PER_MODULE = 3


@dataclass
class Acknowledged:
    scroll: float | None = None
    seconds_spent: int = 0
    done: bool = False


@dataclass
class ClientLog:
    username: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acks: dict[str, Acknowledged] = field(default_factory=lambda: defaultdict(Acknowledged))


def storm_client(url: str, username: str, password: str, modules: list[ModuleRef],
                 start_at: float, stop_at: float, seed: int,
                 cancelled: threading.Event) -> ClientLog:
    """One officer: open, heartbeat x3, done; next module; until `stop_at` (or cancelled)."""
    log = ClientLog(username)

    def running() -> bool:
        return time.monotonic() < stop_at and not cancelled.is_set()

    rng = random.Random(seed)
    browser = Browser(url, timeout=60)
    try:
        browser.sign_in(username, password)
        order = modules[:]
        rng.shuffle(order)
        while time.monotonic() < start_at and not cancelled.is_set():
            time.sleep(0.01)
        index = 0
        while running():
            module = order[index % len(order)]
            index += 1
            _step(log, "open", browser.get(module.path), 200)
            for _ in range(HEARTBEATS_PER_MODULE):
                if not running():
                    break
                scroll = round(rng.random(), 6)
                response = browser.post_json(f"{module.path}/heartbeat", {"scroll": scroll})
                if _step(log, "heartbeat", response, 200):
                    ack = log.acks[module.path]
                    ack.scroll = scroll
                    ack.seconds_spent = response.json()["seconds_spent"]
            if running():
                response = browser.post_form(f"{module.path}/done", {})
                if _step(log, "done", response, 302):
                    log.acks[module.path].done = True
    except Exception as exc:  # a timeout or a dropped connection is an error of the run
        log.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        browser.close()
    return log


def _step(log: ClientLog, kind: str, response, expected: int) -> bool:
    log.latencies[kind].append(response.seconds)
    if response.status != expected:
        log.errors.append(f"{kind}: HTTP {response.status} {response.text[:200]!r}")
        return False
    return True


def verify(logs: list[ClientLog]) -> tuple[int, int, list[str]]:
    """Compare every acknowledged write with the database; return (checked, lost, examples)."""
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import Course, Module, ModuleProgress, User

    rows = {}
    for username, course, module, scroll, seconds, completed in db.session.execute(
            sa.select(User.username, Course.slug, Module.slug, ModuleProgress.scroll_position,
                      ModuleProgress.seconds_spent, ModuleProgress.completed_at)
            .join(User, User.id == ModuleProgress.user_id)
            .join(Module, Module.id == ModuleProgress.module_id)
            .join(Course, Course.id == Module.course_id)):
        rows[(username, f"/courses/{course}/{module}")] = (scroll, seconds, completed)
    checked, lost, examples = 0, 0, []
    for log in logs:
        for path, ack in log.acks.items():
            checked += 1
            row = rows.get((log.username, path))
            problem = None
            if row is None:
                problem = "no progress row"
            elif ack.scroll is not None and row[0] != ack.scroll:
                problem = f"scroll {row[0]} != acknowledged {ack.scroll}"
            elif row[1] < ack.seconds_spent:
                problem = f"seconds {row[1]} < acknowledged {ack.seconds_spent}"
            elif ack.done and row[2] is None:
                problem = "done acknowledged, not completed"
            if problem:
                lost += 1
                examples.append(f"{log.username} {path}: {problem}")
    return checked, lost, examples


def quizless_curriculum(workdir) -> str:
    root = workdir / "curriculum"
    shutil.copytree(ROOT / "courses", root / "courses")
    (root / "quizzes").mkdir()
    return str(root)


def run(args: argparse.Namespace) -> int:
    with workspace(keep=args.keep) as workdir, bench_database(args.db, workdir) as database:
        env = {"CONTENT_ROOT": quizless_curriculum(workdir)}
        secret = "bench-storm"
        population = prepare(database, secret, officers=args.clients, extra_env=env)
        modules = [m for m in population.modules if not m.has_quiz]
        if not modules:
            raise BenchError("no module without a quiz to mark done")
        with ProductionServer(database, workdir, workers=args.workers, env=env,
                              secret_key=secret, config=args.gunicorn_config) as server:
            print(f"server: {server.url} ({args.db}, {args.workers} workers), "
                  f"{args.clients} clients for {args.seconds:.0f} s ...", flush=True)
            start_at = time.monotonic() + 5 + args.clients * 0.15  # after every sign-in
            stop_at = start_at + args.seconds
            cancelled = threading.Event()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                futures = [pool.submit(storm_client, server.url, name, population.password,
                                       modules, start_at, stop_at, args.seed + i, cancelled)
                           for i, name in enumerate(population.officers)]
                try:
                    logs = [f.result() for f in futures]
                except BaseException:
                    cancelled.set()  # Ctrl-C: the clients stop at their next request
                    raise
            late = max(0.0, time.monotonic() - stop_at)
            server_errors = server.server_errors()
            locked = [line for line in server.log_text().splitlines() if "database is locked" in line]
        with app_context(database, secret):
            checked, lost, examples = verify(logs)
    return report(args, logs, server_errors, locked, checked, lost, examples, late)


def report(args, logs, server_errors, locked, checked, lost, examples, late) -> int:
    seconds = args.seconds
    rows = []
    for kind in ("open", "heartbeat", "done"):
        samples = [s for log in logs for s in log.latencies.get(kind, [])]
        rows.append([kind, len(samples), len(samples) / seconds,
                     1000 * percentile(samples, .5), 1000 * percentile(samples, .95),
                     1000 * percentile(samples, .99), 1000 * max(samples, default=0)])
    errors = [e for log in logs for e in log.errors]
    print()
    print(f"machine: {machine_note()} (at the end of the run)")
    print(f"Write storm: {args.db}, {args.workers} workers, {len(logs)} clients, {seconds:.0f} s")
    print(text_table(["request", "count", "rps", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    print(f"errors: {len(errors)}; 'database is locked' in the server log: {len(locked)}; "
          f"acknowledged (officer, module) records checked: {checked}; lost: {lost}")
    for line in (errors + server_errors + examples)[:20]:
        print(f"  {line}")
    path = save_results("write-storm", {"args": {k: str(v) for k, v in vars(args).items()}, "rows": rows, "errors": errors,
                                        "locked": len(locked), "checked": checked, "lost": lost,
                                        "lost_examples": examples[:50]}, args.json)
    print(f"figures saved to {path}")
    ok = not errors and not locked and not server_errors and lost == 0 and checked > 0
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()
    parser = argparse.ArgumentParser(prog="python -m bench.write_storm",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gunicorn-config", type=Path,
                        help="another gunicorn config to try (default: the repo's gunicorn.conf.py)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="where to save the figures (default bench/results/)")
    args = parser.parse_args(argv)
    return run_command(run, args)


if __name__ == "__main__":
    sys.exit(main())
