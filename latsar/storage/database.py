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
import re
import sqlite3
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from msgspec import Struct
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel, create_engine, select

from latsar.assessment.rules import AttemptState
from latsar.errors import DataError, Restored, UsageError, os_reason
from latsar.paths import fsync_dir, home_dir
from latsar.storage import faults, models

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 10_000
GATE_WAIT_MS = 100  # how long a report waits for writers to let it start its readers together
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs",
    "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.rclone", "lustre", "gpfs",
}


def is_url(target: str) -> bool:
    return "://" in target


def server_url(text: str) -> str | None:
    """The SQLAlchemy URL of a database server that ``--db`` names (PostgreSQL), or None when it
    names a SQLite file (a path, or ``sqlite:///path``). Anything else is refused in one
    sentence, before anything is opened: another scheme (``http://``, ``mysql://``), a URL that
    does not parse (a port that is not a number), ``sqlite://`` without a file, ``file:`` URIs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if text.startswith("file:"):
        raise UsageError("--db tidak menerima URI 'file:'; tulis nama berkasnya saja, mis. --db /data/latsar.db.")
    if not is_url(text):
        return None
    try:
        url = make_url(text)
    except (ValueError, ArgumentError) as exc:
        raise UsageError(f"--db {redacted(text)}: URL basis data tidak sah ({_why(exc)}).") from None
    scheme = url.drivername.split("+")[0]
    if scheme == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UsageError("--db sqlite:// perlu nama berkas, mis. --db sqlite:////data/latsar.db (atau cukup --db /data/latsar.db).")
        return None
    if scheme != "postgresql":
        raise UsageError(f"--db {redacted(text)}: latsar memakai berkas SQLite atau server PostgreSQL (postgresql+psycopg://…), bukan '{url.drivername}'.")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver latsar is tested with
    return url.render_as_string(hide_password=False)


def _why(exc: Exception) -> str:
    text = str(exc)
    found = re.search(r"invalid literal for int\(\) with base 10: '([^']*)'", text)
    return f"port '{found.group(1)}' bukan angka" if found else text.splitlines()[0][:120]


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


QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024  # a trainee's database: checked at every open, in milliseconds


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to exactly the file at ``path`` (any character in its name).

    On a full disk SQLite cannot even read a WAL database (it must grow the WAL index, the
    ``-shm`` file): then, if the WAL holds nothing, the file is read as it is on disk
    (``immutable``), which is then exact."""
    con = sqlite3.connect(f"file:{quote(str(path), safe='/')}?mode=ro", uri=True)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        con.close()
        if not (faults.disk_is_full(str(path)) and wal_is_empty(path)):
            raise exc from None
        return frozen(path)
    return con


