"""The studio's forms, and the Indonesian messages for the studio's and media's rule codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional, Regexp,
                                ValidationError)

from learning.content.markdown_limits import MarkdownProblem, markdown_problem
from .authoring import MAX_SOURCE_CHARS
from learning.web.safe_form import SafeForm

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
QUIZ_SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,119}$"


def markdown_limit_message(problem: MarkdownProblem) -> str:
    """The Indonesian sentence for a Markdown limit (learning.content.markdown_limits)."""
    n, line = problem.limit, problem.line
    messages = {
        "too_long": _l("Teksnya lebih dari %(n)s karakter.", n=n),
        "too_many_blocks": _l("Teksnya memuat lebih dari %(n)s paragraf, butir daftar, judul atau "
                              "baris tabel.", n=n),
        "too_many_footnotes": _l("Teksnya memuat lebih dari %(n)s tanda catatan kaki [^.", n=n),
        "too_many_abbreviations": _l("Teksnya memuat lebih dari %(n)s baris singkatan *[...]:.",
                                     n=n),
        "too_deep": _l("Baris %(line)s: daftar dan kutipan bersarang lebih dari %(n)s tingkat.",
                       line=line, n=n),
        "long_run": _l("Baris %(line)s: lebih dari %(n)s tanda *, _, ~ atau ` berturut-turut.",
                       line=line, n=n),
        "too_much_markup": _l("Teksnya memuat lebih dari %(n)s tanda Markdown.", n=n),
        "too_many_brackets": _l("Terlalu banyak tanda [ yang tidak ditutup atau bersarang "
                                "dalam. Tutup setiap [ dengan ]."),
    }
    return str(messages.get(problem.code, messages["too_long"]))


class MarkdownLimits:
    """Field validator: the text must pass the Markdown limits (fast, safe rendering)."""

    def __call__(self, form, field) -> None:
        problem = markdown_problem(field.data or "")
        if problem is not None:
            raise ValidationError(markdown_limit_message(problem))


def _slug_field(label, pattern=SLUG_PATTERN):
    return StringField(label, validators=[
        DataRequired(_l("Isi slug.")),
        Regexp(pattern, message=_l("Slug hanya boleh huruf kecil a-z, angka 0-9 dan tanda '-'."))],
        description=_l("Kunci tetap untuk impor dan alamat halaman, mis. tanda-bahaya. "
                       "Tidak dapat diubah setelah dibuat."))


def _title_field():
    return StringField(_l("Judul"), validators=[DataRequired(_l("Isi judul.")), Length(max=200)])


class NewCourseForm(SafeForm):
    slug = _slug_field(_l("Slug kursus"))
    title = _title_field()


class CourseForm(SafeForm):
    title = _title_field()
    summary = TextAreaField(_l("Ringkasan"), validators=[Length(max=2000)])
    description = TextAreaField(_l("Deskripsi (Markdown)"),
                                validators=[Length(max=50_000), MarkdownLimits()])
    order = IntegerField(_l("Urutan"), validators=[
        InputRequired(_l("Isi urutan (angka).")), NumberRange(min=0, max=10_000)])
    validity_months = IntegerField(_l("Masa berlaku sertifikat (bulan)"), validators=[
        Optional(), NumberRange(min=1, max=240, message=_l("Antara 1 dan 240 bulan."))])
    jp = IntegerField(_l("Jam pelajaran (JP)"), validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("JP antara 0 dan 100."))],
        description=_l("Dihitung untuk target 20 JP setahun dan dicetak pada sertifikat."))
    published = BooleanField(_l("Tampilkan kursus ini kepada petugas"))


class NewModuleForm(SafeForm):
    slug = _slug_field(_l("Slug modul"))
    title = _title_field()


class ModuleForm(SafeForm):
    title = _title_field()
    minutes = IntegerField(_l("Waktu baca (menit)"), validators=[
        InputRequired(_l("Isi waktu baca dalam menit.")),
        NumberRange(min=1, max=600, message=_l("Antara 1 dan 600 menit."))])
    laws = TextAreaField(_l("Dasar hukum (satu per baris)"), validators=[Length(max=10_000)],
                         description=_l("Mis. UU 6/2011 Pasal 120 sebagaimana diubah UU 63/2024"))
    reviewed = DateField(_l("Tanggal ditinjau"), validators=[Optional()],
                         description=_l("Tanggal terakhir isi modul diperiksa terhadap "
                                        "peraturan yang berlaku."))
    source = TextAreaField(_l("Isi modul (Markdown)"), validators=[
        Length(max=MAX_SOURCE_CHARS, message=_l("Isi modul terlalu panjang.")),
        MarkdownLimits()])
    note = StringField(_l("Catatan perubahan"), validators=[Length(max=300)],
                       description=_l("Singkat, mis. 'Pasal 120 disesuaikan dengan UU 63/2024'."))
    base = HiddenField()


class QuizForm(SafeForm):
    source = TextAreaField(_l("Kuis (format Markdown kuis)"), validators=[
        DataRequired(_l("Isi kuis.")),
        Length(max=MAX_SOURCE_CHARS, message=_l("Kuis terlalu panjang."))])
    note = StringField(_l("Catatan perubahan"), validators=[Length(max=300)])
    base = HiddenField()


class NewQuizForm(SafeForm):
    slug = _slug_field(_l("Slug kuis"), QUIZ_SLUG_PATTERN)
    title = _title_field()


class PublishForm(SafeForm):
    revision = HiddenField(validators=[DataRequired()])
    substantive = BooleanField(_l("Perubahan substantif"),
                               description=_l("Petugas yang sudah menyelesaikan modul ini diminta "
                                              "membacanya lagi."))
    recertify = BooleanField(_l("Perubahan ini mewajibkan sertifikasi ulang"),
                             description=_l("Sertifikat kursus ini yang masih berlaku perlu "
                                            "diperbarui: kursus ditugaskan lagi kepada "
                                            "pemegangnya. Tanpa centang, sertifikat tetap "
                                            "berlaku."))
    confirmed = HiddenField()


class ImageUploadForm(SafeForm):
    image = FileField(_l("Berkas gambar (JPEG, PNG, WebP atau GIF, paling besar 10 MB)"),
                      validators=[FileRequired(_l("Pilih berkas gambar."))])
    alt = StringField(_l("Teks alternatif"), validators=[Length(max=200)],
                      description=_l("Apa yang tampak pada gambar, untuk pembaca layar."))
    next = HiddenField()


class ImportForm(SafeForm):
    archive = FileField(_l("Berkas zip kursus"), validators=[FileRequired(_l("Pilih berkas zip."))])


class QuestionBankForm(SafeForm):
    bank = FileField(_l("Berkas bank soal (GIFT, Moodle XML atau Aiken)"),
                     validators=[FileRequired(_l("Pilih berkas bank soal."))])
    format = SelectField(_l("Format"), default="", choices=[
        ("", _l("Kenali otomatis")), ("gift", "GIFT"), ("moodle_xml", "Moodle XML"),
        ("aiken", "Aiken")])


class BankConfirmForm(SafeForm):
    accept_losses = BooleanField(_l("Saya sudah membaca laporan dan menerima bahwa bagian yang "
                                    "ditandai hilang atau ditolak tidak ikut diimpor."))


class AuditFilterForm(SafeForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Tindakan"), validators=[Optional()])


ACTION_LABELS = {
    "create": _l("Dibuat"), "edit": _l("Diubah"), "publish": _l("Diterbitkan"),
    "restore": _l("Dipulihkan"), "import": _l("Diimpor"), "retire": _l("Dipensiunkan"),
    "reinstate": _l("Diaktifkan lagi"), "delete": _l("Dihapus"), "reorder": _l("Diurutkan ulang"),
    "upload": _l("Diunggah"), "law_change": _l("Perubahan hukum dicatat"),
    "review_open": _l("Tinjauan dibuka"), "review_close": _l("Tinjauan ditutup"),
    "conflict": _l("Berkas berbeda, revisi studio dipertahankan"),
    "recertify": _l("Sertifikat ditandai perlu diperbarui"),
    "grant": _l("Kesempatan tambahan kuis diberikan"),
}
TARGET_LABELS = {"course": _l("Kursus"), "module": _l("Modul"), "quiz": _l("Kuis"),
                 "image": _l("Gambar"), "law": _l("Peraturan")}
STATE_LABELS = {"new": _l("Belum ada isi"), "unpublished": _l("Draf, belum terbit"),
                "draft": _l("Terbit, ada draf baru"), "published": _l("Terbit"),
                "retired": _l("Dipensiunkan")}
FIELD_LABELS = {"title": _l("Judul"), "minutes": _l("Waktu baca (menit)"),
                "laws": _l("Dasar hukum"), "reviewed": _l("Tanggal ditinjau"),
                "pass_mark": _l("Nilai lulus"), "max_attempts": _l("Batas percobaan"),
                "draw": _l("Soal per percobaan"), "shuffle": _l("Acak"),
                "time_limit": _l("Batas waktu (menit)"), "questions": _l("Jumlah soal")}


def studio_message(code: str, params: dict) -> str:
    """The Indonesian sentence for a StudioError or MediaError code."""
    messages = {
        "bad_slug": _l("Slug hanya boleh huruf kecil a-z, angka 0-9 dan tanda '-'."),
        "bad_quiz_slug": _l("Slug kuis hanya boleh huruf kecil, angka, '-' dan '_'."),
        "slug_taken": _l("Slug '%(slug)s' sudah dipakai.", slug=params.get("slug", "")),
        "course_not_empty": _l("Kursus yang sudah berisi modul tidak dapat dihapus; "
                               "pensiunkan modulnya."),
        "bad_order": _l("Urutan modul tidak lengkap. Muat ulang halaman lalu coba lagi."),
        "conflict": _l("Modul ini sudah disimpan orang lain (revisi %(n)s oleh %(who)s) sejak "
                       "Anda membukanya. Periksa riwayat; simpan lagi untuk menimpanya.",
                       n=params.get("number", ""), who=params.get("author") or "?")
        if params.get("kind") != "quiz" else
        _l("Kuis ini sudah disimpan orang lain (revisi %(n)s oleh %(who)s) sejak Anda "
           "membukanya. Periksa riwayat; simpan lagi untuk menimpanya.",
           n=params.get("number", ""), who=params.get("author") or "?"),
        "too_long": _l("Isinya terlalu panjang."),
        "markdown": _l("Isi modul melewati batas Markdown: %(why)s", why=params.get("why", "")),
        "wrong_revision": _l("Revisi itu bukan milik modul ini."),
        "empty_module": _l("Modul tanpa isi tidak dapat diterbitkan."),
        "module_has_quiz": _l("Modul ini sudah memiliki kuis."),
        "empty": _l("Berkasnya kosong."),
        "too_large": _l("Berkas terlalu besar: paling besar %(mb)s MB.",
                        mb=round(params.get("limit", 0) / (1024 * 1024))),
        "not_an_image": _l("Berkas ini bukan gambar JPEG, PNG, WebP atau GIF."),
        "damaged_image": _l("Gambar ini rusak atau tidak lengkap; tidak dapat dibaca."),
        "too_many_pixels": _l("Gambar terlalu besar (%(w)s×%(h)s piksel).",
                              w=params.get("width", ""), h=params.get("height", "")),
        "in_use": _l("Gambar ini dipakai dalam revisi modul dan tidak dapat dihapus."),
    }
    return str(messages.get(code, _l("Permintaan tidak dapat diproses.")))
