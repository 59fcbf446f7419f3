"""docs/deployment.md, walked as a new operator would: its nginx command renders a site that nginx
accepts (with TLS), and every variable, command and file it names exists."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from learning import create_app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deployment.md").read_text()
SOURCES = "\n".join(p.read_text() for p in [*ROOT.joinpath("learning").rglob("*.py"),
                                             ROOT / "gunicorn.conf.py", ROOT / "app.py"])


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "belajar.example.go.id")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_documented_nginx_command_renders_a_site_nginx_accepts(tmp_path):
    line = next(l for l in DOC.splitlines() if l.startswith("python3 -m deploy.render nginx"))
    args = shlex.split(line.split("|")[0])[3:]
    cert, key = _self_signed(tmp_path)
    values = {"--tls-cert": str(cert), "--tls-key": str(key), "--static-root": str(ROOT / "static")}
    args = [values.get(args[i - 1], a) if i else a for i, a in enumerate(args)]
    args += ["--access-log", str(tmp_path / "access.log")]
    rendered = subprocess.run([sys.executable, "-m", "deploy.render", *args], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
    assert "listen 443 ssl http2;" in rendered and "return 301 https://" in rendered
    assert rendered.count("max_fails=1 fail_timeout=10s") == 3
    assert "@" not in re.sub(r"#.*", "", rendered)  # every placeholder filled
    (tmp_path / "pimpasa.conf").write_text(rendered)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / sub).mkdir()
    (tmp_path / "nginx.conf").write_text(f"""pid {tmp_path}/nginx.pid;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/pimpasa.conf;
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_every_variable_the_doc_and_the_env_file_name_is_read_by_the_app():
    table = re.findall(r"^\| `([A-Z_]+)`", DOC, re.M)
    table += [v for row in re.findall(r"^\| (`[A-Z_]+`(?:[,/ ]+`[A-Z_]+`)+) \|", DOC, re.M)
              for v in re.findall(r"`([A-Z_]+)`", row)]
    env_file = re.findall(r"^([A-Z_]+)=", (ROOT / "deploy" / "pimpasa.env.example").read_text(),
                          re.M)
    assert len(set(table)) > 30 and len(env_file) > 10
    unread = sorted(v for v in set(table) | set(env_file) if f'"{v}"' not in SOURCES)
    assert unread == []


def test_every_flask_command_and_deploy_file_in_the_doc_exists():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    commands = set(app.cli.list_commands(app.app_context())) | {"db", "routes", "run", "shell"}
    named = set(re.findall(r"flask --app app ([a-z-]+)", DOC))
    assert {"backup", "restore", "reminders"} <= named
    assert named <= commands, named - commands
    for path in set(re.findall(r"\b(deploy/[\w./-]+\w)", DOC)):
        assert (ROOT / path).exists(), path
    assert (ROOT / "bin" / "cluster").exists()


def test_the_systemd_units_run_what_the_doc_describes():
    service = (ROOT / "deploy" / "systemd" / "pimpasa.service").read_text()
    assert "EnvironmentFile=/etc/pimpasa/pimpasa.env" in service
    assert "ExecStart=/srv/pimpasa/.venv/bin/gunicorn -c gunicorn.conf.py app:app" in service
    assert "ReadWritePaths=/srv/pimpasa/instance" in service
    job = (ROOT / "deploy" / "systemd" / "pimpasa-reminders.service").read_text()
    assert "flask --app app reminders send" in job
    timer = (ROOT / "deploy" / "systemd" / "pimpasa-reminders.timer").read_text()
    assert "OnCalendar=" in timer and "WantedBy=timers.target" in timer
    assert "/etc/pimpasa/pimpasa.env" in DOC and "/srv/pimpasa" in DOC
