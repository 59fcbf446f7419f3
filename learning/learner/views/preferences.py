"""Per-user settings kept on the account: "Hemat data" (data saver).

With data saver on, the images inside module text are not downloaded: each becomes a link that
loads the picture when tapped (lesson.js swaps the image in; without JavaScript the link simply
opens the image).
"""
from __future__ import annotations

import html
import re

from flask import flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from wtforms import HiddenField

from learning.extensions import db
from learning.web.errors import render_error
from learning.web.navigation import safe_next
from ..blueprint import preferences_bp as bp
from learning.web.safe_form import SafeForm


IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


class DataSaverForm(SafeForm):
    enabled = HiddenField(_l("Hemat data"))
    next = HiddenField()


def hide_images(stored_html: str) -> Markup:
    """Replace each <img> of sanitised, stored HTML with a link to the image (loaded on tap)."""

    def replace(match: re.Match) -> str:
        attrs = {k.lower(): v for k, v in ATTRIBUTE.findall(match.group(0))}
        src = attrs.get("src")
        if not src:
            return ""
        alt = html.unescape(attrs.get("alt", "")).strip()
        label = (_("Gambar: %(alt)s (ketuk untuk memuat)", alt=alt) if alt
                 else _("Gambar (ketuk untuk memuat)"))
        extra = "".join(f' data-{name}="{attrs[name]}"' for name in ("width", "height")
                        if name in attrs)
        # attribute values are reused exactly as the sanitiser escaped them
        return (f'<a class="image-held" href="{src}" data-src="{src}" data-alt="{attrs.get("alt", "")}"'
                f'{extra}>{escape(label)}</a>')

    return Markup(IMG_TAG.sub(replace, stored_html or ""))


def content_html(stored_html: str) -> Markup:
    """Stored module HTML as this user should get it: images held back when data saver is on."""
    if current_user.is_authenticated and current_user.data_saver:
        return hide_images(stored_html)
    return Markup(stored_html or "")


@bp.app_template_filter("for_reader")
def _for_reader(stored_html: str) -> Markup:
    return content_html(stored_html)


@bp.post("/preferences/data-saver")
@login_required
def data_saver():
    form = DataSaverForm()
    if not form.validate() or form.enabled.data not in ("0", "1"):
        return render_error(400, _("Pengaturan tidak tersimpan. Muat ulang halaman lalu coba lagi."))
    current_user.data_saver = form.enabled.data == "1"
    db.session.commit()
    flash(_("Hemat data aktif: gambar dimuat saat diketuk.") if current_user.data_saver
          else _("Hemat data nonaktif: gambar dimuat seperti biasa."), "success")
    return redirect(safe_next(form.next.data)), 303
