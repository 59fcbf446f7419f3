"""The national shape on loopback: PostgreSQL, Redis, three gunicorn servers and nginx, started by
deploy/cluster.py (the same code as `bin/cluster`). nginx and redis-server come from Debian
packages (bin/test installs them); the cluster creates and drops its own pimpasa_cluster_* database
on the PostgreSQL at 127.0.0.1:5432 whatever DATABASE_URL the rest of the suite uses.

Ports 18020-18039: nginx 18020, Redis 18021 (18025 for the Redis-only tests), apps 18030-18032.
"""
from __future__ import annotations

import pytest

from deploy.cluster import Cluster


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    with Cluster(tmp_path_factory.mktemp("cluster"), servers=3, workers=1, threads=4,
                 base_port=18020) as running:
        yield running
