"""Production server settings: `gunicorn -c gunicorn.conf.py "app:app"`.

Threaded workers (gthread): a phone on a slow connection holds one thread, not a whole worker,
so a few slow clients cannot starve the server.
"""
import multiprocessing
import os

os.environ.setdefault("APP_ENV", "production")

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(4, multiprocessing.cpu_count() * 2))))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
timeout = 60
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# One line per request, with the id nginx gave it (X-Request-Id) and the time taken in seconds.
access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s '
                     'request_id=%({x-request-id}i)s')
# gunicorn's control socket defaults to ~/.gunicorn/gunicorn.ctl: one path for every server started
# by the same user (the local cluster runs three), and not writable for a system user. Off unless
# GUNICORN_CONTROL_SOCKET names a path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Migrate and import once, in the master, before any worker starts."""
    from app import app
    from learning.cli import bootstrap

    bootstrap(app)
