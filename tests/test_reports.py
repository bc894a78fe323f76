"""The instructor's summary (SQL) and the trainee's progress (rules.best) always agree.

The summary computes the best whole percent and the first pass in SQL, for speed at 100,000
learners; the trainee's screens take the best attempt by exact ratio (``rules.best``). Rounding
down never reorders two ratios, so the two agree; this property test keeps it so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latsar.assessment.rules import AttemptState
from latsar.services import open_services
from latsar.storage import attempts as attempt_rows
from latsar.storage import reports

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)

scores = st.integers(1, 15).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mp1=st.lists(scores, max_size=5), mp2=st.lists(scores, max_size=5))
def test_summary_best_and_pass_agree_with_the_rules(tmp_path_factory, mp1, mp2):
    svc = open_services(tmp_path_factory.mktemp("r") / "r.db")
    learner = svc.learners.add("Ani")
    with svc.db.write() as s:
        for quiz, attempts in (("mp1", mp1), ("mp2", mp2)):
            for n, (correct, total) in enumerate(attempts):
                at = T0 + timedelta(days=n, hours=1 if quiz == "mp2" else 0)
                attempt_rows.add(
                    s, uid=f"{quiz}-{n}-uid-0000", learner_id=learner.id, quiz_id=quiz, state=AttemptState.FINISHED.value,
                    started_at=at, finished_at=at + timedelta(minutes=20), correct=correct, total=total, threshold=80,
                    passed=100 * correct >= 80 * total,
                )
    (row,) = list(reports.summary(svc.db, ["mp1", "mp2"]))
    progress = svc.trainee(learner.id).progress()
    for i, eid in enumerate(("mp1", "mp2")):
        status = progress.evaluations[eid]
        assert row.best_percent[i] == (status.best.percent if status.best else None)
        assert row.attempts[i] == status.attempts
        assert row.passed_at[i] == (status.passed_at.replace(tzinfo=None) if status.passed_at else None)
    assert row.complete == progress.module_complete
    svc.close()


# -- a large register, read in chunks (storage.reports._pipelined) -------------------------------


def _register(svc, people: int = 60):
    """Learners in five cohorts (names out of order, one name in two cohorts) and without one;
    finished and open attempts; sections opened and read."""
    import random

    rng = random.Random(5)
    cohorts = [None, "Angkatan B", "angkatan a", "Angkatan C", "Zaman", "Ábsen"]
    section = svc.course.sections[0].id
    ids = []
    for n in range(people):
        who = svc.learners.add(rng.choice(["Siti", "Budi", "=Ani", "Eka"]) + f" {n % 7}", cohort=rng.choice(cohorts))
        ids.append(who.id)
        if n % 3:
            svc.trainee(who.id).reading.open(section)
    with svc.db.write() as s:
        for n, learner_id in enumerate(ids):
            for k in range(n % 4):
                at = T0 + timedelta(days=k, minutes=n)
                attempt_rows.add(
                    s, uid=f"a-{learner_id}-{k}-0000", learner_id=learner_id, quiz_id=("mp1", "mp2")[k % 2], state=AttemptState.FINISHED.value,
                    started_at=at, finished_at=at + timedelta(minutes=20), correct=(n + k) % 11, total=10, threshold=80, passed=(n + k) % 11 >= 8,
                )
            if n % 5 == 0:
                attempt_rows.add(s, uid=f"o-{learner_id}-0000", learner_id=learner_id, quiz_id="mp2", state=AttemptState.IN_PROGRESS.value, started_at=T0)
    return ids


def _chunked(monkeypatch, every: int = 1) -> list[int]:
    """Read every register in chunks of about ``every`` learners; the number of chunks of each read."""
    monkeypatch.setattr(reports, "PIPELINE_LEARNERS", 1)
    monkeypatch.setattr(reports, "CHUNK_LEARNERS", every)
    seen: list[int] = []
    listed = reports._cohort_chunks

    def spy(*args):
        chunks = listed(*args)
        seen.append(len(chunks))
        return chunks

    monkeypatch.setattr(reports, "_cohort_chunks", spy)
    return seen


def test_a_register_read_in_chunks_gives_the_rows_one_statement_gives(svc, monkeypatch):
    ids = _register(svc)
    whole = list(reports.summary(svc.db, ["mp1", "mp2"]))  # a small register: one statement
    chunks = _chunked(monkeypatch)
    chunked = list(reports.summary(svc.db, ["mp1", "mp2"]))
    assert chunks == [6]  # no cohort, then five cohorts by name: each a chunk of its own
    assert chunked == whole and len(whole) == len(ids)
    assert [r.cohort for r in whole][0] is None and whole[-1].cohort == "Ábsen"  # the order SQLite sorts in
    assert any(r.open_attempts for r in whole) and any(r.sections_read == 0 and r.last_activity for r in whole)


def test_a_chunked_read_is_one_snapshot_and_never_holds_writers_back(svc, monkeypatch):
    ids = _register(svc)
    before = {r.learner_id: r for r in reports.summary(svc.db, ["mp1", "mp2"])}
    _chunked(monkeypatch)
    rows = reports.summary(svc.db, ["mp1", "mp2"])
    first = next(rows)  # the first chunk is read, the next ones are being worked out
    last = max(ids, key=lambda i: (before[i].cohort or "", before[i].name, i))
    # A trainee finishes an attempt, a new learner registers: both at once, while the read goes on.
    newcomer = svc.learners.add("Zaki", cohort="Zaman")
    with svc.db.write() as s:
        attempt_rows.add(
            s, uid="late-attempt-0000", learner_id=last, quiz_id="mp1", state=AttemptState.FINISHED.value,
            started_at=T0, finished_at=T0 + timedelta(minutes=5), correct=10, total=10, threshold=80, passed=True,
        )
    read = {r.learner_id: r for r in [first, *rows]}
    assert read == before  # what was there when the read began: nothing later, nothing lost
    assert newcomer.id not in read
    assert {r.learner_id: r for r in reports.summary(svc.db, ["mp1", "mp2"])}[last].attempts[0] == before[last].attempts[0] + 1


def test_a_chunked_read_stopped_early_lets_go_of_its_connections(svc, monkeypatch):
    _register(svc)
    _chunked(monkeypatch)
    rows = reports.summary(svc.db, ["mp1", "mp2"])
    next(rows)
    rows.close()  # a writer that failed (a full disk) stops reading
    assert svc.db.engine.pool.checkedout() == 0
    svc.learners.add("Sesudahnya", cohort="Zaman")  # nothing left locked


def test_a_chunk_that_fails_is_raised_where_the_rows_are_read(svc, monkeypatch):
    _register(svc)
    _chunked(monkeypatch)
    made = reports._sql

    statements: list[str] = []

    def broken(stmt, dialect):
        sql = made(stmt, dialect)
        if "chunk.cohort_id" in sql:
            statements.append(sql)
            if len(statements) == 3:  # the third chunk's
                return sql.replace("FROM learner LEFT OUTER JOIN", "FROM no_such_table LEFT OUTER JOIN")
        return sql

    monkeypatch.setattr(reports, "_sql", broken)
    with pytest.raises(Exception, match="no_such_table"):
        list(reports.summary(svc.db, ["mp1", "mp2"]))
    assert svc.db.engine.pool.checkedout() == 0


def test_a_chunked_read_does_not_wait_for_a_long_write(svc, monkeypatch):
    """A roster import or a restore holds the write lock for seconds: the read goes on, on one
    connection (one snapshot all the same), instead of waiting for it or failing."""
    import sqlite3

    _register(svc)
    whole = list(reports.summary(svc.db, ["mp1", "mp2"]))
    chunks = _chunked(monkeypatch)
    writer = sqlite3.connect(svc.db.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        chunked = list(reports.summary(svc.db, ["mp1", "mp2"]))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert chunked == whole and chunks == [6]
