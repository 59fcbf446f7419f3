"""One office: SQLite, one gunicorn server with 4 workers, no Redis. Failed sign-ins are counted
in the database, which every worker sees: 25 guesses at once, exactly 5 checked."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from bench.server import LOOPBACK, Database, ProductionServer

from .browsers import browser
from .conftest import port_block


def test_four_workers_without_redis_check_exactly_five_of_twenty_five_guesses(tmp_path, worker_id):
    database = Database("sqlite", f"sqlite:///{tmp_path / 'kantor.db'}")
    server = ProductionServer(database, tmp_path, workers=4, threads=4,
                              env={"IMPORT_CURRICULUM_ON_START": "0"})
    server.port = port_block(worker_id) + 7
    server.env["BIND"] = f"{LOOPBACK}:{server.port}"
    with server:
        from learning import create_app
        from learning.accounts import NewUser, create_user
        from learning.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": server.secret_key,
                          "IMPORT_CURRICULUM_ON_START": False})
        with app.app_context():
            create_user(NewUser(username="sari", full_name="Sari", role="officer"),
                        "kata-sandi-kantor-1")
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        prepared = []
        for _ in range(25):
            b = browser(server.url)
            assert b.get("/login").status == 200
            prepared.append(b)
        barrier = threading.Barrier(25)

        def guess(b):
            barrier.wait()
            return b.post_form("/login", {"identifier": "sari", "password": "tebak-salah-3"}).status

        with ThreadPoolExecutor(max_workers=25) as pool:
            statuses = list(pool.map(guess, prepared))
        pids = server.worker_pids()
        log = server.log_text()
    assert len(pids) == 4
    assert statuses.count(401) == 5 and statuses.count(429) == 20, statuses
    served_by = {line.split("[")[1].split("]")[0] for line in log.splitlines()
                 if "pimpasa.request" in line and "path=/login status=4" in line}
    assert len(served_by) >= 2  # the guesses really were spread over several workers
