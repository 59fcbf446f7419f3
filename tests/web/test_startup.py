"""Starting several servers at once: one migration, one curriculum import; logs left working."""
import logging
import os
import subprocess
import sys
from pathlib import Path

from learning import create_app
from learning.cli import bootstrap

from ..factories import SAMPLE_CURRICULUM

ROOT = Path(__file__).resolve().parents[2]


def test_three_bootstraps_at_once_on_an_empty_sqlite_file_migrate_once(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}",
               CONTENT_ROOT=str(SAMPLE_CURRICULUM), PYTHONUNBUFFERED="1",
               SECRET_KEY="startup-test")
    processes = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "bootstrap"],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    everything = "\n".join(outputs)
    assert everything.count("Running upgrade  -> 7949a0e80819") == 1
    assert everything.count("Curriculum import: ") == 1
    assert everything.count("First administrator created") == 1
    assert everything.count("migration lock taken") == 3


def test_the_bootstrap_leaves_other_loggers_working(tmp_path):
    """gunicorn's loggers exist before its master runs the bootstrap (on_starting)."""
    gunicorn_log = logging.getLogger("gunicorn.error")
    access_log = logging.getLogger("gunicorn.access")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                      "IMPORT_CURRICULUM_ON_START": False, "SECRET_KEY": "x"})
    bootstrap(app)
    assert not gunicorn_log.disabled and not access_log.disabled
    assert not logging.getLogger("pimpasa.request").disabled


def test_python_app_py_logs_the_migration_and_each_request_on_stdout(tmp_path):
    import socket
    import time
    import urllib.request

    port = next(p for p in range(18090, 18100) if _free(socket, p))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'kantor.db'}", PORT=str(port),
               IMPORT_CURRICULUM_ON_START="0", SECRET_KEY="startup-test", PYTHONUNBUFFERED="1")
    env.pop("APP_ENV", None)
    log = tmp_path / "out.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    assert response.status == 200
                    request_id = response.headers["X-Request-Id"]
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(log.read_text())
        time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(20)
    text = log.read_text()
    assert "Running upgrade" in text
    assert f"pimpasa.request: request_id={request_id} method=GET path=/login status=200" in text


def _free(socket, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
