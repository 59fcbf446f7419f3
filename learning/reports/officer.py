"""One officer in detail: every module of every published course and every quiz attempt, with
times and scores. Four queries whatever the size of the site."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.admin.coverage import assigned_pairs
from learning.extensions import db
from learning.models import Attempt, Course, Module, ModuleProgress, Office, Quiz, Region, User
from learning.models.attempts import SUBMITTED
from .facts import live_module
from learning.learner.reading_time import reading_summary
from .tables import BOOL, DATE, DATETIME, DECIMAL, INT, SCORE, TEXT, Column, ReportRow, ReportTable


@dataclass
class OfficerDetail:
    user: User
    office: Office | None
    region: Region | None
    courses: ReportTable  # one line per course: assigned, due date, modules done, state
    modules: ReportTable
    attempts: ReportTable


def _state(done: int, total: int, started: bool) -> str:
    if total and done >= total:
        return _l("Selesai")
    return _l("Sedang dipelajari") if started else _l("Belum mulai")


def officer_detail(user: User, today: date) -> OfficerDetail:
    office = db.session.get(Office, user.office_id) if user.office_id else None
    region = db.session.get(Region, office.region_id) if office else None
    pairs = assigned_pairs(user_id=user.id)
    dues = {course_id: due for course_id, due in db.session.execute(
        sa.select(pairs.c.course_id, pairs.c.due_date))}
    rows = db.session.execute(
        sa.select(Course.id, Course.title, Module.id, Module.title,
                  ModuleProgress.first_opened_at, ModuleProgress.last_opened_at,
                  ModuleProgress.completed_at, ModuleProgress.updated_since_completion,
                  ModuleProgress.seconds_spent)
        .join(Module, Module.course_id == Course.id)
        .outerjoin(ModuleProgress, sa.and_(ModuleProgress.module_id == Module.id,
                                           ModuleProgress.user_id == user.id))
        .where(Course.published.is_(True), live_module())
        .order_by(Course.position, Course.title, Module.position)).all()
    modules = ReportTable("modul", _l("Modul"), [
        Column("course", _l("Kursus"), TEXT), Column("module", _l("Modul"), TEXT),
        Column("first_opened", _l("Pertama dibuka"), DATETIME),
        Column("last_opened", _l("Terakhir dibuka"), DATETIME),
        Column("completed", _l("Selesai"), DATETIME),
        Column("minutes", _l("Waktu baca (menit)"), DECIMAL),
        Column("refused", _l("Waktu ditolak sebagai tidak mungkin (menit)"), DECIMAL),
        Column("updated", _l("Diperbarui sejak selesai"), BOOL)])
    reading = reading_summary(user.id)
    per_course: dict[int, list] = {}
    for course_id, course, module_id, title, first, last, completed, updated, seconds in rows:
        entry = per_course.setdefault(course_id, [course, 0, 0, False])
        entry[1] += 1
        entry[2] += 1 if completed is not None and not updated else 0
        entry[3] = entry[3] or first is not None
        modules.rows.append(ReportRow((
            course, title, first, last, completed,
            round((seconds or 0) / 60, 1) if first is not None else None,
            round(reading[module_id].refused / 60, 1) if module_id in reading else None,
            bool(updated) if completed is not None else None)))
    courses = ReportTable("kursus-petugas", _l("Kursus"), [
        Column("course", _l("Kursus"), TEXT), Column("assigned", _l("Ditugaskan"), BOOL),
        Column("due_date", _l("Tenggat"), DATE), Column("done", _l("Modul selesai"), INT),
        Column("total", _l("Jumlah modul"), INT), Column("state", _l("Status"), TEXT),
        Column("overdue", _l("Terlambat"), BOOL)])
    for course_id, (title, total, done, started) in per_course.items():
        assigned = course_id in dues
        due = dues.get(course_id)
        complete = bool(total) and done >= total
        courses.rows.append(ReportRow((
            title, assigned, due, done, total, _state(done, total, started),
            bool(due and due < today and not complete) if assigned else None)))
    attempt_rows = db.session.execute(
        sa.select(Course.title, Quiz.id, Quiz.title, Attempt.number, Attempt.started_at,
                  Attempt.submitted_at, Attempt.status, Attempt.percent, Attempt.passed)
        .join(Quiz, Quiz.id == Attempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(Attempt.user_id == user.id)
        .order_by(Course.position, Course.title, Module.position, Attempt.number)).all()
    attempts = ReportTable("percobaan-kuis", _l("Percobaan kuis"), [
        Column("course", _l("Kursus"), TEXT), Column("quiz", _l("Kuis"), TEXT),
        Column("number", _l("Percobaan ke-"), INT),
        Column("started", _l("Mulai"), DATETIME), Column("submitted", _l("Dikirim"), DATETIME),
        Column("score", _l("Nilai"), SCORE), Column("passed", _l("Lulus"), BOOL)])
    for course, quiz_id, quiz, number, started, submitted, status, percent, passed in attempt_rows:
        done = status == SUBMITTED
        attempts.rows.append(ReportRow((course, quiz, number, started, submitted if done else None,
                                        percent if done else None, passed if done else None),
                                       link=("quiz", quiz_id)))
    return OfficerDetail(user, office, region, courses, modules, attempts)
