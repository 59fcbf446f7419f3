"""Open Badges 3.0: the officer's credential download, the issuer profile, the revocation status
document, and the verification page's check of a credential file (learning.certificates.open_badge)."""
from __future__ import annotations

from flask import Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learning.certificates.forms import BadgeCheckForm, VerifyForm
from learning.certificates.issuing import find_certificate, public_view
from learning.certificates.open_badge import (MEDIA_TYPE, Issuer, certificate_badge,
                                              check_credential, revocation_list)
from learning.clock import today
from learning.web.errors import render_error
from .certificates import _owned_or_admin, bp, signing_key
from .verification import _private, verify_limit


def issuer() -> Issuer:
    site_url = current_app.config.get("SITE_URL") or request.url_root
    return Issuer(site_url=site_url,
                  name=current_app.config.get("OB_ISSUER_NAME") or Issuer.name)


@bp.get("/certificates/<number>/open-badge.jwt")
@login_required
def open_badge(number: str):
    certificate = _owned_or_admin(number)
    if certificate.revoked_at is not None and not current_user.is_admin:
        return render_error(410, _("Sertifikat ini sudah dicabut dan tidak dapat diunduh lagi."))
    token = certificate_badge(certificate, signing_key(), issuer())
    return Response(token, mimetype=MEDIA_TYPE, headers={
        "Content-Disposition":
            f'attachment; filename="open-badge-{certificate.number}.jwt"',
        "Cache-Control": "private, no-store"})


@bp.get("/verify/issuer")
def issuer_profile():
    response = jsonify(issuer().profile())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/verify/<number>/status")
@verify_limit
def badge_status(number: str):
    certificate = find_certificate(number)
    if certificate is None or certificate.number != number:
        response = jsonify({"error": "not found"})
        response.status_code = 404
        return _private(response)
    return _private(jsonify(revocation_list(certificate, issuer())))


@bp.post("/verify/credential")
@verify_limit
def verify_credential():
    form = BadgeCheckForm()
    lookup = VerifyForm(formdata=None)
    if not form.validate():
        return _private(Response(render_template("certificates/verify_form.html", form=lookup,
                                                 badge_form=form), status=400))
    text = form.credential_text()
    if not text:
        form.text.errors = [_("Pilih berkas Open Badge atau tempel isinya.")]
        return _private(Response(render_template("certificates/verify_form.html", form=lookup,
                                                 badge_form=form), status=400))
    check = check_credential(text, signing_key(), today())
    if not check.signed or check.certificate is None:
        return _private(Response(render_template("certificates/verify_badge_bad.html",
                                                 form=lookup, badge_form=BadgeCheckForm(
                                                     formdata=None)), status=422))
    return _private(Response(render_template(
        "certificates/verify.html", record=public_view(check.certificate, today()),
        qr_check=None, badge_check=True)))