def frozen(path: Path) -> sqlite3.Connection:
    """The file at ``path`` read as it is on disk, without the WAL index (for a full disk)."""
    return sqlite3.connect(f"file:{quote(str(path), safe='/')}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def wal_is_empty(path: Path) -> bool:
    """Nothing waits in the WAL of the database at ``path``: the file alone is the database."""
    try:
        return os.stat(f"{path}-wal").st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def inspect_version(path: Path) -> int | None:
    """The schema version of the database at ``path`` read without writing; None if new/empty."""
    refuse_special(path, "Basis data")
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = read_only(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise faults.explain(exc, str(path)) or faults.damaged(str(path)) from exc
    if not tables:
        return None
    if "meta" not in tables:
        raise DataError(f"Berkas {path} adalah basis data SQLite, tetapi bukan milik latsar; tidak ada yang diubah.")
    if row is None or not str(row[0]).isdigit():
        raise DataError(f"Berkas {path} tidak mencatat versi skema latsar; tidak ada yang diubah.")
    return int(row[0])


def quick_check(path: Path) -> None:
    """Refuse a damaged database before anything is written to it (files up to 64 MB: a
    trainee's; larger ones are checked by `latsar db check`, and damage met while reading is
    refused anyway)."""
    if not path.exists() or path.stat().st_size > QUICK_CHECK_MAX_BYTES:
        return
    result = integrity(path, quick=True)
    if result != "ok":
        raise faults.damaged(str(path))


def prepare_home(folder: Path, warnings: list[str]) -> None:
    """latsar's own folder (``LATSAR_HOME``, or the user data folder): made 0700 when missing;
    narrowed to 0700 when latsar's user owns it and others may look in (NIPs and answers are
    nobody else's business). Anything else at that name — a file, a device, a link elsewhere
    — is refused, untouched: latsar changes modes only on folders it means to use and owns."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)
        return
    if stat.S_ISLNK(info.st_mode):
        raise DataError(f"Folder data latsar {folder} adalah tautan ke {os.path.realpath(folder)}; pakai folder itu sendiri (LATSAR_HOME). Tidak ada yang diubah.")
    if not stat.S_ISDIR(info.st_mode):
        raise DataError(f"Folder data latsar {folder} bukan folder (berkas atau perangkat); pilih folder lain dengan LATSAR_HOME. Tidak ada yang diubah.")
    mode = info.st_mode & 0o777
    if not mode & 0o077:
        return
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        warnings.append(f"Folder {folder} milik pengguna lain dan terbuka ({mode:o}); izinnya tidak diubah.")
        return
    os.chmod(folder, 0o700)
    warnings.append(f"Izin folder {folder} dipersempit dari {mode:o} ke 700 (berisi NIP dan jawaban).")


def refuse_special(path: Path, what: str) -> None:
    """A FIFO, a device or a folder where a database file should be: refused before anything
    opens it (a FIFO would hang for ever)."""
    try:
        info = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{what} {path} bukan berkas biasa (folder, pipa, atau perangkat); tidak dibuka.")


def _prepare_file(path: Path, warnings: list[str]) -> None:
    parent = path.parent
    if parent == home_dir():
        prepare_home(parent, warnings)
    elif not parent.is_dir():
        raise DataError(f"Folder {parent} untuk basis data tidak ada; buat dulu, atau pilih berkas di folder yang ada dengan --db.")
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)


def backup_beside(source: Path, label: str, now: datetime | None = None) -> Path:
    """A backup of ``source`` next to it, named ``<name>.<label>-<local time>.bak``, that never
    replaces another: two backups in the same second get ``-2``, ``-3``, ... The time is this
    machine's local time, as the person who looks for the file reads a clock."""
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    base = f"{source.name}.{label}-{stamp}"
    return backup_file(source, source.with_name(f"{base}.bak"), keep=lambda n: source.with_name(f"{base}-{n}.bak"))


def backup_file(source: Path, dest: Path, keep: Callable[[int], Path] | None = None) -> Path:
    """A consistent copy of a SQLite database (online backup API), created 0600 under a name
    nobody could have planted a link at (``O_EXCL``), made durable, then renamed into place.

    With ``keep``, nothing at ``dest`` is ever replaced: the copy is linked in under ``dest``,
    or ``keep(2)``, ``keep(3)``, ... whichever is free first (a hard link fails rather than
    overwrite, so two processes cannot take the same name); the name it got is returned."""
    dest = Path(dest)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name[:40]}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        src = read_only(source)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep is None:
            os.replace(tmp, dest)
        else:
            dest = _link_free(tmp, dest, keep)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(dest.parent)
    return dest


def _link_free(tmp: Path, dest: Path, keep: Callable[[int], Path]) -> Path:
    candidate, n = dest, 1
    while True:
        try:
            try:
                os.link(tmp, candidate)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: claim the name, then fill it
                os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                os.replace(tmp, candidate)
            return candidate
        except FileExistsError:
            n += 1
            candidate = keep(n)


GENERATION = "generation"  # the meta key a restore changes (``Restored``)


class Database:
    """One database: the engine and transaction helpers. Build with ``open_database``.

    Every write transaction first checks that the database is still the one this process
    opened (``GENERATION``, which ``restore_file`` changes under the write lock): after a
    restore, a write meant for an attempt or a learner of the old contents is refused
    (``Restored``) instead of landing on whoever has that id now."""

    def __init__(self, engine: Engine, path: Path | None, warnings: list[str], where: str = "") -> None:
        self.engine = engine
        self.path = path
        self.warnings = warnings
        self.where = where or str(path)  # how messages name it: the file, or the URL without its password
        self._reader = engine.execution_options(latsar_read=True)
        self.generation: str | None = None  # read when opened; None: not checked
        self.full = False  # opened read-only because its disk is full: every write says so

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success; a database
        fault becomes one sentence (DataError) and nothing of the transaction is kept. Refused
        (``Restored``) when the database was restored since this process opened it."""
        if self.full:
            raise faults.full_disk(self.where)
        with self.faults(), Session(self.engine, expire_on_commit=False) as session, session.begin():
            if self.generation is not None and _generation(session.connection()) != self.generation:
                raise Restored(self.where)
            yield session

    def adopt(self) -> None:
        """Take the database as it is now, after a restore was noticed and said (``Restored``)."""
        with self.faults(), self.engine.connect() as conn:
            self.generation = _generation(conn)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.faults(), Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def snapshot_readers(self, n: int) -> Iterator[list[sqlite3.Connection]]:
        """Up to ``n`` SQLite connections reading one and the same snapshot, to read one report
        on several cores: each begins its read transaction while a brief write lock (a few
        milliseconds) holds every writer back, so no commit falls between them. A reader never
        waits for a writer: when a write is under way (a roster import, a restore), the lock is
        not waited for and one connection reads alone. Rolled back on exit."""
        with self.faults():
            gate = self.engine.raw_connection()
            lock: sqlite3.Connection = gate.driver_connection  # type: ignore[assignment]
            if self.full:  # opened frozen (a full disk): nobody writes to it, no lock to take
                locked = True
            else:
                lock.execute(f"PRAGMA busy_timeout = {GATE_WAIT_MS}")
                try:
                    lock.execute("BEGIN IMMEDIATE")
                    locked = True
                except sqlite3.OperationalError:  # busy: a writer holds it
                    locked = False
                finally:
                    lock.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            proxies = [self.engine.raw_connection() for _ in range(n if locked else 1)]
            readers: list[sqlite3.Connection] = [p.driver_connection for p in proxies]  # type: ignore[misc]
            try:
                try:
                    for con in readers:
                        con.execute("BEGIN")
                        con.execute("SELECT count(*) FROM meta").fetchall()  # the first read takes the snapshot
                finally:
                    if lock.in_transaction:
                        lock.execute("ROLLBACK")
                    gate.close()
                yield readers
            finally:
                for con, proxy in zip(readers, proxies):
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                    proxy.close()

    @contextmanager
    def faults(self) -> Iterator[None]:
        """Turn a database fault into its one sentence; anything else passes through."""
        try:
            yield
        except Exception as exc:
            fault = faults.explain(exc, self.where)
            if fault is None or fault is exc:
                raise
            raise fault from exc

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


class Stats(Struct, frozen=True):
    journal: str
    learners: int
    attempts: int


def _sqlite_engine(path: Path, warnings: list[str], cache_kib: int | None = None) -> Engine:
    fs = filesystem_type(path.parent)
    journal = "wal"
    if fs in NETWORK_FS:
        journal = "delete"
        warnings.append(
            f"Basis data berada di sistem berkas jaringan ({fs}); mode WAL dimatikan dan jurnal rollback dipakai."
        )
    # ``creator`` opens exactly this file: no URL parsing of "?", "#" or "%" in its name.
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(str(path), check_same_thread=False), poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con: sqlite3.Connection, _record: object) -> None:  # pragma: no branch
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
        if cache_kib is not None:
            cur.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("latsar_read"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _generation(conn: Connection) -> str | None:
    row = conn.exec_driver_sql(f"SELECT value FROM meta WHERE key = '{GENERATION}'").first()
    return str(row[0]) if row else None


def _ensure_generation(conn: Connection) -> str:
    """The database's generation, made when it has none (a new database, or one made by a
    latsar that did not keep one)."""
    found = _generation(conn)
    if found is None:
        import uuid

        found = uuid.uuid4().hex
        with Session(bind=conn) as s:
            s.add(models.Meta(key=GENERATION, value=found))
            s.flush()
    return found


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
        backup = backup_beside(db.path, f"v{found}")
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


def redacted(url: str) -> str:
    """A database URL as messages show it: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def sqlite_path(text: str) -> Path:
    if text.startswith("sqlite:"):
        from sqlalchemy.engine import make_url

        return Path(make_url(text).database or "").expanduser()
    return Path(text).expanduser()


