"""Item analysis: how each question of a quiz revision performs, for the trainer to review.

Per question, over the submitted attempts on one revision (question texts and option positions
belong to a revision, so revisions are never mixed):

* presented: attempts that drew the question; answered: those with a response;
* percent correct: correct answers / presented (an unanswered question was graded wrong);
* the most chosen wrong option (for choice questions the wrong option ticked most often; for the
  other types the most frequent wrong answer) and how many chose it;
* discrimination index D = p(upper) - p(lower): the share answering correctly among the top 27%
  of attempts by score minus the share among the bottom 27%. D near 0 or negative means the
  question does not separate officers who know the material from those who do not.

A question is flagged for review when D is below the threshold (default 0.20) once the revision
has enough attempts (default 20). Three queries whatever the number of attempts.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.extensions import db
from learning.quizzes.grading import normalise_short
from learning.models import Attempt, AttemptAnswer, Course, Module, Quiz, QuizRevision
from learning.models.attempts import SUBMITTED
from .tables import DECIMAL, INT, PERCENT, SCORE, TEXT, Column, ReportRow, ReportTable, mean, rate

GROUP_SHARE = 27  # percent of attempts in the upper and in the lower group
DEFAULT_THRESHOLD = 0.2
DEFAULT_MIN_ATTEMPTS = 20
WRONG_PER_QUESTION = 64  # distinct wrong responses read per question (enough for every option set)
PROMPT_CHARS = 160


def _range(column, start, end) -> list:
    return ([column >= start] if start else []) + ([column < end] if end else [])


def quiz_overview(start: datetime | None = None, end: datetime | None = None,
                  course_id: int | None = None) -> ReportTable:
    """Every quiz (of one course) with its submitted attempts, officers, average score and pass
    rate (of the attempts submitted in [start, end)): one query."""
    stats = (sa.select(Attempt.quiz_id, sa.func.count().label("attempts"),
                       sa.func.count(sa.distinct(Attempt.user_id)).label("officers"),
                       sa.func.sum(Attempt.percent).label("score_sum"),
                       sa.func.sum(sa.case((Attempt.passed.is_(True), 1), else_=0)).label("passed"))
             .where(Attempt.status == SUBMITTED, *_range(Attempt.submitted_at, start, end))
             .group_by(Attempt.quiz_id).subquery())
    rows = db.session.execute(
        sa.select(Quiz.id, Course.title, Quiz.title, stats.c.attempts, stats.c.officers,
                  stats.c.score_sum, stats.c.passed)
        .join(Module, Module.id == Quiz.module_id).join(Course, Course.id == Module.course_id)
        .outerjoin(stats, stats.c.quiz_id == Quiz.id)
        .where(*([Module.course_id == course_id] if course_id is not None else []))
        .order_by(Course.position, Course.title, Module.position, Quiz.title)).all()
    table = ReportTable("kuis", _l("Kuis"), [
        Column("quiz", _l("Kuis"), TEXT), Column("course", _l("Kursus"), TEXT),
        Column("attempts", _l("Percobaan"), INT), Column("officers", _l("Petugas"), INT),
        Column("average", _l("Nilai rata-rata"), SCORE),
        Column("pass_rate", _l("Lulus"), PERCENT)])
    for quiz_id, course, title, attempts, officers, score_sum, passed in rows:
        attempts = int(attempts or 0)
        table.rows.append(ReportRow((title, course, attempts, int(officers or 0),
                                     mean(score_sum, attempts), rate(int(passed or 0), attempts)),
                                    link=("quiz", quiz_id)))
    return table


@dataclass(frozen=True)
class RevisionChoice:
    revision: QuizRevision
    attempts: int


def quiz_revisions(quiz: Quiz) -> list[RevisionChoice]:
    """The quiz's revisions, newest first, with their submitted attempts: one query."""
    rows = db.session.execute(
        sa.select(QuizRevision, sa.func.count(Attempt.id))
        .outerjoin(Attempt, sa.and_(Attempt.quiz_revision_id == QuizRevision.id,
                                    Attempt.status == SUBMITTED))
        .where(QuizRevision.quiz_id == quiz.id)
        .group_by(QuizRevision.id).order_by(QuizRevision.number.desc())).all()
    return [RevisionChoice(revision, int(count)) for revision, count in rows]


def _response_key(text: str | None):
    if text is None or text == "null":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _wrong_choices(question: dict, responses: list[tuple[object, int]]) -> tuple[str, int]:
    """The most chosen wrong option (or wrong answer) of one question and how often."""
    kind = question.get("type")
    counter: Counter = Counter()
    options = question.get("options") or []
    for response, count in responses:
        if kind in ("single", "true_false") and isinstance(response, int):
            if 0 <= response < len(options) and not options[response]["correct"]:
                counter[options[response]["text"]] += count
        elif kind == "multiple" and isinstance(response, list):
            for index in response:
                if isinstance(index, int) and 0 <= index < len(options) \
                        and not options[index]["correct"]:
                    counter[options[index]["text"]] += count
        elif kind == "short" and isinstance(response, str):
            counter[normalise_short(response)] += count
        elif kind == "numeric":
            counter[str(response).strip()] += count
        elif kind == "ordering" and isinstance(response, list):
            items = question.get("items") or []
            counter[" → ".join(items[i] for i in response
                               if isinstance(i, int) and 0 <= i < len(items))] += count
        elif kind == "matching" and isinstance(response, dict):
            pairs = question.get("pairs") or []
            rights = [r for _, r in pairs] + list(question.get("distractors") or [])
            for left, right in response.items():
                try:
                    left, right = int(left), int(right)
                except (TypeError, ValueError):
                    continue
                if 0 <= left < len(pairs) and 0 <= right < len(rights) \
                        and rights[right] != pairs[left][1]:
                    counter[f"{pairs[left][0]} = {rights[right]}"] += count
    if not counter:
        return "", 0
    text, count = min(counter.items(), key=lambda item: (-item[1], item[0]))
    return text, count


