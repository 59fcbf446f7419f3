"""Locust officers for the cluster run (`bench/cluster_load.py`): run by Locust in its own process.

Each officer reads (dashboard, module pages) and takes quizzes: start, two autosaves, submit. Like
quiz.js, an autosave or a submit that gets no answer (connection lost, 502 from the proxy while an
app server is down) is sent again until the server acknowledges it. Every acknowledgement, and
every idempotent request that failed, is appended to the file named by CLUSTER_ACKS (JSON lines),
so the run can check afterwards that each acknowledged write is in the database.
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import random
import re
import time
from http.cookiejar import Cookie
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

from bench.locustfile import AnswerForm

ATTEMPT_URL = re.compile(r"/quiz/attempts/(\d+)")
QUESTION_FIELD = re.compile(r"^q\d+(-\d+)?$")  # not the page's language switch
RETRY_STATUSES = {0, 502, 503, 504}
MAX_TRIES = 40
_sessions = itertools.count()


@functools.cache
def plan() -> dict:
    with open(os.environ["BENCH_PLAN"]) as handle:
        return json.load(handle)


@functools.cache
def _acks():
    return open(os.environ["CLUSTER_ACKS"], "a", buffering=1)


def record(**fields) -> None:
    _acks().write(json.dumps(fields) + "\n")


class ClusterOfficer(FastHttpUser):
    wait_time = between(1.0, 3.0)

    def on_start(self):
        sessions = plan()["officers"]
        session = sessions[next(_sessions) % len(sessions)]
        host = self.host.split("://", 1)[1].split(":")[0]
        for name, value in session["cookies"].items():
            self.client.cookiejar.set_cookie(Cookie(
                version=0, name=name, value=value, port=None, port_specified=False, domain=host,
                domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
                secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={}))
        self.quizzes = [m for m in plan()["modules"] if m["has_quiz"]]
        random.shuffle(self.quizzes)

    def _get(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 0 or response.status_code >= 500:
                record(kind="get-failed", name=name, status=response.status_code)
                response.failure(f"{name}: {response.status_code}")
            else:
                response.success()
            return response

    def _post_until_answered(self, path: str, name: str, ok: set[int], **kwargs):
        """POST until the server answers one of `ok`; give up (and say so) after MAX_TRIES."""
        for tries in range(1, MAX_TRIES + 1):
            with self.client.post(path, name=name, allow_redirects=False, catch_response=True,
                                  **kwargs) as response:
                status = response.status_code
                if status in ok:
                    response.success()
                    return response, tries
                if status not in RETRY_STATUSES:
                    response.failure(f"{name}: {status}")
                    record(kind="post-refused", name=name, status=status, path=path)
                    return None, tries
                response.success()  # not an error for the officer: sent again below
            time.sleep(0.5)
        record(kind="gave-up", name=name, path=path)
        return None, MAX_TRIES

    @task(3)
    def dashboard(self):
        self._get("/", "dashboard")

    @task(3)
    def module_page(self):
        module = random.choice(plan()["modules"])
        self._get(f"/courses/{module['course']}/{module['module']}", "module page")

    @task(2)
    def quiz(self):
        if not self.quizzes:
            return
        module = self.quizzes[0]
        self.quizzes.append(self.quizzes.pop(0))
        intro_path = f"/courses/{module['course']}/{module['module']}/quiz"
        intro = self._get(intro_path, "quiz intro")
        token = AnswerForm.read(intro.text or "").csrf
        if intro.status_code != 200 or not token or "<form" not in (intro.text or ""):
            return
        started, _ = self._post_until_answered(intro_path, "quiz start", {302, 303, 409},
                                               data={"csrf_token": token})
        if started is None or started.status_code == 409:
            return
        match = ATTEMPT_URL.search(started.headers.get("Location", "") or "")
        if not match:
            return
        attempt = int(match.group(1))
        page = self._get(f"/quiz/attempts/{attempt}", "quiz page")
        form = AnswerForm.read(page.text or "")
        if page.status_code != 200 or not form.csrf:
            return
        answers = {k: v for k, v in form.answers().items() if QUESTION_FIELD.match(k)}
        names = list(answers)
        for half in (names[: len(names) // 2], names[len(names) // 2:]):
            if not half:
                continue
            self.wait()
            saved, tries = self._post_until_answered(
                f"/quiz/attempts/{attempt}/answers", "quiz autosave", {200},
                json={"answers": {name: answers[name] for name in half}},
                headers={"X-CSRFToken": form.csrf, "Accept": "application/json"})
            if saved is not None:
                record(kind="autosave", attempt=attempt, fields=half, tries=tries)
        self.wait()
        fields = [("csrf_token", form.csrf), ("action", "submit-anyway")]  # sent as answered
        fields += [(name, value) for name in names for value in answers[name]]
        submitted, tries = self._post_until_answered(
            f"/quiz/attempts/{attempt}", "quiz submit", {302, 303}, data=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if submitted is not None:
            record(kind="submit", attempt=attempt, tries=tries)
