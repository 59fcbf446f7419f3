"""Forms of the certificate pages: revoking, looking up a number, e-mail preferences."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .issuing import normalise_number
from learning.web.safe_form import SafeForm


class RevokeForm(SafeForm):
    reason = TextAreaField(_l("Alasan pencabutan"), validators=[
        DataRequired(_l("Tulis alasan pencabutan.")),
        Length(min=5, max=1000, message=_l("Alasan 5 sampai 1000 karakter."))])
    reopen = BooleanField(_l("Tugaskan kursus ini lagi kepada petugas (harus diulang)"))


class VerifyForm(SafeForm):
    """A GET lookup that changes nothing: no CSRF token, so a link or bookmark works."""

    class Meta:
        csrf = False

    number = StringField(_l("Nomor sertifikat"), validators=[
        DataRequired(_l("Isi nomor sertifikat.")), Length(max=64)])

    def validate_number(self, field) -> None:
        if normalise_number(field.data) is None:
            raise ValidationError(_l("Nomor sertifikat tidak sah. Contoh: PIMPASA-7QX2M-K9D4B."))


class EmailPreferencesForm(SafeForm):
    optional_mail = BooleanField(_l("Kirimi saya email yang tidak wajib (pengingat tenggat, "
                                    "penyegaran sertifikat, ringkasan mingguan)"))


class BadgeCheckForm(SafeForm):
    """The verification page's second way in: an Open Badges credential file, or its text."""

    file = FileField(_l("Berkas Open Badge (.jwt)"))
    text = TextAreaField(_l("Atau tempel isi berkasnya di sini"),
                         validators=[Length(max=65536, message=_l("Teks terlalu panjang."))])

    def credential_text(self) -> str:
        """The uploaded file's text when a file was chosen, else the pasted text."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            return upload.read(65537).decode("utf-8", errors="replace").strip()
        return (self.text.data or "").strip()
