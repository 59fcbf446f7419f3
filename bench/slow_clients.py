"""Slow clients: `python -m bench.slow_clients [--seconds 20] [--stalled N] [--db sqlite]`.

A phone on a weak signal may open a connection, send half a request and go quiet. With gunicorn's
threaded workers, such a connection must not hold a worker thread. The run measures /healthz (a new
connection per request, from a few clients) first on the idle server, then while as many stalled
connections as the server has workers, and then as it has worker threads (workers x threads;
--stalled to change), have each sent a partial request and then trickle one more header byte every
--drip seconds. Target: p99 of /healthz under 100 ms while they stall, and no request refused or
timed out. A request that times out (10 s) counts as an error and as a 10 s sample.
"""
from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

from .client import Browser
from .population import bootstrap
from .server import (run_command, LOOPBACK, ProductionServer, bench_database, install_signal_handlers,
                     workspace)
from .tables import machine_note, percentile, save_results, text_table

P99_TARGET_MS = 100
DEFAULT_WORKERS, DEFAULT_THREADS = 4, 8  # gunicorn.conf.py on this 2-core machine


def measure_healthz(url: str, seconds: float, clients: int, pause: float) -> tuple[list[float], list[str]]:
    """/healthz over a fresh connection each time, from `clients` threads, for `seconds`."""
    samples: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop_at:
            browser = Browser(url, timeout=10)
            started = time.perf_counter()
            try:
                response = browser.request("GET", "/healthz", retry=False)
                elapsed = time.perf_counter() - started
                with lock:
                    samples.append(elapsed)
                    if response.status != 200:
                        errors.append(f"HTTP {response.status}")
            except OSError as exc:
                with lock:
                    samples.append(time.perf_counter() - started)
                    errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                browser.close()
            time.sleep(pause)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    return samples, errors


class Stalled:
    """`count` sockets that each sent the start of a request and then one byte every `drip` s."""

    def __init__(self, port: int, count: int, drip: float):
        self.port, self.count, self.drip = port, count, drip
        self.sockets: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Stalled":
        for index in range(self.count):
            sock = socket.create_connection((LOOPBACK, self.port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-phone-"
                         + str(index).encode() + b"\r\nX-Slow: ")
            self.sockets.append(sock)
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()
        return self

    def _trickle(self) -> None:
        while not self._stop.wait(self.drip):
            for sock in self.sockets:
                try:
                    sock.send(b"a")
                except OSError:
                    pass

    def still_open(self) -> int:
        """How many stalled connections the server has not closed."""
        open_count = 0
        for sock in self.sockets:
            try:
                sock.setblocking(False)
                data = sock.recv(1, socket.MSG_PEEK)
                open_count += 0 if data == b"" else 1  # b"" = closed; data = an (error) answer
            except BlockingIOError:
                open_count += 1  # nothing to read: still waiting for us, as it should
            except OSError:
                pass
            finally:
                sock.setblocking(True)
        return open_count

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for sock in self.sockets:
            sock.close()


def run(args: argparse.Namespace) -> int:
    levels = args.stalled or sorted({args.workers, args.workers * args.threads})
    results = []
    with workspace() as workdir, bench_database(args.db, workdir) as database:
        bootstrap(database, "bench-slow")
        with ProductionServer(database, workdir, workers=args.workers, threads=args.threads,
                              secret_key="bench-slow") as server:
            print(f"server: {server.url} ({args.workers} workers x {args.threads} threads); "
                  f"/healthz for {args.seconds:.0f} s idle, then with "
                  f"{' / '.join(map(str, levels))} stalled connections ...", flush=True)
            measure_healthz(server.url, 2, args.clients, args.pause)  # warm up
            samples, errors = measure_healthz(server.url, args.seconds, args.clients, args.pause)
            results.append(("idle server", 0, samples, errors, 0))
            for count in levels:
                with Stalled(server.port, count, args.drip) as stalled:
                    time.sleep(1)  # let the server take them in
                    samples, errors = measure_healthz(server.url, args.seconds, args.clients,
                                                      args.pause)
                    remaining = stalled.still_open()
                results.append((f"{count} stalled connections", count, samples, errors, remaining))
                time.sleep(2)  # the server drops the closed sockets
            server_errors = server.server_errors()
    return report(args, results, server_errors)


def report(args, results, server_errors) -> int:
    rows, checks, ok = [], [], True
    for label, count, samples, errors, remaining in results:
        p99 = 1000 * percentile(samples, .99)
        rows.append([label, len(samples), 1000 * percentile(samples, .5),
                     1000 * percentile(samples, .95), p99, 1000 * max(samples, default=0),
                     len(errors), f"{remaining}/{count}" if count else ""])
        if count:
            met = bool(samples) and p99 < P99_TARGET_MS and not errors
            ok = ok and met
            checks.append(f"target: /healthz p99 < {P99_TARGET_MS} ms with {count} stalled "
                          f"connections: {p99:.0f} ms, {len(errors)} errors "
                          f"({'met' if met else 'MISSED'})")
    print()
    print(f"machine: {machine_note()} (at the end of the run)")
    print(f"Slow clients: {args.workers} workers x {args.threads} threads, {args.clients} clients "
          f"measuring /healthz (new connection each), {args.seconds:.0f} s each")
    print(text_table(["/healthz while", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms",
                      "errors", "still open"], rows))
    for line in checks:
        print(line)
    for line in [e for r in results for e in r[3]][:10] + server_errors[:10]:
        print(f"  {line}")
    path = save_results("slow-clients", {"args": {k: str(v) for k, v in vars(args).items()},
                                         "rows": rows, "checks": checks, "target_met": ok},
                        args.json)
    print(f"figures saved to {path}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()
    parser = argparse.ArgumentParser(prog="python -m bench.slow_clients",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--stalled", type=int, nargs="+",
                        help="stalled connections, one run per number "
                             "(default: workers, then workers x threads)")
    parser.add_argument("--clients", type=int, default=4, help="clients measuring /healthz")
    parser.add_argument("--pause", type=float, default=0.01, help="pause between a client's requests")
    parser.add_argument("--drip", type=float, default=5.0,
                        help="seconds between the stalled clients' single bytes")
    parser.add_argument("--json", type=Path, help="where to save the figures (default bench/results/)")
    args = parser.parse_args(argv)
    return run_command(run, args)


if __name__ == "__main__":
    sys.exit(main())
