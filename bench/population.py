"""The people and content a benchmark runs against: demo data (when the generator exists), a pool of
officers who can sign in, a benchmark administrator, and the live modules and quizzes.

The database is prepared with the app's own commands (`flask --app app bootstrap`, and
`flask --app app demo --officers N --seed S` when learning/demo.py exists). The sign-in pool then
gets one known password, written with the app's own password hashing, in one transaction.
"""
from __future__ import annotations

import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .server import ROOT, BenchError, Database, app_environment, run_flask

ADMIN_USERNAME = "bench-admin"
POOL_PREFIX = "bench-officer-"


@dataclass
class ModuleRef:
    course: str
    module: str
    has_quiz: bool

    @property
    def path(self) -> str:
        return f"/courses/{self.course}/{self.module}"


@dataclass
class Population:
    password: str
    officers: list[str]
    admin: str
    modules: list[ModuleRef]
    demo_seconds: float | None = None  # time the demo generator took, when it ran
    demo_officers: int = 0
    notes: list[str] = field(default_factory=list)


def demo_available() -> bool:
    return (ROOT / "learning" / "demo.py").exists()


@contextmanager
def app_context(database: Database, secret_key: str) -> Iterator[object]:
    """The application bound to the benchmark database, for the app's own domain functions."""
    from learning import create_app
    from learning.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": secret_key,
                      "IMPORT_CURRICULUM_ON_START": False})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def bootstrap(database: Database, secret_key: str, extra_env: dict | None = None) -> None:
    """The schema of the current models, then the app's own bootstrap (curriculum import).

    The schema is created from the models (as the tests do) and stamped at the migration head,
    so a benchmark measures the code as it is even while migrations/ lags behind a new model or
    column; the production server's on_starting upgrade is then a no-op."""
    with app_context(database, secret_key):
        from flask_migrate import stamp

        from learning.extensions import db

        db.create_all()
        stamp(revision="head")
    run_flask(["bootstrap"], app_environment(database, secret_key, extra_env), timeout=600)


def generate_demo(database: Database, secret_key: str, officers: int, seed: int,
                  timeout: float = 3600) -> float:
    """`flask --app app demo --officers N --seed S --force`; returns the seconds it took."""
    started = time.perf_counter()
    run_flask(["demo", "--officers", str(officers), "--seed", str(seed), "--force"],
              app_environment(database, secret_key), timeout=timeout)
    return time.perf_counter() - started


def live_modules() -> list[ModuleRef]:
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import Course, Module, Quiz

    rows = db.session.execute(
        sa.select(Course.slug, Module.slug, Quiz.published_revision_id)
        .join(Module, Module.course_id == Course.id)
        .outerjoin(Quiz, Quiz.module_id == Module.id)
        .where(Course.published.is_(True), Module.published_revision_id.is_not(None),
               Module.retired_at.is_(None))
        .order_by(Course.position, Course.id, Module.position)).all()
    return [ModuleRef(course, module, quiz is not None) for course, module, quiz in rows]


def _pool(count: int, password_hash: str) -> list[str]:
    """`count` officers who can sign in: demo officers first (oldest ids), then new ones."""
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import User

    officers = list(db.session.scalars(
        sa.select(User).where(User.role == "officer", User.active.is_(True))
        .order_by(User.id).limit(count)))
    office_id = officers[0].office_id if officers else None
    for index in range(len(officers), count):
        user = User(username=f"{POOL_PREFIX}{index + 1:05d}", full_name=f"Petugas Uji {index + 1}",
                    role="officer", office_id=office_id)
        db.session.add(user)
        officers.append(user)
    for user in officers:
        user.password_hash = password_hash
        user.must_change_password = False
    return [user.username for user in officers]


def _admin(password_hash: str) -> str:
    import sqlalchemy as sa

    from learning.extensions import db
    from learning.models import User

    user = db.session.scalar(sa.select(User).where(User.username == ADMIN_USERNAME))
    if user is None:
        user = User(username=ADMIN_USERNAME, full_name="Admin Benchmark", role="admin")
        db.session.add(user)
    user.password_hash = password_hash
    user.must_change_password = False
    return user.username


def prepare(database: Database, secret_key: str, officers: int, *, demo_officers: int = 0,
            seed: int = 1, extra_env: dict | None = None) -> Population:
    """Bootstrap, optionally generate demo data, and set up the sign-in pool and the admin."""
    bootstrap(database, secret_key, extra_env)
    notes = []
    demo_seconds = None
    if demo_officers and demo_available():
        demo_seconds = generate_demo(database, secret_key, demo_officers, seed)
    elif demo_officers:
        notes.append("learning/demo.py does not exist yet: officers created by the benchmark "
                     "without progress history")
    password = secrets.token_urlsafe(12)
    with app_context(database, secret_key):
        from werkzeug.security import generate_password_hash

        from learning.extensions import db

        password_hash = generate_password_hash(password)  # one hash shared by the pool: fast setup
        pool = _pool(officers, password_hash)
        admin = _admin(password_hash)
        db.session.commit()
        modules = live_modules()
    if not modules:
        raise BenchError("the database has no live modules: was the curriculum imported?")
    return Population(password=password, officers=pool, admin=admin, modules=modules,
                      demo_seconds=demo_seconds, demo_officers=demo_officers if demo_seconds else 0,
                      notes=notes)
