"""Forms of the administration pages. Every one is a SafeForm (CSRF, no control characters)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from learning.web.safe_form import SafeForm

ROLE_CHOICES = [("officer", _l("Petugas (Pimpasa)")), ("trainer", _l("Pelatih")),
                ("admin", _l("Admin"))]
TOO_LONG = _l("Isian ini terlalu panjang.")
SCOPE_CHOICES = [("all", _l("Semua petugas")), ("region", _l("Satu Kanwil")),
                 ("office", _l("Satu Kantor Imigrasi")), ("user", _l("Petugas tertentu"))]


class RegionForm(SafeForm):
    code = StringField(_l("Kode"), validators=[DataRequired(_l("Isi kode.")), Length(max=32, message=TOO_LONG)],
                       description=_l("Misalnya KANWIL-JATIM. Dipakai di berkas CSV."))
    name = StringField(_l("Nama"), validators=[DataRequired(_l("Isi nama.")), Length(max=160, message=TOO_LONG)])


class OfficeForm(SafeForm):
    code = StringField(_l("Kode"), validators=[DataRequired(_l("Isi kode.")), Length(max=32, message=TOO_LONG)],
                       description=_l("Misalnya KANIM-BTL. Dipakai di berkas CSV petugas."))
    name = StringField(_l("Nama"), validators=[DataRequired(_l("Isi nama.")), Length(max=160, message=TOO_LONG)])
    region_id = SelectField(_l("Kanwil"), coerce=int, validate_choice=False,
                            validators=[DataRequired(_l("Pilih Kanwil."))])


class PersonForm(SafeForm):
    full_name = StringField(_l("Nama lengkap"),
                            validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=160, message=TOO_LONG)])
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=40, message=TOO_LONG)],
                      description=_l("18 angka. Wajib untuk petugas; dipakai untuk masuk dan di "
                                     "sertifikat."))
    username = StringField(_l("Nama pengguna"), validators=[Optional(), Length(max=64, message=TOO_LONG)],
                           description=_l("Kosongkan untuk memakai NIP."))
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254, message=TOO_LONG)])
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES, validate_choice=False)
    office_code = SelectField(_l("Kantor Imigrasi"), choices=[], validate_choice=False,
                              description=_l("Wajib untuk petugas."))


class CsvUploadForm(SafeForm):
    file = FileField(_l("Berkas CSV"), validators=[FileRequired(_l("Pilih berkas CSV."))])


class CsvConfirmForm(SafeForm):
    data = HiddenField(validators=[DataRequired()])
    digest = HiddenField(validators=[DataRequired()])


class AssignmentForm(SafeForm):
    course_id = SelectField(_l("Kursus"), coerce=int, validate_choice=False,
                            validators=[DataRequired(_l("Pilih kursus."))])
    scope = SelectField(_l("Ditugaskan kepada"), choices=SCOPE_CHOICES, validate_choice=False)
    region_id = SelectField(_l("Kanwil (untuk \"Satu Kanwil\")"), coerce=int, validate_choice=False)
    office_id = SelectField(_l("Kantor Imigrasi (untuk \"Satu Kantor Imigrasi\")"), coerce=int, validate_choice=False)
    officers = TextAreaField(_l("Petugas (untuk \"Petugas tertentu\")"), validators=[Optional(), Length(max=40000, message=TOO_LONG)],
                             description=_l("NIP atau nama pengguna, satu per baris (atau dipisah "
                                            "koma)."))
    due_date = StringField(_l("Tenggat (boleh kosong)"), render_kw={"type": "date"},
                           validators=[Optional(), Length(max=10, message=TOO_LONG)])
    newcomer_days = IntegerField(
        _l("Hari untuk petugas baru (boleh kosong)"),
        validators=[Optional(), NumberRange(1, 3650, _l("Isi 1 sampai 3650 hari."))],
        description=_l("Petugas yang masuk kemudian (akun baru atau pindah kantor) mendapat "
                       "waktu sebanyak ini sejak hari itu. Kosong: sama dengan waktu petugas "
                       "pertama sampai tenggat."))


class DueDateForm(SafeForm):
    due_date = StringField(_l("Tenggat baru (kosongkan untuk tanpa tenggat)"),
                           render_kw={"type": "date"}, validators=[Optional(), Length(max=10, message=TOO_LONG)])
