"""The parent of the classroom's sessions: imports everything once, then forks a session per
browser (``latsar.server.forks`` tells why and how the server talks to it).

Run by `latsar serve` as ``python -m latsar.zygote [--db X] [--content D] FD``, FD being its end
of a socket pair. It never opens the database, and keeps nothing a session could share by
mistake: each child opens its own database connection, seeds its own random numbers, and owns
only the three pipes the server made for it.

Before each fork it looks whether the course pack or latsar's own code changed on disk. A
changed pack is loaded again (a pack with problems refuses the session with the loader's
sentence); changed code makes it answer "stale" and leave, so that the server makes a new
parent that imports the new code.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

CODE = Path(__file__).resolve().parent


def code_stamp() -> tuple[tuple[str, int, int, int], ...]:
    """Every module of latsar as it is on disk: a change means this parent is stale."""
    found = []
    for folder, dirs, files in os.walk(CODE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") or name.endswith(".tcss"):
                info = os.stat(os.path.join(folder, name))
                found.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(found)


def preload() -> None:
    """Import what a session uses, so that no child imports it again (and all share it)."""
    import importlib
    import pkgutil


    for package in ("latsar.tui.screens", "latsar.tui.dialogs", "latsar.tui.widgets", "latsar.services", "latsar.storage"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            importlib.import_module(info.name)
    import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import configure_mappers

    engine = create_engine("sqlite://")  # warms SQLAlchemy's dialect; never the classroom's database
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    configure_mappers()  # the tables' ORM mapping, otherwise made by each child's first query
    from latsar.services.guard import decoy

    decoy("")  # the decoy hash for NIPs nobody has, made once here rather than in a child


def fill_holes() -> list[object]:
    """Objects that fill every free block of the parent's small-object heap, kept alive.

    A child's new objects would otherwise be placed in the free blocks scattered through the
    pages it shares with its parent and the other children, and each such page would be
    copied into the child (copy-on-write) for one small object. Filled, they go to pages of
    the child's own. The free blocks are counted by the interpreter itself
    (``sys._debugmallocstats``, written to standard error, captured here)."""
    import re
    import tempfile

    kept: list[object] = []
    for _ in range(3):  # filling makes a few new holes (the list itself, this function's own objects)
        with tempfile.TemporaryFile() as captured:
            sys.stderr.flush()
            saved = os.dup(2)
            os.dup2(captured.fileno(), 2)
            try:
                sys._debugmallocstats()
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            captured.seek(0)
            text = captured.read().decode("ascii", "replace")
        for line in text.splitlines():  # class, size, pools, blocks in use, available blocks
            row = re.fullmatch(r"\s*\d+\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s*", line)
            if row:
                size, free = int(row[1]), int(row[2])
                kept.extend(_block(size, i) for i in range(free))
    return kept


def _block(size: int, i: int) -> object:
    """An object (not tracked by the collector) that takes one block of ``size`` bytes."""
    if size <= 16:
        return object()
    if size <= 32:
        return float(i) + 0.5  # 24 bytes
    return bytes(size - 33)  # a bytes object is 33 bytes and its length


MADV_MERGEABLE = 12  # <linux/mman.h>; Python's mmap.MADV_MERGEABLE applies to its own maps only


def offer_to_merge() -> int:
    """Mark the parent's private memory as mergeable by the kernel's same-page merging (KSM,
    ``madvise(MADV_MERGEABLE)``); the children inherit the mark. How many mappings were marked.

    CPython 3.11 writes into every object it touches (reference counts), so each page of the
    parent's heap that a session uses becomes the session's own copy, mostly identical to the
    parent's, or to the same page in every other session; measured, that is ~60% of a session's
    private memory. Where the administrator runs KSM (``/sys/kernel/mm/ksm/run`` = 1), the
    kernel finds such identical pages and shares them again, copy-on-write as before: a session
    cannot see or change another's memory. Where KSM is off (most distributions' default), or
    the kernel lacks it, this marks the mappings and nothing else happens."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return 0
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    marked = 0
    try:
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return 0
    for line in lines:  # address perms offset device inode [path]
        fields = line.split()
        if fields[1] == "rw-p" and (len(fields) < 6 or fields[5] == "[heap]"):  # anonymous, private, writable
            start, end = (int(x, 16) for x in fields[0].split("-"))
            marked += madvise(start, end - start, MADV_MERGEABLE) == 0
    return marked

WARM_RUNS = 3  # Python specialises a function's bytecode after it ran a few times: in here, not in every child


def warm_up(course: Any) -> None:
    """Walk a scratch trainee through a session, headless, on a scratch database that is
    deleted after: the sign-in, the map, a section, an evaluation answered and submitted, its
    result. What that sets up once (lazy imports, Textual's and Rich's caches, bytecode
    specialised by the interpreter) then lives in the pages every child shares, instead of
    being made again, or written over, in each child."""
    import asyncio
    import tempfile

    from latsar.services.app import Services
    from latsar.services.guard import Source
    from latsar.storage.database import open_database
    from latsar.tui.app import build_app

    with tempfile.TemporaryDirectory(prefix="latsar-warm-") as tmp:
        # Its own time, an hour a reading: every section reached to its end counts as read.
        svc = Services(course, open_database(os.path.join(tmp, "warm.db")), clock=_hours_apart(), source=Source.browser("warm-up", "warm-up"))
        try:
            me = svc.learners.add("Pemanasan", "199001012020122001")
            svc.pins.set(me.id, "123456")
            for _ in range(WARM_RUNS):
                asyncio.run(_walk(build_app(svc, serve=True), course))
        finally:
            svc.close()


