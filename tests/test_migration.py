"""Schema migrations: a database made by the v1 release (schema 1) or by latsar 0.2 (schema 2, before
schema 3 added the habituation journal's tables) opens with nothing lost, on SQLite and PostgreSQL,
and the journal works in it.

The v1 databases under tests/fixtures/v1/ were made by latsar v1 itself (make_v1.py, at the
last v1 commit): four learners in two cohorts, finished, failed, shuffled, imported and open
attempts, flagged answers, reading time and places, Leitner practice state, a passphrase.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from latsar.errors import DataError
from latsar.services import open_services
from latsar.storage import database, migrations
from tests.conftest import FIXTURES
from tests.helpers import MP2_KEY, open_attempt, take

V1 = FIXTURES / "v1" / "latsar-v1.db"
V1_PG = FIXTURES / "v1" / "latsar-v1.pg.sql"
V2 = FIXTURES / "v2" / "latsar-v2.db"
V2_PG = FIXTURES / "v2" / "latsar-v2.pg.sql"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")

# What v1 kept, column by column, that v2 must keep exactly.
KEPT = {
    "learner": "id, name, nip, cohort_id, instansi, created_at, last_section",
    "attempt": "id, uid, learner_id, quiz_id, state, seed, started_at, finished_at, correct, total, threshold, passed, course_version, origin",
    "answer": "attempt_id, question_id, choice, flagged, answered_at",
    "section_progress": "learner_id, section_id, first_read_at, last_read_at, read_count, seconds, position",
    "instructor_secret": "id, salt, digest",  # v3 keeps no lock in the row: guesses are counted in ``guess``
    "cohort": "id, name",
}


def _utc(value):
    """A timestamp as UTC whatever way the engine hands it back."""
    if isinstance(value, str) and TIMESTAMP.match(value):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def rows(url: str, table: str, columns: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = [tuple(_utc(v) for v in r) for r in conn.execute(text(f"SELECT {columns} FROM {table} ORDER BY 1, 2"))]
    engine.dispose()
    return out


def practice_items(url: str) -> list[tuple]:
    return rows(url, "practice_item", 'learner_id, question_id, seen, "right", last_at, due_at')


def check_nothing_lost(before: dict[str, list[tuple]], items: list[tuple], url: str) -> None:
    svc = open_services(url)  # migrates
    for table, columns in KEPT.items():
        assert rows(url, table, columns) == before[table], table
    # Every Leitner item is a card with its history.
    cards = rows(url, "practice_card", 'learner_id, question_id, seen, "right", last_review, due')
    assert cards == items
    ani = svc.trainee(1)
    progress = ani.progress()
    assert progress.evaluations["mp1"].passed and progress.evaluations["mp1"].attempts == 2
    mp2 = progress.evaluations["mp2"].open
    assert mp2 is not None and mp2.answered == 4
    view = open_attempt(ani, "mp2")
    assert view.flagged == {"mp2-q02", "mp2-q07"} and view.answers == {"mp2-q01": "c", "mp2-q02": "b", "mp2-q03": "d", "mp2-q04": "d"}
    assert progress.sections_read == 8  # v1 counted opening as reading: every opened section stays read
    assert ani.practice.counts().seen == 3
    assert svc.passphrase.check("pengampu-rahasia") is True
    assert open_attempt(svc.trainee(4), "mp1") is not None
    # And the migrated database is fully usable: Ani finishes MP2 where she stopped.
    result = take(ani, "mp2", MP2_KEY)
    assert result.passed and result.attempt_id == view.id
    check_journal_works(svc)
    svc.close()


def check_journal_works(svc) -> None:
    """v2 had no journal: after the migration a trainee of v2 writes, the coach reviews, the
    trainee revises and shares, and it all reads back (on either engine)."""
    from latsar.services.journal import Draft

    journal = svc.trainee(1).journal
    assert journal.entries() == [] and journal.standing().done == 0
    written = journal.write(Draft("kebutuhan", "", "Pemohon lansia datang.", "Saya bantu isi formulir.", "Selesai hari itu.", "Sediakan kursi."))
    coach = svc.instructor("pengampu-rahasia").journal
    assert [e.id for e in coach.queue()] == [written.record.id]
    coach.review(written.record.id, 1, "perlu diperbaiki", "Apa hasilnya bagi pemohon?")
    journal.revise(written.record.id, Draft("kebutuhan", "", "Pemohon lansia datang.", "Saya bantu isi formulir.", "Izinnya terbit hari itu.", "Sediakan kursi."), 1)
    journal.share(written.record.id)
    coach.review(written.record.id, 2, "sesuai")
    again = journal.entry(written.record.id)
    assert [v.version for v in again.versions] == [1, 2] and again.record.shared and again.record.verdict is not None
    assert [e.id for e in coach.shared()] == [written.record.id]
    assert svc.trainee(1).progress().journal is not None


def snapshot(path: Path) -> dict[str, list[tuple]]:
    return {table: rows(f"sqlite:///{path}", table, columns) for table, columns in KEPT.items()}


def test_a_v1_sqlite_database_is_backed_up_migrated_and_keeps_everything(tmp_path):
    path = tmp_path / "latsar.db"
    shutil.copy(V1, path)
    before, items = snapshot(path), practice_items(f"sqlite:///{path}")
    assert database.inspect_version(path) == 1
    check_nothing_lost(before, items, f"sqlite:///{path}")
    assert database.inspect_version(path) == database.SCHEMA_VERSION
    (backup,) = tmp_path.glob("latsar.db.v1-*.bak")
    assert database.inspect_version(backup) == 1 and snapshot(backup) == before
    assert backup.stat().st_mode & 0o777 == 0o600


def shape(url: str) -> dict:
    engine = create_engine(url)
    insp = inspect(engine)
    out = {}
    for t in sorted(insp.get_table_names()):
        out[t] = (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(t)),
            sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(t)),
            sorted(tuple(f["constrained_columns"]) + (f["referred_table"],) for f in insp.get_foreign_keys(t)),
        )
    engine.dispose()
    return out


@pytest.mark.parametrize("made_by", [V1, V2])
def test_the_migrated_schema_is_the_schema_of_a_new_database(tmp_path, made_by):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    shutil.copy(made_by, old)
    open_services(old).close()
    open_services(new).close()
    assert shape(f"sqlite:///{old}") == shape(f"sqlite:///{new}")


def test_a_failed_migration_leaves_the_file_untouched_and_says_how_to_restore(tmp_path, monkeypatch):
    path = tmp_path / "latsar.db"
    shutil.copy(V1, path)
    original = hashlib.sha256(path.read_bytes()).hexdigest()

    def half_then_fail(conn):
        migrations._cohort_keys(conn, migrations.alembic_operations(conn))
        raise RuntimeError("disk penuh (simulasi)")

    monkeypatch.setitem(migrations.MIGRATIONS, 1, half_then_fail)
    with pytest.raises(DataError) as caught:
        open_services(path)
    message = caught.value.message
    assert "gagal" in message and "basis data tidak diubah" in message and "latsar db restore" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == original
    assert database.inspect_version(path) == 1
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_race_damage_and_cohort_spellings_are_mended_without_losing_answers(tmp_path):
    path = tmp_path / "latsar.db"
    shutil.copy(V1, path)
    con = sqlite3.connect(path)
    # v1 on PostgreSQL could start two open attempts for one learner and evaluation.
    con.execute("INSERT INTO attempt (id, uid, learner_id, quiz_id, state, started_at, course_version, origin) "
                "VALUES (7, 'race000000000000000000000000000001', 4, 'mp1', 'in_progress', '2026-11-25 12:40:00', '2021.1', 'local')")
    con.execute("INSERT INTO answer VALUES (7, 'mp1-q01', 'b', 0, '2026-11-25 12:41:00')")
    # And cohorts could differ only by case and spaces.
    con.execute("INSERT INTO cohort (id, name) VALUES (3, 'angkatan  7')")
    con.execute("UPDATE learner SET cohort_id = 3 WHERE id = 2")
    con.commit()
    con.close()
    svc = open_services(path)
    dewi = open_attempt(svc.trainee(4), "mp1")
    assert dewi.id == 5 and dewi.answers == {"mp1-q01": "b"}  # the answer given in the second attempt is kept
    assert rows(f"sqlite:///{path}", "attempt", "id, state")[-1] == (7, "abandoned")
    assert [(l.name, l.cohort) for l in svc.learners.list()][:2] == [("Ani Lestari", "Angkatan 7"), ("Budi Santoso", "Angkatan 7")]
    svc.close()


def test_a_v1_postgresql_database_is_migrated_and_keeps_everything(pg_server):
    url = pg_server.create(V1_PG)
    before = {table: rows(url, table, columns) for table, columns in KEPT.items()}
    items = practice_items(url)
    check_nothing_lost(before, items, url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == str(database.SCHEMA_VERSION)
        assert conn.execute(text("SELECT count(*) FROM attempt WHERE state = 'abandoned'")).scalar() == 0
    engine.dispose()


# -- v2 -> v3 ------------------------------------------------------------------------------------------
# The v2 databases under tests/fixtures/v2/ were made by latsar 0.2 itself (make_v2.py): PINs and a
# counted wrong PIN, a passphrase, finished, failed, shuffled, imported and open attempts, flagged
# answers, reading (read to the end, and opened only), FSRS practice, live and ended classroom sessions.

KEPT_V2 = {
    "learner": "id, name, nip, cohort_id, instansi, created_at, last_section",
    "cohort": "id, name, key",
    "attempt": "id, uid, learner_id, quiz_id, state, seed, started_at, finished_at, correct, total, threshold, passed, course_version, origin",
    "answer": "attempt_id, question_id, choice, flagged, answered_at",
    "section_progress": "learner_id, section_id, first_read_at, last_read_at, read_count, seconds, position, completed_at",
    "practice_card": 'learner_id, question_id, state, step, stability, difficulty, due, last_review, seen, "right"',
    "practice_review": "id, learner_id, question_id, rating, reviewed_at, duration_ms",
    "learner_pin": "learner_id, salt, digest, set_at",
    "live_session": "id, learner_id, node, started_at, seen_at, ended_at, activity, target, answered, total",
    "instructor_secret": "id, salt, digest",
}


def check_v2_kept(url: str) -> None:
    before = {table: rows(url, table, columns) for table, columns in KEPT_V2.items()}
    svc = open_services(url)  # migrates
    for table, columns in KEPT_V2.items():
        assert rows(url, table, columns) == before[table], table
    assert svc.passphrase.check("pengampu-rahasia") is True
    assert svc.login("199001012020122001", "123456").id == 1
    assert svc.login("199203152019031004", "654321").id == 2  # Budi's wrong PIN under v2 leaves no lock
    ani = svc.trainee(1)
    progress = ani.progress()
    assert progress.evaluations["mp1"].passed and progress.evaluations["mp1"].attempts == 2
    view = open_attempt(ani, "mp2")
    assert view.answered_count == 4 and len(view.flagged) == 2
    result = take(ani, "mp2", MP2_KEY)
    assert result.passed and result.attempt_id == view.id
    svc.close()


def test_a_v2_sqlite_database_is_backed_up_migrated_and_keeps_everything(tmp_path):
    path = tmp_path / "latsar.db"
    shutil.copy(V2, path)
    original = snapshot_of(path)
    assert database.inspect_version(path) == 2
    check_v2_kept(f"sqlite:///{path}")
    assert database.inspect_version(path) == database.SCHEMA_VERSION
    (backup,) = tmp_path.glob("latsar.db.v2-*.bak")
    assert database.inspect_version(backup) == 2 and snapshot_of(backup) == original
    assert backup.stat().st_mode & 0o777 == 0o600


def snapshot_of(path: Path) -> dict[str, list[tuple]]:
    return {table: rows(f"sqlite:///{path}", table, columns) for table, columns in KEPT_V2.items()}


def test_a_v2_to_v3_migration_failing_after_the_journal_tables_leaves_the_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "latsar.db"
    shutil.copy(V2, path)
    original = hashlib.sha256(path.read_bytes()).hexdigest()

    def journal_then_fail(conn):
        migrations._journal(conn)
        raise RuntimeError("disk penuh (simulasi)")

    monkeypatch.setitem(migrations.MIGRATIONS, 2, journal_then_fail)
    with pytest.raises(DataError, match="basis data tidak diubah"):
        open_services(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == original
    assert database.inspect_version(path) == 2
    tables = {name for (name,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & set(migrations.JOURNAL_TABLES)


def test_a_v2_postgresql_database_is_migrated_and_keeps_everything(pg_server):
    url = pg_server.create(V2_PG)
    check_v2_kept(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == str(database.SCHEMA_VERSION)
    engine.dispose()
    fresh = pg_server.create()
    open_services(fresh).close()
    assert shape(url) == shape(fresh)
