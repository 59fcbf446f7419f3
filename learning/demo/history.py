"""The invented learning history of demo officers: reading modules, taking quizzes, retrying.

Each officer has an engagement (how likely and how soon they start and keep going) and an
ability; each question a difficulty and a discrimination (a few questions are deliberately poor:
everybody has the same chance on them, so item analysis has something to flag). Answers are drawn
from that model and scored with the real grader's rules (responses are computed once per question
with learning.quizzes.grading), attempts follow the quiz's draw, pass mark and attempt limit, and a module
with a quiz is complete when its quiz is passed. Nothing happens after the "as of" moment.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from learning.content.quiz_format import Question, format_number
from learning.extensions import db
from learning.quizzes.grading import grade_question
from learning.models import (Attempt,
    AttemptAnswer,
    Course,
    Module,
    ModuleProgress,
    Quiz,
    QuizRevision)
from learning.quizzes.quizzing import draw_questions

POOR_QUESTION_SHARE = 0.08
UNANSWERED = 0.02


@dataclass
class QuestionModel:
    slug: str
    points: int
    correct: object
    wrong: list[tuple[object, float]]  # (response, points it earns), the popular one first
    a: float
    b: float
    guess: float
    poor: bool

    def chance(self, ability: float) -> float:
        if self.poor:
            return 0.6
        return self.guess + (1 - self.guess) / (1 + math.exp(-1.7 * self.a * (ability - self.b)))


@dataclass
class RevisionShape:
    """What quizzing.draw_questions reads from a revision."""

    questions: list
    draw: int | None
    shuffle: bool


@dataclass
class QuizModel:
    quiz_id: int
    revision_id: int
    shape: RevisionShape
    pass_mark: int
    max_attempts: int
    questions: dict[str, QuestionModel]


@dataclass
class ModuleModel:
    id: int
    minutes: int
    quiz: QuizModel | None


@dataclass
class CourseModel:
    id: int
    modules: list[ModuleModel] = field(default_factory=list)


def _responses(question: Question) -> tuple[object, list[object]]:
    """The right response and some wrong ones, in canonical form (see learning.quizzes.grading)."""
    kind = question.type
    if kind in ("single", "true_false"):
        right = next(i for i, o in enumerate(question.options) if o.correct)
        return right, [i for i, o in enumerate(question.options) if not o.correct]
    if kind == "multiple":
        right = [i for i, o in enumerate(question.options) if o.correct]
        wrong = [i for i, o in enumerate(question.options) if not o.correct]
        return right, [sorted(right[:-1] + [w]) for w in wrong] + [[w] for w in wrong]
    if kind == "short":
        answer = question.accepted[0]
        near = str(int(answer) + 10) if answer.isdigit() else answer.split()[0] + " saja"
        return answer, [near, "tidak tahu"]
    if kind == "numeric":
        step = max(1.0, question.tolerance * 3 + 1)
        return format_number(question.value), [format_number(question.value + step),
                                               format_number(question.value * 10 + 1)]
    if kind == "matching":
        size = len(question.pairs)
        right = {str(i): i for i in range(size)}
        wrong = []
        for i in range(1, size):
            swapped = dict(right)
            swapped["0"], swapped[str(i)] = i, 0
            wrong.append(swapped)
        return right, wrong
    size = len(question.items)  # ordering
    right = list(range(size))
    return right, [right[1:2] + right[:1] + right[2:], list(reversed(right))]


def _question_model(data: dict, rng: random.Random) -> QuestionModel:
    question = Question.from_dict(data)
    right, candidates = _responses(question)
    wrong = []
    for response in candidates:
        result = grade_question(question, response)
        if not result.correct:
            wrong.append((response, result.points))
    rng.shuffle(wrong)
    choice = question.type in ("single", "multiple", "true_false")
    return QuestionModel(
        slug=question.slug, points=question.points, correct=right, wrong=wrong or [(None, 0.0)],
        a=rng.uniform(0.6, 1.8), b=rng.gauss(-1.2, 0.8),
        guess=(1 / max(2, len(question.options))) if choice else 0.05,
        poor=rng.random() < POOR_QUESTION_SHARE)


def load_courses(rng: random.Random) -> list[CourseModel]:
    """The published courses, their live modules and published quizzes: three queries."""
    courses = [CourseModel(course_id) for course_id in db.session.scalars(
        sa.select(Course.id).where(Course.published.is_(True))
        .order_by(Course.position, Course.title))]
    by_id = {c.id: c for c in courses}
    quizzes = {}
    for quiz, revision in db.session.execute(
            sa.select(Quiz, QuizRevision).join(QuizRevision,
                                               QuizRevision.id == Quiz.published_revision_id)
            .order_by(Quiz.id)):
        quizzes[quiz.module_id] = QuizModel(
            quiz.id, revision.id, RevisionShape(revision.questions, revision.draw,
                                                revision.shuffle),
            revision.pass_mark, revision.max_attempts,
            {q["slug"]: _question_model(q, rng) for q in revision.questions})
    for module_id, course_id, minutes in db.session.execute(
            sa.select(Module.id, Module.course_id, Module.minutes)
            .where(Module.course_id.in_(list(by_id)), Module.is_live)
            .order_by(Module.course_id, Module.position)):
        by_id[course_id].modules.append(ModuleModel(module_id, minutes or 5,
                                                    quizzes.get(module_id)))
    return [c for c in courses if c.modules]


def percent_of(score: float, max_score: int) -> float:
    """As learning.quizzes.grading rounds it: one decimal, half up."""
    if max_score <= 0:
        return 0.0
    exact = Decimal(repr(score)) * 100 / Decimal(max_score)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


class History:
    """Writes the progress and attempts of one officer after another through a batch writer."""

    def __init__(self, writer, anchor: datetime, rng: random.Random, courses: list[CourseModel]):
        self.writer, self.rng, self.courses = writer, rng, courses
        self.end = anchor.timestamp()
        self.progress_id = self._next(ModuleProgress)
        self.attempt_id = self._next(Attempt)
        self.answer_id = self._next(AttemptAnswer)

    @staticmethod
    def _next(model) -> int:
        return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1

    def officer(self, user_id: int, assigned: dict[int, tuple]) -> None:
        rng = self.rng
        engagement = rng.betavariate(2.2, 1.6)
        ability = rng.gauss(0.0, 1.0)
        for course in self.courses:
            if course.id not in assigned:
                continue
            first, _due = assigned[course.id]
            if rng.random() > 0.35 + 0.6 * engagement:
                continue  # never started
            delay = rng.expovariate(1 / (1 + 20 * (1 - engagement))) * 86400
            self._course(user_id, course, first.timestamp() + delay + rng.uniform(0, 36000),
                         engagement, ability)

    def _course(self, user_id: int, course: CourseModel, moment: float, engagement: float,
                ability: float) -> None:
        rng = self.rng
        for module in course.modules:
            if moment >= self.end:
                return
            opened = moment
            reading = module.minutes * 60 * rng.uniform(0.5, 1.6)
            moment += reading
            completed = None
            if module.quiz is not None:
                completed, moment = self._quiz(user_id, module.quiz, moment, ability)
            elif moment < self.end and rng.random() < 0.97:
                completed = moment
            last = min(moment, self.end - 1)
            self.writer.add(ModuleProgress, {
                "id": self.progress_id, "user_id": user_id, "module_id": module.id,
                "first_opened_at": _moment(opened), "last_opened_at": _moment(max(opened, last)),
                "last_active_at": _moment(max(opened, last)),
                "completed_at": _moment(completed) if completed is not None else None,
                "seconds_spent": int(min(reading, last - opened)) if last > opened else 0,
                "scroll_position": 1.0 if completed is not None else round(rng.random(), 3),
                "updated_since_completion": False})
            self.progress_id += 1
            if completed is None or rng.random() > 0.88 + 0.11 * engagement:
                return  # stuck, or stopped for now
            moment = completed + rng.expovariate(1 / (0.3 + 5 * (1 - engagement))) * 86400

    def _quiz(self, user_id: int, quiz: QuizModel, moment: float,
              ability: float) -> tuple[float | None, float]:
        """Attempts until passed, out of attempts or out of time; (completion, last moment)."""
        rng = self.rng
        number = 0
        while moment < self.end and (not quiz.max_attempts or number < quiz.max_attempts):
            number += 1
            started = moment
            submitted = started + rng.uniform(120, 900)
            if submitted >= self.end:
                return None, started
            passed = self._attempt(user_id, quiz, number, started, submitted,
                                   ability + 0.5 * (number - 1))
            moment = submitted
            if passed:
                return submitted, submitted
            if rng.random() < 0.15:
                return None, submitted  # gave up for now
            moment += rng.uniform(0.1, 4) * 86400
        return None, min(moment, self.end - 1)

    def _attempt(self, user_id: int, quiz: QuizModel, number: int, started: float,
                 submitted: float, ability: float) -> bool:
        rng = self.rng
        draw = draw_questions(quiz.shape, rng)
        attempt_id = self.attempt_id
        self.attempt_id += 1
        score, max_score = 0.0, 0
        answers = []
        for entry in draw:
            question = quiz.questions[entry["slug"]]
            max_score += question.points
            if rng.random() < UNANSWERED:
                response, points, correct = None, 0.0, False
            elif rng.random() < question.chance(ability):
                response, points, correct = question.correct, float(question.points), True
            else:
                wrong = question.wrong
                response, points = wrong[0] if rng.random() < 0.6 else rng.choice(wrong)
                correct = False
            score += points
            answers.append({"id": self.answer_id, "attempt_id": attempt_id,
                            "question_slug": question.slug, "response": response,
                            "saved_at": _moment(submitted), "points": points,
                            "correct": correct})
            self.answer_id += 1
        score = round(score, 4)
        percent = percent_of(score, max_score)
        passed = percent >= quiz.pass_mark
        self.writer.add(Attempt, {
            "id": attempt_id, "user_id": user_id, "quiz_id": quiz.quiz_id,
            "quiz_revision_id": quiz.revision_id, "number": number, "status": "submitted",
            "draw": draw, "started_at": _moment(started), "deadline_at": None,
            "submitted_at": _moment(submitted), "score": score, "max_score": max_score,
            "percent": percent, "passed": passed})
        for answer in answers:
            self.writer.add(AttemptAnswer, answer)
        return passed


__all__ = ["CourseModel", "History", "load_courses", "percent_of"]
