"""A course pack, loaded and validated once and kept for the next start. Pure: standard library and msgspec.

Loading a pack means parsing its TOML and Markdown and checking every question: about a
twentieth of the time to the first screen, spent again at every start (and in every classroom
session) on files that almost never change. So, like Python's own ``.pyc`` files, the validated
course is kept in a cache file next to the database and used while nothing it came from has
changed. What "changed" means is decided without opening a single file of the pack (a FIFO put
in a pack must never block the start): the path, size, modification and status-change times
and inode of every entry under ``content/`` and ``quizzes/`` (any write to a file changes its
status-change time, which nobody can set back), plus latsar's version and the loader's own
files. A pack changed in the last two seconds is not kept yet: an author may still be writing it
(two writes in one clock tick, at the same size, would leave every stamp alike). Any doubt means
no cache: the pack is loaded as usual.

Only a pack that loaded without a problem is kept; a pack with problems is parsed every time,
so its problems are always reported. The cache file is written atomically, 0600, and read only
when it belongs to this user and nobody else can write it (it is unpickled).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
import time
from pathlib import Path

from msgspec import Struct

from latsar.course.model import Course

FORMAT = b"latsar-course-cache 1"
MAX_ENTRIES = 4000  # a pack is a few dozen files; a tree bigger than this is loaded, not cached
# A pack changed this recently may be changing still: a write landing in the same clock tick as
# the one before it, at the same size, would leave every stamp as it was (git's "racy" files).
# Such a pack is loaded but not kept until it has been still for this long.
SETTLE_SECONDS = 2.0
CACHE_NAME = "course.cache"
_CODE = Path(__file__).resolve().parent


def _stamp(info: os.stat_result) -> str:
    return f"{info.st_mode:o} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev}"


class Fingerprint(Struct, frozen=True):
    key: str
    settled: bool  # nothing in the pack changed in the last SETTLE_SECONDS


def _pack_entries(root: Path) -> list[tuple[str, os.stat_result | None]] | None:
    """Every entry under ``content/`` and ``quizzes/`` with its stat (None: absent), in a fixed
    order; None for a tree too big to be worth it."""
    entries: list[tuple[str, os.stat_result | None]] = []
    for top in ("content", "quizzes"):
        base = root / top
        entries.append((top, os.stat(base) if os.path.lexists(base) else None))
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            entries += [(str((Path(folder) / name).relative_to(root)), os.stat(Path(folder) / name)) for name in sorted(dirs + files)]
            if len(entries) > MAX_ENTRIES:
                return None
    return entries


def fingerprint(root: Path) -> Fingerprint | None:
    """What the course at ``root`` was built from, as a digest, and whether the pack has been
    still long enough to be kept; None when that cannot be told cheaply and safely (then the
    pack is simply loaded)."""
    from latsar import __version__

    try:
        code = [f"code {p.name} {_stamp(os.stat(p))}" for p in sorted(_CODE.glob("*.py"))]
        entries = _pack_entries(root)
    except (OSError, ValueError):
        return None
    if entries is None:
        return None
    lines = [__version__, str(root.resolve()), *code, *(f"{name} {_stamp(info) if info else '-'}" for name, info in entries)]
    newest = max((max(info.st_mtime_ns, info.st_ctime_ns) for _, info in entries if info), default=0)
    digest = hashlib.blake2b(FORMAT, digest_size=32)
    digest.update("\n".join(lines).encode("utf-8", "surrogateescape"))
    return Fingerprint(digest.hexdigest(), time.time_ns() - newest >= SETTLE_SECONDS * 1e9)


def _trusted(fd: int) -> bool:
    info = os.fstat(fd)
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(folder: Path, key: str) -> Course | None:
    """The cached course for ``key``, or None (no cache, another pack, or anything amiss)."""
    try:
        fd = os.open(folder / CACHE_NAME, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            if not _trusted(fd) or f.readline().rstrip(b"\n") != key.encode():
                return None
            course = pickle.load(f)
        except Exception:  # a damaged or foreign cache is only a slower start
            return None
    return course if isinstance(course, Course) else None


def write(folder: Path, key: str, course: Course) -> None:
    """Keep ``course`` for the next start; a cache that cannot be written is left unwritten.
    ``folder``'s parent (latsar's home) is never created here: the database does that, with
    the right permissions; a home that is a link elsewhere, or no folder at all, gets nothing."""
    try:
        home = os.lstat(folder.parent)
        if not stat.S_ISDIR(home.st_mode):  # a link elsewhere, a file, a device: nothing is written
            return
        folder.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".course-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key.encode() + b"\n")
            pickle.dump(course, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / CACHE_NAME)
    except Exception:
        Path(tmp).unlink(missing_ok=True)


def load_cached(root: Path, folder: Path) -> Course:
    """The course at ``root``: from the cache in ``folder`` when nothing changed, else loaded
    (and validated) from the pack and kept there. Raises ContentError as ``load_course`` does."""
    stamp = fingerprint(Path(root))
    if stamp is not None:
        course = read(folder, stamp.key)
        if course is not None:
            return course
    from latsar.course.loader import load_course

    course = load_course(Path(root))
    if stamp is not None and stamp.settled:
        write(folder, stamp.key, course)
    return course
