"""The English catalog is complete: every interface string in code and templates is translated.

When this fails, run `bin/translations` (extract -> update the catalog -> list what is left),
then write the English text for each listed msgid in
learning/translations/en/LC_MESSAGES/messages.po.
"""
from babel.messages.catalog import Catalog

from learning.catalog import extract_messages, po_path, problems, read_catalog


def test_extraction_finds_strings_in_python_forms_and_templates():
    template = extract_messages()
    assert "Kursus Saya" in template                  # a template: {{ _("...") }}
    assert "Nama pengguna atau NIP" in template       # a form label: _l("...")
    assert "Halaman tidak ditemukan." in template     # a view: gettext("...")
    assert "%(done)s dari %(total)s modul" in template


def test_checker_reports_missing_untranslated_fuzzy_and_wrong_placeholders():
    template = Catalog()
    for msgid in ("Satu", "Dua", "Tiga", "Halo, %(name)s.", "Empat"):
        template.add(msgid, locations=[("x.html", 1)])
    translated = Catalog(locale="en")
    translated.add("Dua", "")
    translated.add("Tiga", "Three", flags=["fuzzy"])
    translated.add("Halo, %(name)s.", "Hello, %(nama)s.")
    translated.add("Empat", "Four")
    kinds = {p.msgid: p.kind for p in problems(template, translated)}
    assert kinds == {"Satu": "missing", "Dua": "untranslated", "Tiga": "fuzzy",
                     "Halo, %(name)s.": "placeholders"}


def test_every_interface_string_has_an_english_translation():
    catalog = read_catalog(po_path("en"), "en")
    found = problems(extract_messages(), catalog)
    assert not found, (f"{len(found)} interface string(s) lack English; run bin/translations:\n"
                       + "\n".join(str(p) for p in found))
