"""The officer pages the field-ready tests visit, on the shipped curriculum."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from learning.cli import import_curriculum
from learning.extensions import db
from learning.models import Course, Module, ModuleRevision

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Lesson:
    course: str
    module: str
    chars: int

    @property
    def url(self) -> str:
        return f"/courses/{self.course}/{self.module}"


def import_shipped_curriculum():
    return import_curriculum(ROOT)


def largest_module(with_quiz: bool | None = None) -> Lesson:
    """The live module with the most text (optionally: one with, or without, a quiz)."""
    from learning.models import Quiz

    query = (sa.select(Course.slug, Module.slug, sa.func.length(ModuleRevision.html))
             .join(Module, Module.course_id == Course.id)
             .join(ModuleRevision, ModuleRevision.id == Module.published_revision_id)
             .where(Course.published.is_(True), Module.retired_at.is_(None)))
    has_quiz = sa.exists().where(Quiz.module_id == Module.id, Quiz.published_revision_id.is_not(None))
    if with_quiz is True:
        query = query.where(has_quiz)
    elif with_quiz is False:
        query = query.where(~has_quiz)
    course, module, chars = db.session.execute(
        query.order_by(sa.func.length(ModuleRevision.html).desc()).limit(1)).one()
    db.session.commit()  # end the read: on SQLite the test's transaction would hold the lock
    return Lesson(course, module, int(chars))


def write_result(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def take_quiz(page, base_url: str, lesson: Lesson, visit=lambda name, url: None) -> dict[str, str]:
    """Walk through a quiz as an officer: intro, attempt, result. `visit(name, url)` is called on
    each page before moving on (the attempt page exists only until the answers are sent).
    Picks the first choice of every question."""
    page.goto(base_url + lesson.url)
    page.get_by_role("link", name="Kerjakan kuis").click()
    urls = {"quiz intro": page.url}
    visit("quiz intro", page.url)
    page.locator("form button[type=submit].primary").first.click()
    page.wait_for_url("**/quiz/attempts/*")
    urls["quiz attempt"] = page.url
    visit("quiz attempt", page.url)
    page.reload()
    for question in page.locator("fieldset.question").all():
        choices = question.locator("input[type=radio], input[type=checkbox]")
        if choices.count():
            choices.first.check()
        for select in question.locator("select").all():
            values = [v for v in select.locator("option").evaluate_all(
                "els => els.map(e => e.value)") if v]
            if values:
                select.select_option(values[0])
        for text in question.locator("input[type=text]").all():
            text.fill("1")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/result")
    urls["quiz result"] = page.url
    visit("quiz result", page.url)
    return urls


def leave_module(page, base_url: str) -> None:
    """Leave a module page and let its last reading heartbeat (sent as the page hides) reach the
    server, so nothing is still writing when the test's database is emptied."""
    page.goto(f"{base_url}/offline", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
