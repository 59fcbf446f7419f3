"""JP counted from courses and events, the below-20 list and its export, pre/post-test gain and
the anonymous evaluation, without HTTP."""
import csv
import io
import random
import subprocess
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from learning.certificates.pdf import certificate_pdf
from learning.certificates import issuing
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from learning.events import checkin, evaluation, event_tests, jp, planning
from learning.events.recap import recap_pdf
from learning.learner import progress
from learning.models import Certificate, Course, EventEvaluationAnswer
from learning.reports.export import table_csv, table_xlsx

from ..events_data import SECRET, code_at, make_event, utc
from ..factories import import_sample_curriculum, make_office, make_user
from ..quiz_answers import answer_fields, as_form

YEAR = 2026
START = utc(2026, 11, 14, 1, 0)  # 09.00 WITA


@pytest.fixture
def course(db):
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    course.jp = 4
    db.session.commit()
    return course


@pytest.fixture
def office(db):
    return make_office()


def complete_course(user, course, when):
    for i, module in enumerate(course.live_modules):
        progress.complete_module(user, module, when + timedelta(minutes=i))


def attend(db, event, user, at=START + timedelta(minutes=5)):
    checkin.check_in(event, user, code_at(event, at), SECRET, at)
    db.session.commit()


def test_a_4_jp_course_and_a_16_jp_event_make_20_and_leave_the_below_list(app, db, course,
                                                                          office):
    sari = make_user(full_name="Sari Wulandari", office=office, nip="198701012010121001")
    budi = make_user(full_name="Budi Santoso", office=office)
    event = make_event(jp=16)
    planning.invite(None, event, [sari.id, budi.id])
    complete_course(sari, course, utc(2026, 3, 2, 3))
    db.session.commit()
    assert jp.jp_total(sari, YEAR) == 4
    names = [line.name for line in jp.below_target(YEAR)]
    assert names == ["Budi Santoso", "Sari Wulandari"]
    with app.test_request_context():
        table = jp.below_target_table(YEAR)
        rows = list(csv.reader(io.StringIO(table_csv(table, "Asia/Jakarta").decode("utf-8-sig"))))
    assert rows[1][2:] == ["Budi Santoso", "", "0", "20"]
    assert rows[2][2:] == ["Sari Wulandari", "198701012010121001", "4", "16"]

    attend(db, event, sari)
    assert jp.jp_total(sari, YEAR) == 20
    assert [line.name for line in jp.below_target(YEAR)] == ["Budi Santoso"]
    with app.test_request_context():
        table = jp.below_target_table(YEAR)
        rows = list(csv.reader(io.StringIO(table_csv(table, "Asia/Jakarta").decode("utf-8-sig"))))
        assert table_xlsx(table, "Asia/Jakarta")[:2] == b"PK"
    exported = [row[2] for row in rows[1:-1]]  # the last line is the total
    assert exported == [line.name for line in jp.below_target(YEAR)] == ["Budi Santoso"]
    assert rows[-1][2] == "1" and rows[-1][5] == "20"


def test_the_below_list_filters_by_office_and_region(db, office):
    other = make_office(code="KANIM-JPR", name="Kantor Imigrasi Jayapura", region_code="PAPUA",
                        region_name="Kanwil Papua")
    make_user(full_name="Sari", office=office)
    make_user(full_name="Yosephina", office=other)
    assert [ln.name for ln in jp.below_target(YEAR, office_id=other.id)] == ["Yosephina"]
    assert [ln.name for ln in jp.below_target(YEAR, region_id=office.region_id)] == ["Sari"]


def test_an_event_with_a_post_test_counts_only_once_it_is_passed(db, course, office):
    sari = make_user(office=office)
    event = make_event(jp=16, with_tests=True)
    planning.invite(None, event, [sari.id])
    attend(db, event, sari)
    assert jp.jp_total(sari, YEAR) == 0
    rng = random.Random(3)
    attempt = event_tests.start(event, sari, "post", START + timedelta(hours=2), rng)
    event_tests.submit(attempt, as_form(answer_fields(attempt, right=True)),
                       START + timedelta(hours=2, minutes=5))
    db.session.commit()
    assert attempt.passed and jp.jp_total(sari, YEAR) == 16


