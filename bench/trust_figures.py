"""Before/after figures of issue 14 ("numbers an administrator can trust"), on throw-away SQLite
databases: a restart after trainers published in the studio, a module added to the course with
the most completions (demo data, 300 officers), an officer created under a region-wide assignment
whose due date has passed, and one sync of 200 back-dated heartbeats.

Run from the repository root: `python -m bench.trust_figures` (docs/trust-figures.md lists the
figures before and after the fix)."""
import io, contextlib, sys, tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
from learning import create_app
from learning.extensions import db
from learning.models import Course, Module, Quiz, User, Assignment, Office, Region


def restart():
    from learning.cli import bootstrap
    from learning.studio import authoring, quizzes
    tmp = tempfile.mkdtemp()
    url = f"sqlite:///{tmp}/a.db"
    cfg = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "IMPORT_CURRICULUM_ON_START": True,
           "CONTENT_ROOT": ROOT}
    app = create_app(cfg)
    with contextlib.redirect_stdout(io.StringIO()):
        bootstrap(app)
    with app.app_context():
        trainer = User(username="pelatih", full_name="Pelatih", role="trainer")
        db.session.add(trainer)
        course = db.session.scalar(sa.select(Course).order_by(Course.position))
        mods = [m for m in course.modules if m.quiz is not None][:3]
        ids = []
        for i, m in enumerate(mods):
            saved = authoring.save_module_draft(m, authoring.ModuleDraft(
                title=m.title, minutes=m.minutes, laws=list(m.laws), reviewed=m.reviewed,
                source=m.published_revision.source + "\nTambahan dari studio.\n"), trainer)
            authoring.publish_module(m, saved.revision, trainer, substantive=(i == 0))
            q = m.quiz
            src = q.published_revision.source.replace("title: ", "title: (studio) ", 1)
            qs = quizzes.save_quiz_draft(q, src, trainer)
            quizzes.publish_quiz(q, qs.revision, trainer)
            ids.append((m.id, saved.revision.id, q.id, qs.revision.id))
        db.session.commit()
        db.session.remove(); db.engine.dispose()
    app2 = create_app(cfg)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bootstrap(app2)
    with app2.app_context():
        kept = 0
        for mid, mrev, qid, qrev in ids:
            kept += db.session.get(Module, mid).published_revision_id == mrev
            kept += db.session.get(Quiz, qid).published_revision_id == qrev
        db.session.remove(); db.engine.dispose()
    line = [l for l in out.getvalue().splitlines() if "urriculum" in l]
    return f"studio revisions still live after restart: {kept}/6; start log: {line[0] if line else '(none)'}"


def demo_app():
    tmp = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/d.db",
                      "CONTENT_ROOT": ROOT})
    return app


def add_module():
    from learning.demo.generate import generate_demo
    from learning.reports.completion import completion_rates, NATIONAL
    from learning.reports.filters import ReportFilter
    from learning.studio import authoring
    app = demo_app()
    as_of = date(2026, 12, 2)
    with app.app_context(), app.test_request_context():
        db.create_all()
        generate_demo(300, 7, as_of=as_of, tz="Asia/Jakarta", content_root=ROOT, force=True)
        db.session.commit()
        def figures(course_id):
            total = completion_rates(NATIONAL, ReportFilter(), as_of, "Asia/Jakarta").total
            per = completion_rates(NATIONAL, ReportFilter(course_id=course_id), as_of, "Asia/Jakarta").total
            return per.completed, total.completed, getattr(per, "new_material", "n/a")
        course = max(db.session.scalars(sa.select(Course)),
                     key=lambda c: completion_rates(NATIONAL, ReportFilter(course_id=c.id), as_of, "Asia/Jakarta").total.completed)
        before = figures(course.id)
        trainer = User(username="pelatih", full_name="Pelatih", role="trainer")
        db.session.add(trainer)
        m = authoring.add_module(course, slug="modul-baru", title="Modul baru", actor=trainer)
        s = authoring.save_module_draft(m, authoring.ModuleDraft(title="Modul baru", minutes=10, laws=[],
                                        reviewed=None, source="Materi baru.\n"), trainer)
        authoring.publish_module(m, s.revision, trainer)
        db.session.commit()
        after = figures(course.id)
        return (f"course '{course.title}' ({len(course.live_modules)} live modules after): completed "
                f"{before[0]} -> {after[0]}, national completed {before[1]} -> {after[1]}, "
                f"'new material' {after[2]}")


def newcomer():
    from learning.admin import assignments
    from learning.clock import today
    app = demo_app()
    with app.app_context():
        db.create_all()
        region = Region(code="KALSEL", name="Kanwil Kalsel"); db.session.add(region)
        office = Office(code="KANIM-BTL", name="Batulicin", region=region); db.session.add(office)
        db.session.flush()
        course = Course(slug="c", title="C", published=True); db.session.add(course); db.session.flush()
        mod = Module(course_id=course.id, slug="m", title="M"); db.session.add(mod)
        t = today()
        made = datetime.now(timezone.utc) - timedelta(days=60)
        a = Assignment(course_id=course.id, scope="region", region_id=region.id,
                       due_date=t - timedelta(days=30), created_at=made)
        if hasattr(a, "period_days"):
            a.period_days = 30
        db.session.add(a)
        u = User(username="baru", full_name="Baru", role="officer", office_id=office.id)
        db.session.add(u); db.session.commit()
        due = assignments.assigned_due_dates(u)[course.id][0]
        def overdue(day):
            return [i.overdue for i in assignments.dashboard_progress(u, day) if i.assigned]
        return (f"officer created today under a region-wide assignment due {t - timedelta(days=30)}: "
                f"due {due}, overdue on day one {overdue(t)}, on day 30 {overdue(t + timedelta(days=30))}, "
                f"on day 31 {overdue(t + timedelta(days=31))}")


def forged():
    from learning.learner.device_sync import apply_batch, parse_batch
    from learning.models import ModuleProgress
    from learning.content.importer import load_curriculum
    app = demo_app()
    now = datetime.now(timezone.utc)
    with app.app_context():
        db.create_all()
        load_curriculum(ROOT); db.session.commit()
        module = db.session.scalar(sa.select(Module).where(Module.minutes == 10).limit(1)) or \
            db.session.scalar(sa.select(Module).limit(1))
        u = User(username="sari", full_name="Sari", role="officer", created_at=now - timedelta(days=30))
        db.session.add(u); db.session.commit()
        key = f"{module.course.slug}/{module.slug}"
        start = now - timedelta(days=2)
        batch = [{"id": f"beat-{i:05d}", "module": key, "kind": "heartbeat",
                  "at": (start + timedelta(seconds=119 * i)).isoformat()} for i in range(200)]
        apply_batch(u, parse_batch(batch), now, 120)
        db.session.commit()
        spent = db.session.scalar(sa.select(ModuleProgress.seconds_spent))
        return (f"200 back-dated heartbeats 119 s apart on a {module.minutes}-minute module: "
                f"credited {spent} s ({spent/3600:.1f} h)")


for name, fn in (("restart", restart), ("add module", add_module), ("newcomer", newcomer),
                 ("forged sync", forged)):
    try:
        print(f"{name}: {fn()}", flush=True)
    except Exception as exc:
        print(f"{name}: ERROR {exc!r}", flush=True)