def _open_url(text: str, warnings: list[str]) -> tuple[Database, int | None]:
    args = {"connect_timeout": 10, "options": "-c timezone=UTC"}
    try:
        engine = create_engine(text, pool_pre_ping=True, connect_args=args)
    except ImportError:
        raise UsageError("Untuk server PostgreSQL pasang dulu pengandarnya: pip install 'psycopg[binary]'.") from None
    db = Database(engine, None, warnings, redacted(text))
    with db.faults():
        return db, _version_of(engine)


SESSION_CACHE_KIB = 512  # a classroom session reads one trainee's rows: a small page cache (each session has its own)


def _open_for_session(text: str, warnings: list[str]) -> Database:
    """A classroom session's database, which the server opened, checked and migrated when the
    class opened: connected to, its schema version read on that connection, nothing else."""
    url = server_url(text)
    if url is not None:
        db, found = _open_url(url, warnings)
        with db.faults(), db.engine.connect() as conn:
            db.generation = _generation(conn)
    else:
        path = sqlite_path(text)
        db = Database(_sqlite_engine(path, warnings, SESSION_CACHE_KIB), path, warnings)
        with db.faults(), db.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").first()
            db.generation = _generation(conn)
        found = int(row[0]) if row and str(row[0]).isdigit() else None
    if found != SCHEMA_VERSION:
        db.dispose()
        raise DataError(f"Basis data {db.where} berubah sejak kelas dibuka (skema v{found}); buka ulang kelasnya.")
    return db


