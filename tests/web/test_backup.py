"""Backup, wipe, restore: every table's rows, the national report, the images and a certificate
issued before the backup all come back (`flask backup` / `flask restore`), on SQLite and PostgreSQL."""
from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image as PILImage

from learning import create_app
from learning.accounts import NewUser, create_user
from learning.backup import current_counts
from learning.certificates.issuing import certificate_payload, issue_missing_certificates
from learning.certificates.signing import qr_text, signing_key_from_config
from learning.cli import bootstrap
from learning.extensions import db as _db
from learning.models import Certificate, Image, utcnow
from learning.studio.media import store_image

from ..factories import SAMPLE_CURRICULUM

PASSWORD = "kata-sandi-cadangan-1"
MUST_HAVE_ROWS = ("users", "module_progress", "attempts", "attempt_answers", "module_revisions",
                  "quiz_revisions", "certificates", "audit_events", "images", "course_standings")


@pytest.fixture
def fresh_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'kantor.db'}"
        return
    base = sa.engine.make_url(database_url)
    name = f"{base.database}_backup"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _png(colour) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def _wipe(app, media: Path) -> None:
    engine = _db.engine
    _db.session.remove()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    else:
        engine.dispose()
        path = Path(engine.url.database)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    engine.dispose()
    for file in media.rglob("*"):
        if file.is_file():
            file.unlink()


def _report(client) -> dict[str, bytes]:
    return {table: client.get(f"/admin/reports/export/{table}.csv").data
            for table in ("kanwil", "kursus")}


def test_backup_wipe_restore_round_trips_the_whole_state(fresh_url, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": fresh_url,
                      "CONTENT_ROOT": SAMPLE_CURRICULUM, "MEDIA_ROOT": str(media),
                      "CERT_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
                      "SITE_URL": "http://localhost"})
    bootstrap(app)  # the real migrations, as in production
    runner = app.test_cli_runner()
    with app.app_context():
        from learning.cli import import_curriculum
        import_curriculum(SAMPLE_CURRICULUM)
        _db.session.commit()
        demo = runner.invoke(args=["demo", "--officers", "30", "--seed", "4", "--force"])
        assert demo.exit_code == 0, demo.output
        admin = create_user(NewUser(username="cadangan", full_name="Admin Cadangan", role="admin"),
                            PASSWORD)
        admin.must_change_password = False
        issue_missing_certificates(utcnow())  # what the daily job does after the demo history
        store_image(_png("red"), uploader=admin, original_name="peta.png", media_root=str(media))
        store_image(_png("blue"), uploader=admin, original_name="desa.png")  # kept in the database
        _db.session.commit()
        certificate = _db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).first()
        assert certificate is not None, "the demo data issued no certificate"
        qr = urlsplit(qr_text(certificate_payload(certificate),
                              signing_key_from_config(app.config, app.instance_path), "http://x"))
        verify_path = f"{qr.path}?{qr.query}"
        number = certificate.number
        images = [(i.sha256, i.ext) for i in _db.session.scalars(sa.select(Image))]
        _db.session.commit()
        before = current_counts()
        for table in MUST_HAVE_ROWS:
            assert before[table] > 0, table
        client = app.test_client()
        client.post("/login", data={"identifier": "cadangan", "password": PASSWORD})
        report_before = _report(client)
        assert all(len(body) > 40 for body in report_before.values())
        verified = client.get(verify_path).text
        assert 'class="cert-qr-ok"' in verified and number in verified

        _db.session.remove()
        before = current_counts()  # the state the backup below holds
        archive = tmp_path / "pimpasa-backup.tar.gz"
        made = runner.invoke(args=["backup", str(archive)])
        assert made.exit_code == 0, made.output
        assert "Backup written" in made.output and archive.stat().st_size > 10_000

        _db.session.remove()
        refused = runner.invoke(args=["restore", str(archive)])  # data present, no --yes
        assert refused.exit_code != 0 and "nothing was changed" in refused.output

        _wipe(app, media)
        assert current_counts().get("users", 0) == 0

        restored = runner.invoke(args=["restore", str(archive)])  # empty: no --yes needed
        assert restored.exit_code == 0, restored.output
        assert "every table's count matches" in restored.output
        assert current_counts() == before
        client = app.test_client()
        client.post("/login", data={"identifier": "cadangan", "password": PASSWORD})
        assert _report(client) == report_before
        after = client.get(verify_path).text
        assert 'class="cert-qr-ok"' in after and number in after
        for sha, ext in images:
            response = client.get(f"/media/{sha}.{ext}")
            assert response.status_code == 200 and len(response.data) > 50
        _db.session.remove()
        _db.engine.dispose()
