"""Render the reference nginx site: `python -m deploy.render nginx --upstream HOST:PORT ... > FILE`.

    python -m deploy.render nginx --server-name belajar.example.go.id \
        --upstream 10.0.0.11:8000 --upstream 10.0.0.12:8000 --upstream 10.0.0.13:8000 \
        --static-root /srv/pimpasa/static --tls-cert /etc/letsencrypt/live/X/fullchain.pem \
        --tls-key /etc/letsencrypt/live/X/privkey.pem > /etc/nginx/conf.d/pimpasa.conf

The local cluster (deploy/cluster.py) renders the same template for loopback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "nginx" / "pimpasa.conf.in"


def render_nginx(upstreams: list[str], *, listen: str = "80", server_name: str = "_",
                 static_root: Path | str = ROOT / "static", access_log: str = "/var/log/nginx/pimpasa.log",
                 tls_cert: str | None = None, tls_key: str | None = None) -> str:
    """The site configuration (upstream + server blocks) for nginx's http {} context."""
    if not upstreams:
        raise ValueError("at least one --upstream HOST:PORT is needed")
    servers = "\n".join(f"    server {u} max_fails=1 fail_timeout=10s;" for u in upstreams)
    tls = redirect = ""
    if tls_cert or tls_key:
        if not (tls_cert and tls_key):
            raise ValueError("--tls-cert and --tls-key go together")
        listen = f"{listen.rsplit(':', 1)[0]}:443 ssl http2" if ":" in listen else "443 ssl http2"
        tls = (f"    ssl_certificate {tls_cert};\n    ssl_certificate_key {tls_key};\n"
               "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:pimpasa_tls:10m;\n"
               '    add_header Strict-Transport-Security "max-age=31536000" always;')
        redirect = (f"server {{\n    listen 80;\n    server_name {server_name};\n"
                    "    return 301 https://$host$request_uri;\n}")
    text = TEMPLATE.read_text()
    for name, value in {"UPSTREAM_SERVERS": servers, "LISTEN": listen, "SERVER_NAME": server_name,
                        "STATIC_ROOT": str(static_root), "ACCESS_LOG": access_log, "TLS": tls,
                        "TLS_REDIRECT": redirect}.items():
        text = text.replace(f"@{name}@", value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    nginx = sub.add_parser("nginx", help="the nginx site configuration")
    nginx.add_argument("--upstream", action="append", required=True, help="app server HOST:PORT")
    nginx.add_argument("--listen", default="80")
    nginx.add_argument("--server-name", default="_")
    nginx.add_argument("--static-root", default=str(ROOT / "static"))
    nginx.add_argument("--access-log", default="/var/log/nginx/pimpasa.log")
    nginx.add_argument("--tls-cert")
    nginx.add_argument("--tls-key")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render_nginx(args.upstream, listen=args.listen,
                                      server_name=args.server_name, static_root=args.static_root,
                                      access_log=args.access_log, tls_cert=args.tls_cert,
                                      tls_key=args.tls_key))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
