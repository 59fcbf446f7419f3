"""What the event views share: loading an event, who may organise it, downloads, messages."""
from __future__ import annotations

from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user

from learning.clock import app_timezone, today
from learning.extensions import db
from learning.models import TrainingEvent
from learning.reports import export
from learning.reports.tables import ReportTable


def event_or_404(event_id: int) -> TrainingEvent:
    event = db.session.get(TrainingEvent, event_id)
    if event is None:
        abort(404)
    return event


def require_staff() -> None:
    if not current_user.is_staff:
        abort(403)


def download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store, private"
    return response


def table_download(table: ReportTable, fmt: str, *parts: str) -> Response:
    if fmt == "csv":
        body, mimetype = export.table_csv(table, app_timezone()), export.CSV_TYPE
    elif fmt == "xlsx":
        body, mimetype = export.table_xlsx(table, app_timezone()), export.XLSX_TYPE
    else:
        abort(404)
    return download(body, mimetype, export.export_filename(table, fmt, today(), *parts))


def refusal_message(code: str) -> str:
    """What an officer reads when a check-in is refused (learning.events.checkin.CheckInRefused)."""
    return {
        "bad_code": _("Kode check-in tidak cocok atau sudah kedaluwarsa. Pindai lagi kode QR "
                      "yang sedang tampil di layar panitia."),
        "too_early": _("Check-in belum dibuka: check-in dibuka 30 menit sebelum sesi dimulai."),
        "too_late": _("Sesi sudah selesai: check-in ditutup. Bila Anda hadir, minta panitia "
                      "mencentang nama Anda."),
        "not_invited": _("Anda tidak terdaftar sebagai peserta kegiatan ini. Minta panitia "
                         "menambahkan nama Anda."),
        "already": _("Anda sudah tercatat hadir. Kehadiran hanya dihitung sekali."),
        "other_officer": _("Check-in ini dipindai dengan akun petugas lain dan tidak dapat "
                           "dipakai untuk akun Anda. Pindai sendiri kode QR di layar panitia."),
        "future": _("Waktu pindai pada perangkat Anda tidak masuk akal (di masa depan). "
                    "Periksa jam ponsel lalu pindai lagi."),
        "cancelled": _("Kegiatan ini dibatalkan."),
        "queue_expired": _("Check-in yang tertunda dikirim terlalu lama sesudah sesi selesai. "
                           "Minta panitia mencentang nama Anda."),
    }.get(code, _("Check-in ditolak."))