def _hours_apart() -> Any:
    """A clock for the scratch trainee: from a month ago, an hour on at every reading."""
    from datetime import timedelta

    from latsar.storage.models import utcnow

    start, step = utcnow() - timedelta(days=30), iter(range(10**9))
    return lambda: start + timedelta(hours=next(step))


async def _walk(app: Any, course: Any) -> None:
    async def settle(pilot: Any) -> None:
        for _ in range(3):
            await app.io_drain()
            await pilot.pause()

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#ref").value = "199001012020122001"
        screen.query_one("#pin").value = "123456"
        screen.set_focus(screen.query_one("#pin"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")  # the first section
        await settle(pilot)
        await pilot.press("end", "escape")
        await settle(pilot)
        if course.evaluations:
            from latsar.services.values import EntryKind, Target
            from latsar.tui.messages import Open

            for section in course.sections:  # the gate: read up to the first evaluation
                if section.part == course.evaluations[0].part:
                    app.trainee.reading.complete(section.id)
            app.post_message(Open(Target(EntryKind.EVALUATION, course.evaluations[0].id)))
            await settle(pilot)
            for letter in "abcdabcdabcd"[: len(course.evaluations[0].bank.questions)]:
                await pilot.press(letter)
            await settle(pilot)
            await pilot.press("s", "y")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)


class Parent:
    def __init__(self, sock: socket.socket, db: str | None, content: str | None) -> None:
        self.sock = sock
        self.db = db
        self.content = content
        self.code = code_stamp()
        self.course: Any = None
        self.course_key: str | None = None
        self.kept: list[object] = []  # the heap's holes, filled (``fill_holes``)

    def current_course(self) -> Any:
        """The course as it is on disk now (loaded again only when the pack changed)."""
        from latsar.course.cache import fingerprint, load_cached
        from latsar.paths import content_root, home_dir

        root = content_root(self.content)
        stamp = fingerprint(root)
        if self.course is None or stamp is None or stamp.key != self.course_key:
            self.course = load_cached(root, home_dir() / "cache")
            self.course_key = stamp.key if stamp is not None else None
        return self.course

    def serve(self) -> None:
        from latsar.errors import LatsarError
        from latsar.server.forks import receive, send

        send(self.sock, {"ready": True})
        while True:
            facts, fds = receive(self.sock, max_fds=3)
            if facts is None:
                return  # the server is gone
            try:
                if len(fds) != 3:
                    send(self.sock, {"refused": "permintaan sesi tidak lengkap"})
                    continue
                if code_stamp() != self.code:
                    send(self.sock, {"stale": "kode latsar berubah"})
                    return
                try:
                    course = self.current_course()
                except LatsarError as exc:
                    send(self.sock, {"refused": exc.message})
                    continue
                send(self.sock, {"pid": self.fork(fds, facts, course)})
            finally:
                for fd in fds:
                    os.close(fd)

    def fork(self, fds: list[int], facts: dict[str, Any], course: Any) -> int:
        offer_to_merge()  # again at each fork: a course loaded again may have mapped new memory
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            self.child(fds, facts, course)  # never returns
        return pid

    def child(self, fds: list[int], facts: dict[str, Any], course: Any) -> None:
        code = 1
        try:
            self.sock.close()
            for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            os.setsid()  # a session of its own: nothing sent to the parent's group reaches it
            for target, fd in zip((0, 1, 2), fds):
                os.dup2(fd, target)
                os.close(fd)
            import random

            random.seed()
            os.environ["COLUMNS"] = str(int(facts.get("width", 80)))
            os.environ["ROWS"] = str(int(facts.get("height", 24)))
            from latsar.tui.run import run_session

            code = run_session(course, self.db, str(facts.get("session", "")), str(facts.get("client", "")))
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)


def _reap(signum: int, frame: object) -> None:
    """Children that ended are waited for at once: no zombies."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    db = content = None
    rest = list(argv)
    while len(rest) > 1 and rest[0] in ("--db", "--content"):
        name, value = rest.pop(0), rest.pop(0)
        db, content = (value, content) if name == "--db" else (db, value)
    if len(rest) != 1 or not rest[0].isdigit():
        print("latsar.zygote: dijalankan oleh `latsar serve`, bukan langsung.", file=sys.stderr)
        return 2
    from latsar.server.forks import SESSION_ENVIRONMENT

    os.environ.update(SESSION_ENVIRONMENT)
    sock = socket.socket(fileno=int(rest[0]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C at the server: the server ends the sessions
    signal.signal(signal.SIGCHLD, _reap)
    gc.disable()
    preload()
    parent = Parent(sock, db, content)
    warm_up(parent.current_course())
    gc.collect()
    parent.kept = fill_holes()
    gc.freeze()  # what the children share is never walked (and so never copied) by their collector
    parent.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
