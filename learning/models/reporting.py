"""Indexes the reports read through. They cover every column the report queries need, so the
GROUP BY over attempts and module progress reads the index alone, never the table rows."""
from __future__ import annotations

from sqlalchemy import Index

from .attempts import Attempt
from .progress import ModuleProgress

ATTEMPTS_REPORT = Index("ix_attempts_report", Attempt.status, Attempt.user_id, Attempt.quiz_id,
                        Attempt.percent, Attempt.passed)
MODULE_PROGRESS_REPORT = Index("ix_module_progress_report", ModuleProgress.user_id,
                               ModuleProgress.module_id, ModuleProgress.first_opened_at,
                               ModuleProgress.completed_at,
                               ModuleProgress.updated_since_completion)
