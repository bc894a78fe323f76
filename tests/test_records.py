"""Correctable records: edit, merge (nothing lost), remove (asked, backed up), cohorts as typed."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel, select

from latsar.services import open_services
from latsar.storage import records
from latsar.storage.models import Answer, Attempt, Learner, LearnerPin, LiveSession, PracticeCard, PracticeReview, SectionProgress
from tests.helpers import MP1_KEY, read_through, take

NIP_A = "199001012020122001"
NIP_B = "199001012020121003"
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 10) -> None:
        self.now += timedelta(minutes=minutes)


def snapshot(svc, ids: list[int]) -> dict[str, Any]:
    """Everything the database holds about these learners, by content (not by learner id)."""
    with svc.db.read() as s:
        attempts = {a.id: a for a in s.exec(select(Attempt).where(Attempt.learner_id.in_(ids))).all()}
        answers = {(attempts[x.attempt_id].uid, x.question_id, x.choice) for x in s.exec(select(Answer).where(Answer.attempt_id.in_(list(attempts)))).all()}
        return {
            "attempts": {a.uid for a in attempts.values()},
            "finished": {a.uid: (a.correct, a.total, a.passed) for a in attempts.values() if a.state == "finished"},
            "answers": answers,
            "sections": {p.section_id for p in s.exec(select(SectionProgress).where(SectionProgress.learner_id.in_(ids))).all()},
            "reading_seconds": sum(p.seconds for p in s.exec(select(SectionProgress).where(SectionProgress.learner_id.in_(ids))).all()),
            "reads": sum(p.read_count for p in s.exec(select(SectionProgress).where(SectionProgress.learner_id.in_(ids))).all()),
            "cards": {c.question_id for c in s.exec(select(PracticeCard).where(PracticeCard.learner_id.in_(ids))).all()},
            "practice_seen": sum(c.seen for c in s.exec(select(PracticeCard).where(PracticeCard.learner_id.in_(ids))).all()),
            "reviews": sorted((r.question_id, r.rating, r.reviewed_at) for r in s.exec(select(PracticeReview).where(PracticeReview.learner_id.in_(ids))).all()),
            "pins": len(s.exec(select(LearnerPin).where(LearnerPin.learner_id.in_(ids))).all()),
            "sessions": {x.id for x in s.exec(select(LiveSession).where(LiveSession.learner_id.in_(ids))).all()},
        }


def build_twins(svc, clock: Clock):
    """One person registered twice, each registration with a full record that overlaps the other's."""
    keep = svc.learners.add("Siti Aminah", None, "Angkatan 7", "BKD Kota")
    other = svc.learners.add("SITI AMINAH", NIP_A, "Angkatan Tujuh", None)
    k, o = svc.trainee(keep.id), svc.trainee(other.id)
    for sid in ("mp1-1", "mp1-2"):
        k.reading.open(sid)
        k.reading.record(sid, 300, 0.5)
    clock.tick()
    k.practice.answer("px-01", "a")
    clock.tick()
    view = k.attempts.start_or_resume("mp1")
    k.attempts.answer(view.id, view.presented[0].question.id, "b")
    k.attempts.answer(view.id, view.presented[1].question.id, "c")
    clock.tick()
    failed = take(o, "mp1", "bccbacaaaa")  # 7/10: restudy before a retake
    clock.tick()
    for sid in failed.restudy:
        read_through(o, sid, clock)
    o.reading.open("mp1-2")
    o.reading.record("mp1-2", 120, 0.9)
    clock.tick()
    o.practice.answer("px-01", "b")
    o.practice.answer("px-02", "a")
    clock.tick()
    view = o.attempts.start_or_resume("mp1")
    o.attempts.answer(view.id, view.presented[1].question.id, "a")
    o.attempts.answer(view.id, view.presented[2].question.id, "c")
    with svc.db.write() as s:
        s.add(LearnerPin(learner_id=other.id, salt="00", digest="11"))
        s.add(LiveSession(id="sesi-1", learner_id=other.id))
    return keep, other


@pytest.fixture
def twins(tmp_path):
    clock = Clock()
    svc = open_services(tmp_path / "kelas.db", clock=clock)
    keep, other = build_twins(svc, clock)
    return svc, keep, other


def test_every_table_that_points_at_a_learner_is_handled():
    pointing = {
        table.name
        for table in SQLModel.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "learner"
    }
    assert pointing == set(records.HANDLED)


