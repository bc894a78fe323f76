"""The store never loses or mangles data: permissions, version refusal, corruption, migration."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from latsar.errors import DataError
from latsar.storage import database, migrations
from latsar.storage.database import SCHEMA_VERSION, open_database


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_private_wal_and_stamped(tmp_path, monkeypatch):
    monkeypatch.setenv("LATSAR_HOME", str(tmp_path / "data"))  # latsar's own folder is made, 0700
    path = tmp_path / "data" / "latsar.db"
    db = open_database(path)
    with db.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    db.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert database.inspect_version(path) == SCHEMA_VERSION


def test_network_file_system_falls_back_to_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "filesystem_type", lambda p: "nfs4")
    db = open_database(tmp_path / "n.db")
    with db.read() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    assert any("jaringan" in w for w in db.warnings)
    db.dispose()


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    before = digest(path)
    with pytest.raises(DataError, match="lebih baru"):
        open_database(path)
    assert digest(path) == before
    assert not (tmp_path / "newer.db-wal").exists()


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 2000])
def test_corrupt_file_is_one_clear_error_and_unchanged(tmp_path, content):
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    with pytest.raises(DataError, match="rusak"):
        open_database(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(DataError, match="bukan milik latsar"):
        open_database(path)
    assert digest(path) == before


def test_older_database_is_backed_up_then_migrated(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    db = open_database(path)
    with db.write() as s:
        s.connection().exec_driver_sql("INSERT INTO learner (name, created_at) VALUES ('Lama', '2026-01-01 00:00:00')")
    db.dispose()

    def add_note_column(conn):
        from sqlalchemy import Column, String

        ops = migrations.alembic_operations(conn)
        with ops.batch_alter_table("learner") as batch:
            batch.add_column(Column("note", String(50), nullable=True))

    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION, add_note_column)
    db = open_database(path)
    columns = {c["name"] for c in sa_inspect(db.engine).get_columns("learner")}
    db.dispose()
    assert "note" in columns
    assert database.inspect_version(path) == SCHEMA_VERSION + 1
    backups = list(tmp_path.glob(f"old.db.v{SCHEMA_VERSION}-*.bak"))
    assert len(backups) == 1 and database.inspect_version(backups[0]) == SCHEMA_VERSION
    con = sqlite3.connect(path)
    assert con.execute("SELECT name FROM learner").fetchall() == [("Lama",)]
    con.close()


def test_cli_reports_a_corrupt_database_in_one_sentence(cli, tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"garbage" * 500)
    code, out, err = cli("--db", str(path), "learner", "list")
    assert code == 4
    assert "Traceback" not in err and err.count("\n") == 1 and "rusak" in err


def test_db_check_backup_and_restore(cli, tmp_path):
    db = tmp_path / "main.db"
    assert cli("--db", str(db), "learner", "add", "--name", "Ani")[0] == 0
    code, out, _ = cli("--db", str(db), "db", "check")
    assert code == 0 and "Keutuhan: ok" in out and "peserta: 1" in out
    backup = tmp_path / "cadangan.db"
    assert cli("--db", str(db), "db", "backup", str(backup))[0] == 0
    code, _, err = cli("--db", str(db), "db", "backup", str(backup))
    assert code == 2 and "sudah ada" in err
    assert cli("--db", str(db), "learner", "add", "--name", "Budi")[0] == 0
    code, out, _ = cli("--db", str(db), "db", "restore", str(backup))
    assert code == 0 and "sebelum-pulih" in out
    code, out, _ = cli("--db", str(db), "learner", "list", "--json")
    assert [l["name"] for l in __import__("json").loads(out)] == ["Ani"]
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"nope" * 100)
    code, _, err = cli("--db", str(db), "db", "restore", str(broken))
    assert code == 4 and "rusak" in err
    code, out, _ = cli("--db", str(db), "learner", "list", "--json")
    assert [l["name"] for l in __import__("json").loads(out)] == ["Ani"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_database_itself_refuses_a_second_open_attempt(backend, tmp_path, request):
    """The partial unique index: whatever process writes, a learner has at most one open attempt
    per evaluation; a finished one beside it is fine."""
    if backend == "postgresql":
        target = request.getfixturevalue("pg_url")
    else:
        target = tmp_path / "x.db"
    db = open_database(target)
    insert = (
        "INSERT INTO attempt (uid, learner_id, quiz_id, state, started_at, course_version, origin) "
        "VALUES (:uid, :learner, 'mp1', :state, CURRENT_TIMESTAMP, '', 'local')"
    )
    try:
        with db.write() as s:
            s.connection().exec_driver_sql("INSERT INTO learner (name, created_at) VALUES ('Ani', CURRENT_TIMESTAMP)")
            learner = s.connection().exec_driver_sql("SELECT id FROM learner").scalar()
        with db.write() as s:
            s.connection().execute(text(insert), {"uid": "a", "learner": learner, "state": "finished"})
            s.connection().execute(text(insert), {"uid": "b", "learner": learner, "state": "in_progress"})
        with pytest.raises(IntegrityError), db.write() as s:
            s.connection().execute(text(insert), {"uid": "c", "learner": learner, "state": "in_progress"})
        with db.read() as s:
            assert s.connection().exec_driver_sql("SELECT count(*) FROM attempt").scalar() == 2
    finally:
        db.dispose()
