"""Publishing says what it will do, and a finished course stays finished.

A trainer adds a module to a course an officer has finished: the studio first shows the effect in
numbers and asks to confirm; the audit log keeps the numbers; the officer's dashboard shows the
course as finished, with new material and the certificate, no due date and no "Lanjutkan".
Choosing recertification at publish sends the certificates to renewal, after saying how many."""
import sqlalchemy as sa

from learning.learner import progress
from learning.models import AuditEvent, Certificate, Course, Module, utcnow

from ..factories import import_sample_curriculum, login, make_user


def _finish(db, officer):
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for module in course.live_modules:
        progress.complete_module(officer, module, utcnow())
    db.session.commit()
    return course


def _new_module_draft(trainer):
    trainer.post("/studio/courses/contoh/modules/new", data={"slug": "baru", "title": "Modul baru"})


def test_adding_a_module_is_confirmed_in_numbers_and_the_officer_keeps_selesai(app, db):
    import_sample_curriculum()
    officer = make_user(username="sari")
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    course = _finish(db, officer)
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate is not None and certificate.completion_id is not None

    trainer = app.test_client()
    login(trainer, "tina")
    _new_module_draft(trainer)
    module = db.session.scalar(sa.select(Module).where(Module.slug == "baru"))
    trainer.post(f"/studio/modules/{module.id}/edit", data={
        "title": "Modul baru", "minutes": "6", "laws": "", "reviewed": "",
        "source": "Materi baru.\n", "note": "", "base": "0", "action": "save"})
    asked = trainer.post(f"/studio/modules/{module.id}/publish", data={"revision": "1"})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "periksa dampaknya" in text
    assert "<strong>1</strong> petugas akan melihat materi baru" in text
    assert "<strong>0</strong> sertifikat perlu diperbarui" in text
    db.session.refresh(module)
    assert module.published_revision_id is None  # nothing happened yet
    done = trainer.post(f"/studio/modules/{module.id}/publish",
                        data={"revision": "1", "confirmed": "1"})
    assert done.status_code == 302
    db.session.refresh(module)
    assert module.is_live
    logged = db.session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "publish", AuditEvent.target_id == module.id))
    assert "1 petugas melihat materi baru" in logged and "0 sertifikat perlu diperbarui" in logged

    reader = app.test_client()
    login(reader, "sari")
    dashboard = reader.get("/").get_data(as_text=True)
    assert "Selesai" in dashboard and "ada materi baru" in dashboard
    assert "/courses/contoh/baru" in dashboard and f"/certificates/{certificate.number}" in dashboard
    assert "Lanjutkan" not in dashboard and "Tenggat" not in dashboard
    db.session.refresh(certificate)
    assert certificate.refresher_opened_at is None  # still valid: no recertification asked
    assert progress.courses_progress(officer, [course])[0].new_material


def test_recertification_is_chosen_at_publish_and_counted_first(app, db):
    import_sample_curriculum()
    officer = make_user(username="sari")
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    _finish(db, officer)
    trainer = app.test_client()
    login(trainer, "tina")
    module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    trainer.post(f"/studio/modules/{module.id}/edit", data={
        "title": module.title, "minutes": str(module.minutes), "laws": "\n".join(module.laws),
        "reviewed": "", "source": module.published_revision.source + "\nAturan baru.\n",
        "note": "UU berubah", "base": "1", "action": "save"})
    data = {"revision": "2", "substantive": "y", "recertify": "y"}
    asked = trainer.post(f"/studio/modules/{module.id}/publish", data=data)
    text = asked.get_data(as_text=True)
    assert "<strong>1</strong> sertifikat perlu diperbarui" in text
    assert "<strong>1</strong> petugas yang sudah menyelesaikan modul ini" in text
    assert trainer.post(f"/studio/modules/{module.id}/publish",
                        data={**data, "confirmed": "1"}).status_code == 302
    certificate = db.session.scalar(sa.select(Certificate))
    db.session.refresh(certificate)
    assert certificate.refresher_opened_at is not None
    assert db.session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "recertify")).startswith("1 sertifikat perlu diperbarui")


def test_retiring_a_module_says_how_many_officers_it_completes(app, db):
    import_sample_curriculum()
    officer = make_user(username="sari")
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for module in course.live_modules[:2]:
        progress.complete_module(officer, module, utcnow())
    db.session.commit()
    last = course.live_modules[2]
    trainer = app.test_client()
    login(trainer, "tina")
    asked = trainer.post(f"/studio/modules/{last.id}/retire")
    assert asked.status_code == 200
    assert "<strong>1</strong> petugas menjadi selesai" in asked.get_data(as_text=True)
    db.session.refresh(last)
    assert last.retired_at is None
    assert trainer.post(f"/studio/modules/{last.id}/retire",
                        data={"confirmed": "1"}).status_code == 302
    db.session.refresh(last)
    assert last.retired_at is not None
    assert "1 petugas menjadi selesai" in db.session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "retire"))
    assert progress.courses_progress(officer, [course])[0].state == progress.DONE
