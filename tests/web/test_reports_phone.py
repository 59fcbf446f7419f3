"""Report pages read on a phone: scroll regions reachable by keyboard, cells labelled for the
stacked narrow layout, dates in the reader's locale, the help list's columns saying what they count."""
from datetime import date

import pytest
import sqlalchemy as sa

from learning.models import Assignment, Course

from ..factories import import_sample_curriculum, login, make_office, make_user


@pytest.fixture
def site(client, db):
    import_sample_curriculum()
    office = make_office()
    make_user(role="admin", username="admin")
    officer = make_user(username="ani", office=office)
    course = db.session.scalar(sa.select(Course))
    db.session.add(Assignment(course_id=course.id, scope="user", user_id=officer.id,
                              due_date=date(2026, 10, 18)))
    db.session.commit()
    login(client, "admin")
    return {"office": office, "officer": officer, "course": course}


def test_scroll_regions_are_focusable_and_named(client, site):
    for url in ("/admin/reports/", f"/admin/reports/region/{site['office'].region_id}",
                f"/admin/reports/office/{site['office'].id}"):
        html = client.get(url).get_data(as_text=True)
        regions = html.count('class="table-scroll"')
        assert regions >= 2, url
        assert html.count('class="table-scroll" tabindex="0" role="region" aria-label="Tabel: ') \
            == regions, url
        assert 'data-label="Tingkat penyelesaian"' in html, url


def test_dates_read_in_the_locale_not_iso(client, site):
    html = client.get(f"/admin/reports/officer/{site['officer'].id}").get_data(as_text=True)
    assert '<time datetime="2026-10-18">18 Okt 2026</time>' in html
    assert ">2026-10-18<" not in html


def test_the_help_list_column_says_it_counts_quizzes(client, site):
    html = client.get("/admin/reports/help").get_data(as_text=True)
    assert "Jumlah kuis yang gagal 2× atau lebih" in html


def test_the_assignment_form_groups_each_target_under_its_choice(client, site):
    html = client.get("/admin/assignments").get_data(as_text=True)
    for scope, name in (("region", "region_id"), ("office", "office_id"), ("user", "officers")):
        start = html.index(f'<div data-scope="{scope}">')
        assert f'name="{name}"' in html[start:html.index("</div>", start + 30) + 200], scope
    # without the script every field stays visible, its label naming the choice it is for
    assert "hidden" not in html[html.index('id="assign-form"'):html.index("</form>",
                                                                      html.index('id="assign-form"'))]
    assert 'Kanwil (untuk &#34;Satu Kanwil&#34;)' in html or 'Kanwil (untuk "Satu Kanwil")' in html
    assert "js/assign." in html


def test_studio_tables_stack_with_labelled_actions(client, site):
    course = site["course"]
    html = client.get(f"/studio/courses/{course.slug}/").get_data(as_text=True)
    assert 'class="data studio-modules stack"' in html
    assert 'class="row-actions" data-label="Tindakan"' in html


def test_public_pages_describe_themselves(app, db):
    html = app.test_client().get("/login").get_data(as_text=True)
    assert '<meta name="description" content="Pimpasa Learning: pelatihan' in html
