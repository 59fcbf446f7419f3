"""Demo data: `flask --app app demo --officers N --seed S [--as-of YYYY-MM-DD] [--force]`.

Creates a realistic, repeatable data set on the shipped curriculum (imported first when the
database has no course): regions and offices with real province and office names, N officers with
NIPs spread over them, assignments (to everyone, regions, offices and chosen officers, some
overdue), module progress and quiz attempts with a plausible spread of scores and dates, and the
answers item analysis reads. The same seed and date give the same data.

Demo accounts are the users whose username starts with "demo-"; they have no password (an
administrator can reset one to look around as an officer). "Real" users are every other account
that is not an administrator: when any exists the command refuses unless --force is given, so a
live site is never filled with invented people by mistake. Running it again replaces the previous
demo people, their history and the demo assignments; regions and offices are kept (by code).

Rows are written with bulk INSERTs (`session.execute(insert(Model), rows)`) in batches, with ids
chosen here, so 100,000 officers take minutes. The whole run is one transaction.
"""
from __future__ import annotations

import math
import random
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from learning.clock import local_date
from learning.content.importer import load_curriculum
from learning.learner.completions import record_missing_completions
from learning.reports import standing
from learning.events.demo import add_demo_events
from .history import CourseModel, History, load_courses
from .places import FAMILY_NAMES, GIVEN_NAMES, REGIONS
from learning.extensions import db
from learning.models import (Assignment,
    Attempt,
    AttemptAnswer,
    Course,
    Module,
    ModuleProgress,
    Office,
    Region,
    Role,
    User)

DEMO_PREFIX = "demo-"
OFFICERS_PER_OFFICE = 40
BATCH_ROWS = 5000


class DemoRefused(Exception):
    def __init__(self, real_users: int):
        super().__init__(f"{real_users} real user(s)")
        self.real_users = real_users


@dataclass
class DemoSummary:
    seed: int
    as_of: date
    curriculum_imported: bool = False
    regions: int = 0
    offices: int = 0
    officers: int = 0
    assignments: int = 0
    progress: int = 0
    attempts: int = 0
    answers: int = 0
    replaced: int = 0  # demo people of an earlier run, removed first
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"demo data (seed {self.seed}, as of {self.as_of.isoformat()}):"
            + (" shipped curriculum imported first;" if self.curriculum_imported else ""),
            f"  {self.regions} regions, {self.offices} offices, {self.officers:,} officers",
            f"  {self.assignments} assignments, {self.progress:,} module progress rows",
            f"  {self.attempts:,} quiz attempts with {self.answers:,} answers",
            *([f"  training events (face to face, in WIB, WITA and WIT): {self.counts['events']}"]
              if self.counts.get("events") else []),
            *([f"  replaced {self.replaced:,} demo people of an earlier run"]
              if self.replaced else []),
            f"  in {self.seconds:.1f} s. Demo accounts (username demo-...) have no password.",
        ]


# --------------------------------------------------------------------------- safety


def real_users() -> int:
    """Accounts that are neither administrators nor demo people."""
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role != Role.ADMIN.value, sa.not_(User.username.like(f"{DEMO_PREFIX}%")))) or 0


def _purge(table: sa.Table, condition, owned: set[str]) -> None:
    """Delete the rows of `table` matching `condition`, and first what refers to them: rows of
    tables that belong to them are deleted, nullable references elsewhere are set to NULL."""
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            referenced = sa.select(fk.column).where(condition).scalar_subquery()
            column = fk.parent
            if column.nullable and f"{child.name}.{column.name}" not in owned:
                db.session.execute(sa.update(child).where(column.in_(referenced))
                                   .values({column.name: None}))
            elif child is not table:
                _purge(child, column.in_(referenced), owned)
    db.session.execute(sa.delete(table).where(condition))


def remove_demo_data() -> int:
    """Remove demo people (with everything that belongs to them) and demo assignments."""
    demo = User.username.like(f"{DEMO_PREFIX}%")
    count = db.session.scalar(sa.select(sa.func.count(User.id)).where(demo)) or 0
    db.session.execute(sa.delete(Assignment).where(Assignment.origin == "demo"))
    if count:
        _purge(User.__table__, demo, owned={"assignments.user_id"})
    return count


