"""Files that come in and go out: read only regular files of a bounded size; write privately.

Every file latsar writes can hold NIPs and answers, so it is created 0600, written to a
temporary sibling and renamed into place only when complete (a half-written file never
replaces a good one, and a failed write leaves nothing behind). The temporary sibling has a
name nobody can guess and is created with ``O_EXCL`` (``tempfile.mkstemp``), so a link planted
in a shared folder never receives the data; the rename replaces whatever is at the final
name (a planted link included) without following it. Every file it reads is checked first: a
FIFO or a device would hang or never end, a huge file would fill memory.
"""

from __future__ import annotations

import os
import stat
import tempfile
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
        raise UsageError(f"{path} adalah folder; tulis nama berkas, mis. {path / ('hasil' + (path.suffix or '.csv'))}.")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"Folder {parent} tidak ada; buat dulu atau pilih folder lain.")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path} bukan berkas biasa; pilih nama berkas lain.")
    return path


def private_sibling(path: Path) -> Path:
    """A new, empty file (0600) next to ``path``, under a name nobody could have planted a link
    at: created with ``O_EXCL`` by ``tempfile.mkstemp``."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
    os.close(fd)
    return Path(name)


def publish(tmp: Path, path: Path) -> None:
    """Make the finished ``tmp`` the file at ``path``: on disk first, then renamed into place
    (replacing, never following, whatever is there), then the rename itself on disk."""
    fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fchmod(fd, 0o600)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


@contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A private temporary sibling that replaces ``path`` only when the block succeeds."""
    path = output_path(path)
    tmp: Path | None = None
    try:
        tmp = private_sibling(path)
        yield tmp
        publish(tmp, path)
    except OSError as exc:
        raise DataError(f"Berkas {path} tidak dapat ditulis: {os_reason(exc)}; tidak ada yang ditulis.") from exc
    finally:
        if tmp is not None:
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
