"""What went wrong with the database, in one true sentence.

A damaged file, a read-only file or folder, a full disk, a database busy for too long, a
PostgreSQL server that is down, refuses the password or has no such database: each is a
different fault with different advice, and none of them is a traceback. Only a damaged file
is told to restore from a backup; a healthy one never is.
"""

from __future__ import annotations

import os
import re
import sqlite3

from latsar.errors import DataError

# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26

RESTORE = "Pulihkan dari cadangan dengan `latsar db restore BERKAS` atau pakai berkas lain dengan --db."


class DiskFull(DataError):
    """The disk holding the database has no room: what was saved is safe, nothing new can be."""


def damaged(where: str) -> DataError:
    return DataError(f"Basis data {where} rusak; tidak ada yang diubah. {RESTORE}")


def full_disk(where: str) -> DiskFull:
    return DiskFull(f"Disk tempat basis data {where} penuh; perubahan terakhir tidak disimpan, yang sudah tersimpan aman. Kosongkan ruang disk lalu coba lagi.")


MIN_FREE = 1024 * 1024  # less room than this on the database's disk: a disk error is the disk being full


def disk_is_full(where: str) -> bool:
    """Whether the disk holding the database file ``where`` has (almost) no room left: SQLite
    often reports a full disk as a plain I/O error (it could not grow the WAL index)."""
    import shutil

    folder = os.path.dirname(os.path.abspath(where)) if where else ""
    try:
        return bool(folder) and os.path.isdir(folder) and shutil.disk_usage(folder).free < MIN_FREE
    except OSError:
        return False


def _sqlite(code: int, where: str) -> DataError | None:
    primary = code & 0xFF
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(where)
    if primary in (SQLITE_READONLY, SQLITE_PERM):
        return DataError(f"Basis data {where} tidak dapat ditulisi (berkas atau foldernya hanya-baca); tidak ada yang diubah. Periksa izin folder itu atau pakai --db.")
    if primary == SQLITE_CANTOPEN:
        return DataError(f"Basis data {where} tidak dapat dibuka: folder itu tidak ada atau tidak dapat ditulisi. Periksa foldernya atau pakai --db.")
    if primary == SQLITE_FULL or (primary == SQLITE_IOERR and disk_is_full(where)):
        return full_disk(where)
    if primary == SQLITE_IOERR:
        return DataError(f"Basis data {where} tidak dapat dibaca atau ditulis (galat disk); tidak ada yang diubah. Periksa disknya, lalu `latsar db check`.")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DataError(f"Basis data {where} sedang dipakai proses lain terlalu lama; coba lagi sebentar lagi.")
    return None


_PG = [
    (re.compile(r"password authentication failed|no password supplied|authentication failed", re.I),
     "PostgreSQL menolak nama pengguna atau kata sandinya; periksa URL --db."),
    (re.compile(r'database "([^"]+)" does not exist', re.I),
     "Basis data PostgreSQL '{0}' tidak ada di server itu; buat dulu (createdb) atau periksa URL --db."),
    (re.compile(r'role "([^"]+)" does not exist', re.I),
     "Pengguna PostgreSQL '{0}' tidak ada di server itu; periksa URL --db."),
    (re.compile(r"connection refused|could not connect|no such file or directory|timeout expired|name or service not known|"
                r"could not translate host name|server closed the connection|connection is bad|Connection timed out", re.I),
     "Server PostgreSQL tidak dapat dihubungi; pastikan server menyala dan alamat di URL --db benar."),
    (re.compile(r"too many clients|too many connections|remaining connection slots are reserved", re.I),
     "Server PostgreSQL sedang penuh (semua sambungannya terpakai); coba lagi sebentar lagi. Pengelola server: naikkan max_connections (satu sambungan per sesi kelas)."),
    (re.compile(r"permission denied", re.I),
     "PostgreSQL menolak izin untuk pengguna ini; periksa hak aksesnya pada basis data itu."),
]


def _postgres(exc: BaseException) -> DataError | None:
    text = str(exc)
    for pattern, sentence in _PG:
        m = pattern.search(text)
        if m:
            return DataError(sentence.format(*m.groups()))
    return None


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (SQLAlchemy's ``orig``, ``__cause__``), outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return seen


# Constraint violations are the caller's business (a race lost to a unique index), not a fault.
INTEGRITY = {"IntegrityError", "UniqueViolation", "ForeignKeyViolation", "NotNullViolation", "CheckViolation"}


def explain(exc: BaseException, where: str) -> DataError | None:
    """The one sentence for a database fault, or None when ``exc`` is not one."""
    for cause in _causes(exc):
        if isinstance(cause, DataError):
            return cause
        if isinstance(cause, sqlite3.Error):
            code = getattr(cause, "sqlite_errorcode", None)
            if code is not None:
                found = _sqlite(code, where)
                if found:
                    return found
            if "malformed" in str(cause) or "not a database" in str(cause):
                return damaged(where)
        if type(cause).__module__.startswith("psycopg") and type(cause).__name__ not in INTEGRITY:
            return _postgres(cause) or DataError(f"PostgreSQL menolak permintaan: {str(cause).splitlines()[0]}")
    return None
