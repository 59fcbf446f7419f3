"""Forms of the blended-training pages (SafeForm: CSRF on every POST, control characters refused)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from learning.web.safe_form import SafeForm
from wtforms import (DateField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

ZONE_CHOICES = [("Asia/Jakarta", "WIB (Asia/Jakarta)"), ("Asia/Makassar", "WITA (Asia/Makassar)"),
                ("Asia/Jayapura", "WIT (Asia/Jayapura)")]


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class EventForm(SafeForm):
    title = StringField(_l("Judul kegiatan"), validators=[
        DataRequired(_l("Isi judul kegiatan.")), Length(max=200)])
    day = DateField(_l("Tanggal"), validators=[InputRequired(_l("Isi tanggal (tttt-bb-hh)."))])
    start = TimeField(_l("Mulai"), validators=[InputRequired(_l("Isi jam mulai (jj:mm)."))])
    end = TimeField(_l("Selesai"), validators=[InputRequired(_l("Isi jam selesai (jj:mm)."))])
    zone = SelectField(_l("Zona waktu kantor penyelenggara"), choices=ZONE_CHOICES)
    office_id = SelectField(_l("Kantor penyelenggara"), coerce=_optional_int, choices=[])
    place = StringField(_l("Tempat"), validators=[Optional(), Length(max=200)])
    jp = IntegerField(_l("Jam pelajaran (JP, 45 menit)"), default=0, validators=[
        InputRequired(_l("Isi JP (0 bila tidak dihitung).")),
        NumberRange(0, 100, _l("JP antara 0 dan 100."))])
    speakers = TextAreaField(_l("Narasumber (satu per baris: Nama; Instansi)"),
                             validators=[Optional(), Length(max=4000)])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=4000)])
    course_ids = SelectMultipleField(_l("Kursus terkait"), coerce=int, choices=[])
    pre_quiz_id = SelectField(_l("Pre-test"), coerce=_optional_int, choices=[])
    post_quiz_id = SelectField(_l("Post-test"), coerce=_optional_int, choices=[])
    evaluation = TextAreaField(
        _l("Butir evaluasi (satu per baris; awali dengan ? untuk pertanyaan terbuka). "
           "Kosongkan untuk butir baku."), validators=[Optional(), Length(max=4000)])


class InviteForm(SafeForm):
    region_id = SelectField(_l("Semua petugas Kanwil"), coerce=_optional_int, choices=[])
    office_id = SelectField(_l("Semua petugas kantor"), coerce=_optional_int, choices=[])
    names = TextAreaField(_l("Atau nama pengguna / NIP (satu per baris)"),
                          validators=[Optional(), Length(max=20000)])


class CodeForm(SafeForm):
    code = StringField(_l("Kode check-in"), validators=[
        DataRequired(_l("Isi kode yang tertera di bawah kode QR.")), Length(max=40)])


class BelowTargetFilter(SafeForm):
    class Meta:
        csrf = False  # a GET filter

    year = IntegerField(_l("Tahun"), validators=[Optional(), NumberRange(2000, 2100)])
    region_id = SelectField(_l("Kanwil"), coerce=_optional_int, choices=[])
    office_id = SelectField(_l("Kantor"), coerce=_optional_int, choices=[])


class CancelForm(SafeForm):
    reason = StringField(_l("Alasan pembatalan"), validators=[
        DataRequired(_l("Tulis alasan pembatalan.")), Length(max=300)])
