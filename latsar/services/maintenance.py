"""The database file itself: check, back up, restore (SQLite files only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from latsar.errors import DataError, UsageError, os_reason
from latsar.storage import database, faults


@dataclass(frozen=True)
class DatabaseCheck:
    path: Path
    schema: int
    journal: str
    learners: int
    attempts: int
    integrity: str  # "ok" when sound

    @property
    def sound(self) -> bool:
        return self.integrity == "ok"


def sqlite_file(target: Path | str) -> Path:
    text = str(target)
    if database.server_url(text) is not None:
        raise UsageError("Perintah db hanya untuk berkas SQLite; untuk server basis data pakai alat server itu.")
    return database.sqlite_path(text)


def check(path: Path) -> tuple[DatabaseCheck, list[str]]:
    """The file's vital signs and the warnings opening it raised."""
    db = database.open_database(path)
    try:
        stats = db.stats()
    finally:
        db.dispose()
    report = DatabaseCheck(path, database.SCHEMA_VERSION, stats.journal, stats.learners, stats.attempts, database.integrity(path))
    return report, db.warnings


def backup(path: Path, dest: Path) -> Path:
    if dest.exists():
        raise UsageError(f"Berkas {dest} sudah ada; pilih nama lain agar tidak tertimpa.")
    database.open_database(path).dispose()  # refuses a corrupt or newer database before copying it
    return database.backup_file(path, dest)


def restore(path: Path, source: Path) -> Path | None:
    """Replace the database with a verified backup; the path of the safety copy of the old one."""
    return database.restore_file(source, path)


def explain_fault(exc: BaseException, where: str = "") -> DataError | None:
    """One sentence for a fault of the machine that reached the top: the database (see
    ``storage.faults``), or a file that could not be read or written."""
    fault = faults.explain(exc, where or "ini")
    if fault is not None:
        return fault
    if isinstance(exc, OSError):
        name = f" {exc.filename}" if exc.filename else ""
        why = os_reason(exc)
        return DataError(f"Berkas{name} tidak dapat dibaca atau ditulis: {why}.")
    if isinstance(exc, MemoryError):
        return DataError("Memori tidak cukup untuk pekerjaan ini; tidak ada yang diubah.")
    return None


def backup_before(db: database.Database, what: str, now: datetime) -> Path | None:
    """A copy of a SQLite database file next to it, before an operation that cannot be undone
    (``what``: a word for the file name, e.g. "hapus"); None for a database server, which has
    its own backups."""
    if db.path is None:
        return None
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return database.backup_file(db.path, db.path.with_name(f"{db.path.name}.sebelum-{what}-{stamp}.bak"))
