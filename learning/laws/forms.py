"""Forms of the register of laws and of law changes (CSRF on every POST)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from learning.web.safe_form import SafeForm
from wtforms import (BooleanField, DateField, HiddenField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import URL, DataRequired, Length, Optional

from learning.models.laws import LAW_STATUSES

STATUS_LABELS = {"berlaku": _l("Berlaku"), "diubah": _l("Berlaku, sudah diubah"),
                 "diganti": _l("Diganti"), "dicabut": _l("Dicabut")}
ERRORS = {
    "summary_required": _l("Tuliskan apa yang berubah."),
    "note_required": _l("Tuliskan catatan mengapa tidak perlu perubahan."),
    "no_draft": _l("Belum ada draf baru untuk diterbitkan. Simpan perubahan di studio dulu, "
                   "atau tutup tinjauan sebagai \"tidak perlu perubahan\"."),
    "already_closed": _l("Tinjauan ini sudah ditutup."),
    "bad_outcome": _l("Pilih cara menutup tinjauan."),
}


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace(";", "\n").splitlines() if line.strip()]


class LawForm(SafeForm):
    citation = StringField(_l("Nomor (bentuk kutipan)"), validators=[
        DataRequired(_l("Isi nomor, mis. UU 21/2007.")), Length(max=120)],
        description=_l("Ditulis seperti di kurikulum: UU 21/2007, Perpres 165/2024."))
    title = StringField(_l("Judul (tentang)"), validators=[
        DataRequired(_l("Isi judul.")), Length(max=300)])
    enacted = DateField(_l("Tanggal"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[(s, STATUS_LABELS[s]) for s in LAW_STATUSES])
    amended_by = TextAreaField(_l("Diubah oleh (satu per baris)"), validators=[Length(max=2000)])
    replaced_by = StringField(_l("Diganti oleh"), validators=[Length(max=200)])
    source_url = StringField(_l("Alamat naskah resmi"), validators=[
        Optional(), URL(message=_l("Isi alamat web lengkap (https://...).")), Length(max=500)])
    checked = DateField(_l("Tanggal diperiksa terhadap naskah resmi"), validators=[Optional()])
    aliases = TextAreaField(_l("Nama lain (satu per baris)"), validators=[Length(max=2000)])
    notes = TextAreaField(_l("Catatan (Markdown)"), validators=[Length(max=20_000)])

    def values(self) -> dict:
        return dict(citation=self.citation.data.strip(), title=self.title.data.strip(),
                    enacted=self.enacted.data, status=self.status.data,
                    amended_by=lines(self.amended_by.data),
                    replaced_by=(self.replaced_by.data or "").strip(),
                    source_url=(self.source_url.data or "").strip(), checked=self.checked.data,
                    aliases=lines(self.aliases.data), notes=(self.notes.data or "").strip())


class ChangeForm(SafeForm):
    article = StringField(_l("Pasal yang berubah"), validators=[Length(max=120)],
                          description=_l("Mis. Pasal 2. Kosongkan bila seluruh peraturan berubah."))
    changed_on = DateField(_l("Berlaku sejak"), validators=[
        DataRequired(_l("Isi tanggal perubahan berlaku."))])
    changed_by = StringField(_l("Diubah oleh"), validators=[Length(max=200)],
                             description=_l("Mis. UU 1/2026."))
    summary = TextAreaField(_l("Apa yang berubah"), validators=[
        DataRequired(_l("Tuliskan apa yang berubah.")), Length(max=5000)])
    confirm = HiddenField()


class CloseReviewForm(SafeForm):
    outcome = RadioField(_l("Hasil tinjauan"), choices=[
        ("published", _l("Terbitkan draf baru")),
        ("no_change", _l("Sudah ditinjau, tidak perlu perubahan"))],
        validators=[DataRequired(_l("Pilih hasil tinjauan."))])
    note = TextAreaField(_l("Catatan"), validators=[Length(max=2000)])
    recertify = BooleanField(_l("Perubahan ini memerlukan sertifikasi ulang"))
