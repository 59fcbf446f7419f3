"""Building xAPI 1.0.3 statements from plain facts: no database, no Flask.

Every statement names the officer by an account on the platform's home page whose name is the
user's numeric id: never an e-mail address, a NIP or a name. Activities are the platform's own
URLs (course, module, quiz, certificate verification page), so the same module always has the
same id. Timestamps are UTC with a trailing Z. The statement id is a name-based UUID (uuid5) of
the event, so the same event always gives the same statement, whoever records it and when.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pimpasa.learning/xapi")
PLATFORM = "Pimpasa Learning"
LANGUAGE = "id-ID"

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "experienced": (ADL + "experienced", "experienced"),
    "completed": (ADL + "completed", "completed"),
    "attempted": (ADL + "attempted", "attempted"),
    "passed": (ADL + "passed", "passed"),
    "failed": (ADL + "failed", "failed"),
    "earned": ("http://id.tincanapi.com/verb/earned", "earned"),
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "badge": "http://id.tincanapi.com/activitytype/badge",
}


def statement_id(*parts: object) -> str:
    """The statement id of an event, from what identifies it."""
    return str(uuid.uuid5(NAMESPACE, "|".join(str(p) for p in parts)))


def stamp(moment: datetime) -> str:
    """UTC, ISO 8601, milliseconds, Z."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def duration(seconds: float) -> str:
    """An ISO 8601 duration with centiseconds, as xAPI asks: PT754.25S."""
    seconds = max(0.0, round(seconds, 2))
    return f"PT{seconds:.2f}S".replace(".00S", "S")


@dataclass(frozen=True)
class Site:
    """Where the activity and account ids live."""

    home: str  # SITE_URL, without the trailing slash

    @classmethod
    def of(cls, url: str) -> "Site":
        return cls(home=(url or "http://localhost").rstrip("/"))

    def extension(self, name: str) -> str:
        return f"{self.home}/xapi/extensions/{name}"


@dataclass(frozen=True)
class ModuleFacts:
    """A module as a statement needs it."""

    module_id: int
    module_slug: str
    module_title: str
    course_slug: str
    course_title: str
    revision_id: int | None  # the module revision published when the event happened


def actor(site: Site, user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": site.home + "/", "name": str(user_id)}}


def verb(kind: str) -> dict:
    iri, display = VERBS[kind]
    return {"id": iri, "display": {"en-US": display}}


def activity(ident: str, kind: str, name: str) -> dict:
    return {"objectType": "Activity", "id": ident,
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {LANGUAGE: name or ident}}}


def course_activity(site: Site, slug: str, title: str) -> dict:
    return activity(f"{site.home}/courses/{slug}/", "course", title)


def module_activity(site: Site, facts: ModuleFacts) -> dict:
    return activity(f"{site.home}/courses/{facts.course_slug}/{facts.module_slug}", "module",
                    facts.module_title)


def quiz_activity(site: Site, facts: ModuleFacts, title: str) -> dict:
    return activity(f"{site.home}/courses/{facts.course_slug}/{facts.module_slug}/quiz",
                    "assessment", title)


def _statement(ident: str, site: Site, user_id: int, kind: str, obj: dict, when: datetime,
               context: dict, result: dict | None = None) -> dict:
    statement = {"id": ident, "actor": actor(site, user_id), "verb": verb(kind), "object": obj,
                 "context": {"platform": PLATFORM, "language": LANGUAGE, **context},
                 "timestamp": stamp(when)}
    if result is not None:
        statement["result"] = result
    return statement


def _module_context(site: Site, facts: ModuleFacts) -> dict:
    context = {"contextActivities": {
        "parent": [course_activity(site, facts.course_slug, facts.course_title)]}}
    if facts.revision_id is not None:
        context["extensions"] = {site.extension("module-revision"): facts.revision_id}
    return context


def module_experienced(site: Site, user_id: int, facts: ModuleFacts, when: datetime) -> dict:
    ident = statement_id("experienced", user_id, facts.module_id, stamp(when))
    return _statement(ident, site, user_id, "experienced", module_activity(site, facts), when,
                      _module_context(site, facts))


def module_completed(site: Site, user_id: int, facts: ModuleFacts, when: datetime) -> dict:
    ident = statement_id("completed-module", user_id, facts.module_id, stamp(when))
    return _statement(ident, site, user_id, "completed", module_activity(site, facts), when,
                      _module_context(site, facts), {"completion": True})


@dataclass(frozen=True)
class AttemptFacts:
    attempt_id: int
    number: int
    quiz_title: str
    quiz_revision_id: int
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    max_score: int | None
    passed: bool | None


def _quiz_context(site: Site, facts: ModuleFacts, attempt: AttemptFacts) -> dict:
    return {
        "registration": statement_id("attempt", attempt.attempt_id),
        "contextActivities": {
            "parent": [module_activity(site, facts)],
            "grouping": [course_activity(site, facts.course_slug, facts.course_title)]},
        "extensions": {site.extension("quiz-revision"): attempt.quiz_revision_id,
                       site.extension("attempt-number"): attempt.number}}


def quiz_attempted(site: Site, user_id: int, facts: ModuleFacts, attempt: AttemptFacts) -> dict:
    ident = statement_id("attempted", attempt.attempt_id)
    return _statement(ident, site, user_id, "attempted",
                      quiz_activity(site, facts, attempt.quiz_title), attempt.started_at,
                      _quiz_context(site, facts, attempt))


def quiz_result(site: Site, user_id: int, facts: ModuleFacts, attempt: AttemptFacts) -> dict:
    """passed or failed, with the score, success and the time from start to submission."""
    kind = "passed" if attempt.passed else "failed"
    raw, top = float(attempt.score or 0), int(attempt.max_score or 0)
    result = {"success": bool(attempt.passed), "completion": True,
              "duration": duration((attempt.submitted_at - attempt.started_at).total_seconds())}
    if top > 0:
        result["score"] = {"scaled": round(min(max(raw / top, 0.0), 1.0), 4),
                           "raw": min(max(raw, 0.0), top), "min": 0, "max": top}
    ident = statement_id("result", attempt.attempt_id)
    return _statement(ident, site, user_id, kind, quiz_activity(site, facts, attempt.quiz_title),
                      attempt.submitted_at, _quiz_context(site, facts, attempt), result)


@dataclass(frozen=True)
class CertificateFacts:
    certificate_id: int
    number: str
    course_slug: str
    course_title: str
    completed_at: datetime
    issued_at: datetime


def course_completed(site: Site, user_id: int, cert: CertificateFacts) -> dict:
    ident = statement_id("completed-course", cert.certificate_id)
    return _statement(ident, site, user_id, "completed",
                      course_activity(site, cert.course_slug, cert.course_title),
                      cert.completed_at, {}, {"completion": True})


def certificate_earned(site: Site, user_id: int, cert: CertificateFacts) -> dict:
    ident = statement_id("earned", cert.certificate_id)
    badge = activity(f"{site.home}/verify/{cert.number}", "badge",
                     f"Sertifikat {cert.course_title}")
    context = {"contextActivities": {
        "grouping": [course_activity(site, cert.course_slug, cert.course_title)]}}
    return _statement(ident, site, user_id, "earned", badge, cert.issued_at, context)
