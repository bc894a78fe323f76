"""Files that come in and go out: read only regular files of a bounded size; write privately.

Every file latsar writes can hold NIPs and answers, so it is created 0600, written to a
temporary sibling and renamed into place only when complete (a half-written file never
replaces a good one, and a failed write leaves nothing behind). Every file it reads is
checked first: a FIFO or a device would hang or never end, a huge file would fill memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from latsar.course.source import os_problem
from latsar.errors import DataError, UsageError, os_reason
from latsar.paths import fsync_dir


def output_path(path: Path) -> Path:
    """``path`` if a file can be written there; a usage error naming what is wrong otherwise."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise UsageError(f"{path} adalah folder; tulis nama berkas, mis. {path / 'hasil.csv'}.")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"Folder {parent} tidak ada; buat dulu atau pilih folder lain.")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path} bukan berkas biasa; pilih nama berkas lain.")
    return path


@contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A temporary sibling (0600) that replaces ``path`` only when the block succeeds."""
    path = output_path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        yield tmp
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise DataError(f"Berkas {path} tidak dapat ditulis: {os_reason(exc)}; tidak ada yang ditulis.") from exc
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """A text file written privately and atomically (UTF-8)."""
    with staged(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        yield out


def write_text(path: Path, text: str) -> None:
    with open_text(path) as out:
        out.write(text)


def read_bytes(path: Path, limit: int, what: str = "Berkas") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; DataError in one sentence otherwise."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise DataError(f"{what} {path} tidak dapat dibaca: {os_problem(path, exc)}.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{what} {path} bukan berkas biasa (folder, pipa, atau perangkat); tidak dibaca.")
    if info.st_size > limit:
        raise DataError(f"{what} {path} terlalu besar ({info.st_size // 1024} KB; paling besar {limit // 1024} KB).")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise DataError(f"{what} {path} bukan berkas biasa; tidak dibaca.")
            data = f.read(limit + 1)
    except OSError as exc:
        raise DataError(f"{what} {path} tidak dapat dibaca: {os_problem(path, exc)}.") from exc
    if len(data) > limit:
        raise DataError(f"{what} {path} terlalu besar (paling besar {limit // 1024} KB).")
    return data
