"""Where a request's time goes: `python -m bench.profile [--db sqlite] [--endpoint "module page"]`.

Default (wall time, under load): starts the production server like bench.load, hammers one
endpoint with Locust (no think time) and samples every gunicorn worker with py-spy at the same
time, idle threads included (so a thread waiting for SQLite's write lock or a PostgreSQL row lock
shows where it waits). Prints the frames that take the largest share of the time spent inside
requests, and keeps the raw stacks (collapsed format, for flame graphs) under bench/results/.

`--in-process` (CPU, no concurrency): the same endpoint requested --requests times one after the
other through Flask's test client under pyinstrument: what one request costs in CPU, and where.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from .load import admin_session, probe_targets, sign_in_pool
from .locust_run import run_locust
from .population import prepare
from .server import (BenchError, ProductionServer, bench_database, ensure_bench_requirements,
                     install_signal_handlers, stop_process_group, workspace)
from .tables import RESULTS, text_table

REQUEST_FRAME = "full_dispatch_request"
BORING = ("threading.py", "gunicorn/", "concurrent/futures", "flask/app.py", "werkzeug/",
          "flask_login/utils.py", "sentry", "contextlib.py")


def py_spy() -> str:
    candidate = Path(sys.executable).with_name("py-spy")
    found = str(candidate) if candidate.exists() else shutil.which("py-spy")
    if not found:
        raise BenchError("py-spy is not installed (pip install --require-hashes -r requirements-bench.lock)")
    return found


def record(pids: list[int], seconds: float, out_dir: Path, rate: int) -> list[subprocess.Popen]:
    processes = []
    for pid in pids:
        command = [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)),
                   "--rate", str(rate), "--idle", "--threads", "--format", "raw",
                   "--output", str(out_dir / f"worker-{pid}.txt"), "--nonblocking"]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
    return processes


CATEGORIES = (  # first match wins, most specific first
    ("waiting for SQLite's write lock (BEGIN IMMEDIATE)", ("_on_begin",)),
    ("committing", ("Session.commit", "scoped_session.commit")),
    ("SQL: executing and fetching", ("do_execute", "fetchall", "fetchone", "_fetchall_impl")),
    ("templates (Jinja) and lazy loads from them", ("render_template",)),
    ("signing in the session (Flask-Login)", ("_load_user",)),
)


def _request_samples(files: list[Path]):
    for path in files:
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if REQUEST_FRAME in stack and count.isdigit():
                frames = stack.split(";")
                start = next(i for i, f in enumerate(frames) if REQUEST_FRAME in f) + 1
                yield frames[start:], int(count)


def summarise(files: list[Path], top: int = 25) -> tuple[list[list], list[list], int]:
    """Request time by category, and the inclusive share of the app's own frames."""
    inclusive: Counter = Counter()
    categories: Counter = Counter()
    total = 0
    for frames, n in _request_samples(files):
        total += n
        joined = ";".join(frames)
        label = next((name for name, marks in CATEGORIES if any(m in joined for m in marks)),
                     "other Python (views, forms, Werkzeug)")
        categories[label] += n
        for frame in set(frames):
            if ("learning/" in frame or ".html" in frame) and not any(b in frame for b in BORING):
                inclusive[frame] += n
    total = max(total, 1)
    category_rows = [[name, f"{100 * n / total:.1f}%"] for name, n in categories.most_common()]
    rows = [[frame[:100], f"{100 * n / total:.1f}%"] for frame, n in inclusive.most_common(top)]
    return category_rows, rows, total


