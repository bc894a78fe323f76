"""The engine, its pragmas, the schema version and migrations.

SQLite (the default): WAL, ``synchronous=FULL``, ``foreign_keys=ON``, a busy timeout, and
``BEGIN IMMEDIATE`` for every write transaction. On a network file system WAL is unsafe, so
the rollback journal is used and a warning says so. The file is created 0600 in a 0700
directory.

Before anything is written, the file is inspected read-only: a corrupt file, a file that is
not a latsar database, or a database from a newer latsar is refused and left byte-for-byte
untouched. An older database is backed up next to itself, then migrated step by step.

A SQLAlchemy URL (``postgresql://…``) works too: the pragmas and file rules are SQLite-only
and stay here; nothing above this module knows which database it talks to.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine, select

from latsar.errors import DataError
from latsar.storage import models

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs",
    "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.rclone", "lustre", "gpfs",
}


def is_url(target: str) -> bool:
    return "://" in target


def filesystem_type(path: Path) -> str | None:
    """The file system type holding ``path``, from /proc/mounts (Linux); None if unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, kind = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _corrupt(path: Path) -> DataError:
    return DataError(
        f"Berkas basis data {path} rusak atau bukan basis data SQLite; tidak ada yang diubah. "
        "Pulihkan dari cadangan dengan `latsar db restore BERKAS` atau pakai berkas lain dengan --db."
    )


