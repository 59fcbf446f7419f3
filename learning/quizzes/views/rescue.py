"""Nothing typed is lost: answers that arrive with an expired session or form token are kept.

When a save or submit of an attempt arrives without a live sign-in session, or with an invalid
or expired CSRF token, the posted answers are kept on the server in `kept_answers`, keyed to the
attempt (a page of long answers does not fit in a cookie: browsers drop a 5 KB Set-Cookie). The
officer is sent to sign in (or straight back, when still signed in), and the attempt page applies
the kept answers when its owner opens it again, if the attempt is still open and within its time.

Only the attempt's owner can have answers kept: a signed-in owner is recognised by the session;
anyone else must send the attempt's rescue token, an HMAC of the attempt that only its own page
carries (a hidden field, and the X-Rescue-Token header of autosave). A request from another site
(Origin, else Referer, naming another host) is never kept. When answers cannot be kept the
officer is told so, in words, instead of losing them silently.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.extensions import db
from learning.models import Attempt, KeptAnswers, utcnow
from learning.models.attempts import OPEN
from learning.quizzes.answer_sheet import BadAnswer, FIELD, fields_from, question_numbers
from learning.web.bounded_input import JSONRefused

MAX_KEPT_CHARS = 500_000  # far above a page of long answers, far below a denial of service
TOKEN_FIELD = "rescue_token"
TOKEN_HEADER = "X-Rescue-Token"


def rescue_token(attempt: Attempt) -> str:
    """The proof, carried by the attempt's own page, that a post comes from its owner."""
    message = f"rescue:{attempt.id}:{attempt.user_id}:{attempt.started_at.isoformat()}"
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:40]


def from_this_site() -> bool:
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value:
            return urlsplit(value).netloc == request.host
    return True


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def posted_answers() -> tuple[dict[str, list[str]], bool, bool]:
    """(answer fields, complete, submit) of the current POST: a whole attempt page (complete)
    or an autosave of a few questions. Raises BadAnswer for malformed input."""
    if request.is_json:
        try:
            data = request.get_json(silent=True)
        except JSONRefused:
            raise BadAnswer(None, "bad_value") from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            raise BadAnswer(None, "bad_value")
        return fields_from(answers), False, False
    return fields_from(request.form), True, request.form.get("action") == "submit"


def _posted_token() -> str:
    token = request.headers.get(TOKEN_HEADER) or ""
    if not token and not request.is_json:
        token = request.form.get(TOKEN_FIELD, "")
    return token if isinstance(token, str) else ""


def _may_keep(attempt: Attempt | None) -> bool:
    if attempt is None or attempt.status != OPEN or not from_this_site():
        return False
    if current_user.is_authenticated:
        return attempt.user_id == current_user.id
    return hmac.compare_digest(_posted_token().encode(), rescue_token(attempt).encode())


def keep_answers(attempt: Attempt, fields: dict[str, list[str]], *, complete: bool,
                 submit: bool) -> bool:
    """Add posted answers to what is already kept for this attempt (newer answers win).
    Returns False when the whole would be too large to keep."""
    kept = db.session.get(KeptAnswers, attempt.id)
    if kept is not None and not complete:
        replaced = question_numbers(fields)
        merged = {name: values for name, values in kept.fields.items()
                  if int(FIELD.match(name).group(1)) not in replaced}
        merged.update(fields)
        fields, complete, submit = merged, kept.complete, submit or kept.submit
    if len(json.dumps(fields)) > MAX_KEPT_CHARS:
        return False
    if kept is None:
        db.session.add(KeptAnswers(attempt_id=attempt.id, fields=fields, complete=complete,
                                   submit=submit, kept_at=utcnow()))
    else:
        kept.fields, kept.complete, kept.submit, kept.kept_at = fields, complete, submit, utcnow()
    db.session.flush()
    return True


def take_kept_answers(attempt_id: int) -> dict | None:
    """The answers kept for this attempt (removed from the table), or None."""
    kept = db.session.get(KeptAnswers, attempt_id)
    if kept is None:
        return None
    entry = {"fields": dict(kept.fields), "complete": kept.complete, "submit": kept.submit}
    db.session.delete(kept)
    db.session.flush()
    return entry


def _not_kept(attempt_id: int, status: int):
    """Answers that could not be kept: say so, and where to go."""
    target = url_for("auth.login", next=url_for("quiz.attempt", attempt_id=attempt_id))
    message = _("Sesi Anda sudah berakhir dan jawaban yang baru dikirim tidak dapat disimpan. "
                "Masuk lagi, buka kuisnya, lalu isi kembali jawaban yang belum tersimpan.")
    if wants_json():
        return jsonify(error=message, next_url=target, kept=False), status
    flash(message, "error")
    return redirect(target, 303)


def rescue(attempt_id: int):
    """Keep the posted answers and send the officer to sign in (or back to the attempt).
    Returns None for a request no page of this site could send (another site, malformed
    answers); otherwise a response that says whether the answers were kept."""
    if not from_this_site():
        return None
    try:
        fields, complete, submit = posted_answers()
    except BadAnswer:
        return None
    attempt = db.session.get(Attempt, attempt_id)
    if not _may_keep(attempt):
        db.session.rollback()
        return _not_kept(attempt_id, 401 if not current_user.is_authenticated else 400)
    if not keep_answers(attempt, fields, complete=complete, submit=submit):
        db.session.rollback()
        current_app.logger.warning("answers of attempt %s too large to keep", attempt_id)
        return _not_kept(attempt_id, 413)
    db.session.commit()
    attempt_url = url_for("quiz.attempt", attempt_id=attempt_id)
    count = len(question_numbers(fields))
    if current_user.is_authenticated:
        target, status = attempt_url, 400
        message = _("Formulir ini sudah kedaluwarsa. Jawaban Anda tidak hilang: periksa lagi, "
                    "lalu simpan atau kirim.")
    else:
        target, status = url_for("auth.login", next=attempt_url), 401
        message = _("Sesi Anda sudah berakhir. Jawaban Anda (%(n)s soal) disimpan sementara di "
                    "server: masuk lagi untuk melanjutkan kuis.", n=count)
    if wants_json():
        return jsonify(error=message, next_url=target, kept=True), status
    flash(message, "info")
    return redirect(target, 303)
