"""Locust users for `python -m bench.load` (run by Locust in its own process, never imported by the
app or the tests).

The plan file named by BENCH_PLAN (JSON, written by bench.load) holds signed-in sessions (cookies
and CSRF token per officer), the live modules and quizzes, and the report pages. Users:

- OfficerUser: the realistic mix: dashboard, module page, reading heartbeats, quiz
  (start, autosave, submit).
- AdminUser: one administrator opening the report pages (fixed_count = 1).
- ProbeUser: hammers one endpoint (BENCH_PROBE) with no think time, to measure its capacity
  beside /healthz in the same run.
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from http.cookiejar import Cookie
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task

_officer_sessions = itertools.count()
_probe_sessions = itertools.count()
ATTEMPT_URL = re.compile(r"/quiz/attempts/(\d+)")


@functools.cache
def plan() -> dict:
    """The plan written by bench.load (read on first use, not at import)."""
    with open(os.environ["BENCH_PLAN"]) as handle:
        return json.load(handle)


def think_time(user) -> float:
    low, high = plan().get("wait", [1.0, 3.0])
    return random.uniform(low, high)


def _install_session(user, session: dict) -> None:
    host = user.host.split("://", 1)[1].split(":")[0]
    for name, value in session["cookies"].items():
        user.client.cookiejar.set_cookie(Cookie(
            version=0, name=name, value=value, port=None, port_specified=False, domain=host,
            domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
            secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={}))
    user.csrf = session["csrf"]


def _json_headers(user) -> dict:
    return {"X-CSRFToken": user.csrf, "Accept": "application/json"}


class QuizFlow:
    """One quiz taken like a person: intro page, "Mulai" (POST), the attempt page, two autosaves,
    "Kirim jawaban" (submit) and the result page. An officer has few attempts per quiz, so each
    officer walks through the quizzes in turn and moves on when the server refuses a start (409)."""

    def __init__(self, user):
        self.user = user
        self.queue = [m for m in plan().get("modules", []) if m["has_quiz"]]
        random.shuffle(self.queue)

    def run(self) -> None:
        if not self.queue or not plan().get("quiz_ready"):
            return
        module = self.queue[0]
        self.queue.append(self.queue.pop(0))
        client, user = self.user.client, self.user
        intro_path = f"/courses/{module['course']}/{module['module']}/quiz"
        intro = client.get(intro_path, name="quiz intro")
        token = _csrf_in(intro.text or "")
        if intro.status_code != 200 or token is None or "<form" not in (intro.text or ""):
            return  # no attempts left: nothing to start
        with client.post(intro_path, data={"csrf_token": token}, name="quiz start",
                         allow_redirects=False, catch_response=True) as started:
            if started.status_code == 409:
                started.success()  # attempts exhausted (counted, not an error)
                return
            match = ATTEMPT_URL.search(started.headers.get("Location", "") or "")
            if started.status_code not in (302, 303) or not match:
                started.failure(f"start answered {started.status_code}")
                return
        attempt = match.group(1)
        page = client.get(f"/quiz/attempts/{attempt}", name="quiz page")
        form = AnswerForm.read(page.text or "")
        if page.status_code != 200 or not form.csrf:
            return
        answers = form.answers()
        names = list(answers)
        for half in (names[: len(names) // 2], names[len(names) // 2:]):  # two autosaves
            user.wait()
            client.post(f"/quiz/attempts/{attempt}/answers",
                        json={"answers": {name: answers[name] for name in half}},
                        headers={"X-CSRFToken": form.csrf, "Accept": "application/json"},
                        name="quiz autosave")
        user.wait()
        fields = [("csrf_token", form.csrf), ("action", "submit-anyway")]  # sent as answered
        fields += [(name, value) for name in names for value in answers[name]]
        with client.post(f"/quiz/attempts/{attempt}", data=urlencode(fields),
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         name="quiz submit", allow_redirects=False,
                         catch_response=True) as submitted:
            if submitted.status_code not in (302, 303):
                submitted.failure(f"submit answered {submitted.status_code}")
                return
        client.get(f"/quiz/attempts/{attempt}/result", name="quiz result")


def _csrf_in(html: str) -> str | None:
    form = AnswerForm.read(html)
    return form.csrf


class AnswerForm(HTMLParser):
    """The controls of an attempt page: radios, checkboxes, text fields and selects by name."""

    def __init__(self):
        super().__init__()
        self.csrf: str | None = None
        self.choices: dict[str, list[str]] = {}
        self.multiple: set[str] = set()
        self.texts: set[str] = set()
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None

    @classmethod
    def read(cls, html: str) -> "AnswerForm":
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name == "csrf_token":
            self.csrf = self.csrf or a.get("value")
        elif tag == "input" and name and a.get("type") in ("radio", "checkbox"):
            self.choices.setdefault(name, []).append(a.get("value", ""))
            if a.get("type") == "checkbox":
                self.multiple.add(name)
        elif tag == "input" and name and a.get("type", "text") == "text":
            self.texts.add(name)
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def answers(self) -> dict[str, list[str]]:
        """One plausible answer per field (right or wrong by chance, as people are)."""
        answers: dict[str, list[str]] = {}
        for name, values in self.choices.items():
            if name in self.multiple:
                answers[name] = random.sample(values, random.randint(1, len(values)))
            else:
                answers[name] = [random.choice(values)]
        for name in self.texts:
            answers[name] = [str(random.randint(1, 200))]
        for name, values in self.selects.items():
            if values:
                answers[name] = [random.choice(values)]
        return answers


class OfficerUser(FastHttpUser):
    weight = 10
    wait_time = think_time

    def on_start(self):
        sessions = plan()["officers"]
        _install_session(self, sessions[next(_officer_sessions) % len(sessions)])
        self.module = random.choice(plan()["modules"])
        self.quiz = QuizFlow(self)

    @task(2)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(3)
    def module_page(self):
        self.module = random.choice(plan()["modules"])
        self.client.get(f"/courses/{self.module['course']}/{self.module['module']}",
                        name="module page")

    @task(6)
    def heartbeat(self):
        module = self.module
        self.client.post(f"/courses/{module['course']}/{module['module']}/heartbeat",
                         json={"scroll": round(random.random(), 3)},
                         headers=_json_headers(self), name="heartbeat")

    @task(1)
    def quiz(self):
        self.quiz.run()


class AdminUser(FastHttpUser):
    fixed_count = 1
    wait_time = think_time

    def on_start(self):
        _install_session(self, plan()["admin"])
        self.pages = itertools.cycle(plan().get("report_pages") or [])

    @task
    def report(self):
        page = next(self.pages, None)
        if page is not None:
            self.client.get(page["path"], name=page["name"])


class ProbeUser(FastHttpUser):
    """One endpoint, no think time: its capacity on this server (requests per second)."""

    wait_time = constant(0)

    def on_start(self):
        target = os.environ.get("BENCH_PROBE", "healthz")
        self.target = next(p for p in plan()["probes"] if p["name"] == target)
        if self.target.get("session") == "admin":
            _install_session(self, plan()["admin"])
        elif self.target.get("session") == "officer":
            sessions = plan()["officers"]
            _install_session(self, sessions[next(_probe_sessions) % len(sessions)])
        else:
            self.csrf = ""

    @task
    def probe(self):
        target = self.target
        if target["method"] == "POST":
            self.client.post(target["path"], json=target.get("json"), headers=_json_headers(self),
                             name=target["name"])
        else:
            self.client.get(target["path"], name=target["name"])
