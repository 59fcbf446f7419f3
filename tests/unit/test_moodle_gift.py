"""GIFT import at Moodle's fidelity: tests built from the constructs of Moodle's GIFT
documentation (tests/data/moodle/contoh.gift, written for these tests). Each supported question
keeps the answers, weights and feedback Moodle gives it; the rest is reported by line."""
from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.moodle.convert import convert_bank
from learning.content.moodle.gift import read_gift
from learning.content.moodle.model import CHANGED, LOST, REFUSED
from learning.content.quiz_format import Option, QuizDocument, parse_quiz, quiz_to_markdown

SAMPLE = Path(__file__).parents[1] / "data" / "moodle" / "contoh.gift"
TEXT = SAMPLE.read_text(encoding="utf-8")


def line_of(start: str, text: str = TEXT) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


def convert(text: str = TEXT):
    return convert_bank(read_gift(text, "contoh.gift"))


@pytest.fixture(scope="module")
def outcomes():
    return {o.where: o for o in convert().outcomes}


def at(outcomes, title: str):
    return outcomes[f"contoh.gift:{line_of('::' + title + '::')}"]


def codes(outcome, kind=None) -> list[str]:
    return [n.code for n in outcome.notes if kind is None or n.kind == kind]


def test_every_question_is_accounted_for_by_line():
    conversion = convert()
    assert len(conversion.outcomes) == 16
    assert [conversion.count(s) for s in ("kept", CHANGED, LOST, REFUSED)] == [6, 3, 3, 4]
    refused = {o.where: o.notes[-1].code for o in conversion.outcomes if o.question is None}
    assert refused == {f"contoh.gift:{line_of('::Esai::')}": "essay",
                       f"contoh.gift:{line_of('Teks pengantar')}": "description",
                       f"contoh.gift:{line_of('::Cloze::')}": "cloze",
                       f"contoh.gift:{line_of('::Tidak tertutup::')}": "gift_unclosed"}
    assert conversion.has_losses


def test_category_is_reported_for_the_file():
    notes = convert().file_notes
    assert [(n.code, n.params["names"]) for n in notes] == [("categories", "$course$/top/Keimigrasian")]


def test_single_choice_keeps_per_answer_feedback_in_the_explanation(outcomes):
    o = at(outcomes, "Pilihan dengan umpan balik")
    q = o.question
    assert q.type == "single" and [opt.correct for opt in q.options] == [True, False, False]
    assert q.explanation == ("Umpan balik per jawaban:\n\n"
                             "- Paspor atau dokumen perjalanan yang sah: Tepat, Pasal 13 UU 6/2011.\n"
                             "- Kartu keluarga: Kartu keluarga bukan dokumen perjalanan.")
    assert o.status == CHANGED and codes(o) == ["feedback_moved"]


def test_format_prefixes_are_understood_and_never_kept_as_text(outcomes):
    o = at(outcomes, "Awalan format")
    q = o.question
    assert q.prompt == "Lembaga mana yang **menerbitkan** paspor?"
    assert q.options == [Option("Direktorat Jenderal Imigrasi", True), Option("*Kepolisian*", False),
                         Option("**BP2MI**", False)]
    assert q.explanation == "Paspor diterbitkan oleh Imigrasi."
    assert "[" not in q.prompt + "".join(opt.text for opt in q.options) + q.explanation
    assert codes(o) == ["html"]


def test_missing_word_keeps_the_blank_in_the_sentence(outcomes):
    q = at(outcomes, "Kata yang hilang").question
    assert q.prompt == "Pimpasa adalah petugas imigrasi ____ desa."
    assert [(opt.text, opt.correct) for opt in q.options] == [
        ("pembina", True), ("penjaga", False), ("penyidik", False)]


def test_true_false_feedback_goes_to_the_answer_it_belongs_to(outcomes):
    q = at(outcomes, "Benar salah dengan umpan balik").question
    assert q.options == [Option("Benar", False), Option("Salah", True)]
    # Moodle: the first feedback is shown for the wrong answer (Benar), the second for the right one
    assert q.explanation.endswith("- Benar: Keliru: visa kunjungan bukan visa kerja.\n"
                                  "- Salah: Benar, itu salah.")
    assert at(outcomes, "Benar singkat").question.options == [Option("Benar", True), Option("Salah", False)]


def test_short_answer_partial_credit_is_reported_per_answer_with_its_weight(outcomes):
    o = at(outcomes, "Isian singkat berbobot")
    assert o.question.accepted == ["Katak"]
    lost = [n for n in o.notes if n.kind == LOST]
    assert [(n.code, n.params["answer"], n.params["weight"], n.where) for n in lost] == [
        ("partial_short", "Kodok", "50", f"contoh.gift:{line_of('  =%50%Kodok')}")]
    wildcard = next(n for n in o.notes if n.params.get("answer") == "*")
    assert (wildcard.kind, wildcard.code, wildcard.params["weight"]) == (CHANGED, "zero_answer", "0")
    assert '- Kodok: Hampir: di sini yang dicari "katak".' in o.question.explanation


def test_matching_distractor_is_kept_as_an_extra_choice(outcomes):
    o = at(outcomes, "Menjodohkan")
    assert o.question.pairs == [("Menerbitkan paspor", "Imigrasi"), ("Menyidik TPPO", "Polri"),
                                ("Menempatkan PMI", "BP2MI")]
    assert o.question.distractors == ["Bea Cukai"]
    assert o.question.partial  # Moodle gives matching partial credit
    assert o.status == "kept" and o.notes == []


