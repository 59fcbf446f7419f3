"""The quiz Markdown format: parsing every question type, validation errors with their line
numbers, the Markdown export round trip and the JSON form of a question. No app involved."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from learning.content.errors import ContentError
from learning.content.quiz_format import (Option, Question, QuizDocument, check_question,
                                          parse_quiz, quiz_to_markdown)

CURRICULUM_QUIZZES = sorted((Path(__file__).resolve().parents[2] / "quizzes").glob("*/*.md"))

# Five lines of front matter: a question heading placed first in the body is on line 6.
FRONT = "---\nslug: kuis\nmodule: tppo/pengertian-tppo\ntitle: Kuis\n---\n"

FULL_QUIZ = """\
---
slug: tppo-pengertian-kuis
module: tppo/pengertian-tppo      # <course slug>/<module slug>
title: "Kuis: Pengertian TPPO"
pass_mark: 80
max_attempts: 3
draw: 6
shuffle: false
time_limit: 15
---

## unsur-tppo
law: UU 21/2007 Pasal 1 angka 1

Menurut UU 21/2007, apa **tiga unsur** TPPO?

- [ ] Perekrutan, pembayaran, dan pengiriman
- [x] Proses, cara, dan tujuan eksploitasi
- [ ] Persetujuan korban dan batas negara

> Pasal 1 angka 1 menyebut proses, cara, dan tujuan.
>
> Persetujuan korban tidak menghapus pidana.

## alasan-penolakan
type: multiple
points: 2
partial: true
Alasan mana yang sah untuk menolak keberangkatan? Pilih semua yang benar.

- [x] Dokumen perjalanan tidak sah
- [x] Diperlukan untuk penyidikan
- [ ] Berasal dari desa binaan

## hak-bepergian
type: true_false
Pimpasa berwenang melarang warga dewasa bekerja ke luar negeri.

- [ ] benar
- [x] Salah

## pasal-paspor
type: short

Pasal berapa UU 6/2011 mengatur pemalsuan paspor?

answer: Pasal 126 | pasal 126 UU 6/2011

## usia-minimal
type: numeric

Berapa usia paling rendah calon pekerja migran (tahun)?

answer: 18,5 +/- 0,5

> UU 18/2017 Pasal 5.

## pembagian-tugas
type: matching
partial: true

Pasangkan tugas dengan pihaknya.

- Mencatat cerita warga => Pimpasa
- Penangkapan pelaku => Polri
- Verifikasi perusahaan => BP2MI

## langkah-peringatan
type: ordering

Urutkan langkah berikut. Contoh catatan:

```
## bukan judul soal
1. bukan item
```

