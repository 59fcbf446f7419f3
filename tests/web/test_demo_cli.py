"""`flask demo`: the same seed gives the same numbers, and a site with real officers is refused
unless --force."""
import sqlalchemy as sa

from learning.models import Assignment, User

from ..factories import login, make_office, make_user
from .pages import csv_rows

DEMO = ["demo", "--officers", "50", "--seed", "2", "--as-of", "2026-03-02"]
NATIONAL = ("/admin/reports/export/kanwil.csv", "/admin/reports/export/kursus.csv",
            "/admin/reports/export/tren-mingguan.csv", "/admin/reports/quizzes/export.csv")


def numbers(client) -> list:
    """The national report tables, as downloaded."""
    return [csv_rows(client.get(url)) for url in NATIONAL]


def demo_people(db) -> list[tuple]:
    return db.session.execute(sa.select(User.username, User.full_name, User.nip)
                              .where(User.username.like("demo-%")).order_by(User.username)).all()


def counted(output: str) -> list[str]:
    """The summary's lines of counts: regions and offices, assignments, attempts."""
    return [line for line in output.splitlines() if line.startswith("  ") and line[2].isdigit()]


def test_the_same_seed_twice_gives_the_same_numbers(runner, client, db):
    make_user(role="admin", username="admin")
    login(client, "admin")
    first = runner.invoke(args=DEMO)
    assert first.exit_code == 0, first.output
    assert "50 officers" in first.output
    shown, people = numbers(client), demo_people(db)
    assert len(people) == 50 and int(shown[0][-1][2]) == 50  # the one sample course, to all

    second = runner.invoke(args=DEMO)
    assert second.exit_code == 0, second.output
    assert "replaced 50 demo people of an earlier run" in second.output
    assert numbers(client) == shown
    assert demo_people(db) == people
    assert len(counted(first.output)) == 3 and counted(first.output) == counted(second.output)

    other = runner.invoke(args=["demo", "--officers", "50", "--seed", "3", "--as-of", "2026-03-02"])
    assert other.exit_code == 0 and numbers(client) != shown  # the seed does matter


def test_a_site_with_real_officers_is_refused_unless_forced(runner, db):
    sari = make_user(username="sari", office=make_office())
    refused = runner.invoke(args=DEMO)
    assert refused.exit_code != 0
    assert "refused: the database has 1 real account(s)" in refused.output
    assert "Use --force" in refused.output
    assert demo_people(db) == []
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0

    forced = runner.invoke(args=DEMO + ["--force"])
    assert forced.exit_code == 0, forced.output
    assert len(demo_people(db)) == 50
    assert db.session.get(User, sari.id).username == "sari"  # the real officer is untouched