# --------------------------------------------------------------------------- places and people


def _places(officers: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The regions and offices a demo of this size uses: about 40 officers per office."""
    wanted = max(2, min(sum(len(o) for *_, o in REGIONS), math.ceil(officers / OFFICERS_PER_OFFICE)))
    region_count = min(len(REGIONS), math.isqrt(wanted) + 1)
    chosen: dict[str, list] = {}
    taken = 0
    while taken < wanted:
        for code, _name, offices in REGIONS[:region_count]:
            used = chosen.setdefault(code, [])
            if taken < wanted and len(used) < len(offices):
                used.append(offices[len(used)])
                taken += 1
        if taken < wanted and all(len(chosen.get(c, [])) == len(o)
                                  for c, _n, o in REGIONS[:region_count]):
            region_count += 1
    return [(code, name, chosen[code]) for code, name, _ in REGIONS if chosen.get(code)]


def _upsert_places(places) -> list[tuple[int, int]]:
    """Create missing regions and offices (by code); returns (office id, region id) pairs."""
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    offices = {o.code: o for o in db.session.scalars(sa.select(Office))}
    result = []
    for code, name, office_list in places:
        region = regions.get(code)
        if region is None:
            region = regions[code] = Region(code=code, name=name)
            db.session.add(region)
        for office_code, office_name in office_list:
            office = offices.get(office_code)
            if office is None:
                office = offices[office_code] = Office(code=office_code, name=office_name,
                                                       region=region)
                db.session.add(office)
            result.append(office)
    db.session.flush()
    return [(office.id, office.region_id) for office in result]


def _nip(rng: random.Random, taken: set[str], as_of: date) -> str:
    while True:
        born = date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28))
        start_year = min(as_of.year, born.year + rng.randint(22, 30))
        nip = (f"{born:%Y%m%d}{start_year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}"
               f"{rng.randint(1, 999):03d}")
        if nip not in taken:
            taken.add(nip)
            return nip


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


class _Writer:
    """Collects rows per model and inserts them in batches."""

    def __init__(self):
        self.pending: dict[type, list[dict]] = {}
        self.written: dict[type, int] = {}

    ORDER = (User, ModuleProgress, Attempt, AttemptAnswer)  # referenced tables first

    def add(self, model, row: dict) -> None:
        rows = self.pending.setdefault(model, [])
        rows.append(row)
        if len(rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for each in self.ORDER:
            rows = self.pending.get(each) or []
            if rows:
                db.session.execute(sa.insert(each), rows)
                self.written[each] = self.written.get(each, 0) + len(rows)
                self.pending[each] = []


def _fix_sequences(models) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


# --------------------------------------------------------------------------- assignments


def _assignments(courses: list[CourseModel], places, anchor: datetime, as_of: date,
                 rng: random.Random) -> list[dict]:
    """The demo's assignment plan (scope, target, course, created, due)."""
    regions = sorted({region_id for _, region_id in places})
    offices = [office_id for office_id, _ in places]
    plan = []

    def add(course, scope, created_days, due_days, **target):
        due = as_of + timedelta(days=due_days) if due_days is not None else None
        created = anchor - timedelta(days=created_days)
        plan.append({"course_id": course.id, "scope": scope, "origin": "demo",
                     "created_at": created, "due_date": due,
                     "period_days": (due - local_date(created)).days if due else None,
                     "newcomer_days": None, **target})

    pick = lambda index: courses[index % len(courses)]  # noqa: E731
    add(pick(0), "all", 150, -45)
    if len(courses) > 1:
        add(pick(1), "all", 60, 21)
    for region_id in regions[: max(1, (len(regions) + 1) // 2)]:
        add(pick(2), "region", 35, 40, region_id=region_id)
    for office_id in offices[::3]:
        add(pick(3), "office", 20, None, office_id=office_id)
    return plan


def _covering(plan: list[dict], office_id: int, region_id: int) -> dict[int, tuple]:
    """course id -> (first assigned, due date that counts) for an officer of this office."""
    rank = {"all": 0, "region": 1, "office": 2, "user": 3}
    best: dict[int, tuple] = {}
    for entry in plan:
        scope = entry["scope"]
        if scope == "region" and entry.get("region_id") != region_id:
            continue
        if scope == "office" and entry.get("office_id") != office_id:
            continue
        if scope == "user":
            continue
        course_id = entry["course_id"]
        key = (rank[scope], entry["created_at"])
        first, due, current = best.get(course_id, (entry["created_at"], None, None))
        first = min(first, entry["created_at"])
        if current is None or key > current:
            due, current = entry["due_date"], key
        best[course_id] = (first, due, current)
    return {course_id: (first, due) for course_id, (first, due, _) in best.items()}


# --------------------------------------------------------------------------- the command


def generate_demo(officers: int, seed: int, *, as_of: date, tz: str, content_root: Path,
                  force: bool = False, progress=None) -> DemoSummary:
    """Create the demo data set (see the module docstring); raise DemoRefused when real users
    exist and `force` is False. Adds and flushes; the caller commits."""
    started = clock.perf_counter()
    if officers < 1:
        raise ValueError("officers must be at least 1")
    real = real_users()
    if real and not force:
        raise DemoRefused(real)
    summary = DemoSummary(seed=seed, as_of=as_of)
    if not db.session.scalar(sa.select(Course.id).where(Course.published.is_(True)).limit(1)):
        load_curriculum(content_root)
        summary.curriculum_imported = True
    summary.replaced = remove_demo_data()
    db.session.flush()
    rng = random.Random(seed)
    anchor = datetime.combine(as_of, time(0), ZoneInfo(tz)).astimezone(timezone.utc)
    courses = load_courses(rng)
    places = _places(officers)
    office_regions = _upsert_places(places)
    summary.regions, summary.offices = len(places), len(office_regions)
    plan = _assignments(courses, office_regions, anchor, as_of, rng)
    covering = {office: _covering(plan, office, region) for office, region in office_regions}
    weights = [rng.uniform(0.5, 2.0) for _ in office_regions]
    writer = _Writer()
    history = History(writer, anchor, rng, courses)
    user_id, taken = _next_id(User), set(db.session.scalars(sa.select(User.nip).where(
        User.nip.is_not(None))))
    chosen_plan = []
    extra_course = courses[3 % len(courses)]
    for index in range(officers):
        office_id, region_id = rng.choices(office_regions, weights=weights)[0]
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        writer.add(User, {
            "id": user_id, "username": f"{DEMO_PREFIX}{given}.{family}.{index + 1:06d}".lower(),
            "full_name": f"{given} {family}", "nip": _nip(rng, taken, as_of),
            "email": None, "role": Role.OFFICER.value, "office_id": office_id, "active": True,
            "password_hash": "", "must_change_password": True, "data_saver": False,
            "email_opt_out": False, "created_at": anchor - timedelta(days=rng.randint(160, 400))})
        assigned = dict(covering[office_id])
        if rng.random() < 0.01 and extra_course.id not in assigned:  # chosen officers
            created = anchor - timedelta(days=12)
            chosen_plan.append({"course_id": extra_course.id, "scope": "user", "user_id": user_id,
                                "origin": "demo", "created_at": created,
                                "due_date": as_of + timedelta(days=10)})
            assigned[extra_course.id] = (created, as_of + timedelta(days=10))
        history.officer(user_id, assigned)
        user_id += 1
        if progress and (index + 1) % 10_000 == 0:
            progress(f"  {index + 1:,} / {officers:,} officers")
    writer.flush()
    for entry in plan + chosen_plan:
        db.session.add(Assignment(**entry))
    db.session.flush()
    _fix_sequences([User, ModuleProgress, Attempt, AttemptAnswer])
    db.session.flush()
    # The bulk INSERTs above bypass what records completions and keeps the standings current.
    record_missing_completions(anchor)
    standing.rebuild()
    summary.counts["events"] = add_demo_events(as_of, seed)
    db.session.execute(sa.text("ANALYZE"))  # fresh planner statistics for the new volume
    summary.officers = writer.written.get(User, 0)
    summary.assignments = len(plan) + len(chosen_plan)
    summary.progress = writer.written.get(ModuleProgress, 0)
    summary.attempts = writer.written.get(Attempt, 0)
    summary.answers = writer.written.get(AttemptAnswer, 0)
    summary.seconds = clock.perf_counter() - started
    return summary
