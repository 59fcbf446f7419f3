"""Certificate pages: "Sertifikat Saya", the PDF, revoking, starting a refresher, and the
dashboard notices. The public verification pages are in verification.py and the e-mail
preferences in mail_preferences.py; both add their routes to this blueprint.
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learning.certificates import refresher
from learning.certificates.pdf import certificate_pdf
from learning.certificates.signing import key_fingerprint, signing_key_from_config
from learning.certificates.issuing import (CertificateError,
    certificate_payload,
    certificate_status,
    certificates_of,
    find_certificate,
    in_refresher_window,
    revoke,
    search_certificates)
from learning.clock import today
from learning.extensions import db
from learning.models import Certificate, Course, utcnow
from learning.web.access import admin_required
from learning.certificates.forms import RevokeForm
from learning.web.errors import render_error
from learning.web.forms import EmptyForm
from ..blueprint import bp
from learning.web.bounded_input import arg_int


# Pages before which an officer's lapsed certificates are settled (course assigned again).
SETTLE_BEFORE = {"learner.dashboard", "certificates.mine"}



def notice_days() -> int:
    return int(current_app.config.get("REFRESHER_NOTICE_DAYS", refresher.DEFAULT_NOTICE_DAYS))


def grace_days() -> int:
    return int(current_app.config.get("REFRESHER_GRACE_DAYS", refresher.DEFAULT_GRACE_DAYS))


def signing_key():
    return signing_key_from_config(current_app.config, current_app.instance_path)


@bp.before_app_request
def _settle_lapses():
    """Before the dashboard is built: when one of this officer's certificates has lapsed, assign
    the course again now rather than at the next cron run. A cheap read decides; the write
    (rare: once per lapse) runs in its own transaction whose first statement is the claiming
    UPDATE, so a read-only request never has to upgrade a SQLite read lock."""
    if (request.endpoint not in SETTLE_BEFORE or not current_user.is_authenticated
            or not current_user.is_officer):
        return None
    user_id, day = current_user.id, today()
    if not refresher.has_lapsed_certificates(user_id, day):
        return None
    db.session.commit()  # end the read transaction; nothing is pending
    refresher.apply_lapses(utcnow(), day, user_id=user_id, grace_days=grace_days())
    db.session.commit()
    return None


def _owned_or_admin(number: str) -> Certificate:
    """The certificate when the signed-in user owns it or is an administrator; else 404, so a
    number's existence is never revealed to anyone else."""
    certificate = find_certificate(number)
    if certificate is None or not (certificate.user_id == current_user.id or current_user.is_admin):
        abort(404)
    return certificate


@bp.get("/certificates")
@login_required
def mine():
    day = today()
    rows = [(c, certificate_status(c, day), in_refresher_window(c, day, notice_days()))
            for c in certificates_of(current_user)]
    return render_template("certificates/mine.html", rows=rows)


@bp.get("/certificates/manage")
@admin_required
def manage():
    query = (request.args.get("q") or "").strip()[:100]
    page = search_certificates(query, arg_int("page", 1))
    day = today()
    return render_template("certificates/manage.html", query=query, result=page,
                           statuses={c.id: certificate_status(c, day) for c in page.certificates})


@bp.get("/certificates/<number>.pdf")
@login_required
def pdf(number: str):
    certificate = _owned_or_admin(number)
    if certificate.revoked_at is not None and not current_user.is_admin:
        return render_error(410, _("Sertifikat ini sudah dicabut dan tidak dapat diunduh lagi."))
    key = signing_key()
    site_url = current_app.config.get("SITE_URL") or request.url_root
    if not current_app.testing and urlsplit(site_url).hostname in ("127.0.0.1", "localhost"):
        current_app.logger.warning("SITE_URL is %s: certificate QR codes will not open from a "
                                   "phone; set SITE_URL to the public address", site_url)
    data = certificate_pdf(certificate, certificate_payload(certificate), key, site_url,
                           key_fingerprint(key))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="sertifikat-{certificate.number}.pdf"',
        "Cache-Control": "private, no-store"})


@bp.get("/certificates/<number>")
@login_required
def detail(number: str):
    certificate = _owned_or_admin(number)
    if certificate.number != number:
        return redirect(url_for("certificates.detail", number=certificate.number))
    return _render_detail(certificate, RevokeForm())


def _render_detail(certificate: Certificate, form: RevokeForm, status: int = 200):
    return render_template("certificates/detail.html", certificate=certificate, form=form,
                           status=certificate_status(certificate, today())), status


@bp.post("/certificates/<number>/revoke")
@admin_required
def revoke_certificate(number: str):
    certificate = find_certificate(number)
    if certificate is None:
        abort(404)
    form = RevokeForm()
    if not form.validate():
        return _render_detail(certificate, form, 400)
    now = utcnow()
    try:
        revoke(certificate, current_user, form.reason.data, now)
    except CertificateError:
        flash(_("Sertifikat ini sudah dicabut sebelumnya."), "info")
        return redirect(url_for("certificates.detail", number=certificate.number))
    reopened = None
    if form.reopen.data:
        due = today() + timedelta(days=grace_days())
        reopened = refresher.open_refresher(certificate, now, due, by=current_user)
    db.session.commit()
    current_app.logger.info("certificate %s revoked by user %s (course reassigned: %s): %s",
                            certificate.number, current_user.id, bool(reopened),
                            certificate.revoke_reason)
    flash(_("Sertifikat %(number)s dicabut.", number=certificate.number), "success")
    return redirect(url_for("certificates.detail", number=certificate.number))


@bp.post("/certificates/refresh/<course_slug>")
@login_required
def start_refresher(course_slug: str):
    """The officer starts the refresher before the certificate lapses."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug,
                                                       Course.published.is_(True)))
    if course is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    try:
        refresher.start_refresher_early(current_user, course, utcnow(), today(), notice_days())
    except CertificateError:
        flash(_("Penyegaran untuk kursus ini belum dapat dimulai."), "info")
        return redirect(url_for("learner.dashboard"))
    db.session.commit()
    flash(_("Penyegaran dimulai. Selesaikan lagi semua modul dan kuis untuk mendapat sertifikat "
            "baru."), "success")
    return redirect(url_for("learner.course", course_slug=course.slug))
