"""The same services on PostgreSQL (a training centre's shared server), when one can be started here."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PG_UNAVAILABLE

pytestmark = pytest.mark.skipif(PG_UNAVAILABLE is not None, reason=PG_UNAVAILABLE or "")


def test_trainee_and_instructor_flows_on_postgresql(cli, pg_url, tmp_path):
    assert cli("--db", pg_url, "learner", "add", "--name", "Ani", "--nip", "199001012020122001", "--cohort", "A7")[0] == 0
    assert cli("--db", pg_url, "quiz", "mp2", "--learner", "1")[0] == 3
    code, out, _ = cli("--db", pg_url, "quiz", "mp1", "--json", input="\n".join("bccbacaaab") + "\n")
    assert code == 0 and json.loads(out)["restudy"] == ["mp1-1", "mp1-4"]
    assert cli("--db", pg_url, "quiz", "mp1", input="b\n")[0] == 3
    # The restudy, read at a terminal taking the time each section needs (the services' clock).
    from latsar.services import open_services
    from tests.conftest import Clock
    from tests.helpers import read_through

    clock = Clock()
    svc = open_services(pg_url, clock=clock)
    for section in ("mp1-1", "mp1-4"):
        read_through(svc.trainee(1), section, clock)
    svc.close()
    code, out, _ = cli("--db", pg_url, "quiz", "mp1", "--json", input="\n".join("bccbaccdba") + "\n")
    assert json.loads(out)["passed"] is True
    summary = json.loads(cli("--db", pg_url, "export", "--format", "json")[1])
    assert summary[0]["mp1_terbaik_persen"] == 100 and summary[0]["mp1_percobaan"] == 2 and summary[0]["bagian_dibaca"] == 2
    attempts = json.loads(cli("--db", pg_url, "export", "--format", "json", "--detail", "attempts")[1])
    assert [a["percobaan_ke"] for a in attempts] == [1, 2]
    items = json.loads(cli("--db", pg_url, "report", "items", "--json")[1])
    assert items["mp1"]["items"][0]["responses"] == 1 and items["mp1"]["reliability"]["n"] == 1
    (detail,) = json.loads(cli("--db", pg_url, "report", "cohort", "--json")[1])  # PostgreSQL's own time arithmetic, its IN subqueries
    assert detail["distribution"][0]["passed"] == 1 and detail["reading_by_section"] and detail["attendance"]["days"] == []
    record = json.loads(cli("--db", pg_url, "report", "trainee", "1", "--json")[1])
    assert [a["percent"] for a in record["evaluations"]["mp1"]["attempts"]] == [60, 100]
    out_file = tmp_path / "ani.json"
    assert cli("--db", pg_url, "results", "export", "-o", str(out_file))[0] == 0
    code, out, _ = cli("--db", pg_url, "results", "import", str(out_file))
    assert code == 0 and "0 percobaan baru, 2 sudah ada" in out


def test_merge_remove_and_cohort_rename_on_postgresql(cli, pg_url):
    from latsar.services import open_services
    from tests.test_records import Clock, build_twins, snapshot

    clock = Clock()
    svc = open_services(pg_url, clock=clock)
    keep, other = build_twins(svc, clock)
    before = snapshot(svc, [keep.id, other.id])
    report = svc.instructor_at_terminal(None).records.merge(keep.id, other.id)
    after = snapshot(svc, [keep.id])
    assert after["attempts"] == before["attempts"] and before["answers"] <= after["answers"]
    assert {k: after[k] for k in ("sections", "reading_seconds", "reads", "cards", "practice_seen", "reviews", "pins", "sessions")} == {
        k: before[k] for k in ("sections", "reading_seconds", "reads", "cards", "practice_seen", "reviews", "pins", "sessions")
    }
    assert report.moved.open_folded == 1 and report.backup is None  # a server keeps its own backups
    assert svc.trainee(keep.id).attempts.start_or_resume("mp1").answered_count == 3
    code, out, err = cli("--db", pg_url, "learner", "add", "--name", "Budi", "--cohort", "angkatan  tujuh")
    assert code == 0, err
    code, out, err = cli("--db", pg_url, "cohort", "rename", "Angkatan Tujuh", "Angkatan 7")
    assert code == 2 and "--merge" in err
    code, out, err = cli("--db", pg_url, "cohort", "rename", "Angkatan Tujuh", "ANGKATAN 7", "--merge")
    assert code == 0 and "digabung ke 'Angkatan 7'" in out
    assert json.loads(cli("--db", pg_url, "cohort", "list", "--json")[1]) == [{"name": "Angkatan 7", "learners": 2}]
    code, out, err = cli("--db", pg_url, "learner", "remove", str(keep.id), "--yes")
    assert code == 0 and "Cadangan" not in out
    assert snapshot(svc, [keep.id])["attempts"] == set()
    code, _, err = cli("--db", pg_url, "report", "cohort", "--cohort", "Angkatan 9")
    assert code == 2 and "'Angkatan 7'" in err
    svc.close()