def _plain(markdown: str) -> str:
    text = " ".join((markdown or "").split())
    return text if len(text) <= PROMPT_CHARS else text[:PROMPT_CHARS - 1] + "…"


def item_columns() -> list[Column]:
    return [Column("number", _l("No."), INT), Column("slug", _l("Kode soal"), TEXT),
            Column("prompt", _l("Soal"), TEXT), Column("type", _l("Jenis"), TEXT),
            Column("presented", _l("Ditampilkan"), INT), Column("answered", _l("Dijawab"), INT),
            Column("correct", _l("Benar"), PERCENT),
            Column("wrong_choice", _l("Jawaban salah terbanyak"), TEXT),
            Column("wrong_count", _l("Dipilih"), INT),
            Column("discrimination", _l("Daya beda"), DECIMAL),
            Column("review", _l("Perlu ditinjau"), TEXT)]


@dataclass
class ItemAnalysis:
    table: ReportTable
    attempts: int
    group_size: int  # attempts in each of the upper and lower groups
    enough: bool  # enough attempts to flag questions
    flagged: int


def item_analysis(revision: QuizRevision, *, threshold: float = DEFAULT_THRESHOLD,
                  min_attempts: int = DEFAULT_MIN_ATTEMPTS, start: datetime | None = None,
                  end: datetime | None = None) -> ItemAnalysis:
    """The item table of one quiz revision (see the module docstring): two queries."""
    ranked = (sa.select(Attempt.id,
                        sa.func.row_number().over(order_by=(Attempt.percent.desc(),
                                                            Attempt.id)).label("rk"),
                        sa.func.count().over().label("n"))
              .where(Attempt.quiz_revision_id == revision.id, Attempt.status == SUBMITTED,
                     *_range(Attempt.submitted_at, start, end)).subquery("ranked"))
    k = (ranked.c.n * GROUP_SHARE) // 100
    upper, lower = ranked.c.rk <= k, ranked.c.rk > ranked.c.n - k
    right = AttemptAnswer.correct.is_(True)
    response_text = sa.cast(AttemptAnswer.response, sa.Text)
    answered = sa.and_(AttemptAnswer.response.is_not(None), response_text != "null")
    count_if = lambda condition: sa.func.sum(sa.case((condition, 1), else_=0))  # noqa: E731
    stats = {row[0]: row[1:] for row in db.session.execute(
        sa.select(AttemptAnswer.question_slug, sa.func.count(), count_if(answered),
                  count_if(right), count_if(upper), count_if(sa.and_(upper, right)),
                  count_if(lower), count_if(sa.and_(lower, right)), sa.func.max(ranked.c.n),
                  sa.func.max(k))
        .select_from(ranked).join(AttemptAnswer, AttemptAnswer.attempt_id == ranked.c.id)
        .group_by(AttemptAnswer.question_slug))}
    grouped = (sa.select(AttemptAnswer.question_slug.label("slug"),
                         response_text.label("response"), sa.func.count().label("n"))
               .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
               .where(Attempt.quiz_revision_id == revision.id, Attempt.status == SUBMITTED,
                      *_range(Attempt.submitted_at, start, end),
                      AttemptAnswer.correct.is_(False), answered)
               .group_by(AttemptAnswer.question_slug, response_text).subquery("wrong"))
    top = sa.select(grouped.c.slug, grouped.c.response, grouped.c.n, sa.func.row_number().over(
        partition_by=grouped.c.slug, order_by=(grouped.c.n.desc(), grouped.c.response)
    ).label("rn")).subquery("top")
    wrong: dict[str, list] = {}
    for slug, response, n in db.session.execute(
            sa.select(top.c.slug, top.c.response, top.c.n).where(top.c.rn <= WRONG_PER_QUESTION)):
        wrong.setdefault(slug, []).append((_response_key(response), int(n)))
    attempts = max((int(s[7] or 0) for s in stats.values()), default=0)
    group_size = max((int(s[8] or 0) for s in stats.values()), default=0)
    enough = attempts >= min_attempts and group_size > 0
    table = ReportTable("butir-soal", _l("Analisis butir soal"), item_columns())
    flagged = 0
    for number, question in enumerate(revision.questions, start=1):
        slug = question["slug"]
        presented, answered_n, correct, up_n, up_ok, low_n, low_ok, _, _ = \
            stats.get(slug, (0, 0, 0, 0, 0, 0, 0, 0, 0))
        presented, up_n, low_n = int(presented), int(up_n or 0), int(low_n or 0)
        discrimination = (round(int(up_ok) / up_n - int(low_ok) / low_n, 2)
                          if up_n and low_n else None)
        review = enough and discrimination is not None and discrimination < threshold
        flagged += review
        choice, chosen = _wrong_choices(question, wrong.get(slug, []))
        table.rows.append(ReportRow(
            (number, slug, _plain(question.get("prompt", "")), question.get("type", ""),
             presented, int(answered_n or 0), rate(int(correct or 0), presented), choice,
             chosen or None, discrimination, _l("Ya") if review else ""),
            flagged=review))
    return ItemAnalysis(table, attempts, group_size, enough, flagged)
