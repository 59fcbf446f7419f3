"""The national shape on loopback: PostgreSQL, Redis, three gunicorn servers and nginx, started by
deploy/cluster.py (the same code as `bin/cluster`). nginx and redis-server come from Debian
packages (bin/test installs them); the cluster creates and drops its own pimpasa_cluster_* database
on the PostgreSQL at 127.0.0.1:5432 whatever DATABASE_URL the rest of the suite uses.

Ports 18020-18039: nginx 18020, Redis 18021 (18025 for the Redis-only tests), apps 18030-18032
(each further pytest-xdist worker: 20 higher).
"""
from __future__ import annotations

import pytest

from deploy.cluster import Cluster


def port_block(worker_id: str) -> int:
    """18020 for the only (or first) pytest worker, 18040, 18060, 18080 for the next ones."""
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    if index > 3:
        raise RuntimeError("tests/cluster has ports for 4 pytest-xdist workers at most")
    return 18020 + 20 * index


@pytest.fixture(scope="package")
def cluster(tmp_path_factory, worker_id):
    with Cluster(tmp_path_factory.mktemp("cluster"), servers=3, workers=1, threads=4,
                 base_port=port_block(worker_id), drop_in_background=True) as running:
        yield running