def test_weighted_multiple_answers_keep_their_right_answers_and_report_other_weights(outcomes):
    o = at(outcomes, "Jawaban ganda berbobot")
    q = o.question
    assert (q.type, q.partial) == ("multiple", True)
    assert q.options == [Option("Proses", True), Option("Cara", True), Option("Cuaca", False)]
    assert q.explanation.startswith("Tiga unsur: proses, cara, tujuan.\n\nUmpan balik per jawaban:")
    lost = [(n.code, n.params["answer"], n.params["weight"], n.params["here"])
            for n in o.notes if n.kind == LOST]
    assert lost == [("weight_wrong", "Cuaca", "-100", "-50")]


def test_numeric_tolerance_range_and_several_answers(outcomes):
    assert (at(outcomes, "Angka dengan toleransi").question.value,
            at(outcomes, "Angka dengan toleransi").question.tolerance) == (18.0, 0.0)
    ranged = at(outcomes, "Angka rentang").question
    assert (ranged.value, ranged.tolerance) == (30.0, 2.0)
    several = at(outcomes, "Angka berganda")
    assert (several.question.value, several.question.tolerance) == (2011.0, 0.0)
    assert [(n.code, n.params["weight"], n.params["tolerance"]) for n in several.notes
            if n.kind == LOST] == [("partial_numeric", "50", "2")]
    assert "- 2011 ± 2: Hampir." in several.question.explanation


def test_escaped_characters_become_the_character(outcomes):
    q = at(outcomes, "Lambang terlindung").question
    assert q.prompt == "Tanda kurung kurawal { dan } serta = ~ # : ditulis dengan garis miring."


def test_imported_questions_survive_the_quiz_markdown_round_trip():
    document = QuizDocument(slug="bank", module_ref="c/m", title="Bank", questions=convert().questions)
    assert parse_quiz(quiz_to_markdown(document), "bank.md") == document


@pytest.mark.parametrize("gift, code", [
    ("Ibu kota? {=Jakarta =Batavia ~Bandung}", "single_full"),
    ("Pasangkan {=A -> 1}", "format_rule"),
    ("Pilih {~%0%a ~%-50%b}", "no_positive"),
    ("::Judul tanpa akhir Soal {=a}", "gift_unclosed_title"),
    ("Berapa? {#lima}", "gift_bad_number"),
    ("Berapa? {#19..17}", "gift_bad_number"),
    ("Soal {teks tanpa penanda}", "gift_answers"),
    ("Soal {=Ya ~ya}", "format_rule"),
    ("Contoh daftar:\n- [ ] tugas\n{=Ya ~Tidak}", "cannot_write"),
])
def test_questions_that_cannot_be_kept_are_refused_with_a_reason_and_line(gift, code):
    conversion = convert("// satu soal\n" + gift + "\n")
    (outcome,) = conversion.outcomes
    assert outcome.question is None and outcome.where == "contoh.gift:2"
    assert outcome.notes[-1].code == code


def test_moodle_rule_for_multiple_answers_is_the_absence_of_an_equals_sign():
    q = convert("Ibu kota? {~%100%Jakarta ~%0%Bandung ~Medan}").questions[0]
    assert q.type == "multiple" and [o.correct for o in q.options] == [True, False, False]


def test_windows_line_endings_multiline_prompts_and_slugs():
    conversion = convert("::Pemeriksaan — Ürgent!::Baris satu\r\n    baris dua {T}\r\n\r\nSoal lain {F}\r\n")
    first, second = conversion.questions
    assert first.prompt == "Baris satu\nbaris dua" and first.slug == "pemeriksaan-urgent"
    assert second.slug == "q2"
    assert [o.where for o in conversion.outcomes] == ["contoh.gift:1", "contoh.gift:4"]


def test_slugs_avoid_the_questions_already_in_the_quiz():
    conversion = convert_bank(read_gift("::Paspor::Soal {T}\n\n::Paspor::Soal lain {F}", "b.gift"),
                              taken={"paspor"})
    assert [q.slug for q in conversion.questions] == ["paspor-2", "paspor-3"]


def test_partial_credit_on_a_single_choice_is_reported_with_its_weight():
    (outcome,) = convert("Soal sulit.{~salah ~%50%setengah benar =benar penuh}").outcomes
    assert [(o.text, o.correct) for o in outcome.question.options] == [
        ("salah", False), ("setengah benar", False), ("benar penuh", True)]
    assert [(n.kind, n.code, n.params["answer"], n.params["weight"]) for n in outcome.notes] == [
        (LOST, "partial_single", "setengah benar", "50")]


def test_escaped_line_break_and_general_feedback_on_matching():
    (outcome,) = convert("Baris satu\\nbaris dua {=A -> 1 =B -> 2 ####Bagus\\nsekali}").outcomes
    assert outcome.question.prompt == "Baris satu\nbaris dua"
    assert outcome.question.explanation == "Bagus\nsekali" and outcome.status == "kept"


def test_numeric_feedback_for_any_other_answer_and_a_tilde_deciding_the_type():
    (numeric,) = convert("Berapa? {#18:1 ~#Di bawah umur.}").outcomes
    assert (numeric.question.value, numeric.question.tolerance) == (18.0, 1.0)
    assert numeric.question.explanation.endswith("- *: Di bawah umur.")
    assert [n.code for n in numeric.notes] == ["zero_answer", "feedback_moved"]
    (choice,) = convert("Arah? {=kiri -> kanan ~atas}").outcomes  # '~' wins, as in Moodle
    assert choice.question.type == "single"
