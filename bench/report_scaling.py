"""Report scaling: `python -m bench.report_scaling [--db sqlite postgres] [--sizes 1000 10000 100000]`.

For each database and size: a fresh database, `flask --app app demo --officers N --seed S` (timed),
then the administrator's national, region and office report pages, each requested --repeat times:

- in-process (Flask test client on the same database): server-side time and the number of SQL
  statements the request ran (counted on the engine), with no network in between;
- over HTTP against the production server (gunicorn): the time a browser would wait.

Prints one table (and a Markdown copy for docs/BENCHMARKS.md). Targets: national report under
300 ms at 10,000 officers and under 1.5 s at 100,000, on both databases, with a number of queries
that does not grow with the number of officers.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from .client import Browser, Response, csrf_token_in
from .population import ADMIN_USERNAME, app_context, bootstrap, generate_demo
from .reports_pages import discover_report_pages
from .server import (run_command, BenchError, ProductionServer, bench_database, install_signal_handlers,
                     workspace)
from .tables import machine_note, markdown_table, save_results, text_table

TARGETS_MS = {10_000: 300, 100_000: 1500}
SECRET = "bench-report-scaling"


class InProcessBrowser:
    """The Browser interface over Flask's test client, counting SQL statements per request."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.csrf: str | None = None
        self.statements = 0
        from sqlalchemy import event

        from learning.extensions import db

        event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs) -> None:
        self.statements += 1

    def request(self, method: str, path: str, data: dict | None = None, json=None,
                headers: dict | None = None) -> Response:
        self.statements = 0
        started = time.perf_counter()
        with self.app.app_context():  # a fresh `g` per request, as under a real server
            raw = self.client.open(path, method=method, data=data, json=json, headers=headers)
        seconds = time.perf_counter() - started
        headers = {k.lower(): v for k, v in raw.headers.items()}
        return Response(raw.status_code, headers, raw.get_data(), seconds)

    def get(self, path: str) -> Response:
        response = self.request("GET", path)
        if response.status == 200:
            self.csrf = csrf_token_in(response.text) or self.csrf
        return response

    def post_json(self, path: str, payload) -> Response:
        return self.request("POST", path, json=payload, headers={"X-CSRFToken": self.csrf or ""})

    def sign_in(self, username: str, password: str) -> None:
        self.get("/login")
        response = self.request("POST", "/login", {"identifier": username, "password": password,
                                                   "csrf_token": self.csrf or "", "next": ""})
        if response.status != 302:
            raise BenchError(f"in-process sign-in as {username} answered {response.status}")


def set_admin_password(password: str) -> None:
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from learning.extensions import db
    from learning.models import User

    user = db.session.scalar(sa.select(User).where(User.username == ADMIN_USERNAME))
    if user is None:
        user = User(username=ADMIN_USERNAME, full_name="Admin Benchmark", role="admin")
        db.session.add(user)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = False
    db.session.commit()


def officer_count() -> int:
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import User

    return db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == "officer"))


def measure_size(kind: str, size: int, args: argparse.Namespace) -> list[dict]:
    password = "bench-password-123"
    rows = []
    with workspace() as workdir, bench_database(kind, workdir) as database:
        bootstrap(database, SECRET)
        print(f"{kind} {size:>7,} officers: generating demo data ...", flush=True)
        demo_seconds = generate_demo(database, SECRET, size, args.seed)
        print(f"{kind} {size:>7,} officers: demo data in {demo_seconds:.1f} s", flush=True)
        with app_context(database, SECRET) as app:
            set_admin_password(password)
            officers = officer_count()
            from learning.extensions import db

            db.session.remove()  # no transaction of ours may hold SQLite's lock during requests
            browser = InProcessBrowser(app)
            browser.sign_in(ADMIN_USERNAME, password)
            pages = discover_report_pages(browser)
            if not pages:
                raise BenchError("no report pages at /admin/reports/ (learning/web/reports.py?)")
            for page in pages:
                for _ in range(2):
                    browser.get(page["path"])  # warm: templates compiled, caches filled
                timings, statements = [], []
                for _ in range(args.repeat):
                    response = browser.get(page["path"])
                    if response.status != 200:
                        raise BenchError(f"{page['path']} answered {response.status}")
                    timings.append(response.seconds)
                    statements.append(browser.statements)
                rows.append({"db": kind, "officers": officers, "size": size, "page": page["name"],
                             "path": page["path"], "demo_seconds": demo_seconds,
                             "inproc_ms": 1000 * statistics.median(timings),
                             "inproc_max_ms": 1000 * max(timings),
                             "queries": max(statements), "bytes": len(response.body)})
        with ProductionServer(database, workdir, secret_key=SECRET) as server:
            http = Browser(server.url, timeout=120)
            http.sign_in(ADMIN_USERNAME, password)
            for row in rows:
                for _ in range(2):
                    http.get(row["path"])  # warm (the keep-alive connection stays on one worker)
                timings = [http.get(row["path"]).seconds for _ in range(args.repeat)]
                row["http_ms"] = 1000 * statistics.median(timings)
            http.close()
    return rows


def run(args: argparse.Namespace) -> int:
    rows = []
    for kind in args.db:
        for size in args.sizes:
            rows += measure_size(kind, size, args)
    headers = ["db", "officers", "report", "in-process ms", "HTTP ms", "queries", "demo data s"]
    table = [[r["db"], f"{r['officers']:,}", r["page"].removeprefix("report: "), r["inproc_ms"],
              r["http_ms"], r["queries"], r["demo_seconds"]] for r in rows]
    print()
    print(f"machine: {machine_note()} (at the end of the run)")
    print(text_table(headers, table))
    checks, ok = targets(rows)
    for line in checks:
        print(line)
    print()
    print(markdown_table(headers, table))
    path = save_results("report-scaling", {"args": {k: str(v) for k, v in vars(args).items()},
                                           "rows": rows, "checks": checks}, args.json)
    print(f"figures saved to {path}")
    return 0 if ok else 1


def targets(rows: list[dict]) -> tuple[list[str], bool]:
    lines, ok = [], True
    for row in rows:
        limit = TARGETS_MS.get(row["size"])
        if row["page"] == "report: national" and limit:
            met = row["http_ms"] < limit
            ok = ok and met
            lines.append(f"target: national report < {limit} ms at {row['size']:,} officers on "
                         f"{row['db']}: {row['http_ms']:.0f} ms ({'met' if met else 'MISSED'})")
    for kind in {r["db"] for r in rows}:
        for page in {r["page"] for r in rows}:
            counts = [r["queries"] for r in rows if r["db"] == kind and r["page"] == page]
            constant = len(set(counts)) == 1
            ok = ok and constant
            lines.append(f"queries of {page} on {kind}: {counts} "
                         f"({'constant' if constant else 'NOT constant'})")
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()
    parser = argparse.ArgumentParser(prog="python -m bench.report_scaling",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="where to save the figures (default bench/results/)")
    args = parser.parse_args(argv)
    return run_command(run, args, interrupted="interrupted: servers stopped, databases dropped")


if __name__ == "__main__":
    sys.exit(main())
