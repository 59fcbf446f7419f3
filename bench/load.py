"""Load run: `python -m bench.load [--db sqlite|postgres] [--users 50] [--duration 60] [--smoke]`.

Starts the production server (gunicorn, the repo's gunicorn.conf.py) on 127.0.0.1 against a fresh
SQLite file or PostgreSQL database, signs in a pool of officers and an administrator, then with
Locust (headless, in its own process):

1. capacity probes: each endpoint alone, no think time, for --probe-seconds, /healthz first and
   last: the ratio of each page's throughput to /healthz (the app's floor) in the same run;
2. the realistic mix for --duration seconds with --users simulated people (one administrator):
   dashboard, module page, heartbeat, quiz start/autosave/submit, report pages.

Prints rps, p50/p95/p99 and errors per request type, saves JSON under bench/results/, and exits
non-zero when the server failed or any request errored. Everything is bounded in time; everything
started is stopped on exit, error or Ctrl-C.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .client import Browser
from .locust_run import LocustResult, run_locust
from .population import Population, prepare
from .reports_pages import discover_report_pages
from .server import (run_command, ROOT, BenchError, ProductionServer, bench_database, ensure_bench_requirements,
                     install_signal_handlers, workspace)
from .tables import machine_note, percentile, save_results, text_table

MODULE_RATIO_TARGET = 0.35
QUIZ_SUBMIT_P95_TARGET_MS = 100


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=50, help="simulated people in the mix")
    parser.add_argument("--duration", type=float, default=60, help="seconds of the mix")
    parser.add_argument("--probe-seconds", type=float, default=10, help="seconds per capacity probe")
    parser.add_argument("--probe-users", type=int, default=16, help="concurrent clients per probe")
    parser.add_argument("--skip-probes", action="store_true",
                        help="only the mix (no capacity probes, no ratios)")
    parser.add_argument("--demo-officers", type=int, default=1000,
                        help="officers of demo data behind the run (when learning/demo.py exists)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
                        help="think time between a person's actions, seconds")
    parser.add_argument("--gunicorn-config", type=Path,
                        help="another gunicorn config to try (default: the repo's gunicorn.conf.py)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py)")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny run for CI: 4 users, seconds, two probes")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server log, Locust CSV)")
    parser.add_argument("--json", type=Path, help="where to save the figures (default bench/results/)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.duration, args.probe_seconds, args.probe_users = 4, 4, 2, 4
        args.demo_officers = 20
    if args.users < 2:
        parser.error("--users must be at least 2 (one administrator and officers)")
    return args


def sign_in_pool(url: str, population: Population, first_module: str) -> tuple[list[dict], list[float]]:
    """Sign every pool officer in over HTTP; return their sessions and the sign-in POST times."""

    def sign_in(username: str) -> tuple[dict, float]:
        browser = Browser(url)
        try:
            seconds = browser.sign_in(username, population.password)
            page = browser.get(first_module)  # the lesson page carries data-csrf
            if page.status != 200 or not browser.csrf:
                raise BenchError(f"{username}: module page answered {page.status}")
            return {"username": username, "cookies": browser.session_cookie,
                    "csrf": browser.csrf}, seconds
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(sign_in, population.officers))
    return [r[0] for r in results], [r[1] for r in results]


def admin_session(url: str, population: Population) -> tuple[dict, list[dict]]:
    browser = Browser(url)
    try:
        browser.sign_in(population.admin, population.password)
        pages = discover_report_pages(browser)
        return {"username": population.admin, "cookies": browser.session_cookie,
                "csrf": browser.csrf or ""}, pages
    finally:
        browser.close()


def probe_targets(population: Population, report_pages: list[dict], smoke: bool) -> list[dict]:
    module = population.modules[0]
    probes = [
        {"name": "healthz", "method": "GET", "path": "/healthz", "session": None},
        {"name": "module page", "method": "GET", "path": module.path, "session": "officer"},
    ]
    if not smoke:
        probes += [
            {"name": "dashboard", "method": "GET", "path": "/", "session": "officer"},
            {"name": "heartbeat", "method": "POST", "path": f"{module.path}/heartbeat",
             "json": {"scroll": 0.5}, "session": "officer"},
        ]
        probes += [{**page, "session": "admin", "method": "GET"} for page in report_pages[:1]]
    return probes


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with workspace(keep=args.keep) as workdir, bench_database(args.db, workdir) as database:
        population = prepare(database, secret_key="bench-" + str(time.time_ns()),
                             officers=max(args.users, args.probe_users),
                             demo_officers=args.demo_officers, seed=args.seed)
        for note in population.notes:
            print(f"note: {note}")
        with ProductionServer(database, workdir, workers=args.workers, threads=args.threads,
                              config=args.gunicorn_config) as server:
            print(f"server: {server.url} ({args.db}), setup {time.perf_counter() - started:.1f} s",
                  flush=True)
            sessions, sign_in_times = sign_in_pool(server.url, population,
                                                   population.modules[0].path)
            admin, report_pages = admin_session(server.url, population)
            probes = probe_targets(population, report_pages, args.smoke)
            plan = {"officers": sessions, "admin": admin, "wait": args.think,
                    "modules": [m.__dict__ for m in population.modules],
                    "quiz_ready": (ROOT / "learning" / "web" / "quiz.py").exists(),
                    "report_pages": report_pages, "probes": probes}
            plan_path = workdir / "plan.json"
            plan_path.write_text(json.dumps(plan))
            cpu_before = server.cpu_seconds()
            classes = ["OfficerUser"] + (["AdminUser"] if report_pages else [])
            print(f"mix: {args.users} users for {args.duration:.0f} s ...", flush=True)
            mix = run_locust(host=server.url, plan=plan_path, users=args.users,
                             seconds=args.duration, classes=classes, prefix=workdir / "mix")
            server_cpu = server.cpu_seconds() - cpu_before
            # After the mix: the probes recycle workers (max_requests) and would leave them cold.
            capacity = {} if args.skip_probes else run_probes(server, plan_path, probes, args,
                                                              workdir)
            server_errors = server.server_errors()
            alive = server.process is not None and server.process.poll() is None
    return report(args, population, sign_in_times, capacity, mix, server_cpu, server_errors, alive,
                  report_pages, time.perf_counter() - started)


def run_probes(server: ProductionServer, plan_path: Path, probes: list[dict],
               args: argparse.Namespace, workdir: Path) -> dict[str, dict]:
    """Each probe alone; /healthz first and again last (its figure is the mean of both)."""
    results: dict[str, dict] = {}
    order = [p["name"] for p in probes] + ["healthz"]
    for index, name in enumerate(order):
        print(f"probe: {name} ({args.probe_users} clients, {args.probe_seconds:.0f} s) ...",
              flush=True)
        cpu_before = server.cpu_seconds()
        result = run_locust(host=server.url, plan=plan_path, users=args.probe_users,
                            seconds=args.probe_seconds, classes=["ProbeUser"],
                            prefix=workdir / f"probe-{index}", probe=name)
        stats = result.stats.get(name)
        entry = {"rps": stats.rps if stats else 0.0, "p50": stats.p50 if stats else 0,
                 "p99": stats.p99 if stats else 0, "count": stats.count if stats else 0,
                 "failures": result.total_failures, "failure_lines": result.failures,
                 "client_cores": result.client_cpu_seconds / max(result.wall_seconds, 1e-9),
                 "server_cores": (server.cpu_seconds() - cpu_before) / max(result.wall_seconds,
                                                                           1e-9)}
        if not entry["count"]:
            entry["failures"] += 1
            entry["failure_lines"].append(f"{name}: the probe got no answer at all")
        if name in results:  # /healthz again, at the end: p50/p99 of the first run, mean rps
            first = results[name]
            first["rps_runs"] = [first["rps"], entry["rps"]]
            first["rps"] = (first["rps"] + entry["rps"]) / 2
            first["failures"] += entry["failures"]
            first["failure_lines"] += entry["failure_lines"]
        else:
            results[name] = entry
    return results


def report(args, population, sign_in_times, capacity, mix: LocustResult, server_cpu, server_errors,
           alive, report_pages, seconds) -> int:
    floor = capacity.get("healthz", {}).get("rps") or 0.0
    print()
    print(f"machine: {machine_note()} (at the end of the run)")
    print(f"Load run: {args.db}, {args.users} users ({args.users - 1 if report_pages else args.users}"
          f" officers{', 1 administrator' if report_pages else ''}), {args.duration:.0f} s mix, "
          f"think {args.think[0]:g}-{args.think[1]:g} s, demo officers: "
          f"{population.demo_officers or 'none'}")
    rows = [[name, s.count, s.rps, s.p50, s.p95, s.p99, s.failures]
            for name, s in sorted(mix.stats.items())]
    rows.append(["sign-in (setup)", len(sign_in_times), "", round(1000 * percentile(sign_in_times, .5)),
                 round(1000 * percentile(sign_in_times, .95)),
                 round(1000 * percentile(sign_in_times, .99)), 0])
    print(text_table(["request", "count", "rps", "p50 ms", "p95 ms", "p99 ms", "errors"], rows))
    print(f"server CPU during the mix: {server_cpu / max(args.duration, 1e-9):.2f} cores; "
          f"Locust: {mix.client_cpu_seconds / max(mix.wall_seconds, 1e-9):.2f} cores")
    if capacity:
        print()
        print(f"Capacity, each endpoint alone ({args.probe_users} clients, no think time, "
              f"{args.probe_seconds:.0f} s each):")
        cap_rows = [[name, c["rps"], (c["rps"] / floor) if floor else 0.0, c["p50"], c["p99"],
                     c["failures"], f"{c['server_cores']:.2f}/{c['client_cores']:.2f}"]
                    for name, c in capacity.items()]
        print(text_table(["endpoint", "rps", "x healthz", "p50 ms", "p99 ms", "errors",
                          "cores srv/client"], cap_rows))
    checks = targets(capacity, mix, floor, args)
    for line in checks:
        print(line)
    errors = mix.total_failures + sum(c["failures"] for c in capacity.values())
    for line in (mix.failures + [f for c in capacity.values() for f in c["failure_lines"]])[:20]:
        print(f"error: {line}")
    for line in server_errors[:20]:
        print(f"server log: {line}")
    path = save_results("load", {
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "mix": {name: s.__dict__ for name, s in mix.stats.items()}, "capacity": capacity,
        "sign_in_ms": [round(1000 * s, 1) for s in sign_in_times], "server_errors": server_errors,
        "demo_seconds": population.demo_seconds, "checks": checks, "seconds": seconds,
    }, args.json)
    print(f"figures saved to {path} ({seconds:.0f} s in all)")
    if not alive:
        print("FAILED: the server died during the run")
        return 1
    if errors or server_errors:
        print(f"FAILED: {errors} request errors, {len(server_errors)} server log errors")
        return 1
    return 0


def targets(capacity: dict, mix: LocustResult, floor: float, args) -> list[str]:
    lines = []
    module = capacity.get("module page")
    if module and floor:
        ratio = module["rps"] / floor
        verdict = "met" if ratio >= MODULE_RATIO_TARGET else "MISSED"
        lines.append(f"target: module page >= {MODULE_RATIO_TARGET:.0%} of /healthz: "
                     f"{ratio:.0%} ({verdict})")
    submit = mix.stats.get("quiz submit")
    if submit and submit.count:
        verdict = "met" if submit.p95 < QUIZ_SUBMIT_P95_TARGET_MS else "MISSED"
        scope = "" if args.users == 50 else f" (with {args.users} users: the target is for 50)"
        lines.append(f"target: quiz submit p95 < {QUIZ_SUBMIT_P95_TARGET_MS} ms with 50 officers: "
                     f"{submit.p95:.0f} ms ({verdict}){scope}")
    elif not (ROOT / "learning" / "web" / "quiz.py").exists():
        lines.append("target: quiz submit p95: not measured (learning/web/quiz.py does not exist)")
    return lines


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()
    args = parse_args(argv)
    return run_command(run, args, before=ensure_bench_requirements)


if __name__ == "__main__":
    sys.exit(main())
