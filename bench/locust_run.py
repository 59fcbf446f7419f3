"""Run Locust headless in its own process group and read its CSV statistics back.

Locust (gevent) runs as `python -m locust -f bench/locustfile.py --headless ...`, never inside the
benchmark's own process, so gevent's monkey-patching cannot touch the orchestration code.
"""
from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .server import ROOT, BenchError, stop_process_group

LOCUSTFILE = ROOT / "bench" / "locustfile.py"


@dataclass
class RequestStats:
    name: str
    method: str
    count: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    average: float


@dataclass
class LocustResult:
    stats: dict[str, RequestStats]
    failures: list[str] = field(default_factory=list)
    client_cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    returncode: int = 0
    output: str = ""

    @property
    def total_failures(self) -> int:
        return sum(s.failures for s in self.stats.values())


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(prefix: Path) -> dict[str, RequestStats]:
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = RequestStats(
                name=row["Name"], method=row["Type"], count=int(row["Request Count"]),
                failures=int(row["Failure Count"]), rps=_number(row["Requests/s"]),
                p50=_number(row["50%"]), p95=_number(row["95%"]), p99=_number(row["99%"]),
                max=_number(row["Max Response Time"]),
                average=_number(row["Average Response Time"]))
    return stats


def read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [f"{row['Name']}: {row['Error']} (x{row['Occurrences']})"
                for row in csv.DictReader(handle)]


def run_locust(*, host: str, plan: Path, users: int, seconds: float, classes: list[str],
               prefix: Path, probe: str | None = None) -> LocustResult:
    """Run Locust for `seconds` with `users` users of `classes`; kill it if it overstays."""
    env = dict(os.environ, BENCH_PLAN=str(plan), PYTHONUNBUFFERED="1")
    if probe:
        env["BENCH_PROBE"] = probe
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
               "--host", host, "--users", str(users), "--spawn-rate", str(max(users, 1)),
               "--run-time", f"{max(1, round(seconds))}s", "--stop-timeout", "10",
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
               "--skip-log-setup", *classes]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    import time

    started = time.perf_counter()
    log_path = Path(f"{prefix}.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            process.wait(timeout=seconds + 90)
        except subprocess.TimeoutExpired:
            pass
        finally:
            stop_process_group(process, grace=5)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = log_path.read_text(errors="replace")
    if not Path(f"{prefix}_stats.csv").exists():
        raise BenchError(f"Locust wrote no statistics (exit {process.returncode}):\n{output[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return LocustResult(stats=read_stats(prefix), failures=read_failures(prefix),
                        client_cpu_seconds=cpu, wall_seconds=wall,
                        returncode=process.returncode or 0, output=output)