def _open_file(path: Path, warnings: list[str]) -> tuple[Database, int | None]:
    found = inspect_version(path)
    if found is not None and found > SCHEMA_VERSION:
        raise DataError(
            f"Basis data {path} dibuat oleh latsar yang lebih baru (skema v{found}, latsar ini v{SCHEMA_VERSION}); "
            "perbarui latsar. Berkas tidak diubah."
        )
    quick_check(path)
    try:
        _prepare_file(path, warnings)
    except OSError as exc:
        raise DataError(f"Basis data {path} tidak dapat dibuat: {os_reason(exc)}. Periksa foldernya atau pakai --db.") from exc
    return Database(_sqlite_engine(path, warnings), path, warnings), found


def open_database(target: str | os.PathLike[str], verify: bool = True) -> Database:
    """Open (creating if needed) the database at a path or SQLAlchemy URL.

    ``verify=False`` is for a classroom session of a server that opened, checked and migrated
    this database when it started: the session only connects (a database of another schema is
    still refused)."""
    warnings: list[str] = []
    text = str(target)
    if not verify:
        return _open_for_session(text, warnings)
    url = server_url(text)
    db, found = _open_url(url, warnings) if url is not None else _open_file(sqlite_path(text), warnings)
    try:
        return _settle(db, found)
    except faults.DiskFull:
        if db.path is None or found != SCHEMA_VERSION or not wal_is_empty(db.path):
            raise
        return _open_on_full_disk(db.path, warnings)


def _open_on_full_disk(path: Path, warnings: list[str]) -> Database:
    """A database whose disk is full, opened to be read: what is saved can still be seen,
    exported and backed up elsewhere; every write says the disk is full."""
    engine = create_engine("sqlite://", creator=lambda: frozen(path), poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con: sqlite3.Connection, _record: object) -> None:  # pragma: no branch
        dbapi_con.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    db = Database(engine, path, warnings)
    db.full = True
    with db.faults(), engine.connect() as conn:
        db.generation = _generation(conn)
    return db


def _settle(db: Database, found: int | None) -> Database:
    """Migrate, create what is missing, stamp: the last steps of opening."""
    try:
        if found is not None and found > SCHEMA_VERSION:
            raise DataError(f"Basis data {db.where} dibuat oleh latsar yang lebih baru (skema v{found}); perbarui latsar. Tidak ada yang diubah.")
        if found is not None and found < SCHEMA_VERSION:
            _migrate(db, found)
        with db.faults(), db.engine.begin() as conn:
            SQLModel.metadata.create_all(conn)
            if found is None:
                _stamp(conn, SCHEMA_VERSION)
            db.generation = _ensure_generation(conn)
    except BaseException:
        db.dispose()
        raise
    return db


def _version_of(engine: Engine) -> int | None:
    from sqlalchemy import inspect as sa_inspect

    if "meta" not in sa_inspect(engine).get_table_names():
        return None
    with Session(engine) as s:
        row = s.exec(select(models.Meta).where(models.Meta.key == "schema_version")).first()
    return int(row.value) if row else None


def integrity(path: Path, quick: bool = False) -> str:
    """``PRAGMA integrity_check`` (or ``quick_check``) of the file at ``path`` ("ok" when sound), read-only."""
    try:
        con = read_only(path)
        try:
            rows = con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


class FileFacts(Struct, frozen=True):
    """What a database file holds that a restore must speak of (any schema version)."""

    open_attempts: list[str]
    online: int
    passphrase: bool
    pins: int


