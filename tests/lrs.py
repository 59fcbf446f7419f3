"""A real learning record store for the tests: Ralph's LRS server (ralph-malph, pinned in
requirements-dev.txt) with its filesystem backend, started on loopback in a temporary folder.
It can be stopped and started again on the same port and the same stored statements."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import bcrypt

USERNAME, PASSWORD = "pimpasa", "lrs-uji-rahasia"

# Ralph 5.1.0's filesystem LRS backend opens its one statements file in "create" mode, so the
# second POST of a run (or the first after a restart) fails with "already exists and overwrite is
# not allowed". Appending is what an LRS needs; the backend supports it, only its default is
# wrong, so the launcher sets that default before uvicorn imports the app. Validation,
# de-duplication by id and storage stay Ralph's own.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    def __init__(self, root: Path):
        self.root, self.port, self.process = root, free_port(), None
        root.mkdir(parents=True, exist_ok=True)
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        (root / "auth.json").write_text(json.dumps([{
            "agent": {"account": {"homePage": "http://lrs.test/", "name": USERNAME}},
            "scopes": ["all"], "hash": hashed, "username": USERNAME}]))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_AUTH_FILE": str(self.root / "auth.json"),
               "RALPH_APP_DIR": str(self.root),
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.root),
               "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(self.port)],
            cwd=self.root, env=env, stdout=subprocess.DEVNULL,
            stderr=open(self.root / "ralph.log", "ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.root / "ralph.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__",
                                            timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def kill(self) -> None:
        """SIGKILL: the LRS dies without finishing anything."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stored_lines(self) -> list[dict]:
        """What the filesystem backend wrote: one line per stored statement."""
        path = self.root / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
