"""Health check, error pages and security headers."""
import sqlalchemy as sa

from learning import create_app


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_the_database_does_not_answer(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404 and "Halaman tidak ditemukan." in response.text


def test_unexpected_error_shows_no_stack_trace(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/_boom")
    def _boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert "Terjadi kesalahan pada server" in response.text


def test_pages_are_compressed_when_the_client_accepts_it(client):
    br = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br"
    gz = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"


def test_static_assets_have_hashed_names_and_a_long_cache(client):
    page = client.get("/login").text
    import re
    href = re.search(r'href="(/a/css/site\.[0-9a-f]{10}\.css)"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get("/a/css/site.0000000000.css").status_code == 404


def test_migrations_build_the_same_schema_as_the_models(tmp_path, database_url):
    """`flask db upgrade` on an empty database gives exactly the tables the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    from learning.extensions import db

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from learning.models.search import include_in_autogenerate
        with db.engine.connect() as conn:
            # the full-text index tables are the database's own (FTS5 / tsvector), not models:
            # compared with the same filter `flask db migrate` uses
            context = MigrationContext.configure(
                conn, opts={"include_object": include_in_autogenerate})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "modules", "module_revisions", "quiz_revisions"} <= tables
