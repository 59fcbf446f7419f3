"""GIFT import: each supported kind of question, what is reported instead of converted, and the
converted quiz surviving the quiz format's own round trip."""
from __future__ import annotations

import pytest

from learning.content.errors import ContentError
from learning.content.gift import gift_to_quiz
from learning.content.quiz_format import Option, parse_quiz, quiz_to_markdown

GIFT = r"""// Bank soal TPPO, diekspor dari Moodle
$CATEGORY: $course$/TPPO

::Ibu kota:: [markdown]Ibu kota Indonesia adalah {
  =Jakarta#Tepat
  ~Bandung#Bukan
  ~Surabaya
}.

::Unsur TPPO::Pilih unsur TPPO. {
  ~%50%Proses
  ~%50%Cara
  ~%-100%Cuaca
  ####Ada tiga unsur: proses, cara, tujuan.
}

Paspor adalah dokumen perjalanan. {T}

// komentar di antara soal
Visa kunjungan selalu gratis. {FALSE#Keliru####Sebagian visa berbayar.}

::Pasal pemalsuan:: [html]Pasal berapa mengatur pemalsuan \{paspor\}? {=Pasal 126 =pasal 126 UU 6/2011}

::Usia:: Usia paling rendah calon PMI? {#18:1}

Rentang usia? {#17..19}

Tepat? {#15}

::Pasangan:: Pasangkan {=Mencatat -> Pimpasa =Menangkap -> Polri =Memverifikasi -> BP2MI}

::Esai:: Jelaskan peran Pimpasa. {}

Hanya teks penjelasan tanpa soal.

::Ibu kota:: Kota tempat Kantor Pusat Imigrasi\: {=Jakarta ~Medan}
"""



def line_of(start: str) -> int:
    """1-based line of GIFT that starts with `start`."""
    return next(n for n, line in enumerate(GIFT.split("\n"), start=1) if line.startswith(start))


ESSAY_LINE = line_of("::Esai::")
DESCRIPTION_LINE = line_of("Hanya teks")


def convert(text: str = GIFT):
    return gift_to_quiz(text, slug="tppo-bank", module_ref="tppo/pengertian-tppo", title="Bank Soal TPPO",
                        path="bank.gift")


def by_slug(text: str = GIFT) -> dict:
    doc, _ = convert(text)
    return {question.slug: question for question in doc.questions}


def test_quiz_settings_are_the_defaults():
    doc, _ = convert()
    assert (doc.slug, doc.module_ref, doc.title) == ("tppo-bank", "tppo/pengertian-tppo", "Bank Soal TPPO")
    assert (doc.pass_mark, doc.max_attempts, doc.draw, doc.shuffle, doc.time_limit) == (70, 0, None, True, 0)


def test_every_supported_question_is_converted_with_unique_slugs():
    doc, _ = convert()
    assert [q.slug for q in doc.questions] == [
        "ibu-kota", "unsur-tppo", "q3", "q4", "pasal-pemalsuan", "usia", "q7", "q8", "pasangan", "ibu-kota-2"]
    assert [q.type for q in doc.questions] == [
        "single", "multiple", "true_false", "true_false", "short", "numeric", "numeric", "numeric",
        "matching", "single"]
    assert all(q.law is None for q in doc.questions)


def test_essay_and_description_are_reported_by_line():
    _, problems = convert()
    assert [line for line, _ in problems] == [ESSAY_LINE, DESCRIPTION_LINE] == [32, 34]
    assert "essay" in problems[0][1]
    assert "no answer block" in problems[1][1]


def test_multiple_choice_with_missing_word_and_dropped_feedback():
    q = by_slug()["ibu-kota"]
    assert q.prompt == "Ibu kota Indonesia adalah ____."
    assert q.options == [Option("Jakarta", True), Option("Bandung", False), Option("Surabaya", False)]
    assert q.explanation is None
    assert q.line == 4


def test_weighted_answers_become_multiple_with_partial_credit():
    q = by_slug()["unsur-tppo"]
    assert (q.type, q.partial) == ("multiple", True)
    assert q.options == [Option("Proses", True), Option("Cara", True), Option("Cuaca", False)]
    assert q.explanation == "Ada tiga unsur: proses, cara, tujuan."


def test_true_false_becomes_benar_salah():
    questions = by_slug()
    assert questions["q3"].options == [Option("Benar", True), Option("Salah", False)]
    assert questions["q4"].options == [Option("Benar", False), Option("Salah", True)]
    assert questions["q4"].prompt == "Visa kunjungan selalu gratis."
    assert questions["q4"].explanation == "Sebagian visa berbayar."


def test_short_answer_with_escapes_and_format_marker():
    q = by_slug()["pasal-pemalsuan"]
    assert q.prompt == "Pasal berapa mengatur pemalsuan {paspor}?"
    assert q.accepted == ["Pasal 126", "pasal 126 UU 6/2011"]


