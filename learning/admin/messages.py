"""What the administration pages say about a broken rule, from the domain's error codes."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .csv_table import Problem

FIELD_NAMES = {
    "nip": _l("NIP"), "full_name": _l("nama lengkap"), "username": _l("nama pengguna"),
    "email": _l("e-mail"), "office_code": _l("kode kantor"), "role": _l("peran"),
}

MESSAGES = {
    # organisation
    "bad_code": _l("Kode hanya boleh huruf besar, angka, titik, garis bawah dan tanda minus "
                   "(maksimal 32)."),
    "name_required": _l("Isi nama."),
    "name_too_long": _l("Nama terlalu panjang (maksimal %(max)s karakter)."),
    "region_code_taken": _l("Kode Kanwil %(code)s sudah dipakai."),
    "office_code_taken": _l("Kode kantor %(code)s sudah dipakai."),
    "region_has_offices": _l("Kanwil ini masih punya kantor. Pindahkan atau hapus kantornya dulu."),
    "region_has_assignments": _l("Masih ada penugasan kursus untuk Kanwil ini. Hapus penugasannya "
                                 "dulu."),
    "office_has_people": _l("Masih ada pengguna di kantor ini. Pindahkan mereka dulu."),
    "office_has_assignments": _l("Masih ada penugasan kursus untuk kantor ini. Hapus penugasannya "
                                 "dulu."),
    # CSV lines (organisation)
    "region_bad_code": _l("Kode Kanwil tidak sah."),
    "region_name_required": _l("Nama Kanwil kosong."),
    "region_name_too_long": _l("Nama Kanwil terlalu panjang."),
    "office_bad_code": _l("Kode kantor tidak sah."),
    "office_name_required": _l("Nama kantor kosong."),
    "office_name_too_long": _l("Nama kantor terlalu panjang."),
    "region_name_differs": _l("Nama Kanwil berbeda dengan baris %(line)s untuk kode yang sama."),
    "office_repeated": _l("Kode kantor sudah ada di baris %(line)s."),
    "region_created": _l("Kanwil baru %(code)s."),
    "region_renamed": _l("Kanwil %(code)s berganti nama (sebelumnya: %(old)s)."),
    "office_created": _l("Kantor baru %(code)s."),
    "office_renamed": _l("Kantor %(code)s berganti nama (sebelumnya: %(old)s)."),
    "office_moved": _l("Kantor %(code)s pindah Kanwil (sebelumnya: %(old)s)."),
    # accounts
    "too_short": _l("Kata sandi terlalu pendek: minimal %(min)s karakter."),
    "same_as_username": _l("Kata sandi tidak boleh sama dengan nama pengguna atau NIP."),
    # people
    "bad_nip": _l("NIP harus 18 angka."),
    "bad_nip_scientific": _l("NIP rusak oleh format angka spreadsheet (mis. 1,98E+17). Simpan "
                             "kolom NIP sebagai teks lalu ekspor lagi."),
    "nip_required": _l("Isi NIP."),
    "bad_role": _l("Peran harus officer (petugas) atau trainer (pelatih)."),
    "bad_username": _l("Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah atau "
                       "tanda minus."),
    "bad_email": _l("Alamat e-mail tidak sah."),
    "office_required": _l("Petugas harus punya kantor: isi kode kantor."),
    "unknown_office": _l("Kode kantor %(code)s tidak dikenal. Tambahkan kantornya dulu."),
    "username_taken": _l("Nama pengguna ini sudah dipakai orang lain."),
    "nip_taken": _l("NIP ini sudah dipakai orang lain."),
    "cannot_demote_self": _l("Anda tidak dapat melepas peran admin Anda sendiri."),
    "last_admin": _l("Ini admin aktif terakhir; harus selalu ada satu."),
    "cannot_deactivate_self": _l("Anda tidak dapat menonaktifkan akun Anda sendiri."),
    "reset_own_password": _l("Ganti kata sandi Anda sendiri lewat halaman Akun."),
    "admin_not_importable": _l("Admin tidak dapat dibuat atau diubah lewat impor. Buat admin satu "
                               "per satu."),
    "is_admin": _l("NIP ini milik seorang admin; ubah akunnya di halaman Pengguna."),
    "nip_repeated": _l("NIP sudah ada di baris %(line)s."),
    "username_repeated": _l("Nama pengguna sudah ada di baris %(line)s."),
    "inactive": _l("Akun ini nonaktif (impor tidak mengaktifkannya)."),
    # assignments
    "course_unavailable": _l("Kursus ini tidak tersedia (belum terbit)."),
    "due_in_past": _l("Tenggat tidak boleh sebelum hari ini."),
    "bad_newcomer_days": _l("Isi 1 sampai 3650 hari."),
    "region_required": _l("Pilih Kanwil."),
    "office_choice_required": _l("Pilih Kantor Imigrasi."),
    "officers_required": _l("Tulis NIP atau nama pengguna petugas yang ditugaskan."),
    "too_many_officers": _l("Terlalu banyak petugas sekaligus (maksimal %(max)s). Tugaskan ke "
                            "kantor atau Kanwil saja."),
    "bad_scope": _l("Pilih sasaran penugasan."),
    # CSV files
    "empty": _l("Berkas kosong atau tidak punya baris judul."),
    "missing_columns": _l("Baris judul tidak punya kolom: %(columns)s."),
    "too_many_lines": _l("Berkas terlalu panjang (maksimal %(limit)s baris). Bagi menjadi beberapa "
                         "berkas."),
    "unreadable": _l("Berkas tidak dapat dibaca sebagai CSV (baris %(line)s)."),
}


def message(code: str, params: dict | None = None) -> str:
    text = MESSAGES.get(code)
    if text is None:
        return code
    try:
        return str(text) % (params or {}) if params else str(text)
    except (KeyError, TypeError, ValueError):
        return str(text)


def problem_text(problem: Problem) -> str:
    if problem.code == "changed":
        field = FIELD_NAMES.get(problem.params.get("field"), problem.params.get("field"))
        return _("%(field)s: %(old)s → %(new)s", field=field,
                 old=problem.params.get("old") or "—", new=problem.params.get("new") or "—")
    params = dict(problem.params)
    field = params.pop("field", None)
    text = message(problem.code, params)
    if field and field in FIELD_NAMES and problem.code not in ("nip_repeated", "username_repeated"):
        return f"{FIELD_NAMES[field]}: {text}"
    return text
