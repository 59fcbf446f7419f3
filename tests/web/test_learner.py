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