def inspect_version(path: Path) -> int | None:
    """The schema version of the database at ``path`` read without writing; None if new/empty."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _corrupt(path) from exc
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "meta" not in tables:
            raise DataError(f"Berkas {path} adalah basis data SQLite, tetapi bukan milik latsar; tidak ada yang diubah.")
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path) from exc
    finally:
        con.close()
    if row is None or not str(row[0]).isdigit():
        raise DataError(f"Berkas {path} tidak mencatat versi skema latsar; tidak ada yang diubah.")
    return int(row[0])


def _prepare_file(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700)
        os.chmod(parent, 0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)


def backup_file(source: Path, dest: Path) -> Path:
    """A consistent copy of a SQLite database (online backup API), created 0600."""
    dest = Path(dest)
    if dest.parent and not dest.parent.exists():
        dest.parent.mkdir(parents=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.replace(tmp, dest)
    return dest


class Database:
    """One database: the engine and transaction helpers. Build with ``open_database``."""

    def __init__(self, engine: Engine, path: Path | None, warnings: list[str]) -> None:
        self.engine = engine
        self.path = path
        self.warnings = warnings
        self._reader = engine.execution_options(latsar_read=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def stats(self) -> Stats:
        """How many learners and attempts, and the journal mode (SQLite) or "-"."""
        from sqlalchemy import func

        with self.read() as s:
            learners = s.exec(select(func.count()).select_from(models.Learner)).one()
            attempts = s.exec(select(func.count()).select_from(models.Attempt)).one()
            journal = str(s.connection().exec_driver_sql("PRAGMA journal_mode").scalar()) if self.is_sqlite else "-"
        return Stats(journal, learners, attempts)


@dataclass(frozen=True)
class Stats:
    journal: str
    learners: int
    attempts: int


def _sqlite_engine(path: Path, warnings: list[str]) -> Engine:
    fs = filesystem_type(path.parent)
    journal = "wal"
    if fs in NETWORK_FS:
        journal = "delete"
        warnings.append(
            f"Basis data berada di sistem berkas jaringan ({fs}); mode WAL dimatikan dan jurnal rollback dipakai."
        )
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con, _record):  # pragma: no branch
        dbapi_con.isolation_level = None  # transactions are begun explicitly below
        cur = dbapi_con.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        mode = cur.execute(f"PRAGMA journal_mode = {journal}").fetchone()[0]
        if journal == "wal" and str(mode).lower() != "wal":
            note = f"Mode WAL tidak dapat dipakai di {path.parent}; jurnal {mode} dipakai."
            if note not in warnings:
                warnings.append(note)
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("latsar_read"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _stamp(conn: Connection, version: int) -> None:
    with Session(bind=conn) as s:
        row = s.get(models.Meta, "schema_version")
        if row is None:
            s.add(models.Meta(key="schema_version", value=str(version)))
        else:
            row.value = str(version)
        s.flush()


def _migrate(db: Database, found: int) -> None:
    """Back the file up next to itself, then run every step and the new stamp in one
    transaction: a step that fails leaves the database as it was, and the message says where
    the backup is and how to restore it."""
    from latsar.storage.migrations import MIGRATIONS

    backup = None
    if db.path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        backup = backup_file(db.path, db.path.with_name(f"{db.path.name}.v{found}-{stamp}.bak"))
    missing = [v for v in range(found, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        raise DataError(f"Tidak ada migrasi dari skema v{missing[0]}; perbarui latsar. Basis data tidak diubah.")
    with db.engine.connect() as conn:
        if db.is_sqlite:  # batch operations rebuild tables: foreign keys are checked at the end instead
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                for version in range(found, SCHEMA_VERSION):
                    MIGRATIONS[version](conn)
                    _stamp(conn, version + 1)
                if db.is_sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DataError("kunci asing tidak utuh setelah migrasi")
        except Exception as exc:
            why = exc.message if isinstance(exc, DataError) else str(getattr(exc, "orig", exc)).split("\n")[0]
            where = f" Cadangan sebelum pembaruan: {backup}; pulihkan bila perlu dengan `latsar db restore {backup}`." if backup else ""
            raise DataError(f"Pembaruan basis data dari skema v{found} ke v{SCHEMA_VERSION} gagal ({why}); basis data tidak diubah.{where}") from exc
        finally:
            if db.is_sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def open_database(target: str | os.PathLike) -> Database:
    """Open (creating if needed) the database at a path or SQLAlchemy URL."""
    warnings: list[str] = []
    text = str(target)
    if is_url(text) and not text.startswith("sqlite"):
        engine = create_engine(text, pool_pre_ping=True)
        db = Database(engine, None, warnings)
        found = _version_of(engine)
    else:
        path = Path(text[len("sqlite:///"):] if text.startswith("sqlite:///") else text).expanduser()
        found = inspect_version(path)
        if found is not None and found > SCHEMA_VERSION:
            raise DataError(
                f"Basis data {path} dibuat oleh latsar yang lebih baru (skema v{found}, latsar ini v{SCHEMA_VERSION}); "
                "perbarui latsar. Berkas tidak diubah."
            )
        _prepare_file(path)
        db = Database(_sqlite_engine(path, warnings), path, warnings)
    if found is not None and found > SCHEMA_VERSION:
        db.dispose()
        raise DataError(f"Basis data dibuat oleh latsar yang lebih baru (skema v{found}); perbarui latsar.")
    try:
        if found is not None and found < SCHEMA_VERSION:
            _migrate(db, found)
        with db.engine.begin() as conn:
            SQLModel.metadata.create_all(conn)
            if found is None:
                _stamp(conn, SCHEMA_VERSION)
    except DataError:
        db.dispose()
        raise
    except Exception as exc:  # sqlite3 errors surface wrapped by SQLAlchemy
        db.dispose()
        from sqlalchemy.exc import DatabaseError as SADatabaseError
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, (SADatabaseError, OperationalError)):
            raise DataError(f"Basis data {target} tidak dapat dibuka: {getattr(exc, 'orig', exc)}.") from exc
        raise
    return db


def _version_of(engine: Engine) -> int | None:
    from sqlalchemy import inspect as sa_inspect

    if "meta" not in sa_inspect(engine).get_table_names():
        return None
    with Session(engine) as s:
        row = s.exec(select(models.Meta).where(models.Meta.key == "schema_version")).first()
    return int(row.value) if row else None


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file at ``path`` ("ok" when sound), read-only."""
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def restore_file(source: Path, target: Path) -> Path | None:
    """Replace the database at ``target`` with a verified copy of ``source``.

    ``source`` must be a sound latsar database no newer than this latsar. The current
    database is backed up first; the swap is atomic. Returns the safety backup's path.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise DataError(f"Berkas cadangan {source} tidak ditemukan.")
    found = inspect_version(source)
    if found is None:
        raise DataError(f"Berkas {source} kosong; tidak ada yang dipulihkan.")
    if found > SCHEMA_VERSION:
        raise DataError(f"Cadangan {source} dibuat oleh latsar yang lebih baru (skema v{found}); perbarui latsar.")
    check = integrity(source)
    if check != "ok":
        raise DataError(f"Cadangan {source} rusak ({check}); basis data sekarang tidak diubah.")
    safety = None
    if target.exists() and target.stat().st_size > 0:
        inspect_version(target)  # refuses a foreign file rather than overwrite it silently
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        safety = backup_file(target, target.with_name(f"{target.name}.sebelum-pulih-{stamp}.bak"))
    else:
        _prepare_file(target)
    staged = backup_file(source, target.with_name(target.name + ".pulih"))
    for suffix in ("-wal", "-shm"):
        stale = target.with_name(target.name + suffix)
        if stale.exists():
            stale.unlink()
    os.replace(staged, target)
    os.chmod(target, 0o600)
    return safety
