"""What the reports read: covering indexes over attempts and module progress, and each officer's
standing in each course (kept current by learning.reports.standing), so that a national report
sums one row per (officer, course) instead of re-aggregating every progress row and attempt."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from learning.extensions import db
from .attempts import Attempt
from .base import UTCDateTime
from .progress import ModuleProgress

ATTEMPTS_REPORT = Index("ix_attempts_report", Attempt.status, Attempt.user_id, Attempt.quiz_id,
                        Attempt.percent, Attempt.passed)
MODULE_PROGRESS_REPORT = Index("ix_module_progress_report", ModuleProgress.user_id,
                               ModuleProgress.module_id, ModuleProgress.first_opened_at,
                               ModuleProgress.completed_at,
                               ModuleProgress.updated_since_completion)


class CourseStanding(db.Model):
    """One officer in one course, as the live aggregates (learning.reports.facts) would compute
    it: first opening of a live module, live modules done, last completion, and the sum and count
    of the best score on each quiz. A derived table: `flask reports rebuild` recomputes it."""
    __tablename__ = "course_standings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done: Mapped[int] = mapped_column(Integer, default=0)
    last_done: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    score_n: Mapped[int] = mapped_column(Integer, default=0)
    # The officer's open course completion (learning.models.completions), if any: a completion
    # once earned stays counted when modules are added or changed later.
    earned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