def test_a_course_done_twice_in_a_year_counts_once_and_a_revoked_one_not_at_all(db, course,
                                                                               office):
    sari = make_user(office=office)
    complete_course(sari, course, utc(2026, 2, 1, 3))
    db.session.commit()
    first = db.session.scalar(sa.select(Certificate))
    db.session.add(Certificate(number="PIMPASA-AAAAA-BBBBB", user_id=sari.id,
                               course_id=course.id, holder_name=sari.full_name,
                               course_title=course.title, completed_at=utc(2026, 9, 1),
                               completed_on=date(2026, 9, 1), jp=4))
    db.session.commit()
    assert jp.jp_total(sari, YEAR) == 4
    first.revoked_at = utc(2026, 10, 1)
    db.session.commit()
    assert jp.jp_total(sari, YEAR) == 4  # the second certificate still stands
    assert jp.jp_total(sari, 2025) == 0


def test_an_event_on_new_years_eve_in_wit_counts_in_its_own_year(db):
    sari = make_user()
    # 31 Dec 2026 23.00 WIT is 14.00 UTC the same day; 1 Jan 2027 06.00 WIT is 21.00 UTC 31 Dec
    late = make_event(day=date(2026, 12, 31), start=time(22),
                      end=time(23, 30), zone="WIT", jp=2)
    early = make_event(day=date(2027, 1, 1), start=time(6),
                       end=time(8), zone="WIT", jp=3)
    for event in (late, early):
        planning.invite(None, event, [sari.id])
        attend(db, event, sari, event.starts_at + timedelta(minutes=1))
    assert jp.jp_total(sari, 2026) == 2 and jp.jp_total(sari, 2027) == 3


def test_the_certificate_states_the_jp(app, db, course, office, tmp_path):
    sari = make_user(full_name="Sari Wulandari", office=office)
    complete_course(sari, course, utc(2026, 3, 2, 3))
    db.session.commit()
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.jp == 4
    key = Ed25519PrivateKey.generate()
    body = certificate_pdf(certificate, issuing.certificate_payload(certificate), key,
                           "https://pimpasa.example")
    (tmp_path / "c.pdf").write_bytes(body)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "Jam pelajaran" in text and "4 JP" in text


def test_the_yearly_recap_lists_each_item_and_the_total(app, db, course, office, tmp_path):
    sari = make_user(full_name="Ni Luh Ayu Śrī Dewī", office=office)
    complete_course(sari, course, utc(2026, 3, 2, 3))
    event = make_event(jp=16)
    planning.invite(None, event, [sari.id])
    attend(db, event, sari)
    (tmp_path / "r.pdf").write_bytes(recap_pdf(sari, YEAR, jp.jp_items(sari, YEAR),
                                               date(2026, 12, 1)))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "Ni Luh Ayu Śrī Dewī" in text and "Kursus Contoh" in text
    assert "Peningkatan Kapasitas Pimpasa Batulicin" in text
    assert "Memenuhi" in text and " 20" in text


# --------------------------------------------------------------------------- gain


def test_normalised_gain():
    assert event_tests.normalised_gain(40.0, 70.0) == 0.5
    assert event_tests.normalised_gain(50.0, 40.0) == -0.2
    assert event_tests.normalised_gain(100.0, 100.0) is None
    assert event_tests.normalised_gain(None, 80.0) is None