def test_merge_loses_nothing(twins, tmp_path):
    svc, keep, other = twins
    before = snapshot(svc, [keep.id, other.id])
    both = snapshot(svc, [keep.id])["sections"] & snapshot(svc, [other.id])["sections"]
    with svc.db.read() as s:
        keep_open = s.exec(select(Attempt).where(Attempt.learner_id == keep.id, Attempt.state == "in_progress")).one()
        other_open = s.exec(select(Attempt).where(Attempt.learner_id == other.id, Attempt.state == "in_progress")).one()
        other_card = s.get(PracticeCard, (other.id, "px-01"))
    report = svc.instructor_at_terminal(None).records.merge(keep.id, other.id)
    after = snapshot(svc, [keep.id])
    assert snapshot(svc, [other.id])["attempts"] == set()
    # Every attempt, every answer, every section, every review is still there, now KEEP's.
    assert after["attempts"] == before["attempts"] and after["finished"] == before["finished"]
    assert before["answers"] <= after["answers"]
    assert after["sections"] == before["sections"] and "mp1-2" in both
    assert after["reading_seconds"] == before["reading_seconds"] and after["reads"] == before["reads"]
    assert after["cards"] == before["cards"] == {"px-01", "px-02"} and after["practice_seen"] == before["practice_seen"]
    assert after["reviews"] == before["reviews"] and after["pins"] == 1 and after["sessions"] == {"sesi-1"}
    m = report.moved
    assert (m.attempts, m.open_folded, m.sections_combined, m.cards_combined, m.reviews, m.pin_moved) == (2, 1, len(both), 1, 2, True)
    with svc.db.read() as s:
        # Both had an open MP1: KEEP's stays open and takes the answer it lacked; OTHER's is kept, abandoned.
        still_open = s.exec(select(Attempt).where(Attempt.learner_id == keep.id, Attempt.state == "in_progress")).one()
        assert still_open.uid == keep_open.uid
        answers = {a.question_id: a.choice for a in s.exec(select(Answer).where(Answer.attempt_id == still_open.id)).all()}
        assert len(answers) == 3 and s.get(Attempt, other_open.id).state == "abandoned"
        # The same section read under both: first and last reading, counts and seconds added.
        mp12 = s.get(SectionProgress, (keep.id, "mp1-2"))
        assert mp12.read_count == 2 and mp12.seconds == 420 and mp12.position == 0.9
        # The same practice question under both: the later card's FSRS state, both counts.
        card = s.get(PracticeCard, (keep.id, "px-01"))
        assert (card.last_review, card.due, card.stability) == (other_card.last_review, other_card.due, other_card.stability)
        assert (card.seen, card.right) == (2, 1)
        assert s.get(Learner, other.id) is None
    # KEEP keeps its name, cohort and instansi and takes the NIP it lacked; OTHER's emptied cohort goes.
    kept = svc.learners.get(keep.id)
    assert (kept.name, kept.nip, kept.cohort, kept.instansi) == ("Siti Aminah", NIP_A, "Angkatan 7", "BKD Kota")
    assert [c.name for c in svc.instructor_at_terminal(None).cohorts.list()] == ["Angkatan 7"]
    assert report.backup is not None and report.backup.exists() and oct(report.backup.stat().st_mode & 0o777) == "0o600"
    con = sqlite3.connect(tmp_path / "kelas.db")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # The merged learner goes on where they stopped.
    resumed = svc.trainee(keep.id).attempts.start_or_resume("mp1")
    assert resumed.answered_count == 3


def test_merge_cli_asks_and_reports(cli, tmp_path):
    db = str(tmp_path / "k.db")
    cli("--db", db, "learner", "add", "--name", "Ani", "--nip", NIP_A)
    cli("--db", db, "learner", "add", "--name", "Ani Lestari")
    cli("--db", db, "quiz", "mp1", "--learner", "2", input="\n".join(MP1_KEY) + "\n")
    code, out, err = cli("--db", db, "learner", "merge", NIP_A, "2", input="")  # no answer: nothing done
    assert code == 2 and "Tidak digabung" in err and "1 percobaan (10 jawaban)" in out
    assert len(json.loads(cli("--db", db, "learner", "list", "--json")[1])) == 2
    code, out, err = cli("--db", db, "learner", "merge", NIP_A, "2", input="y\n")
    assert code == 0, err
    assert "Digabung ke Ani (199001012020122001), id 1: 1 percobaan" in out and "Cadangan sebelum penggabungan" in out
    progress = json.loads(cli("--db", db, "progress", "--json")[1])
    assert progress["learner"]["id"] == 1 and progress["evaluations"]["mp1"]["best_percent"] == 100
    code, _, err = cli("--db", db, "learner", "merge", "1", "1", "--yes")
    assert code == 2 and "dirinya sendiri" in err
    code, _, err = cli("--db", db, "learner", "merge", "1", "99", "--yes")
    assert code == 2 and "'99'" in err


