"""The cohort at a glance: a pure function of the summary rows, checked on a hand-made cohort."""

from __future__ import annotations

import json
from datetime import datetime

from latsar.assessment.records import SummaryRow
from latsar.course import load_course
from latsar.paths import shipped_pack
from latsar.services import open_services
from latsar.services.instructor.report import by_cohort, describe, overview
from tests.helpers import MP1_KEY, MP2_KEY, take

COURSE = load_course(shipped_pack())
T = datetime(2026, 11, 3, 2, 0)


def row(learner_id, name, best, passed, read, cohort="Angkatan 7", nip=None) -> SummaryRow:
    """best/passed per evaluation (MP1, MP2): best percent or None; passed True/False."""
    attempts = tuple(0 if b is None else 1 for b in best)
    return SummaryRow(name, nip, cohort, None, tuple(best), attempts, tuple(T if p else None for p in passed), read, T if read or any(attempts) else None, learner_id)


# Five learners:
#   Ani   MP1 100 (passed), MP2 90 (passed), read 23 (every section)
#   Budi  MP1  70,                          read 5
#   Cici  MP1  80 (passed), MP2 60,         read 10
#   Dedi  nothing, read 2        (started: has read)
#   Eka   nothing at all         (not started)
COHORT = [
    row(1, "Ani", (100, 90), (True, True), 23),
    row(2, "Budi", (70, None), (False, False), 5),
    row(3, "Cici", (80, 60), (True, False), 10),
    row(4, "Dedi", (None, None), (False, False), 2),
    row(5, "Eka", (None, None), (False, False), 0, nip="199001012020122001"),
]


def test_the_glance_by_hand():
    g = overview(COURSE, "Angkatan 7", COHORT)
    assert (g.registered, g.started, g.complete) == (5, 4, 1)
    assert [(p.id, p.name, p.nip) for p in g.not_started] == [(5, "Eka", "199001012020122001")]
    mp1, mp2 = g.evaluations
    # MP1: 100, 70, 80 -> mean 250/3 = 83.33, median 80; passed: Ani, Cici.
    assert (mp1.id, mp1.name, mp1.attempted, mp1.passed, round(mp1.mean_best, 2), mp1.median_best) == ("mp1", "Evaluasi MP1", 3, 2, 83.33, 80)
    # MP2: 90, 60 -> mean 75, median (60 + 90) / 2 = 75; passed: Ani.
    assert (mp2.attempted, mp2.passed, mp2.mean_best, mp2.median_best) == (2, 1, 75, 75)
    # Sections read: 23, 5, 10, 2, 0 of 23 -> mean 40/5 = 8, median 5; one read every section.
    assert (g.sections_total, g.sections_mean, g.sections_median, g.read_all) == (23, 8, 5, 1)
    assert g.to_json() == {
        "cohort": "Angkatan 7", "registered": 5, "started": 4,
        "not_started": [{"id": 5, "name": "Eka", "nip": "199001012020122001"}],
        "evaluations": [
            {"id": "mp1", "name": "Evaluasi MP1", "attempted": 3, "passed": 2, "mean_best": 83.3, "median_best": 80.0},
            {"id": "mp2", "name": "Evaluasi MP2", "attempted": 2, "passed": 1, "mean_best": 75.0, "median_best": 75.0},
        ],
        "complete": 1,
        "sections": {"total": 23, "mean_read": 8.0, "median_read": 5.0, "read_all": 1},
        "doubtful": [],
    }
    lines = describe(g)
    assert lines[0] == "Angkatan 7 — 5 peserta terdaftar, 4 sudah mulai, 1 belum mulai"
    assert "Evaluasi MP1: 3 mengerjakan, 2 lulus; skor terbaik rata-rata 83.3, median 80" in lines
    assert lines[-1] == "Belum mulai (1): Eka (199001012020122001)"


def test_evaluations_come_from_the_course_not_the_code(mini_pack):
    course = load_course(mini_pack)
    rows = [SummaryRow("Ani", None, None, None, tuple(100 for _ in course.evaluations), tuple(1 for _ in course.evaluations),
                       tuple(T for _ in course.evaluations), 1, T, 1)]
    g = overview(course, None, rows)
    assert [e.id for e in g.evaluations] == [e.id for e in course.evaluations]
    assert g.label == "(tanpa angkatan)"


def test_empty_and_grouped():
    empty = overview(COURSE, "Kosong", [])
    assert empty.registered == 0 and empty.evaluations[0].mean_best is None and empty.sections_mean is None
    groups = by_cohort(COURSE, [*COHORT, row(6, "Fajar", (None, None), (False, False), 0, cohort="angkatan 8"), row(7, "Gita", (90, None), (True, False), 3, cohort=None)])
    assert [(g.cohort, g.registered) for g in groups] == [("Angkatan 7", 5), ("angkatan 8", 1), (None, 1)]


def test_report_cohort_cli(cli, tmp_path):
    db = tmp_path / "r.db"
    svc = open_services(db)
    ani = svc.learners.add("Ani", None, "Angkatan 7")
    budi = svc.learners.add("Budi", None, "Angkatan 7")
    svc.learners.add("Cici", None, "Angkatan 7")
    svc.learners.add("Dedi", None, "Angkatan 8")
    take(svc.trainee(ani.id), "mp1", MP1_KEY)
    take(svc.trainee(ani.id), "mp2", MP2_KEY)
    take(svc.trainee(budi.id), "mp1", "bccbacaaaa")
    code, out, err = cli("--db", str(db), "report", "cohort", "--cohort", "angkatan 7", "--json")
    assert code == 0, err
    (g,) = json.loads(out)
    assert (g["cohort"], g["registered"], g["started"], g["complete"]) == ("Angkatan 7", 3, 2, 1)
    assert [p["name"] for p in g["not_started"]] == ["Cici"]
    assert [(e["id"], e["attempted"], e["passed"], e["mean_best"], e["median_best"]) for e in g["evaluations"]] == [("mp1", 2, 1, 85.0, 85.0), ("mp2", 1, 1, 100.0, 100.0)]
    code, out, _ = cli("--db", str(db), "report", "cohort")
    assert code == 0
    assert "Angkatan 7 — 3 peserta terdaftar, 2 sudah mulai, 1 belum mulai" in out and "Angkatan 8 — 1 peserta terdaftar" in out
    assert "Belum mulai (1): Cici (id 3)" in out
