"""Load through nginx while an app server is killed: `python -m bench.cluster_load [--users 50]`.

Starts the local cluster (deploy/cluster.py: PostgreSQL, Redis, 3 gunicorn servers, nginx), signs
officers in through nginx, runs Locust (bench/locust_cluster.py) for --seconds, SIGKILLs one app
server at --kill-at seconds and starts it again at --restart-at, then checks the database against
what the officers were told: every acknowledged autosave and submit is there, every submitted
attempt is counted once, and no idempotent request got a 5xx. tests/cluster runs the same code.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploy.cluster import Cluster

from .client import Browser
from .locust_run import read_stats
from .server import ROOT, BenchError, stop_process_group

LOCUSTFILE = ROOT / "bench" / "locust_cluster.py"
FIELD = re.compile(r"^q(\d+)")


@dataclass
class LoadOutcome:
    requests: int = 0
    rps: float = 0.0
    p95_ms: float = 0.0
    acked_autosaves: int = 0
    acked_submits: int = 0
    retried_posts: int = 0
    lost_autosaves: list = field(default_factory=list)
    submits_not_in_database: list = field(default_factory=list)
    submitted_not_acked: list = field(default_factory=list)
    failed_gets: list = field(default_factory=list)
    gave_up: list = field(default_factory=list)
    refused_posts: list = field(default_factory=list)
    kill_seconds: float = 0.0
    restart_seconds: float = 0.0

    def problems(self) -> list[str]:
        found = []
        for name in ("lost_autosaves", "submits_not_in_database", "submitted_not_acked",
                     "failed_gets", "gave_up", "refused_posts"):
            value = getattr(self, name)
            if value:
                found.append(f"{name}: {len(value)} e.g. {value[:3]}")
        return found


def cluster_app(cluster: Cluster):
    """This process's own app on the cluster's database (for setting up and checking)."""
    from learning import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": cluster.database_url,
                       "SECRET_KEY": cluster.secret_key, "IMPORT_CURRICULUM_ON_START": False,
                       "LOG_LEVEL": "WARNING"})


def make_officers(cluster: Cluster, count: int, prefix: str = "klaster",
                  role: str = "officer") -> tuple[list[str], str]:
    """`count` officers (or trainers...) of one office, sharing one password (one hash: fast)."""
    from werkzeug.security import generate_password_hash

    from learning.extensions import db
    from learning.models import Office, Region, User

    password = secrets.token_urlsafe(12)
    app = cluster_app(cluster)
    with app.app_context():
        region = Region(code=f"R-{prefix}", name=f"Kanwil {prefix}")
        office = Office(code=f"K-{prefix}", name=f"Kantor Imigrasi {prefix}", region=region)
        db.session.add_all([region, office])
        hashed = generate_password_hash(password)
        names = [f"{prefix}-{n:03d}" for n in range(count)]
        for name in names:
            db.session.add(User(username=name, full_name=f"Petugas {name}", role=role,
                                office=office, password_hash=hashed))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return names, password


def live_modules(cluster: Cluster) -> list[dict]:
    from bench.population import live_modules as _live

    app = cluster_app(cluster)
    with app.app_context():
        from learning.extensions import db

        modules = [{"course": m.course, "module": m.module, "has_quiz": m.has_quiz}
                   for m in _live()]
        db.session.remove()
        db.engine.dispose()
    return modules


def sign_in_all(url: str, names: list[str], password: str, module: dict) -> list[dict]:
    def one(name: str) -> dict:
        browser = Browser(url)
        try:
            browser.sign_in(name, password)
            page = browser.get(f"/courses/{module['course']}/{module['module']}")
            if page.status != 200 or not browser.csrf:
                raise BenchError(f"{name}: module page answered {page.status}")
            return {"username": name, "cookies": browser.session_cookie, "csrf": browser.csrf}
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(one, names))


def run_load(cluster: Cluster, *, users: int = 50, seconds: float = 60, kill_at: float = 20,
             restart_at: float = 35, victim: int = 1) -> LoadOutcome:
    workdir = cluster.workdir
    prefix_name = f"beban{secrets.token_hex(2)}"
    names, password = make_officers(cluster, users, prefix=prefix_name)
    modules = live_modules(cluster)
    if not any(m["has_quiz"] for m in modules):
        raise BenchError("no live quiz in the cluster's curriculum")
    sessions = sign_in_all(cluster.url, names, password, modules[0])
    plan_path = workdir / "cluster-plan.json"
    plan_path.write_text(json.dumps({"officers": sessions, "modules": modules}))
    acks = workdir / "cluster-acks.jsonl"
    acks.write_text("")
    prefix = workdir / "cluster-locust"
    env = dict(os.environ, BENCH_PLAN=str(plan_path), CLUSTER_ACKS=str(acks),
               PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
               "--host", cluster.url, "--users", str(users), "--spawn-rate", str(max(users // 5, 1)),
               "--run-time", f"{round(seconds)}s", "--stop-timeout", "20", "--csv", str(prefix),
               "--only-summary", "--loglevel", "WARNING", "--skip-log-setup"]
    outcome = LoadOutcome()
    with open(f"{prefix}.log", "wb") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        started = time.monotonic()
        try:
            time.sleep(kill_at)
            cluster.kill(victim)
            outcome.kill_seconds = time.monotonic() - started
            time.sleep(max(0.0, restart_at - (time.monotonic() - started)))
            cluster.restart(victim)
            outcome.restart_seconds = time.monotonic() - started
            locust.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            pass
        finally:
            stop_process_group(locust, grace=5)
    stats = read_stats(prefix) if Path(f"{prefix}_stats.csv").exists() else {}
    outcome.requests = sum(s.count for s in stats.values())
    outcome.rps = sum(s.rps for s in stats.values())
    outcome.p95_ms = max((s.p95 for s in stats.values()), default=0.0)
    check(cluster, acks, outcome, names)
    return outcome


def check(cluster: Cluster, acks: Path, outcome: LoadOutcome, usernames: list[str]) -> None:
    """Compare what these officers were told with what the database holds."""
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import Attempt, AttemptAnswer, User

    records = [json.loads(line) for line in acks.read_text().splitlines() if line.strip()]
    autosaves = [r for r in records if r["kind"] == "autosave"]
    submits = [r for r in records if r["kind"] == "submit"]
    outcome.acked_autosaves, outcome.acked_submits = len(autosaves), len(submits)
    outcome.retried_posts = sum(1 for r in autosaves + submits if r["tries"] > 1)
    outcome.failed_gets = [r for r in records if r["kind"] == "get-failed"]
    outcome.gave_up = [r for r in records if r["kind"] == "gave-up"]
    outcome.refused_posts = [r for r in records if r["kind"] == "post-refused"]
    app = cluster_app(cluster)
    with app.app_context():
        attempts = {a.id: a for a in db.session.scalars(
            sa.select(Attempt).join(User, User.id == Attempt.user_id)
            .where(User.username.in_(usernames)))}
        saved = {(a, slug) for a, slug in db.session.execute(
            sa.select(AttemptAnswer.attempt_id, AttemptAnswer.question_slug))}
        for record in autosaves:
            attempt = attempts.get(record["attempt"])
            for name in record["fields"]:
                number = int(FIELD.match(name).group(1))
                slug = attempt.draw[number - 1]["slug"] if attempt else None
                if attempt is None or (attempt.id, slug) not in saved:
                    outcome.lost_autosaves.append((record["attempt"], name))
        acked = {r["attempt"] for r in submits}
        submitted = {a.id for a in attempts.values() if a.submitted_at is not None}
        outcome.submits_not_in_database = sorted(acked - submitted)
        outcome.submitted_not_acked = sorted(submitted - acked)
        db.session.remove()
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-at", type=float, default=20)
    parser.add_argument("--restart-at", type=float, default=35)
    parser.add_argument("--base-port", type=int, default=18000)
    parser.add_argument("--workdir", help="keep logs and acknowledgements here")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="pimpasa-cluster-load-"))
    with Cluster(workdir, base_port=args.base_port) as cluster:
        outcome = run_load(cluster, users=args.users, seconds=args.seconds,
                           kill_at=args.kill_at, restart_at=args.restart_at)
    print(f"logs: {workdir}")
    print(json.dumps({k: (len(v) if isinstance(v, list) else v)
                      for k, v in outcome.__dict__.items()}, indent=2))
    for problem in outcome.problems():
        print("PROBLEM:", problem)
    return 1 if outcome.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