def test_pre_and_post_are_drawn_separately_and_graded_once(db, course, office):
    sari = make_user(office=office)
    event = make_event(with_tests=True)
    planning.invite(None, event, [sari.id])
    pre = event_tests.start(event, sari, "pre", START, random.Random(1))
    post = event_tests.start(event, sari, "post", START, random.Random(2))
    assert pre.id != post.id and len(pre.draw) == len(post.draw) == 3
    assert event_tests.start(event, sari, "pre", START, random.Random(5)).id == pre.id
    event_tests.submit(pre, as_form(answer_fields(pre, right=False)), START)
    event_tests.submit(post, as_form(answer_fields(post, right=True)), START)
    db.session.commit()
    with pytest.raises(event_tests.TestClosed):
        event_tests.submit(pre, as_form(answer_fields(pre, right=True)), START)
    [line] = event_tests.gain_lines(event)
    assert (line.pre, line.post, line.gain) == (0.0, 100.0, 1.0)
    assert event_tests.mean_gain([line]) == (0.0, 100.0, 1.0)
    questions = event_tests.question_gains(event)
    assert questions and all(q.change == 100.0 for q in questions)


def test_the_pre_test_closes_once_the_post_test_is_started(db, course, office):
    sari = make_user(office=office)
    event = make_event(with_tests=True)
    event_tests.start(event, sari, "post", START, random.Random(1))
    with pytest.raises(event_tests.TestUnavailable):
        event_tests.start(event, sari, "pre", START, random.Random(2))


def test_the_event_test_does_not_touch_the_quiz_module(db, course, office):
    from learning.models import Attempt, ModuleProgress
    sari = make_user(office=office)
    event = make_event(with_tests=True)
    attempt = event_tests.start(event, sari, "pre", START, random.Random(1))
    event_tests.submit(attempt, as_form(answer_fields(attempt, right=True)), START)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))) == 0


# --------------------------------------------------------------------------- evaluation


def _answers(score: int, text: str = "") -> MultiDict:
    return MultiDict({"e-materi": str(score), "e-waktu": str(score), "e-tempat": str(score),
                      "e-narasumber-1": "5", "e-narasumber-2": "4", "e-saran": text})


def test_evaluation_aggregates_only_from_five_answers_and_names_nobody(db, office):
    officers = [make_user(office=office) for _ in range(5)]
    event = make_event()
    planning.invite(None, event, [o.id for o in officers])
    for officer in officers:
        attend(db, event, officer)
    for n, officer in enumerate(officers[:4]):
        evaluation.submit(event, officer, _answers(n + 1, "Perlu lebih banyak studi kasus"))
        db.session.commit()
        shown = evaluation.summary(event)
        assert not shown.shown and shown.items == [] and shown.respondents == n + 1
    evaluation.submit(event, officers[4], _answers(5))
    db.session.commit()
    summary = evaluation.summary(event)
    assert summary.shown and summary.respondents == 5
    materi = next(item for item in summary.items if item.key == "materi")
    assert materi.mean == 3.0 and materi.counts == (1, 1, 1, 1, 1)
    saran = next(item for item in summary.items if item.key == "saran")
    assert saran.answered == 4
    columns = set(EventEvaluationAnswer.__table__.columns.keys())
    assert columns == {"token", "event_id", "answers"}  # no officer, no time, no sequence


def test_evaluation_once_per_attendee_and_every_likert_item_needed(db, office):
    sari, budi = make_user(office=office), make_user(office=office)
    event = make_event()
    planning.invite(None, event, [sari.id, budi.id])
    attend(db, event, sari)
    with pytest.raises(evaluation.EvaluationRefused) as absent:
        evaluation.submit(event, budi, _answers(4))
    assert absent.value.code == "not_attended"
    with pytest.raises(evaluation.EvaluationRefused) as incomplete:
        evaluation.submit(event, sari, MultiDict({"e-materi": "9"}))
    assert incomplete.value.code == "incomplete" and "materi" in incomplete.value.missing
    evaluation.submit(event, sari, _answers(4))
    db.session.commit()
    with pytest.raises(evaluation.EvaluationRefused) as again:
        evaluation.submit(event, sari, _answers(2))
    assert again.value.code == "already"
    assert evaluation.missing_evaluations(event) == []