def test_numeric_forms():
    questions = by_slug()
    assert (questions["usia"].value, questions["usia"].tolerance) == (18.0, 1.0)
    assert (questions["q7"].value, questions["q7"].tolerance) == (18.0, 1.0)
    assert (questions["q8"].value, questions["q8"].tolerance) == (15.0, 0.0)


def test_matching_pairs():
    assert by_slug()["pasangan"].pairs == [("Mencatat", "Pimpasa"), ("Menangkap", "Polri"),
                                           ("Memverifikasi", "BP2MI")]


def test_escaped_colon_in_prompt_and_repeated_title():
    q = by_slug()["ibu-kota-2"]
    assert q.prompt == "Kota tempat Kantor Pusat Imigrasi:"
    assert q.line == line_of("::Ibu kota:: Kota")


def test_converted_quiz_survives_the_markdown_round_trip():
    doc, _ = convert()
    assert parse_quiz(quiz_to_markdown(doc), "export.md") == doc


@pytest.mark.parametrize("gift,fragment", [
    ("Ibu kota? {=Jakarta =Batavia ~Bandung}", "2 answers carry full credit"),
    ("Pasangkan {=A -> 1 =B -> 2 = -> 3}", "distractors"),
    ("Pasangkan {=A -> 1}", "at least two pairs"),
    ("Pilih {~%0%a ~%-50%b}", "no answer has a positive weight"),
    ("Ibu kota? {=Jakarta ~Bandung", "never closed"),
    ("Isi {=satu} dan {=dua}", "several answer blocks"),
    ("::Judul tanpa akhir Soal {=a}", "title '::' is never closed"),
    ("Berapa? {#lima}", "bad numeric answer"),
    ("Berapa? {#19..17}", "bad numeric range"),
    ("Soal {teks tanpa penanda}", "cannot read the answers"),
    ("Soal {=Ya ~ya}", "same text"),
    ("Pilih {=A}", "short"),  # converts: a single '=' answer is a short answer
])
def test_unsupported_questions_are_reported_not_raised(gift, fragment):
    doc, problems = convert("// satu soal\n" + gift + "\n")
    if fragment == "short":
        assert problems == [] and doc.questions[0].type == "short"
        return
    assert doc.questions == []
    assert len(problems) == 1
    assert problems[0][0] == 2
    assert fragment in problems[0][1]


def test_weighted_single_answer_stays_single_choice():
    q = by_slug("Ibu kota? {~%100%Jakarta ~%0%Bandung ~Medan}")["q1"]
    assert q.type == "single"
    assert [o.correct for o in q.options] == [True, False, False]


def test_numeric_with_several_answers_uses_the_full_credit_one():
    q = by_slug("Berapa? {#=%50%20:5 =18:1#tepat}")["q1"]
    assert (q.value, q.tolerance) == (18.0, 1.0)


def test_short_answer_drops_partial_credit_answers():
    q = by_slug("Pasal? {=Pasal 2 =%50%Pasal}")["q1"]
    assert q.accepted == ["Pasal 2"]


def test_multiline_prompt_and_windows_line_endings():
    doc, problems = convert("::Dua baris::Baris satu\n    baris dua {T}\r\n\r\nSoal lain {F}\r\n")
    assert problems == []
    assert doc.questions[0].prompt == "Baris satu\nbaris dua"
    assert [q.line for q in doc.questions] == [1, 4]


def test_titles_are_slugified_without_accents():
    doc, _ = convert("::Pemeriksaan Keimigrasian — Ürgent!:: Soal {T}\n")
    assert doc.questions[0].slug == "pemeriksaan-keimigrasian-urgent"


def test_numbering_counts_questions_not_comments_or_categories():
    doc, problems = convert("// a\n$CATEGORY: x\n\n// b\n\nSoal {T}\n\nEsai {}\n\nSoal {F}\n")
    assert [q.slug for q in doc.questions] == ["q1", "q3"]
    assert problems == [(8, problems[0][1])]


@pytest.mark.parametrize("target", [
    {"slug": "Bank TPPO"}, {"module_ref": "tppo"}, {"title": "  "},
])
def test_unusable_target_raises(target):
    arguments = {"slug": "bank", "module_ref": "tppo/pengertian", "title": "Bank", **target}
    with pytest.raises(ContentError) as info:
        gift_to_quiz("Soal {T}", path="bank.gift", **arguments)
    assert info.value.path == "bank.gift"


def test_question_the_markdown_could_not_give_back_is_reported():
    doc, problems = convert("Contoh daftar tugas:\n- [ ] tugas\n{=Ya ~Tidak}\n\nSoal lain {T}\n")
    assert [q.prompt for q in doc.questions] == ["Soal lain"]
    assert problems == [(1, problems[0][1])]
    assert "cannot be written in the quiz format" in problems[0][1]
