"""Reading offline: the web app manifest, the service worker, the offline page, a course's
download list, and the batch endpoint that receives progress queued on the device."""
from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import sqlalchemy as sa
from flask import (Response, abort, current_app, jsonify, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from learning.learner import device_sync
from learning.learner.reading_time import Limits
from learning.learner.takeaways import course_takeaways
from learning.extensions import db
from learning.media.offline_size import bundle_bytes
from learning.models import Course, utcnow
from learning.web.assets import asset_url
from ..blueprint import offline_bp as bp


THEME_COLOUR = "#0b4f6c"
# Assets every officer page needs; the service worker keeps them and a download lists them.
PAGE_ASSETS = ("css/site.css", "js/offline.js", "js/lesson.js", "js/quiz.js")
MEDIA_SRC = re.compile(r"""\bsrc="(/media/[^"]+)\"""")
DAY = 24 * 3600


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icon = asset_url("icons/icon.svg")
    response = jsonify({
        "name": "Pimpasa Learning",
        "short_name": "Pimpasa",
        "lang": "id",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f8fa",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
                  {"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "maskable"}],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = f"public, max-age={DAY}"
    return response


def _page_assets() -> list[str]:
    """The hashed URLs of the assets officer pages load (those that exist)."""
    manifest = current_app.extensions["asset_manifest"]
    return [asset_url(name) for name in PAGE_ASSETS if name in manifest]


def _offline_script() -> str:
    """The queue the pages use, shared with the worker (offline.js runs in both)."""
    return (Path(current_app.static_folder) / "js" / "offline.js").read_text(encoding="utf-8")


def _worker_version(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the site root so it may control every page. Always revalidated:
    a new deployment (new asset hashes) changes this script, and the browser installs it."""
    precache = _page_assets()
    offline_page = render_template("offline/offline.html", offline_page=True)
    body = render_template("offline/sw.js", version=_worker_version(precache + [offline_page]),
                           precache=precache, offline_page=offline_page,
                           queue_source=_offline_script())
    response = Response(body, mimetype="application/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page():
    """Shown by the service worker when a page is not on the device and the network is down.
    The same for everyone: the downloaded courses are listed by offline.js from the device."""
    return render_template("offline/offline.html", offline_page=True)


def _media_urls(*fragments: str) -> list[str]:
    urls = []
    for fragment in fragments:
        for src in MEDIA_SRC.findall(fragment or ""):
            url = html.unescape(src)
            if url not in urls:
                urls.append(url)
    return urls


@bp.get("/courses/<course_slug>/offline-bundle")
@login_required
def bundle(course_slug: str):
    """What 'Unduh untuk dibaca offline' stores: the course, its live modules, their images
    and the page assets, as a list of URLs for the device to fetch and keep."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug,
                                                       Course.published.is_(True)))
    if course is None:
        abort(404)
    modules = course.live_modules
    module_urls = [url_for("learner.module", course_slug=course.slug, module_slug=m.slug)
                   for m in modules]
    course_url = url_for("learner.course", course_slug=course.slug)
    pages = [url_for("learner.dashboard"), course_url, *module_urls]
    media = _media_urls(course.description_html,
                        *(m.published_revision.html for m in modules if m.published_revision))
    assets = _page_assets()
    files = [url_for("learner.takeaway", course_slug=course.slug, kind=item.kind)
             for item in course_takeaways(current_app.config["CONTENT_ROOT"], course.slug,
                                          course.title)]
    page_html = [course.description_html, "",  # the dashboard: chrome only
                 *((m.published_revision.html if m.published_revision else "") for m in modules)]
    size = bundle_bytes(media, page_html, [Path(current_app.static_folder) / name
                                           for name in PAGE_ASSETS])
    return _no_store(jsonify(
        course=course.slug, title=course.title, url=course_url, bytes=size,
        modules=[{"slug": m.slug, "title": m.title, "url": u} for m, u in zip(modules, module_urls)],
        pages=pages, media=media, assets=assets, files=files, urls=pages + media + files + assets,
    ))


def _bad_batch_message(reason: str) -> str:
    return {
        "not_list": _("Kirim daftar kejadian dalam format JSON."),
        "too_many": _("Terlalu banyak kejadian dalam satu kiriman (paling banyak %(n)d).",
                      n=device_sync.MAX_EVENTS),
        "not_object": _("Setiap kejadian harus berupa objek JSON."),
        "id": _("Kode kejadian tidak sah."),
        "module": _("Modul kejadian tidak sah."),
        "kind": _("Jenis kejadian tidak sah."),
        "at": _("Waktu kejadian tidak sah."),
        "scroll": _("Posisi baca tidak sah."),
    }.get(reason, _("Permintaan tidak dapat diproses. Periksa isian Anda lalu coba lagi."))


def _signed_out():
    return _no_store(jsonify(error=_("Silakan masuk untuk membuka halaman ini."))), 401


@bp.get("/progress/events")
def progress_token():
    """A fresh CSRF token for the device queue (a page kept offline may hold an old one)."""
    if not current_user.is_authenticated:
        return _signed_out()
    return _no_store(jsonify(csrf_token=generate_csrf(), user=current_user.id,
                             max_events=device_sync.MAX_EVENTS))


@bp.post("/progress/events")
def progress_events():
    """Apply a batch of queued device events. CSRF: the X-CSRFToken header."""
    if not current_user.is_authenticated:
        return _signed_out()
    payload = request.get_json(silent=True)
    try:
        if payload is None:
            raise device_sync.BadBatch("not_list")
        events = device_sync.parse_batch(payload)
    except device_sync.BadBatch as error:
        return _no_store(jsonify(error=_bad_batch_message(error.reason), index=error.index,
                                 reason=error.reason)), 400
    user = current_user._get_current_object()
    limits = Limits.from_config(current_app.config)
    idle_cap = limits.idle_cap
    try:
        result = device_sync.apply_batch(user, events, utcnow(), idle_cap, limits)
        db.session.commit()
    except IntegrityError:
        # The same events arrived twice at once (page and service worker both sending):
        # the other request stored them first, so this pass finds them seen.
        db.session.rollback()
        result = device_sync.apply_batch(user, events, utcnow(), idle_cap, limits)
        db.session.commit()
    return _no_store(jsonify(applied=result.applied, seen=result.seen, dropped=result.dropped))
