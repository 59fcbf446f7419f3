"""At 360 px: a finished course shows as finished on the dashboard (badge, certificate link, no
due date, no "Lanjutkan"), also after a trainer added a module (then with "ada materi baru" and
a link to it)."""
import os
from datetime import timedelta

import sqlalchemy as sa

from learning.admin import assignments
from learning.clock import today
from learning.extensions import db as _db
from learning.learner import progress
from learning.models import Course, User, utcnow
from learning.studio import authoring

from ..factories import PASSWORD, import_sample_curriculum, make_office, make_user
from .conftest import sign_in

SHOTS = os.environ.get("SCREENSHOT_DIR")


def test_a_finished_course_shows_as_finished_at_360_px(db, live_server, phone):
    import_sample_curriculum()
    office = make_office()
    officer = make_user(username="sari", full_name="Sari Wulandari", office=office)
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    assignments.assign_course(course, "office", today=today(), office=office,
                              due_date=today() + timedelta(days=10))
    for module in course.live_modules:
        progress.complete_module(officer, module, utcnow())
    trainer = User(username="pelatih", full_name="Pelatih", role="trainer")
    _db.session.add(trainer)
    _db.session.commit()

    sign_in(phone, live_server, "sari", PASSWORD)
    card = phone.locator(".course-card").first
    text = card.inner_text()
    assert "Selesai" in text and "Lihat sertifikat" in text
    assert "Tenggat" not in text and "Lanjutkan" not in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "dashboard-finished-360.png"), full_page=True)

    module = authoring.add_module(course, slug="baru", title="Modul baru", actor=trainer)
    saved = authoring.save_module_draft(module, authoring.ModuleDraft(
        title="Modul baru", minutes=5, laws=[], reviewed=None, source="Materi baru.\n"), trainer)
    authoring.publish_module(module, saved.revision, trainer)
    _db.session.commit()
    phone.reload()
    card = phone.locator(".course-card").first
    text = card.inner_text()
    assert "Selesai" in text and "ada materi baru" in text and "Lanjutkan" not in text
    card.get_by_role("link", name="Baca materi baru").click()
    phone.wait_for_url(f"{live_server}/courses/contoh/baru")
    assert "Modul baru" in phone.locator("main").inner_text()
    # leave the module page before the database is emptied: its reading heartbeat must not be
    # in flight while the teardown truncates the tables (a deadlock on PostgreSQL)
    phone.wait_for_load_state("networkidle")
    phone.goto("about:blank")
