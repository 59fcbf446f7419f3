"""What the import report says, in Bahasa Indonesia with English in the catalog.

Readers and the converter only name a code and its numbers (`Note`, `BankError`); the studio
shows `note_text` in the reader's language and the command line prints it in English.
"""
from __future__ import annotations

from flask_babel import force_locale, lazy_gettext as _l

from .model import CHANGED, LOST, REFUSED, Note

KIND_LABELS = {CHANGED: _l("diubah"), LOST: _l("hilang"), REFUSED: _l("ditolak"),
               "kept": _l("utuh")}

MESSAGES = {
    # the file as a whole
    "not_utf8": _l("Berkas bukan teks UTF-8. Simpan ulang sebagai UTF-8 lalu coba lagi."),
    "nul_bytes": _l("Berkas berisi karakter NUL: ini bukan berkas teks bank soal."),
    "too_large": _l("Berkas lebih besar dari %(limit)s bita."),
    "empty_file": _l("Berkas tidak berisi satu soal pun."),
    "unknown_format": _l("Format tidak dikenali: pilih GIFT, Moodle XML atau Aiken."),
    "too_many_questions": _l("Lebih dari %(limit)s soal dalam satu berkas."),
    "xml_forbidden": _l("XML berisi DOCTYPE atau deklarasi entitas; demi keamanan berkas "
                        "seperti ini tidak dibaca. Ekspor ulang dari Moodle."),
    "xml_unreadable": _l("Bukan XML yang dapat dibaca: %(detail)s"),
    "xml_not_quiz": _l("Bukan ekspor Moodle XML: elemen teratas <%(tag)s>, seharusnya <quiz>."),
    "aiken_after_answer": _l("Baris setelah ANSWER: pisahkan soal berikutnya dengan baris kosong."),
    "aiken_letter": _l("Pilihan seharusnya berhuruf %(expected)s, tertulis %(got)s."),
    "aiken_not_option": _l("Baris ini bukan pilihan 'A. teks' dan tidak boleh berada di antara "
                           "pilihan: %(text)s"),
    "aiken_no_question": _l("Soal tidak punya teks pertanyaan sebelum pilihan A."),
    "aiken_no_answer": _l("Soal tidak diakhiri baris 'ANSWER: huruf'."),
    "aiken_few_options": _l("Soal butuh paling sedikit dua pilihan (A dan B)."),
    "aiken_bad_answer": _l("ANSWER %(letter)s bukan salah satu pilihan (%(letters)s)."),
    "no_module": _l("Modul %(module)s tidak ada."),
    "not_bootstrapped": _l("Basis data belum disiapkan. Jalankan dahulu "
                           "'flask --app app bootstrap', lalu impor lagi."),
    "nothing_imported": _l("Tidak ada soal yang dapat diimpor dari berkas ini."),
    "source_too_long": _l("Kuis hasil impor lebih panjang dari batas %(limit)s karakter; "
                          "bagi berkas menjadi beberapa bagian."),
    "too_deep": _l("Teks salah satu soal bersarang terlalu dalam (daftar atau kutipan di dalam "
                   "ribuan daftar) untuk ditampilkan; perbaiki berkasnya."),
    # one question refused
    "question_too_long": _l("Teks soal lebih panjang dari %(limit)s karakter."),
    "gift_unclosed": _l("Blok jawaban '{' tidak pernah ditutup."),
    "gift_unclosed_title": _l("Judul '::' tidak pernah ditutup."),
    "gift_bad_number": _l("Jawaban angka tidak terbaca: %(text)s"),
    "gift_matching_marker": _l("Soal menjodohkan butuh setiap jawaban ditulis '=kiri -> kanan'."),
    "gift_answers": _l("Jawaban tidak terbaca: setiap jawaban harus diawali '=' atau '~'."),
    "essay": _l("Soal esai tidak diimpor: jawabannya harus dinilai manusia, dan kuis di sini "
                "dinilai otomatis."),
    "description": _l("Teks deskripsi tanpa jawaban bukan soal; tidak diimpor."),
    "cloze": _l("Soal cloze (beberapa blok jawaban dalam satu soal) tidak didukung; pecah "
                "menjadi beberapa soal."),
    "other_type": _l("Jenis soal Moodle '%(type)s' tidak didukung di sini."),
    "format_rule": _l("Melanggar aturan format kuis: %(reason)s"),
    "cannot_write": _l("Soal tidak dapat ditulis dalam format kuis tanpa berubah; ubah manual."),
    "few_options": _l("Pilihan ganda butuh paling sedikit dua pilihan."),
    "single_full": _l("Pilihan tunggal butuh tepat satu jawaban 100%%; soal ini punya %(count)s."),
    "no_positive": _l("Tidak ada jawaban yang bernilai positif."),
    "tf_no_answer": _l("Soal benar/salah tanpa jawaban benar."),
    "no_full_answer": _l("Tidak ada jawaban bernilai penuh (100%%) yang dapat dipakai."),
    # changed or lost
    "categories": _l("%(count)s kategori Moodle (%(names)s) digabung ke kuis modul ini; "
                     "kategori tidak disimpan."),
    "penalty": _l("%(count)s soal punya penalti untuk percobaan ulang; di sini kuis dinilai "
                  "sekali saat dikirim, jadi penalti tidak berlaku."),
    "feedback_moved": _l("Umpan balik untuk %(count)s jawaban dipindah ke penjelasan soal."),
    "combined_feedback": _l("Umpan balik benar/sebagian/salah dipindah ke penjelasan soal."),
    "points": _l("Nilai soal %(moodle)s dibulatkan menjadi %(here)s poin (poin di sini "
                 "bilangan bulat paling sedikit 1)."),
    "html": _l("Teks HTML diubah menjadi Markdown (dibersihkan seperti semua halaman)."),
    "tags": _l("Tag tidak disimpan: %(tags)s"),
    "units": _l("Satuan tidak disimpan (%(units)s): jawaban harus berupa angka saja."),
    "image_missing": _l("Gambar %(name)s tidak ada di berkas; tautannya dihapus."),
    "image_stored": _l("Gambar %(name)s disimpan seperti unggahan studio."),
    "image_refused": _l("Gambar %(name)s ditolak: %(reason)s"),
    "partial_single": _l("'%(answer)s' (%(weight)s%%) disimpan sebagai jawaban salah: nilai "
                         "sebagian tidak didukung untuk pilihan tunggal."),
    "negative_single": _l("'%(answer)s' (%(weight)s%%): di sini jawaban salah bernilai 0, "
                          "tidak mengurangi."),
    "weight_right": _l("'%(answer)s' bernilai %(weight)s%% di Moodle, di sini %(here)s%% "
                       "(setiap jawaban benar sama bobotnya)."),
    "weight_wrong": _l("'%(answer)s' bernilai %(weight)s%% di Moodle, di sini mencentangnya "
                       "bernilai %(here)s%%."),
    "wildcard": _l("'%(answer)s' tidak diterima: tanda bintang (*) sebagai wildcard tidak "
                   "didukung."),
    "partial_short": _l("'%(answer)s' (%(weight)s%%) disimpan sebagai jawaban salah: nilai "
                        "sebagian untuk isian singkat tidak didukung."),
    "zero_answer": _l("'%(answer)s' (%(weight)s%%) hanya membawa umpan balik; jawaban lain "
                      "juga bernilai 0 di sini."),
    "case": _l("Moodle membedakan huruf besar-kecil untuk soal ini; di sini tidak."),
    "partial_numeric": _l("%(answer)s ± %(tolerance)s (%(weight)s%%) disimpan sebagai jawaban "
                          "salah: nilai sebagian untuk angka tidak didukung."),
    "numeric_merged": _l("Rentang jawaban %(answer)s digabung dengan rentang benar lainnya."),
    "numeric_extra": _l("Jawaban benar kedua %(answer)s ± %(tolerance)s tidak disimpan: di sini "
                        "satu angka dengan satu toleransi."),
    # export
    "export_ordering_gift": _l("Soal urutan tidak dapat ditulis dalam GIFT; pakai Moodle XML."),
    "export_law_gift": _l("Baris law: hanya ditulis sebagai komentar //, yang diabaikan Moodle."),
    "export_points_gift": _l("GIFT tidak membawa poin soal; Moodle memberi 1 poin."),
    "export_all_or_nothing": _l("Di sini soal ini dinilai semua-atau-tidak; Moodle memberinya "
                                "nilai sebagian."),
}


def message(code: str, params: dict | None = None) -> str:
    """The sentence for `code` in the current locale (the code itself if unknown)."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % (params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)


def note_text(note: Note) -> str:
    return message(note.code, note.params)


def english(code: str, params: dict | None = None) -> str:
    with force_locale("en"):
        return message(code, params)
