"""Friendly error pages in the user's language; never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from learning.extensions import db
from .bounded_input import MAX_JSON_DEPTH, JSONRefused
from .safe_form import InputRefused


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _messages() -> dict[int, str]:
    return {
        400: _("Permintaan tidak dapat diproses. Periksa isian Anda lalu coba lagi."),
        403: _("Anda tidak memiliki akses ke halaman ini."),
        404: _("Halaman tidak ditemukan."),
        405: _("Cara membuka halaman ini tidak didukung."),
        413: _("Berkas terlalu besar."),
        429: _("Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi."),
        500: _("Terjadi kesalahan pada server. Kami sudah mencatatnya; silakan coba lagi."),
    }


def render_error(status: int, message: str | None = None):
    message = message or _messages().get(status, _messages()[500])
    if _wants_json():
        return jsonify(error=message, status=status), status
    return render_template("errors/error.html", status=status, message=message), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu "
                                   "kirim lagi."))

    @app.errorhandler(JSONRefused)
    def _json_refused(error: JSONRefused):
        messages = {
            "too_deep": _("Data JSON ditolak: susunannya terlalu dalam (paling banyak %(n)d tingkat).",
                          n=MAX_JSON_DEPTH),
            "too_large": _("Data JSON ditolak: terlalu besar."),
            "bad_encoding": _("Data JSON ditolak: bukan teks UTF-8 yang sah."),
            "bad_text": _("Data JSON ditolak: berisi karakter kendali (misalnya NUL)."),
        }
        return render_error(400, messages.get(error.reason))

    @app.errorhandler(InputRefused)
    def _input_refused(error: InputRefused):
        return render_error(400, _("Alamat halaman berisi karakter kendali (misalnya NUL) yang "
                                   "tidak diterima. Hapus karakter itu dari pencarian lalu coba "
                                   "lagi."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
