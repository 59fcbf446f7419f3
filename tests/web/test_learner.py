"""The officer's pages over HTTP."""
import pytest

from ..factories import import_sample_curriculum, login, make_user


@pytest.fixture
def officer_client(client, db):
    import_sample_curriculum()
    make_user(username="sari")
    login(client, "sari")
    return client


@pytest.mark.parametrize("url", ["/", "/courses/contoh/", "/courses/contoh/pengantar"])
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    import_sample_curriculum()
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", ["/courses/contoh/pengantar/done", "/courses/contoh/pengantar/heartbeat"])
def test_anonymous_posts_are_refused(client, db, url):
    import_sample_curriculum()
    assert client.post(url).status_code in (302, 401)


def test_dashboard_lists_course_with_progress(officer_client):
    page = officer_client.get("/").text
    assert "Kursus Contoh" in page and "0 dari 3 modul" in page and "Mulai" in page


def test_course_page_lists_modules_with_states_and_minutes(officer_client):
    page = officer_client.get("/courses/contoh/").text
    assert page.index("Pengantar") < page.index("Unsur TPPO") < page.index("Penutup")
    assert "5 menit" in page and "Belum mulai" in page


def test_module_page_shows_content_laws_and_navigation(officer_client):
    page = officer_client.get("/courses/contoh/pengantar").text
    assert "<table>" in page and "UU 21/2007 Pasal 1 angka 1" in page
    assert "Tandai selesai" in page and 'rel="next"' in page and 'rel="prev"' not in page


def test_marking_done_moves_the_progress_bar(officer_client):
    response = officer_client.post("/courses/contoh/pengantar/done")
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/contoh/unsur")
    assert "1 dari 3 modul" in officer_client.get("/").text
    assert "Modul ini sudah selesai." in officer_client.get("/courses/contoh/pengantar").text


def test_module_with_quiz_offers_the_quiz_not_the_button(officer_client):
    page = officer_client.get("/courses/contoh/unsur").text
    assert "Kerjakan kuis" in page and "Tandai selesai" not in page
    response = officer_client.post("/courses/contoh/unsur/done", follow_redirects=True)
    assert "selesai setelah kuisnya lulus" in response.text
    assert "0 dari 3 modul" in officer_client.get("/").text


def test_unknown_course_or_module_is_404(officer_client):
    assert officer_client.get("/courses/tidak-ada/").status_code == 404
    assert officer_client.get("/courses/contoh/tidak-ada").status_code == 404


@pytest.mark.parametrize("payload", [{"scroll": "abc"}, {"scroll": 7}, {"scroll": -1}])
def test_heartbeat_rejects_bad_input_with_400(officer_client, payload):
    response = officer_client.post("/courses/contoh/pengantar/heartbeat", json=payload)
    assert response.status_code == 400 and "error" in response.get_json()


def test_heartbeat_records_scroll_and_resume_link(officer_client):
    officer_client.get("/courses/contoh/penutup")
    assert officer_client.post("/courses/contoh/penutup/heartbeat", json={"scroll": 0.25}).status_code == 200
    page = officer_client.get("/").text
    assert "/courses/contoh/penutup?pos=0.250" in page and "Lanjutkan" in page


def test_opening_a_module_records_it_after_rendering_in_a_short_write(officer_client, db):
    """The page is read and rendered in a plain transaction; on SQLite the write lock (BEGIN
    IMMEDIATE) is taken only for recording the opening, after the page is rendered."""
    import sqlalchemy as sa

    from learning.models import ModuleProgress

    from ..report_data import count_queries

    with count_queries(db.engine) as statements:
        assert officer_client.get("/courses/contoh/penutup").status_code == 200
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row is not None and row.first_opened_at is not None
    if db.engine.dialect.name == "sqlite":
        begins = [i for i, s in enumerate(statements) if s.startswith("BEGIN")]
        writes = [i for i, s in enumerate(statements) if s.startswith(("INSERT", "UPDATE"))]
        assert statements[begins[0]] == "BEGIN", statements[:begins[0] + 3]  # the session user, the page: read only
        immediate = [i for i in begins if statements[i] == "BEGIN IMMEDIATE"]
        assert len(immediate) == 1 and writes and min(writes) > immediate[0]
        assert not any("module_revisions" in s for s in statements[immediate[0]:])  # rendered before


def test_a_module_kept_for_offline_reading_is_not_recorded_as_opened(officer_client, db):
    import sqlalchemy as sa

    from learning.models import ModuleProgress

    page = officer_client.get("/courses/contoh/penutup", headers={"X-Pimpasa-Download": "1"})
    assert page.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))) == 0
