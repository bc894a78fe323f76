"""Sessions forked from one parent that has already imported everything (a zygote).

Starting a session as a new Python process costs about half a CPU-second (imports, the course,
Textual) and ~60 MB of memory of its own; a class arriving at once saturates two cores. So
`latsar serve` keeps one parent process (``latsar.zygote``) that has imported latsar, Textual
and SQLAlchemy and loaded the course, its garbage collector frozen, and asks it for each
browser session: the parent forks, and the child runs the session's app. The child starts in
milliseconds and shares the parent's pages until it writes to them.

The server talks to the parent over a Unix socket pair: a request carries the session's three
standard streams (pipes the server made, passed as file descriptors) and a few facts
(terminal size, the browser's address, the session's id); the answer is the child's pid, or
that the parent is stale (latsar's code changed on disk: it exits, and is made again). The
parent never opens the database: each child opens its own. When the server goes, the socket
closes and the parent leaves; each child sees its standard input close and ends, keeping
what its trainee did. A child that crashes harms nobody else; a parent that dies is made
again at the next session; and if no parent can be had, the session starts the slow way, as a
process of its own (``latsar session``).

This module is the server's side, and the wire format both sides share.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from typing import Any

from msgspec import Struct

log = logging.getLogger("latsar.serve")

MAX_MESSAGE = 64 * 1024
# Read by Textual when it is imported: every session speaks to a browser through latsar's driver.
SESSION_ENVIRONMENT = {
    "TEXTUAL_DRIVER": "latsar.tui.driver:SessionDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}


# glibc raises its mmap threshold to the size of the largest block freed: after the parent's
# first scrypt (16 MB), every child's scrypt would come from the heap and stay there, dirty,
# 16 MB a session. A fixed threshold sends big blocks to mmap, returned when freed.
MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(256 * 1024), "MALLOC_TRIM_THRESHOLD_": str(1024 * 1024)}


class Refused(Exception):
    """The session parent will not start this session: the sentence says why (a course pack
    with problems, say)."""


# -- the wire ---------------------------------------------------------------------------------------


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | tuple[int, ...] = ()) -> None:
    data = json.dumps(message).encode("utf-8")
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.sendall(data)


def receive(sock: socket.socket, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and the descriptors that came with it; (None, []) when the other side is gone."""
    data, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, max_fds)
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    try:
        message = json.loads(data)
    except ValueError:
        message = {}
    return (message if isinstance(message, dict) else {}), fds


# -- the server's side ------------------------------------------------------------------------------


class Streams(Struct, frozen=True):
    """A session's standard streams, as the server holds them."""

    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    stderr: asyncio.StreamReader
    pid: int | None  # the session's process, when it was forked


class Zygote:
    """The parent that forks sessions, as the server sees it: started on first use, made again
    when it has died or grown stale, bypassed (``None``) when it cannot be had."""

    def __init__(self, argv: list[str], environ: dict[str, str]) -> None:
        self.argv = argv  # the command that starts the parent: python -m latsar.zygote …
        self.environ = environ
        self._process: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._lock = asyncio.Lock()
        self.started = 0  # how many parents were made (the first, and each remade one)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                [*self.argv, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env={**self.environ, **MALLOC},
            )
        finally:
            theirs.close()
        self._sock = ours
        self.started += 1
        message, _ = receive(ours)  # "ready", once everything is imported
        if not message or not message.get("ready"):
            self.stop()
            raise OSError("the session parent did not start")

    def stop(self) -> None:
        if self._sock is not None:
            self._sock.close()  # the parent sees the socket close and leaves
            self._sock = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def _fork_blocking(self, fds: tuple[int, int, int], facts: dict[str, Any]) -> int | None:
        for _ in range(2):  # once more with a new parent, if this one died or grew stale
            self._ready_blocking()
            assert self._sock is not None
            try:
                send(self._sock, facts, fds)
                answer, _ = receive(self._sock)
            except OSError:
                answer = None
            if answer and isinstance(answer.get("pid"), int):
                return int(answer["pid"])
            if answer and answer.get("refused"):
                raise Refused(str(answer["refused"]))
            reason = (answer or {}).get("stale") or "the session parent is gone"
            log.info("session parent made again: %s", reason)
            self.stop()
        return None

    def _ready_blocking(self) -> None:
        if self._sock is None or self.pid is None:
            self.stop()
            self._start()

    async def prepare(self) -> None:
        """Start the parent now (the server has just opened), so the first trainee does not wait
        for it; sessions asked for meanwhile wait for it."""
        async with self._lock:
            try:
                await asyncio.to_thread(self._ready_blocking)
            except OSError as exc:
                log.warning("no session parent: %s; sessions start as processes of their own", exc)

    async def fork(self, fds: tuple[int, int, int], facts: dict[str, Any]) -> int | None:
        """A session forked with these standard streams (stdin's read end, stdout's and stderr's
        write ends); its pid, or None when no parent could fork it."""
        async with self._lock:
            try:
                return await asyncio.to_thread(self._fork_blocking, fds, facts)
            except OSError as exc:
                log.warning("no session parent: %s; sessions start as processes of their own", exc)
                return None


async def _pipes() -> tuple[tuple[int, int, int], asyncio.StreamWriter, asyncio.StreamReader, asyncio.StreamReader]:
    """Three pipes for a session's standard streams: the child's ends, and the server's, wrapped
    as asyncio streams."""
    loop = asyncio.get_running_loop()
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    for fd in (in_w, out_r, err_r):
        os.set_inheritable(fd, False)

    async def reader(fd: int) -> asyncio.StreamReader:
        stream = asyncio.StreamReader(limit=2**20, loop=loop)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream, loop=loop), os.fdopen(fd, "rb", 0))
        return stream

    transport, protocol = await loop.connect_write_pipe(lambda: asyncio.streams.FlowControlMixin(loop=loop), os.fdopen(in_w, "wb", 0))
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return (in_r, out_w, err_w), writer, await reader(out_r), await reader(err_r)


async def start_session(zygote: Zygote | None, facts: dict[str, Any], fallback: list[str], environ: dict[str, str]) -> Streams:
    """A session's app, forked by the zygote, else started as a process of its own (``fallback``)."""
    if zygote is not None:
        child_ends, stdin, stdout, stderr = await _pipes()
        try:
            pid = await zygote.fork(child_ends, facts)
        finally:
            for fd in child_ends:
                os.close(fd)  # the child has its own copies now (or there is no child)
        if pid is not None:
            return Streams(stdin, stdout, stderr, pid)
        stdin.close()
    process = await asyncio.create_subprocess_exec(
        *fallback, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=environ
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    return Streams(process.stdin, process.stdout, process.stderr, process.pid)


def zygote_argv(db: str | None, content: str | None) -> list[str]:
    argv = [sys.executable, "-m", "latsar.zygote"]
    if db:
        argv += ["--db", db]
    if content:
        argv += ["--content", content]
    return argv
