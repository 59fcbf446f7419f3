"""Two trainers saving one quiz from one revision at the same moment, against a real threaded
server: one save, one 409 conflict with the module's message, never a 500 or a duplicate
revision number. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import sqlalchemy as sa

from learning.models import Quiz, QuizRevision

from ..factories import PASSWORD, import_sample_curriculum, make_user
from . import test_quiz_concurrency as threaded
from .test_quiz_concurrency import post, session_cookie

server = threaded.server  # the real threaded server fixture

SAVES = 6


def test_simultaneous_quiz_saves_from_one_revision_give_one_save_and_conflicts(db, server):
    import_sample_curriculum()
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    quiz_id, source = quiz.id, quiz.published_revision.source
    cookies = []
    for n in range(SAVES):
        make_user(role="trainer", username=f"pelatih{n}", full_name=f"Pelatih {n}")
        status, headers, _ = post(server, "/login", urlencode({"identifier": f"pelatih{n}",
                                                               "password": PASSWORD}))
        assert status == 302
        cookies.append(session_cookie(headers))

    def save(n: int):
        body = urlencode({"source": source.replace("Kuis Unsur", f"Kuis Unsur {n}"), "base": "1",
                          "action": "save"})
        return post(server, f"/studio/quizzes/{quiz_id}/edit", body, cookies[n])

    with ThreadPoolExecutor(SAVES) as pool:
        results = list(pool.map(save, range(SAVES)))
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [302] + [409] * (SAVES - 1)
    conflicts = [body.decode() for status, _, body in results if status == 409]
    assert all("Kuis ini sudah disimpan orang lain (revisi 2" in text for text in conflicts)
    db.session.expire_all()
    numbers = db.session.scalars(sa.select(QuizRevision.number)
                                 .where(QuizRevision.quiz_id == quiz_id)).all()
    assert sorted(numbers) == [1, 2]
