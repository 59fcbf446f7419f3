"""All models, imported here so that Alembic and create_all() see every table."""
from .assignments import Assignment
from .attempts import Attempt, AttemptAnswer, KeptAnswers
from .base import utcnow
from .content import Course, Module, ModuleRevision
from .org import Office, Region
from .progress import ModuleProgress, ProgressEvent, ReadingDay
from .quiz import Quiz, QuizRevision
from .users import LoginSession, Role, User
from .completions import CourseCompletion
from .certificates import Certificate, ReminderLog
from .audit import AuditEvent
from .exchange import StagedImport
from .media import Image
from .laws import CertificateRenewal, Law, LawChange, LawReview
from .search import SearchDocument
from .throttle import LoginThrottle
from .xapi import XapiStatement
from .events import (EventAttendance, EventCourse, EventEvaluationAnswer, EventEvaluationReceipt,
                     EventInvite, EventSpeaker, EventTestAttempt, TrainingEvent)
from .grants import QuizGrant
from . import reporting  # noqa: F401  (covering indexes and the course standings)

__all__ = [
    "Assignment", "Attempt", "AttemptAnswer", "KeptAnswers",
    "utcnow", "Course", "Module", "ModuleRevision", "Office", "Region", "ModuleProgress",
    "ProgressEvent", "ReadingDay", "CourseCompletion", "Quiz", "QuizRevision", "LoginSession", "Role", "User",
    "AuditEvent", "StagedImport", "Image",
    "Certificate", "ReminderLog", "LoginThrottle",
    "CertificateRenewal", "Law", "LawChange", "LawReview", "SearchDocument", "QuizGrant",
    "XapiStatement",
    "EventAttendance", "EventCourse", "EventEvaluationAnswer", "EventEvaluationReceipt",
    "EventInvite", "EventSpeaker", "EventTestAttempt", "TrainingEvent",
]