def file_facts(path: Path) -> FileFacts:
    """Read-only facts of the SQLite file at ``path`` (nothing, for a missing or empty file)."""
    if not path.is_file() or path.stat().st_size == 0:
        return FileFacts([], 0, False, 0)
    try:
        con = read_only(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

            def count(sql: str, table: str) -> int:
                return int(con.execute(sql).fetchone()[0]) if table in tables else 0

            open_attempts = [
                f"{name} ({quiz}, {answered} dijawab)"
                for name, quiz, answered in con.execute(
                    "SELECT l.name, a.quiz_id, (SELECT count(*) FROM answer w WHERE w.attempt_id = a.id AND w.choice IS NOT NULL) "
                    "FROM attempt a JOIN learner l ON l.id = a.learner_id WHERE a.state = ? ORDER BY a.id",
                    (AttemptState.IN_PROGRESS.value,),
                )
            ] if {"attempt", "learner", "answer"} <= tables else []
            since = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=2)
            online = int(con.execute(
                "SELECT count(*) FROM live_session WHERE ended_at IS NULL AND seen_at >= ?", (since.isoformat(" "),)
            ).fetchone()[0]) if "live_session" in tables else 0
            return FileFacts(open_attempts, online, count("SELECT count(*) FROM instructor_secret", "instructor_secret") > 0,
                             count("SELECT count(*) FROM learner_pin", "learner_pin"))
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise faults.explain(exc, str(path)) or faults.damaged(str(path)) from exc


def _usable_backup(source: Path) -> int:
    """The schema version of a backup fit to restore; DataError otherwise."""
    refuse_special(source, "Berkas cadangan")
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
    return found


def _copy_rows(con: sqlite3.Connection) -> None:
    """Inside the open transaction: every table of ``main`` takes the rows of ``bak``."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    for name in reversed(tables):
        con.execute(f'DELETE FROM main."{name}"')
    for name in tables:
        columns = ", ".join(f'"{row[1]}"' for row in con.execute(f'PRAGMA main.table_info("{name}")'))
        con.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM bak."{name}"')


def restore_file(source: Path, target: Path) -> Path | None:
    """Give the database at ``target`` the contents of the backup at ``source``.

    The copy goes through SQLite, under the database's write lock, into the file every
    process has open: a trainee answering at that moment waits, then writes into the restored
    database, never into a file nobody reads. The safety copy of the current contents is made
    under the same lock, so every answer acknowledged before the restore is in it. A backup
    from an older latsar is migrated (on a copy) first. Returns the safety copy's path.
    """
    source, target = Path(source), Path(target)
    found = _usable_backup(source)
    with tempfile.TemporaryDirectory(prefix="latsar-pulih-") as tmp:
        if found < SCHEMA_VERSION:
            migrated = backup_file(source, Path(tmp) / "cadangan.db")
            open_database(migrated).dispose()
            source = migrated
        if not target.exists() or target.stat().st_size == 0:
            _prepare_file(target, [])
            backup_file(source, target)
            return None
        current = inspect_version(target)  # refuses a foreign or damaged file rather than overwrite it
        if current is not None and current > SCHEMA_VERSION:
            raise DataError(f"Basis data {target} dibuat oleh latsar yang lebih baru; tidak ada yang dipulihkan.")
        if current is not None and current < SCHEMA_VERSION:
            open_database(target).dispose()  # bring the current database up to this schema first (backed up)
        return _restore_under_lock(source, target)


def _restore_under_lock(source: Path, target: Path) -> Path:
    con = sqlite3.connect(str(target), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=False)
    con.execute("PRAGMA foreign_keys = ON")
    try:
        con.execute("ATTACH DATABASE ? AS bak", (str(source),))
        con.execute("BEGIN IMMEDIATE")  # from here no other process can write
        # Read by a second connection: it sees every committed (acknowledged) answer, and the
        # lock held above keeps any new one from landing before the copy is done.
        safety = backup_beside(target, "sebelum-pulih")
        try:
            con.execute("PRAGMA defer_foreign_keys = ON")
            _copy_rows(con)
            # Every process that had the old contents open now sees a new generation, and its
            # next write is refused instead of landing on an id that means something else now.
            con.execute("DELETE FROM main.meta WHERE key = ?", (GENERATION,))
            con.execute("INSERT INTO main.meta (key, value) VALUES (?, ?)", (GENERATION, uuid.uuid4().hex))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise faults.explain(exc, str(target)) or DataError(f"Pemulihan {target} gagal: {exc}; basis data tidak diubah.") from exc
    finally:
        con.close()
    return safety


# Rows read in batches, as the driver gives them (large reports and exports).
STREAM = {"stream_results": True, "yield_per": 2000}


def as_utc(value: datetime | str | None) -> datetime | None:
    """A stored timestamp (driver text or datetime) as naive UTC, the way every table keeps it."""
    if value is None:
        return None
    if value.__class__ is str:
        return datetime.fromisoformat(value)  # SQLite's text: naive UTC already
    assert isinstance(value, datetime)
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