1. Mengenal risiko
2. Memantau tanda
3. Meneruskan informasi
"""


def quiz(body: str, front: str = FRONT) -> str:
    return front + body


def parse(text: str) -> QuizDocument:
    return parse_quiz(text, "quizzes/tppo/pengertian-tppo.md")


def only_question(body: str) -> Question:
    return parse(quiz(body)).questions[0]


# --------------------------------------------------------------------------- parsing


def test_front_matter_settings():
    doc = parse(FULL_QUIZ)
    assert (doc.slug, doc.module_ref, doc.title) == ("tppo-pengertian-kuis", "tppo/pengertian-tppo",
                                                      "Kuis: Pengertian TPPO")
    assert (doc.course_slug, doc.module_slug) == ("tppo", "pengertian-tppo")
    assert (doc.pass_mark, doc.max_attempts, doc.draw, doc.shuffle, doc.time_limit) == (80, 3, 6, False, 15)
    assert [q.slug for q in doc.questions] == ["unsur-tppo", "alasan-penolakan", "hak-bepergian",
                                               "pasal-paspor", "usia-minimal", "pembagian-tugas",
                                               "langkah-peringatan"]


def test_front_matter_defaults():
    doc = parse(quiz("## a\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n"))
    assert (doc.pass_mark, doc.max_attempts, doc.draw, doc.shuffle, doc.time_limit) == (70, 0, None, True, 0)


def test_single_is_the_default_type_with_law_and_explanation():
    q = parse(FULL_QUIZ).questions[0]
    assert q.type == "single" and q.points == 1 and not q.partial
    assert q.law == "UU 21/2007 Pasal 1 angka 1"
    assert q.prompt == "Menurut UU 21/2007, apa **tiga unsur** TPPO?"
    assert q.options == [Option("Perekrutan, pembayaran, dan pengiriman", False),
                         Option("Proses, cara, dan tujuan eksploitasi", True),
                         Option("Persetujuan korban dan batas negara", False)]
    assert q.explanation == ("Pasal 1 angka 1 menyebut proses, cara, dan tujuan.\n\n"
                             "Persetujuan korban tidak menghapus pidana.")
    assert q.line == 12


def test_multiple_with_points_and_partial_and_prompt_right_after_the_keys():
    q = parse(FULL_QUIZ).questions[1]
    assert (q.type, q.points, q.partial) == ("multiple", 2, True)
    assert q.prompt.startswith("Alasan mana yang sah")
    assert [o.correct for o in q.options] == [True, True, False]
    assert q.explanation is None


def test_true_false_options_keep_source_order_and_canonical_spelling():
    q = parse(FULL_QUIZ).questions[2]
    assert q.type == "true_false"
    assert q.options == [Option("Benar", False), Option("Salah", True)]
    reverse = only_question("## tf\ntype: true_false\nSoal?\n\n- [x] Salah\n- [ ] Benar\n")
    assert reverse.options == [Option("Salah", True), Option("Benar", False)]


def test_short_answer_alternatives():
    q = parse(FULL_QUIZ).questions[3]
    assert q.type == "short"
    assert q.accepted == ["Pasal 126", "pasal 126 UU 6/2011"]


@pytest.mark.parametrize("answer,value,tolerance", [
    ("18,5 +/- 0,5", 18.5, 0.5),
    ("15", 15.0, 0.0),
    ("15 ± 1", 15.0, 1.0),
    ("15 +- 1", 15.0, 1.0),
    ("-2.5+/-0.25", -2.5, 0.25),
])
def test_numeric_answer_and_tolerance(answer, value, tolerance):
    q = only_question(f"## n\ntype: numeric\nBerapa?\n\nanswer: {answer}\n")
    assert (q.type, q.value, q.tolerance) == ("numeric", value, tolerance)


def test_numeric_in_the_full_quiz_has_its_explanation():
    q = parse(FULL_QUIZ).questions[4]
    assert (q.value, q.tolerance, q.explanation) == (18.5, 0.5, "UU 18/2017 Pasal 5.")


def test_matching_pairs():
    q = parse(FULL_QUIZ).questions[5]
    assert (q.type, q.partial) == ("matching", True)
    assert q.pairs == [("Mencatat cerita warga", "Pimpasa"), ("Penangkapan pelaku", "Polri"),
                       ("Verifikasi perusahaan", "BP2MI")]


def test_ordering_items_and_fenced_code_in_the_prompt():
    q = parse(FULL_QUIZ).questions[6]
    assert q.type == "ordering"
    assert q.items == ["Mengenal risiko", "Memantau tanda", "Meneruskan informasi"]
    assert "## bukan judul soal" in q.prompt and "1. bukan item" in q.prompt


def test_prompt_may_contain_a_list_and_a_quote_before_the_answers():
    q = only_question("## a\nPerhatikan:\n\n- satu\n- dua\n\n> kutipan pasal\n\nManakah?\n\n"
                      "- [x] Ya\n- [ ] Tidak\n")
    assert q.prompt == "Perhatikan:\n\n- satu\n- dua\n\n> kutipan pasal\n\nManakah?"
    assert [o.text for o in q.options] == ["Ya", "Tidak"]
    assert q.explanation is None


def test_windows_line_endings_are_read():
    doc = parse(quiz("## a\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n").replace("\n", "\r\n"))
    assert [o.text for o in doc.questions[0].options] == ["Ya", "Tidak"]


# --------------------------------------------------------------------------- validation errors

SINGLE = "## a\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n"


@pytest.mark.parametrize("body,line,fragment", [
    ("## a\nSoal?\n\n- [ ] Ya\n- [ ] Tidak\n", 6, "no option is marked correct"),
    ("## a\nSoal?\n\n- [x] Ya\n- [x] Tidak\n", 6, "2 options are marked [x]"),
    ("## a\ntype: essay\nSoal?\n\n- [x] Ya\n", 7, "unknown question type 'essay'"),
    (SINGLE + "\n## a\nLagi?\n\n- [x] Ya\n- [ ] Tidak\n", 12, "duplicate question slug 'a' (first used on line 6)"),
    ("## m\ntype: matching\nPasangkan.\n\n- A => 1\n", 6, "at least two pairs"),
    ("## s\ntype: short\nPasal berapa?\n", 6, "needs a line 'answer: ...'"),
    ("## n\ntype: numeric\nBerapa?\n\n> penjelasan\n", 6, "needs a line 'answer: ...'"),
    ("## n\ntype: numeric\nBerapa?\n\nanswer: lima belas\n", 10, "bad numeric answer"),
    ("## n\ntype: numeric\nBerapa?\n\nanswer: 15 ± -1\n", 10, "bad numeric answer"),
    ("## a\n\n- [x] Ya\n- [ ] Tidak\n", 6, "the prompt is empty"),
    ("## s\ntype: short\nanswer: x\n", 6, "the prompt is empty"),
    ("## o\ntype: ordering\nUrutkan.\n\n1. Satu\n", 6, "at least two items"),
    ("## t\ntype: true_false\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n", 6, "'Benar' and 'Salah'"),
    ("## a\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n- Mungkin\n", 11, "expected a task list"),
    ("## a\nSoal?\n\n- [x] Ya\n- [ ]\n", 10, "option text is empty"),
    ("## a\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n\nPenjelasan tanpa tanda kutip.\n", 12, "only an explanation"),
    ("## a\npartial: true\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n", 7, "partial applies only to"),
    ("## a\npoints: 0\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n", 7, "points must be a whole number"),
    ("## a\ntype: single\ntype: multiple\nSoal?\n", 8, "given twice"),
    ("## Soal Satu\nSoal?\n\n- [x] Ya\n- [ ] Tidak\n", 6, "must be a slug"),
    ("## a\nSoal?\n\n- [x] Ya\n- [ ] ya\n", 6, "same text"),
    ("## s\ntype: short\nSoal?\n\nanswer: a | | b\n", 10, "empty accepted answer"),
    ("## m\ntype: matching\nPasangkan.\n\n- A => 1\n- B =>\n", 11, "both sides"),
    ("Pengantar kuis.\n\n" + SINGLE, 6, "text before the first question"),
    ("\n", 6, "no questions"),
])
def test_malformed_question_is_reported_at_its_line(body, line, fragment):
    with pytest.raises(ContentError) as info:
        parse(quiz(body))
    assert info.value.path == "quizzes/tppo/pengertian-tppo.md"
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"quizzes/tppo/pengertian-tppo.md:{line}:")


def front(**fields: object) -> str:
    values = {"slug": "kuis", "module": "tppo/pengertian-tppo", "title": "Kuis", **fields}
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


@pytest.mark.parametrize("fields,line,fragment", [
    ({"pass_mark": 101}, 5, "pass_mark must be a whole number from 0 to 100"),
    ({"pass_mark": -1}, 5, "pass_mark must be a whole number from 0 to 100"),
    ({"pass_mark": 70.5}, 5, "pass_mark must be a whole number"),
    ({"max_attempts": -1}, 5, "max_attempts must be a whole number of at least 0"),
    ({"draw": -2}, 5, "draw must be a whole number of at least 1"),
    ({"draw": 2}, 5, "draw is 2 but the pool has only 1 questions"),
    ({"time_limit": -5}, 5, "time_limit must be a whole number of at least 0"),
    ({"shuffle": "kadang"}, 5, "shuffle must be true or false"),
    ({"slug": None}, 1, "'slug' is missing"),
    ({"module": None}, 1, "'module' is missing"),
    ({"title": None}, 1, "'title' is missing"),
    ({"module": "pengertian-tppo"}, 3, "module must be '<course slug>/<module slug>'"),
    ({"module": "tppo/pengertian/lagi"}, 3, "module must be"),
    ({"slug": "Kuis TPPO"}, 2, "slug must be lowercase"),
    ({"passmark": 80}, 5, "unknown front matter field 'passmark'"),
])
def test_bad_front_matter_value_is_reported_at_its_line(fields, line, fragment):
    with pytest.raises(ContentError) as info:
        parse(front(**fields) + SINGLE)
    assert info.value.line == line
    assert fragment in info.value.message


def test_zero_is_allowed_for_unlimited_attempts_and_no_time_limit():
    doc = parse(front(max_attempts=0, time_limit=0, pass_mark=0, draw=1) + SINGLE)
    assert (doc.max_attempts, doc.time_limit, doc.pass_mark, doc.draw) == (0, 0, 0, 1)


def test_check_question_reports_at_the_heading_line():
    question = Question(slug="a", type="single", prompt="Soal?", line=42,
                        options=[Option("Ya", True), Option("Tidak", True)])
    with pytest.raises(ContentError) as info:
        check_question(question, "gift.txt")
    assert (info.value.path, info.value.line) == ("gift.txt", 42)


@pytest.mark.parametrize("question,fragment", [
    (Question("a", "short", "Soal?", accepted=["a|b"]), "cannot contain '|'"),
    (Question("a", "matching", "Soal?", pairs=[("a => b", "c"), ("d", "e")]), "cannot contain '=>'"),
    (Question("a", "ordering", "Soal?", items=["satu\ndua", "tiga"]), "one non-empty line"),
    (Question("a", "numeric", "Soal?"), "needs an answer value"),
    (Question("a", "single", "## judul\nSoal?", options=[Option("Ya", True), Option("Tidak")]), "level-2 heading"),
    (Question("a", "single", "Soal?", law="", options=[Option("Ya", True), Option("Tidak")]), "law must be"),
])
def test_check_question_refuses_what_cannot_be_written_back(question, fragment):
    with pytest.raises(ContentError, match=fragment.replace("|", r"\|")):
        check_question(question, "x.md")


# --------------------------------------------------------------------------- round trips

ROUND_TRIP_SOURCES = {
    "full": FULL_QUIZ,
    "awkward-values": quiz(
        "## angka-kecil\ntype: numeric\npoints: 3\nBerapa?\n\nanswer: 0,1 ± 0.00001\n\n"
        "> Baris satu\n>\n>     kode terindentasi\n> > kutipan bersarang\n\n"
        "## kode\ntype: ordering\nUrutkan:\n\n~~~\n## bukan soal\n- [x] bukan opsi\n~~~\n\n"
        "1. Pertama\n2. Kedua\n\n"
        "## pasal\ntype: short\nlaw: UU 6/2011 Pasal 120: penyelundupan\n\n"
        "points: 2 bukan baris kunci karena dipisah baris kosong\n\nanswer: Pasal 120\n",
        front=front(title="'Kuis: \"TPPO\" # bukan komentar'", draw=2, pass_mark=100),
    ),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_SOURCES))
def test_export_round_trip(name):
    original = parse(ROUND_TRIP_SOURCES[name])
    exported = quiz_to_markdown(original)
    again = parse(exported)
    assert again == original
    assert quiz_to_markdown(again) == exported


def test_round_trip_keeps_awkward_values():
    doc = parse(quiz_to_markdown(parse(ROUND_TRIP_SOURCES["awkward-values"])))
    assert doc.title == 'Kuis: "TPPO" # bukan komentar'
    number, ordering, short = doc.questions
    assert (number.value, number.tolerance, number.points) == (0.1, 0.00001, 3)
    assert number.explanation == "Baris satu\n\n    kode terindentasi\n> kutipan bersarang"
    assert ordering.items == ["Pertama", "Kedua"] and "- [x] bukan opsi" in ordering.prompt
    assert short.law == "UU 6/2011 Pasal 120: penyelundupan"
    assert short.prompt.startswith("points: 2 bukan baris kunci")


def test_exported_lines_point_at_the_exported_headings():
    exported = quiz_to_markdown(parse(FULL_QUIZ))
    lines = exported.split("\n")
    for question in parse(exported).questions:
        assert lines[question.line - 1] == f"## {question.slug}"


@pytest.mark.parametrize("path", CURRICULUM_QUIZZES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_curriculum_quiz_round_trip(path):
    original = parse_quiz(path.read_text(encoding="utf-8"), str(path))
    assert original.questions
    assert parse_quiz(quiz_to_markdown(original), str(path)) == original


def test_question_dict_is_json_safe_and_lossless():
    for question in parse(FULL_QUIZ).questions + parse(ROUND_TRIP_SOURCES["awkward-values"]).questions:
        data = json.loads(json.dumps(question.to_dict()))
        restored = Question.from_dict(data)
        assert restored == question
        assert restored.line == question.line
        assert all(isinstance(pair, tuple) for pair in restored.pairs)


def test_from_dict_ignores_extra_keys():
    data = parse(FULL_QUIZ).questions[0].to_dict()
    data["html"] = {"prompt": "<p>x</p>"}
    assert Question.from_dict(data).slug == "unsur-tppo"
