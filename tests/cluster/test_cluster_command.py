"""The local cluster command itself: prints the URL and the first administrator, serves through
nginx, and on Ctrl-C stops every process it started and drops its database."""
from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from deploy.cluster import PG_ADMIN_URL

from .conftest import port_block

ROOT = Path(__file__).resolve().parents[2]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_cluster_command_serves_then_ctrl_c_stops_everything(tmp_path, worker_id):
    base = port_block(worker_id) + 3  # nginx +3, Redis +4, the one app server +13
    command = subprocess.Popen(
        [sys.executable, "-m", "deploy.cluster", "--servers", "1", "--workers", "1",
         "--threads", "2", "--base-port", str(base), "--workdir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = command.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
            if line.startswith("Logs in"):
                break
        banner = "".join(lines)
        url = re.search(r"cluster: (http://127\.0\.0\.1:\d+)/", banner).group(1)
        database = re.search(r"database (pimpasa_cluster_\w+)\)", banner).group(1)
        assert url == f"http://127.0.0.1:{base}"
        assert re.search(r"First administrator: admin / \S+", banner)
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
            assert response.status == 200
        assert all(_listening(p) for p in (base, base + 1, base + 10))
    finally:
        command.send_signal(signal.SIGINT)
        command.wait(60)
    assert command.returncode == 0
    assert not any(_listening(p) for p in (base, base + 1, base + 10))
    with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")) as conn:
        left = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchall()
    assert left == []
