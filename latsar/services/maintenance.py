"""The database file itself: check, back up, restore (SQLite files only)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from latsar.errors import DataError, UsageError, os_reason
from latsar.storage import database, faults


class DatabaseCheck(Struct, frozen=True):
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
    from latsar.exchange.files import output_path

    dest = output_path(dest)
    if os.path.lexists(dest):
        raise UsageError(f"Berkas {dest} sudah ada; pilih nama lain agar tidak tertimpa.")
    database.open_database(path).dispose()  # refuses a corrupt or newer database before copying it
    return database.backup_file(path, dest)


class RestorePlan(Struct, frozen=True):
    """What restoring a backup over the current database would undo, said before it is done."""

    open_attempts: list[str]  # "Ani Lestari (mp1, 4 dijawab)": answers given since the backup are not in it
    online: int  # classroom sessions heard from in the last two minutes
    passphrase_lost: bool  # the current database has an instructor passphrase, the backup none
    pins_now: int
    pins_after: int

    @property
    def warnings(self) -> list[str]:
        said = []
        if self.open_attempts:
            names = ", ".join(self.open_attempts[:5]) + (f", dan {len(self.open_attempts) - 5} lagi" if len(self.open_attempts) > 5 else "")
            said.append(
                f"Ada {len(self.open_attempts)} evaluasi yang sedang dikerjakan ({names}); jawaban yang diberikan sesudah "
                "cadangan dibuat tidak ada di cadangan (tetap ada di salinan pengaman) dan harus dijawab lagi."
            )
        if self.online:
            said.append(f"{self.online} sesi kelas sedang aktif; peserta di sesi itu diminta masuk lagi sesudah pemulihan.")
        if self.passphrase_lost:
            said.append("Cadangan ini tidak memuat kata sandi pengampu: sesudah dipulihkan, kata sandi itu hilang (buat lagi dengan `latsar instructor passphrase`).")
        if self.pins_after < self.pins_now:
            said.append(f"Cadangan ini memuat PIN {self.pins_after} peserta, sekarang {self.pins_now}: PIN yang lain hilang.")
        return said


def restore_plan(path: Path, source: Path) -> RestorePlan:
    """What the backup at ``source`` would undo in the database at ``path`` (read only)."""
    database.refuse_special(source, "Berkas cadangan")
    now = database.file_facts(path)
    after = database.file_facts(source)
    return RestorePlan(now.open_attempts, now.online, now.passphrase and not after.passphrase, now.pins, after.pins)


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
    return database.backup_beside(db.path, f"sebelum-{what}", now)