# --------------------------------------------------------------------------- demo and reminders


def test_demo_events_span_three_zones_with_attendance_tests_and_evaluations(app, db):
    from learning.demo.generate import generate_demo
    from learning.events import roster
    from learning.models import TrainingEvent
    with app.test_request_context():
        summary = generate_demo(60, 2, as_of=date(2026, 3, 2), tz="Asia/Jakarta",
                                content_root=app.config["CONTENT_ROOT"])
    db.session.commit()
    assert summary.counts["events"] == 3
    events = list(db.session.scalars(sa.select(TrainingEvent).order_by(TrainingEvent.id)))
    assert {e.timezone for e in events} == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
    for event in events:
        present, invited = roster.attendance_counts(event)
        assert 0 < present <= invited
        assert event_tests.gain_lines(event)
    shown = [evaluation.summary(e).shown for e in events]
    assert shown.count(False) >= 1 and shown.count(True) >= 1
    with app.test_request_context():
        again = generate_demo(60, 2, as_of=date(2026, 3, 2), tz="Asia/Jakarta",
                              content_root=app.config["CONTENT_ROOT"])
    db.session.commit()
    assert again.counts["events"] == 3
    assert db.session.scalar(sa.select(sa.func.count(TrainingEvent.id))) == 3


class _Collect:
    name = "memory"

    def __init__(self):
        self.sent = []

    def address_for(self, recipient):
        return recipient.email

    def send(self, message):
        self.sent.append(message)


def test_event_reminders_go_out_once_the_day_before_and_for_missing_evaluations(app, db):
    from learning.certificates.reminders import send_reminders
    from learning.events.reminders import event_composer, plan_event_reminders
    sari = make_user(full_name="Sari", email="sari@example.test")
    budi = make_user(full_name="Budi", email="budi@example.test")
    event = make_event(jp=4, zone="WIT")  # 14 Nov 2026 09.00 WIT = 00.00 UTC
    planning.invite(None, event, [sari.id, budi.id])
    db.session.commit()
    day_before = utc(2026, 11, 13, 2)  # 11.00 WIT on the 13th
    channel = _Collect()
    with app.test_request_context():
        compose = event_composer(app.config)
        planned = plan_event_reminders(day_before)
        assert sorted(r.recipient.name for r in planned) == ["Budi", "Sari"]
        first = send_reminders(planned, channel, compose, day_before)
        second = send_reminders(plan_event_reminders(day_before + timedelta(hours=3)), channel,
                                compose, day_before + timedelta(hours=3))
    assert first.sent == 2 and second.sent == 0 and second.already_sent == 2
    assert "Besok" in channel.sent[0].subject and "09.00" in channel.sent[0].text
    assert plan_event_reminders(utc(2026, 11, 12, 2)) == []  # two days before: nothing yet
    at = event.starts_at + timedelta(minutes=5)
    checkin.check_in(event, sari, code_at(event, at), SECRET, at)
    checkin.check_in(event, budi, code_at(event, at), SECRET, at)
    evaluation.submit(event, budi, MultiDict({i["key"] and f"e-{i['key']}": "4"
                                              for i in event.evaluation}))
    db.session.commit()
    after = event.ends_at + timedelta(hours=2)
    with app.test_request_context():
        planned = plan_event_reminders(after)
        assert [(r.recipient.name, r.stage) for r in planned] == [("Sari", "evaluation_due")]
        sent = send_reminders(planned, channel, event_composer(app.config), after)
        again = send_reminders(plan_event_reminders(after + timedelta(days=1)), channel,
                               event_composer(app.config), after + timedelta(days=1))
    assert sent.sent == 1 and again.sent == 0 and again.already_sent == 1
    assert "evaluasi" in channel.sent[-1].subject.lower()
