"""The officer always sees the next step: course page primary action, figures, module states
before the description, compact dashboard cards with a percentage."""
import pytest

from learning.learner.next_step import FINISHED, RESUME, START, next_step
from learning.learner.progress import DONE, IN_PROGRESS, NOT_STARTED

from ..factories import import_sample_curriculum, login, make_user


@pytest.fixture
def officer_client(client, db):
    import_sample_curriculum()
    make_user(username="sari")
    login(client, "sari")
    return client


class _M:
    def __init__(self, id):
        self.id, self.slug = id, f"m{id}"


def test_next_step_rules_without_http():
    a, b, c = _M(1), _M(2), _M(3)
    step = next_step([a, b, c], {1: NOT_STARTED, 2: NOT_STARTED, 3: NOT_STARTED})
    assert (step.kind, step.module, step.position, step.percent) == (START, a, 1, 0)
    step = next_step([a, b, c], {1: DONE, 2: NOT_STARTED, 3: IN_PROGRESS})
    assert (step.kind, step.module, step.position, step.percent) == (RESUME, b, 2, 33)
    step = next_step([a, b, c], {1: DONE, 2: NOT_STARTED, 3: IN_PROGRESS}, last_opened=c)
    assert (step.module, step.position) == (c, 3)
    step = next_step([a, b, c], {1: DONE, 2: NOT_STARTED, 3: DONE}, last_opened=c)
    assert step.module is b  # a finished last module does not hide the unread one
    assert next_step([a, b], {1: DONE, 2: DONE}).kind == FINISHED


def test_course_page_puts_the_action_and_modules_before_the_description(officer_client):
    page = officer_client.get("/courses/contoh/").text
    action = page.index("Mulai modul 1")
    assert 'href="/courses/contoh/pengantar"' in page[action - 200:action]
    assert "0%" in page and "0 dari 3 modul selesai" in page
    assert action < page.index("Belum mulai") < page.index("Kursus ini dipakai oleh pengujian")
    assert page.index("Kursus ini dipakai oleh pengujian") > page.index("Penutup")


def test_course_page_resumes_at_the_first_unread_module(officer_client):
    officer_client.post("/courses/contoh/pengantar/done")
    page = officer_client.get("/courses/contoh/").text
    assert "Lanjutkan modul 2" in page and "33%" in page and "1 dari 3 modul selesai" in page
    assert "Berikutnya: Unsur TPPO" in page


def test_dashboard_card_links_straight_to_the_first_unread_module(officer_client):
    page = officer_client.get("/").text
    assert 'href="/courses/contoh/pengantar"' in page and "Mulai modul 1" in page
    assert "<strong>0%</strong>" in page
    assert "Kursus kecil untuk pengujian." not in page  # the summary lives on the course page
    officer_client.post("/courses/contoh/pengantar/done")
    page = officer_client.get("/").text
    assert "Lanjutkan modul 2" in page and "<strong>33%</strong>" in page
    assert 'href="/courses/contoh/unsur' in page


def test_due_date_shown_on_the_course_page_in_figures(officer_client, db):
    from datetime import date
    from learning.models import Assignment, Course, User
    import sqlalchemy as sa
    course = db.session.scalar(sa.select(Course))
    sari = db.session.scalar(sa.select(User).where(User.username == "sari"))
    db.session.add(Assignment(course_id=course.id, scope="user", user_id=sari.id,
                              due_date=date(2030, 1, 31)))
    db.session.commit()
    page = officer_client.get("/courses/contoh/").text
    assert "Tenggat" in page and "31 Jan 2030" in page
