"""The national shape on one machine: `bin/cluster` (or `python -m deploy.cluster`).

Starts, on loopback and without root: a fresh PostgreSQL database (pimpasa_cluster_*), its own
redis-server, N gunicorn servers (`gunicorn -c gunicorn.conf.py app:app`, all started at the same
moment, as after a power cut) and nginx in front with the reference configuration
(deploy/nginx/pimpasa.conf.in). Prints the URL and the first administrator's password, and stops
everything (and drops the database) on exit or Ctrl-C. tests/cluster drives the same class.

Ports: nginx on BASE, Redis on BASE+1, the app servers on BASE+10, BASE+11, ... (BASE 18000).
"""
from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .render import ROOT, render_nginx

LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("CLUSTER_PG_ADMIN_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class ClusterError(RuntimeError):
    """A part of the cluster did not start."""


def _stop(process: subprocess.Popen | None, grace: float = 15.0) -> None:
    """SIGTERM the process group, SIGKILL what is left after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _wait_http(url: str, deadline: float, process: subprocess.Popen, log: Path, what: str) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{what} exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise ClusterError(f"{what} did not answer {url} in time:\n{_tail(log)}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _pg(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def drop_database(name: str) -> None:
    if not re.fullmatch(r"pimpasa_cluster_[0-9a-f_]+", name):
        raise ClusterError(f"not a cluster database: {name}")
    with _pg(PG_ADMIN_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class AppServer:
    index: int
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        try:
            return [int(p) for p in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
                    .read_text().split()]
        except OSError:
            return []


@dataclass
class Cluster:
    """`with Cluster(workdir) as cluster:` ... everything stopped and dropped on exit."""

    workdir: Path
    servers: int = 3
    workers: int = 1
    threads: int = 4
    base_port: int = 18000
    env: dict = field(default_factory=dict)
    keep_database: bool = False
    # DROP DATABASE waits for a checkpoint, which takes many seconds on a busy PostgreSQL: the
    # tests hand it to a detached process instead of waiting (the command line waits).
    drop_in_background: bool = False

    def __post_init__(self):
        self.workdir = Path(self.workdir)
        self.database = f"pimpasa_cluster_{os.getpid()}_{secrets.token_hex(3)}"
        self.database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.database}"
        self.secret_key = secrets.token_hex(32)
        self.signing_key = base64.b64encode(os.urandom(32)).decode()
        self.redis_port = self.base_port + 1
        self.app_servers = [AppServer(i, self.base_port + 10 + i, self.workdir / f"app-{i}.log")
                            for i in range(self.servers)]
        self.redis: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self._created = False

    # -- addresses -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.base_port}"

    @property
    def redis_url(self) -> str:
        return f"redis://{LOOPBACK}:{self.redis_port}/0"

    @property
    def nginx_access_log(self) -> Path:
        return self.workdir / "nginx-access.log"

    def app_environment(self) -> dict:
        env = dict(os.environ)
        env.update({
            "APP_ENV": "production",
            "SESSION_COOKIE_SECURE": "0",  # plain http on loopback; real deployments use TLS
            "SECRET_KEY": self.secret_key,
            "CERT_SIGNING_KEY": self.signing_key,
            "DATABASE_URL": self.database_url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "LOGIN_THROTTLE_PREFIX": f"{self.database}:throttle:",
            "TRUSTED_PROXIES": "1",
            "FORWARDED_ALLOW_IPS": LOOPBACK,
            "SITE_URL": self.url,
            "WEB_CONCURRENCY": str(self.workers),
            "THREADS": str(self.threads),
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env)
        return env

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> "Cluster":
        self.workdir.mkdir(parents=True, exist_ok=True)
        for tool in ("nginx", "redis-server"):
            if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
                raise ClusterError(f"{tool} is not installed: run bin/cluster (installs it)")
        self._create_database()
        self._start_redis()
        for server in self.app_servers:  # all at the same moment, on an empty database
            self._spawn(server)
        deadline = time.monotonic() + 240
        for server in self.app_servers:
            _wait_http(f"{server.url}/healthz", deadline, server.process, server.log,
                       f"app server {server.index}")
        self._start_nginx()
        return self

    def stop(self) -> None:
        started = time.monotonic()
        _stop(self.nginx)
        for server in self.app_servers:  # all at once: each finishes its requests in parallel
            if server.process is not None and server.process.poll() is None:
                try:
                    os.killpg(server.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for server in self.app_servers:
            _stop(server.process, grace=25)
            server.process = None
        stopped_servers = time.monotonic()
        _stop(self.redis)
        if self._created and not self.keep_database:
            if self.drop_in_background:
                subprocess.Popen([sys.executable, "-m", "deploy.cluster", "--drop", self.database],
                                 cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=open(self.workdir / "drop.log", "ab"),
                                 start_new_session=True)
            else:
                drop_database(self.database)
            self._created = False
        with open(self.workdir / "cluster-stop.log", "a") as log:
            log.write(f"servers stopped in {stopped_servers - started:.1f} s, "
                      f"all in {time.monotonic() - started:.1f} s\n")

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def _create_database(self) -> None:
        try:
            with _pg(PG_ADMIN_URL) as conn:
                conn.execute(f'CREATE DATABASE "{self.database}"')
        except Exception as exc:
            raise ClusterError(f"cannot create database via {PG_ADMIN_URL}: {exc}") from exc
        self._created = True

    def _start_redis(self) -> None:
        log = self.workdir / "redis.log"
        redis_bin = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.redis = subprocess.Popen(
            [redis_bin, "--port", str(self.redis_port), "--bind", LOOPBACK, "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--logfile", str(log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        import redis

        client = redis.Redis(host=LOOPBACK, port=self.redis_port, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.redis.poll() is not None:
                raise ClusterError(f"redis-server exited:\n{_tail(log)}")
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise ClusterError("redis-server did not answer PING")

    def _spawn(self, server: AppServer) -> None:
        env = self.app_environment()
        env["BIND"] = f"{LOOPBACK}:{server.port}"
        handle = open(server.log, "ab")
        server.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:app"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        handle.close()

    def _start_nginx(self) -> None:
        conf_dir = self.workdir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        site = render_nginx([f"{LOOPBACK}:{s.port}" for s in self.app_servers],
                            listen=f"{LOOPBACK}:{self.base_port}", server_name="localhost",
                            static_root=ROOT / "static", access_log=str(self.nginx_access_log))
        (conf_dir / "pimpasa.conf").write_text(site)
        tmp = conf_dir / "tmp"
        (conf_dir / "nginx.conf").write_text(f"""# the local cluster's nginx: Debian's defaults + the reference site
worker_processes 1;
pid {conf_dir / 'nginx.pid'};
error_log {self.workdir / 'nginx-error.log'} warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    client_body_temp_path {tmp / 'body'};
    proxy_temp_path {tmp / 'proxy'};
    fastcgi_temp_path {tmp / 'fastcgi'};
    uwsgi_temp_path {tmp / 'uwsgi'};
    scgi_temp_path {tmp / 'scgi'};
    include {conf_dir / 'pimpasa.conf'};
}}
""")
        nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
        log = self.workdir / "nginx-error.log"
        self.nginx = subprocess.Popen(
            [nginx_bin, "-p", str(conf_dir), "-e", str(log), "-c", str(conf_dir / "nginx.conf"),
             "-g", "daemon off;"],
            stdout=open(self.workdir / "nginx-stdout.log", "ab"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        _wait_http(f"{self.url}/healthz", time.monotonic() + 20, self.nginx, log, "nginx")

    # -- faults ------------------------------------------------------------------------------
    def kill(self, index: int) -> None:
        """SIGKILL one app server: master and workers, no goodbye."""
        server = self.app_servers[index]
        if server.process is not None:
            try:
                os.killpg(server.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            server.process.wait(timeout=10)
            server.process = None

    def restart(self, index: int, timeout: float = 120) -> None:
        server = self.app_servers[index]
        self._spawn(server)
        _wait_http(f"{server.url}/healthz", time.monotonic() + timeout, server.process,
                   server.log, f"app server {index}")

    # -- reading the logs --------------------------------------------------------------------
    def log_text(self, index: int) -> str:
        return self.app_servers[index].log.read_text(errors="replace")

    def first_admin(self) -> tuple[str, str] | None:
        for server in self.app_servers:
            text = self.log_text(server.index)
            user = re.search(r"username: (\S+)", text)
            password = re.search(r"password: (\S+)", text)
            if user and password:
                return user.group(1), password.group(1)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--base-port", type=int, default=18000)
    parser.add_argument("--workdir", help="logs and nginx files (default: a temporary folder)")
    parser.add_argument("--drop", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drop:
        drop_database(args.drop)
        return 0

    def _exit(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="pimpasa-cluster-"))
    cluster = Cluster(workdir, servers=args.servers, workers=args.workers, threads=args.threads,
                      base_port=args.base_port)
    try:
        with cluster:
            admin = cluster.first_admin()
            print(f"Pimpasa Learning cluster: {cluster.url}/  (nginx -> "
                  f"{', '.join(s.url for s in cluster.app_servers)}; Redis {cluster.redis_url}; "
                  f"database {cluster.database})")
            if admin:
                print(f"First administrator: {admin[0]} / {admin[1]}")
            print(f"Logs in {workdir}. Ctrl-C stops everything and drops the database.", flush=True)
            while True:
                time.sleep(3600)
    except ClusterError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
