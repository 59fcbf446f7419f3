"""The report pages over HTTP, as an administrator or trainer reads them: drilling down from the
national page to one officer, every level adding up to the one above, every table's CSV and XLSX
download equal to the table on the screen, formula neutralisation, filters that are refused with
a message, and who may open what."""
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from learning.admin import assignments
from learning.models import Assignment, Course, Module, Office, Quiz, Region, User

from ..factories import import_sample_curriculum, login, make_office, make_user
from ..report_data import demo_population
from .pages import csv_rows, download_table, page, screen_table, xlsx_rows

FORMULA_NAME = '=HYPERLINK("x")'
NUMBERS = slice(2, 11)  # every number column of a completion table


@pytest.fixture
def population(app, db):
    with app.test_request_context():
        demo_population(300)
    office = db.session.scalar(sa.select(Office).order_by(Office.id))
    # An officer of long standing (a newcomer would not be idle long enough for "Perlu bantuan").
    make_user(username="jahil", nip="199501012020011999", full_name=FORMULA_NAME, office=office,
              created_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    return office


@pytest.fixture
def staff(client, db):
    make_user(role="admin", username="admin")
    login(client, "admin")
    return client


def get_page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return page(response)


def downloads_equal_screen(client, table) -> list[list]:
    """Download the table as CSV and XLSX from the links under it: both must equal the screen,
    header and every row (the total line included). Returns the rows, typed."""
    header = [c.text for c in table.header]
    expected = screen_table(table)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = client.get(table.download(fmt))
        assert response.status_code == 200, (table.id, fmt)
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        got_header, rows = download_table(read(response), table)
        assert got_header == header, (table.id, fmt)
        assert rows == expected, (table.id, fmt)
    return expected


def row_named(rows: list[list], name: str) -> list:
    return next(row for row in rows if row[0] == name)


def total_line(rows: list[list]) -> list:
    assert rows[-1][0] == "Jumlah"
    return rows[-1]


def assert_rows_add_up(table, rows: list[list]) -> None:
    """The count columns (assigned, started, completed, overdue) of the data rows sum to the
    total line."""
    body, total = rows[:-1], total_line(rows)
    labels = [c.text for c in table.header]
    for label in ("Ditugaskan", "Mulai", "Selesai", "Terlambat"):
        index = labels.index(label)
        assert sum(row[index] for row in body) == total[index], label


# --------------------------------------------------------------------------- drilling down


def officer_counts(client, user_id: int) -> list:
    """assigned, started, completed, overdue of one officer, from their detail page's CSV."""
    detail = get_page(client, f"/admin/reports/officer/{user_id}").table("table-kursus-petugas")
    rows = download_table(csv_rows(client.get(detail.download("csv"))), detail)[1]
    assigned = [row for row in rows if row[1] == "Ya"]
    return [len(assigned), sum(row[5] != "Belum mulai" for row in assigned),
            sum(row[5] == "Selesai" for row in assigned), sum(row[6] == "Ya" for row in assigned)]


@pytest.mark.parametrize("filtered", [False, True])
def test_national_region_office_officer_each_open_and_add_up(staff, db, population, filtered):
    office = population
    query = ""
    if filtered:
        slug = db.session.scalar(sa.select(Course.slug).where(Course.published.is_(True))
                                 .order_by(Course.position))
        query = f"?course={slug}&from=2025-10-01&to=2026-02-28"
    national = get_page(staff, "/admin/reports/" + query)
    regions = downloads_equal_screen(staff, national.table("table-units"))
    assert_rows_add_up(national.table("table-units"), regions)
    assert total_line(regions)[2] > 300  # a few courses each for 301 officers

    region_row = national.table("table-units").body[
        [row[0] for row in regions].index(office.region.name)]
    region_url = region_row[0].link
    assert urlsplit(region_url).query == query.lstrip("?")  # the link keeps the filter
    region = get_page(staff, region_url)
    offices = downloads_equal_screen(staff, region.table("table-units"))
    assert_rows_add_up(region.table("table-units"), offices)
    assert total_line(offices)[NUMBERS] == row_named(regions, office.region.name)[NUMBERS]

    office_url = region.table("table-units").body[
        [row[0] for row in offices].index(office.name)][0].link
    office_page = get_page(staff, office_url)
    officers = downloads_equal_screen(staff, office_page.table("table-units"))
    assert_rows_add_up(office_page.table("table-units"), officers)
    assert total_line(officers)[NUMBERS] == row_named(offices, office.name)[NUMBERS]

    # two officers may share a name: each row is matched to its own link, in screen order
    links = [row[0].link for row in office_page.table("table-units").body]
    assert len(set(links)) == len(links) == len(officers) - 1 > 10
    for row, url in zip(officers, links):
        name = row[0]
        get_page(staff, url)
        if not filtered:  # an officer's detail is not filtered: it adds up to the plain report
            user_id = int(url.rstrip("/").rsplit("/", 1)[1])
            assert officer_counts(staff, user_id) == [row[2], row[3], row[4], row[6]], name


def test_every_table_of_every_level_downloads_as_on_the_screen(staff, db, population):
    """National, region and office pages: units, courses and the weekly trend."""
    office = population
    for url in ("/admin/reports/", f"/admin/reports/region/{office.region_id}",
                f"/admin/reports/office/{office.id}", "/admin/reports/office/0"):
        shown = get_page(staff, url)
        for ident in ("table-units", "table-courses", "table-trend"):
            rows = downloads_equal_screen(staff, shown.table(ident))
            if ident != "table-trend" and shown.table(ident).body:
                assert_rows_add_up(shown.table(ident), rows)


def test_an_office_without_officers_downloads_as_on_the_screen(staff, db, population):
    empty = make_office("KANIM-KOSONG", "Kantor Imigrasi Kosong", population.region.code)
    shown = get_page(staff, f"/admin/reports/office/{empty.id}")
    assert shown.table("table-units").rows == []
    assert downloads_equal_screen(staff, shown.table("table-units")) == []
    region = get_page(staff, f"/admin/reports/region/{empty.region_id}").table("table-units")
    assert row_named(screen_table(region), "Kantor Imigrasi Kosong")[NUMBERS] == \
        [0, 0, 0, None, 0, None, 0, 0, 0]


def test_officer_tables_download_as_on_the_screen(staff, db, population):
    busy = db.session.execute(sa.text(
        "SELECT user_id FROM attempts GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT 1"
    )).scalar()
    jahil = db.session.scalar(sa.select(User.id).where(User.username == "jahil"))
    for user_id in (busy, jahil):
        shown = get_page(staff, f"/admin/reports/officer/{user_id}")
        for ident in ("table-kursus-petugas", "table-modul", "table-percobaan-kuis"):
            rows = downloads_equal_screen(staff, shown.table(ident))
            if user_id == busy:
                assert rows, ident
    assert shown.table("table-percobaan-kuis").rows == []  # jahil has not tried a quiz


def all_help_pages(client, url: str):
    """Every page of 'perlu bantuan', following "Berikutnya"; returns (pages, rows)."""
    pages, rows = [], []
    while url:
        shown = get_page(client, url)
        pages.append(shown)
        rows += screen_table(shown.table("table-help"))
        url = next((href for href, words in shown.links if words == "Berikutnya"), None)
    return pages, rows


def test_the_help_list_downloads_as_on_its_pages(staff, db, population):
    pages, rows = all_help_pages(staff, "/admin/reports/help")
    assert len(pages) > 1  # more than 100 lines: the screen is paged, the download is not
    lines = int(pages[0].text.split("\nBaris\n", 1)[1].split("\n", 1)[0].replace(".", ""))
    assert len(rows) == lines
    table = pages[0].table("table-help")
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        assert download_table(read(staff.get(table.download(fmt))), table)[1] == rows
    scoped, scoped_rows = all_help_pages(staff, f"/admin/reports/help?office={population.id}")
    assert 0 < len(scoped_rows) < len(rows)
    assert {row[2] for row in scoped_rows} == {population.name}
    scoped_table = scoped[0].table("table-help")  # the office's list may be paged too
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        assert download_table(read(staff.get(scoped_table.download(fmt))), scoped_table)[1] \
            == scoped_rows


def test_quiz_tables_download_as_on_the_screen(staff, db, population):
    quizzes = get_page(staff, "/admin/reports/quizzes").table("table-quizzes")
    rows = downloads_equal_screen(staff, quizzes)
    tried = [row for row, values in zip(quizzes.body, rows) if values[2] and values[2] > 20]
    assert tried
    items = get_page(staff, tried[0][0].link).table("table-items")
    assert len(downloads_equal_screen(staff, items)) >= 5


def test_a_formula_in_a_name_is_neutralised_in_csv_and_xlsx(staff, db, population):
    office = get_page(staff, f"/admin/reports/office/{population.id}").table("table-units")
    help_list = get_page(staff, f"/admin/reports/help?office={population.id}").table("table-help")
    for table in (office, help_list):
        assert FORMULA_NAME in [row[0].text for row in table.body]  # the name as typed
        csv_names = [row[0] for row in csv_rows(staff.get(table.download("csv")))]
        xlsx_names = [row[0] for row in xlsx_rows(staff.get(table.download("xlsx")))]
        assert "'" + FORMULA_NAME in csv_names and "'" + FORMULA_NAME in xlsx_names
        assert not [n for n in csv_names + xlsx_names if str(n).startswith("=")]


# --------------------------------------------------------------------------- filters


@pytest.fixture
def small_site(staff, db):
    import_sample_curriculum()
    office = make_office()
    make_user(username="ani", office=office)
    quiz = db.session.scalar(sa.select(Quiz))
    return {"region": office.region_id, "office": office.id, "quiz": quiz.id}


BAD_DATE = "Tanggal harus berformat TTTT-BB-HH, misalnya 2026-01-31."
BAD_FILTERS = [
    ("/admin/reports/?from=2026-13-45", BAD_DATE),
    ("/admin/reports/?to=31-01-2026", BAD_DATE),
    ("/admin/reports/?from=1999-12-31", "Tanggal di luar rentang yang didukung (2000–2100)."),
    ("/admin/reports/?from=2026-03-01&to=2026-02-01",
     "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ("/admin/reports/?course=abc", "Kursus tidak dikenal."),
    ("/admin/reports/region/{region}?from=2026-13-45", BAD_DATE),
    ("/admin/reports/office/{office}?course=abc", "Kursus tidak dikenal."),
    ("/admin/reports/export/kanwil.csv?from=2026-13-45", BAD_DATE),
    ("/admin/reports/office/{office}/export/petugas.xlsx?course=abc", "Kursus tidak dikenal."),
    ("/admin/reports/help?days=-1", "Jumlah hari harus angka 1 sampai 365."),
    ("/admin/reports/help?days=0", "Jumlah hari harus angka 1 sampai 365."),
    ("/admin/reports/help?days=366", "Jumlah hari harus angka 1 sampai 365."),
    ("/admin/reports/help?days=abc", "Jumlah hari harus angka 1 sampai 365."),
    ("/admin/reports/help?page=0", "Nomor halaman tidak sah."),
    ("/admin/reports/help?page=x", "Nomor halaman tidak sah."),
    ("/admin/reports/help?course=abc", "Kursus tidak dikenal."),
    ("/admin/reports/help?region=x", "Nilai ini harus berupa angka."),
    ("/admin/reports/help/export.csv?days=-1", "Jumlah hari harus angka 1 sampai 365."),
    ("/admin/reports/quizzes?from=2026-13-45", BAD_DATE),
    ("/admin/reports/quizzes?course=abc", "Kursus tidak dikenal."),
    ("/admin/reports/quizzes/export.xlsx?to=2026-02-30", BAD_DATE),
    ("/admin/reports/quizzes/{quiz}?revision=x", "Nilai ini harus berupa angka."),
    ("/admin/reports/quizzes/{quiz}?from=2026-13-45", BAD_DATE),
]


@pytest.mark.parametrize("url,message", BAD_FILTERS)
def test_a_bad_filter_gives_400_with_the_message_and_the_form_again(staff, small_site, url,
                                                                    message):
    response = staff.get(url.format(**small_site))
    assert response.status_code == 400
    shown = page(response)
    assert message in shown.errors()
    assert any("course" in form.fields for form in shown.forms)  # the filter form again


def test_the_help_list_filters_by_course_and_shows_no_date_filter_it_would_ignore(staff, db,
                                                                                 population):
    shown = get_page(staff, "/admin/reports/help")
    form = shown.form("/admin/reports/help")
    assert "course" in form.fields and "days" in form.fields
    assert "from" not in form.fields and "to" not in form.fields
    everyone = all_help_pages(staff, "/admin/reports/help")[1]
    assert len({row[4] for row in everyone}) > 1
    assert all_help_pages(staff, "/admin/reports/help?from=2026-02-01&to=2026-02-28")[1] == \
        everyone  # a date range from an old link changes nothing, as the page says
    assert "Daftar ini menunjukkan keadaan hari ini, jadi tidak disaring menurut tanggal." in \
        shown.text
    slug, title = db.session.execute(sa.select(Course.slug, Course.title)
                                     .where(Course.published.is_(True))
                                     .order_by(Course.position)).first()
    one = all_help_pages(staff, f"/admin/reports/help?course={slug}")[1]
    assert one and {row[4] for row in one} == {title}

    national = get_page(staff, f"/admin/reports/?course={slug}&from=2025-10-01&to=2026-02-28")
    help_link = national.link("Perlu bantuan")
    assert parse_qs(urlsplit(help_link).query) == {"course": [slug]}


def test_the_quiz_list_filters_by_course(staff, db, population):
    everything = screen_table(get_page(staff, "/admin/reports/quizzes").table("table-quizzes"))
    assert len({row[1] for row in everything}) > 1
    slug, title = db.session.execute(sa.select(Course.slug, Course.title)
                                     .where(Course.published.is_(True))
                                     .order_by(Course.position.desc())).first()
    shown = get_page(staff, f"/admin/reports/quizzes?course={slug}")
    rows = downloads_equal_screen(staff, shown.table("table-quizzes"))
    expected = db.session.scalar(sa.select(sa.func.count(Quiz.id)).join(Module)
                                 .join(Course).where(Course.slug == slug))
    assert len(rows) == expected > 0 and {row[1] for row in rows} == {title}
    assert shown.form("/admin/reports/quizzes").fields["course"] == slug


def test_a_date_range_on_the_quiz_list_counts_attempts_inside_it(staff, db, population):
    whole = screen_table(get_page(staff, "/admin/reports/quizzes").table("table-quizzes"))
    early = screen_table(get_page(staff, "/admin/reports/quizzes?to=2025-12-31")
                         .table("table-quizzes"))
    assert [row[0] for row in whole] == [row[0] for row in early]
    assert all(e[2] <= w[2] for w, e in zip(whole, early))
    assert sum(e[2] for e in early) < sum(w[2] for w in whole)


# --------------------------------------------------------------------------- who may open what


def report_urls(site: dict, officer_id: int) -> list[str]:
    urls = ["/admin/reports/", "/admin/reports/region/{region}", "/admin/reports/office/{office}",
            "/admin/reports/office/0", "/admin/reports/help", "/admin/reports/quizzes",
            "/admin/reports/quizzes/{quiz}", "/admin/reports/export/kanwil.csv",
            "/admin/reports/region/{region}/export/kantor.xlsx",
            "/admin/reports/office/{office}/export/petugas.csv", "/admin/reports/help/export.xlsx",
            "/admin/reports/quizzes/export.csv", "/admin/reports/quizzes/{quiz}/export.csv",
            f"/admin/reports/officer/{officer_id}"]
    urls += [f"/admin/reports/officer/{officer_id}/export/{table}.{fmt}"
             for table in ("kursus-petugas", "modul", "percobaan-kuis") for fmt in ("csv", "xlsx")]
    return [url.format(**site) for url in urls]


def admin_pages(app, ids: dict) -> list[tuple[str, str]]:
    """(method, url) of every administration route that manages people, the organisation or
    assignments, with ids of rows that exist."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        values = {name: ids[name] for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.build(values, append_unknown=False)[1]))
    return found


def test_a_trainer_reads_every_report_but_no_administration_page(app, db, small_site):
    guru = app.test_client()
    make_user(role="trainer", username="guru")
    login(guru, "guru")
    ani = db.session.scalar(sa.select(User).where(User.username == "ani"))
    for url in report_urls(small_site, ani.id):
        assert guru.get(url).status_code == 200, url
    course = db.session.scalar(sa.select(Course))
    assignment = assignments.assign_course(course, "all", today=date.today())[0]
    db.session.commit()
    ids = {"user_id": ani.id, "region_id": small_site["region"], "office_id": small_site["office"],
           "assignment_id": assignment.id}
    before = everything(db)
    pages = admin_pages(app, ids)
    assert len(pages) > 20
    for method, url in pages:
        assert guru.open(url, method=method, data={"full_name": "x", "due_date": ""}
                         ).status_code == 403, (method, url)
    assert everything(db) == before


def everything(db):
    """What an administration page could change: people, organisation, assignments."""
    return [db.session.execute(sa.select(*model.__table__.columns).order_by(model.id)).all()
            for model in (User, Region, Office, Assignment)]


def test_an_officer_cannot_open_another_officers_report_or_its_downloads(app, db, small_site):
    budi_office = db.session.get(Office, small_site["office"])
    budi = make_user(username="budi", office=budi_office)
    ani = db.session.scalar(sa.select(User).where(User.username == "ani"))
    officer = app.test_client()
    login(officer, "budi")
    for url in report_urls(small_site, ani.id) + [f"/admin/reports/officer/{budi.id}"]:
        assert officer.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(app, db, small_site):
    ani = db.session.scalar(sa.select(User).where(User.username == "ani"))
    client = app.test_client()
    for url in report_urls(small_site, ani.id) + ["/admin/", "/admin/people"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