def in_process(args) -> int:
    """pyinstrument over sequential test-client requests: the CPU cost of one request."""
    from pyinstrument import Profiler

    from .population import app_context
    from .report_scaling import InProcessBrowser

    with workspace() as workdir, bench_database(args.db, workdir) as database:
        population = prepare(database, "bench-profile", officers=2,
                             demo_officers=args.demo_officers)
        with app_context(database, "bench-profile") as app:
            browser = InProcessBrowser(app)
            browser.sign_in(population.admin if args.endpoint.startswith("report")
                            else population.officers[0], population.password)
            from .reports_pages import discover_report_pages

            pages = discover_report_pages(browser) if args.endpoint.startswith("report") else []
            probes = probe_targets(population, pages, smoke=False)
            target = next((p for p in probes if p["name"] == args.endpoint), None)
            if target is None:
                raise BenchError(f"unknown endpoint {args.endpoint!r}")
            browser.get(population.modules[0].path)  # the lesson page's CSRF token
            send = (lambda: browser.post_json(target["path"], target.get("json"))) \
                if target["method"] == "POST" else (lambda: browser.get(target["path"]))
            for _ in range(20):
                send()  # warm up
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):  # timed without the profiler's overhead
                response = send()
            cpu = (time.process_time() - cpu) / args.requests
            wall = (time.perf_counter() - started) / args.requests
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.requests):
                send()
            profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    slug = args.endpoint.replace(" ", "-").replace(":", "")
    kept = RESULTS / f"pyinstrument-{args.db}-{slug}-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    kept.write_text(text)
    print(f"{args.endpoint} on {args.db}, in-process: {1000 * wall:.2f} ms/request "
          f"({1000 * cpu:.2f} ms CPU), {browser.statements} SQL statements, status "
          f"{response.status}, {len(response.body)} bytes (mean of {args.requests} requests "
          f"without the profiler; then {args.requests} more under pyinstrument)")
    print("\n".join(text.splitlines()[:args.lines]))
    print(f"full profile: {kept}")
    return 0


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--endpoint", default="module page",
                        help="healthz, module page, dashboard, heartbeat, report: national")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--demo-officers", type=int, default=0)
    parser.add_argument("--in-process", action="store_true",
                        help="CPU profile of sequential requests with pyinstrument")
    parser.add_argument("--requests", type=int, default=300, help="with --in-process")
    parser.add_argument("--lines", type=int, default=60, help="profile lines to print")
    args = parser.parse_args(argv)
    try:
        ensure_bench_requirements()
        if args.in_process:
            return in_process(args)
        with workspace() as workdir, bench_database(args.db, workdir) as database:
            population = prepare(database, "bench-profile", officers=args.clients,
                                 demo_officers=args.demo_officers)
            with ProductionServer(database, workdir) as server:
                sessions, _ = sign_in_pool(server.url, population, population.modules[0].path)
                admin, pages = admin_session(server.url, population)
                probes = probe_targets(population, pages, smoke=False)
                plan = workdir / "plan.json"
                plan.write_text(json.dumps({"officers": sessions, "admin": admin,
                                            "modules": [m.__dict__ for m in population.modules],
                                            "probes": probes, "report_pages": pages}))
                if args.endpoint not in {p["name"] for p in probes}:
                    raise BenchError(f"unknown endpoint {args.endpoint!r}: "
                                     f"{', '.join(p['name'] for p in probes)}")
                spies = record(server.worker_pids(), args.seconds, workdir, args.rate)
                result = run_locust(host=server.url, plan=plan, users=args.clients,
                                    seconds=args.seconds + 1, classes=["ProbeUser"],
                                    prefix=workdir / "profile", probe=args.endpoint)
                for spy in spies:
                    try:
                        spy.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        stop_process_group(spy)
            files = sorted(workdir.glob("worker-*.txt"))
            category_rows, rows, total = summarise(files)
            RESULTS.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            slug = args.endpoint.replace(" ", "-").replace(":", "")
            kept = RESULTS / f"profile-{args.db}-{slug}-{stamp}.txt"
            kept.write_text("".join(f.read_text(errors="replace") for f in files))
    except BenchError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    stats = result.stats.get(args.endpoint)
    if stats:
        print(f"{args.endpoint} on {args.db}: {stats.rps:.0f} rps, p50 {stats.p50:.0f} ms, "
              f"p99 {stats.p99:.0f} ms, {args.clients} clients")
    print(f"{total} samples inside requests (all workers, idle threads included)")
    print(text_table(["request time spent", "share"], category_rows))
    print()
    print(text_table(["the app's own frames (inclusive)", "share"], rows))
    print(f"raw stacks (collapsed, for a flame graph): {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