def test_remove_asks_backs_up_and_removes_everything(cli, twins, tmp_path):
    svc, keep, other = twins
    db = str(tmp_path / "kelas.db")
    code, out, err = cli("--db", db, "learner", "remove", NIP_A, input="")
    assert code == 2 and "Tidak dihapus" in err and "SITI AMINAH" in out
    assert svc.learners.get(other.id)
    code, out, err = cli("--db", db, "learner", "remove", NIP_A, input="n\n")
    assert code == 2
    code, out, err = cli("--db", db, "learner", "remove", NIP_A, input="y\n")
    assert code == 0, err
    assert "dihapus" in out and "Cadangan sebelum penghapusan" in out
    backup = Path(out.split("penghapusan: ")[1].split(" (")[0])
    assert backup.exists()
    assert snapshot(svc, [other.id]) == {
        "attempts": set(), "finished": {}, "answers": set(), "sections": set(), "reading_seconds": 0, "reads": 0,
        "cards": set(), "practice_seen": 0, "reviews": [], "pins": 0, "sessions": set(),
    }
    assert snapshot(svc, [keep.id])["attempts"]  # the other learner is untouched
    assert [c.name for c in svc.instructor_at_terminal(None).cohorts.list()] == ["Angkatan 7"]  # an emptied cohort goes
    old = sqlite3.connect(backup)
    assert old.execute("SELECT count(*) FROM learner").fetchone() == (2,)  # the backup still has them
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert cli("--db", db, "learner", "remove", "1", "--yes")[0] == 0
    assert json.loads(cli("--db", db, "learner", "list", "--json")[1]) == []


def test_edit_validates_like_add(cli, tmp_path):
    db = str(tmp_path / "e.db")
    cli("--db", db, "learner", "add", "--name", "Ani", "--nip", NIP_A, "--cohort", "Angkatan 7")
    cli("--db", db, "learner", "add", "--name", "Budi", "--cohort", "Angkatan 8", "--instansi", "Dinkes")
    code, out, err = cli("--db", db, "learner", "edit", "2", "--name", "  Budi   Santoso ", "--nip", "19900101 202012 1 003", "--cohort", "angkatan  7", "--instansi", "")
    assert code == 0, err
    assert "nama Budi → Budi Santoso" in out and f"NIP - → {NIP_B}" in out and "angkatan Angkatan 8 → Angkatan 7" in out and "instansi Dinkes → -" in out
    budi = json.loads(cli("--db", db, "learner", "list", "--json")[1])[1]
    assert budi == {"id": 2, "name": "Budi Santoso", "nip": NIP_B, "cohort": "Angkatan 7", "instansi": None}
    assert [c["name"] for c in json.loads(cli("--db", db, "cohort", "list", "--json")[1])] == ["Angkatan 7"]
    code, _, err = cli("--db", db, "learner", "edit", NIP_B, "--nip", NIP_A)
    assert code == 2 and "sudah terdaftar atas nama Ani (id 1)" in err and "learner merge 1 2" in err
    code, _, err = cli("--db", db, "learner", "edit", "2", "--nip", "12345")
    assert code == 2 and "NIP '12345' tidak sah" in err
    code, _, err = cli("--db", db, "learner", "edit", "2", "--name", "   ")
    assert code == 2 and "tidak boleh kosong" in err
    code, _, err = cli("--db", db, "learner", "edit", "2")
    assert code == 2 and "Tidak ada yang diubah" in err
    code, out, _ = cli("--db", db, "learner", "edit", "2", "--nip", "", "--cohort", "")
    assert code == 0 and json.loads(cli("--db", db, "learner", "list", "--json")[1])[1]["nip"] is None
    code, out, _ = cli("--db", db, "learner", "edit", "1", "--name", "Ani")
    assert code == 0 and "Tidak ada yang berubah" in out
