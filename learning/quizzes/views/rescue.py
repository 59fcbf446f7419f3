"""Nothing typed is lost: answers that arrive with an expired session or form token are kept.

When a save or submit of an attempt arrives without a live sign-in session, or with an invalid
or expired CSRF token, the posted answers are kept in the Flask session under "pending_answers"
(keyed by attempt id; the sign-in view carries that key over), the officer is sent to sign in
(or straight back, when still signed in), and the attempt page applies the kept answers when its
owner opens it again, if the attempt is still open and within its time.

Only requests from this site are kept (Origin, else Referer, must name this host when present),
so another site cannot plant answers in an officer's browser.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.quizzes.answer_sheet import BadAnswer, FIELD, fields_from, question_numbers

PENDING = "pending_answers"
MAX_KEPT_CHARS = 3000  # the Flask session lives in a cookie (about 4 KB)


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
        data = request.get_json(silent=True)
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            raise BadAnswer(None, "bad_value")
        return fields_from(answers), False, False
    return fields_from(request.form), True, request.form.get("action") == "submit"


def keep_answers(attempt_id: int, fields: dict[str, list[str]], *, complete: bool,
                 submit: bool) -> None:
    """Add posted answers to what is already kept for this attempt (newer answers win)."""
    kept = dict(session.get(PENDING) or {})
    key = str(attempt_id)
    old = kept.get(key)
    if old and not complete:
        replaced = question_numbers(fields)
        merged = {name: values for name, values in old["fields"].items()
                  if int(FIELD.match(name).group(1)) not in replaced}
        merged.update(fields)
        entry = {"fields": merged, "complete": old["complete"], "submit": submit or old["submit"]}
    else:
        entry = {"fields": fields, "complete": complete, "submit": submit}
    kept[key] = entry
    if len(json.dumps(kept)) > MAX_KEPT_CHARS:
        kept = {key: entry}  # this attempt's answers matter most
        if len(json.dumps(kept)) > MAX_KEPT_CHARS:
            current_app.logger.warning("answers of attempt %s too large to keep", attempt_id)
    session[PENDING] = kept


def take_kept_answers(attempt_id: int) -> dict | None:
    """The answers kept for this attempt (removed from the session), or None."""
    kept = session.get(PENDING)
    if not kept or str(attempt_id) not in kept:
        return None
    kept = dict(kept)
    entry = kept.pop(str(attempt_id))
    if kept:
        session[PENDING] = kept
    else:
        session.pop(PENDING, None)
    return entry if isinstance(entry, dict) and isinstance(entry.get("fields"), dict) else None


def rescue(attempt_id: int):
    """Keep the posted answers and send the officer to sign in (or back to the attempt).
    Returns None when nothing can be kept (another site, or input no page could send)."""
    if not from_this_site():
        return None
    try:
        fields, complete, submit = posted_answers()
    except BadAnswer:
        return None
    keep_answers(attempt_id, fields, complete=complete, submit=submit)
    attempt_url = url_for("quiz.attempt", attempt_id=attempt_id)
    if current_user.is_authenticated:
        target, status = attempt_url, 400
        message = _("Formulir ini sudah kedaluwarsa. Jawaban Anda tidak hilang: periksa lagi, "
                    "lalu simpan atau kirim.")
    else:
        target, status = url_for("auth.login", next=attempt_url), 401
        message = _("Sesi Anda sudah berakhir. Jawaban Anda disimpan sementara: masuk lagi untuk "
                    "melanjutkan kuis.")
    if wants_json():
        return jsonify(error=message, next_url=target, kept=True), status
    flash(message, "info")
    return redirect(target, 303)
