"""Public verification: anyone (no sign-in) checks a certificate by its number or its QR code.

The page shows only the status (valid, expired, revoked), the officer's name, the course and
the dates: no NIP, no office, no scores. An unknown number gets the same "tidak ditemukan" page
whatever the reason, with HTTP 404. Lookups are rate-limited per address (CERT_VERIFY_LIMIT,
default 30 per minute) and numbers carry 50 random bits, so numbers cannot be enumerated.
"""
from __future__ import annotations

import base64

from flask import Response, current_app, redirect, render_template, request, url_for

from learning.certificates.signing import (key_fingerprint,
    public_key_pem,
    public_key_raw,
    split_qr_text,
    verify_message)
from learning.certificates.issuing import (certificate_payload,
    find_certificate,
    normalise_number,
    public_view)
from learning.extensions import limiter
from learning.certificates.forms import BadgeCheckForm, VerifyForm
from learning.clock import today
from .certificates import bp, signing_key


def _verify_limit() -> str:
    return current_app.config.get("CERT_VERIFY_LIMIT") or "30 per minute"


verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def _private(response: Response) -> Response:
    """Verification pages name a person: keep them out of search engines and shared caches."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


def _qr_check(certificate) -> str | None:
    """When the URL carries the QR code's signed payload: "match" when its signature is ours and
    its fields are this certificate's, "mismatch" otherwise; None without a payload."""
    if "p" not in request.args and "s" not in request.args:
        return None
    try:
        message, signature = split_qr_text(request.full_path)
    except ValueError:
        return "mismatch"
    fields = verify_message(message, signature, signing_key())
    return "match" if fields == certificate_payload(certificate) else "mismatch"


@bp.get("/verify")
@verify_limit
def verify_form():
    form, badge_form = VerifyForm(request.args), BadgeCheckForm(formdata=None)
    if "number" not in request.args:
        return _private(Response(render_template("certificates/verify_form.html", form=form,
                                                 badge_form=badge_form)))
    if not form.validate():
        return _private(Response(render_template("certificates/verify_form.html", form=form,
                                                 badge_form=badge_form), status=400))
    return redirect(url_for("certificates.verify", number=normalise_number(form.number.data)))


@bp.get("/verify/<number>")
@verify_limit
def verify(number: str):
    certificate = find_certificate(number)
    if certificate is None:
        return _private(Response(render_template("certificates/verify_unknown.html",
                                                 form=VerifyForm()), status=404))
    if certificate.number != number:
        kept = {k: v for k, v in request.args.items() if k in ("p", "s")}
        return redirect(url_for("certificates.verify", number=certificate.number, **kept))
    return _private(Response(render_template(
        "certificates/verify.html", record=public_view(certificate, today()),
        qr_check=_qr_check(certificate))))


@bp.get("/verify/key")
def public_key():
    key = signing_key()
    response = Response(render_template(
        "certificates/key.html", pem=public_key_pem(key),
        raw=base64.b64encode(public_key_raw(key)).decode("ascii"),
        fingerprint=key_fingerprint(key)))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/verify/key.pem")
def public_key_file():
    response = Response(public_key_pem(signing_key()), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = 'inline; filename="pimpasa-sertifikat-kunci.pem"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
