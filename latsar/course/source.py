"""Reading the files of a course pack defensively. Pure: standard library only.

A pack may come from anyone (``--content DIR``), so a file is read only when it is a regular
file of sensible size: a FIFO is never opened (it would block), a device or a symlink loop is
refused, and a huge file is refused without being read whole. Every refusal is a problem.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from latsar.course.problems import Report, shown
from latsar.errors import os_reason

KIB = 1024
MIB = 1024 * KIB
SECTION_LIMIT = MIB  # a section's Markdown file
BANK_LIMIT = MIB  # a question bank
MANIFEST_LIMIT = 64 * KIB  # course.toml
PACK_LIMIT = 16 * MIB  # every file of a pack together
MAX_SECTIONS = 1000  # section files in content/<course>/

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # never wait on a FIFO swapped in after the check
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_TOML_POS = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column \d+\)$", re.DOTALL)
_HEADER = re.compile(r"^\[\[?\s*(?P<name>[^\]]*?)\s*\]")
_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*=")


def _bytes(n: int) -> str:
    return f"{n:,} bita".replace(",", ".")


def os_problem(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be read, in words a trainee understands."""
    if exc.errno == errno.ELOOP:
        return "tautan simbolik berputar (loop); berkas tidak dapat dibaca"
    if isinstance(exc, FileNotFoundError):
        return "tautan simbolik rusak: tujuannya tidak ada" if os.path.islink(path) else "berkas tidak ditemukan"
    if isinstance(exc, PermissionError):
        return "berkas tidak boleh dibaca (izin ditolak)"
    return f"berkas tidak dapat dibaca ({os_reason(exc)})"


def _mode_problem(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "ini sebuah folder, bukan berkas"
    if not stat.S_ISREG(mode):
        return "bukan berkas biasa (misalnya pipa bernama atau perangkat); tidak dibaca"
    return None


def _size_problem(size: int, limit: int) -> str | None:
    if size > limit:
        return f"berkas terlalu besar ({_bytes(size)}; batasnya {_bytes(limit)})"
    return None


def _refusal(path: Path, limit: int) -> str | None:
    """Why ``path`` must not be read, judged by ``os.stat`` before anything opens it."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return os_problem(path, exc)
    except ValueError:  # an embedded NUL character in the name
        return "nama berkas tidak sah"
    return _mode_problem(info.st_mode) or _size_problem(info.st_size, limit)


def _read_regular(path: Path, limit: int) -> bytes | str:
    """At most ``limit + 1`` bytes of a regular file, or why it cannot be read."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return os_problem(path, exc)
    with os.fdopen(fd, "rb") as handle:
        refused = _mode_problem(os.fstat(fd).st_mode)
        return refused if refused else handle.read(limit + 1)


def _decode(report: Report, path: Path, data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        report.add(path, 1, "berkas diawali BOM (tanda urutan bita); simpan sebagai UTF-8 tanpa BOM")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(path, data.count(b"\n", 0, exc.start) + 1, "berkas bukan teks UTF-8")
        return None
    if not text.strip():
        report.add(path, 1, "berkas kosong")
        return None
    found = _CONTROL.search(text)  # at C speed: a character-by-character scan cost ~10 ms of every start
    control = found.start() if found else None
    if control is not None:
        # ANSI/OSC escapes and the like would reach the trainee's terminal: never shown.
        report.add(path, text.count("\n", 0, control) + 1, f"karakter kendali U+{ord(text[control]):04X} tidak boleh ada di paket materi")
        return None
    return text


# C0 controls except tab, newline and carriage return; DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _spend(report: Report, size: int) -> str | None:
    """Take ``size`` bytes from the pack's reading budget, or say that the pack is too big."""
    if size > report.budget:
        return f"paket materi terlalu besar: semua berkasnya bersama melebihi {_bytes(PACK_LIMIT)}"
    report.budget -= size
    return None


def read_text(report: Report, path: Path, limit: int) -> str | None:
    """The UTF-8 text of the regular file ``path``, or None after reporting why not."""
    refused = _refusal(path, limit)
    data = _read_regular(path, limit) if refused is None else refused
    if isinstance(data, bytes):
        refused = _size_problem(len(data), limit) or _spend(report, len(data))
        if refused is None:
            return _decode(report, path, data)
        data = refused
    report.add(path, 1, data)
    return None


def parse_toml(report: Report, path: Path, text: str, offset: int = 0) -> dict[str, Any] | None:
    """``text`` parsed as TOML, or None after reporting where it is not valid. A control
    character that TOML's escapes put into a key or a value (``\\u001b``, ``\\u009b``,
    ``\\b``, ``\\r``…) is reported at its key's line; the data is still returned, so that the
    file's other problems are reported too."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.match(str(exc))
        if m:
            report.add(path, int(m.group("line")) + offset, f"TOML tidak sah: {m.group('msg')}")
        else:
            report.add(path, 1 + offset, f"TOML tidak sah: {exc}")
    except RecursionError:
        report.add(path, 1 + offset, "TOML tidak sah: susunan bertingkat terlalu dalam")
    except ValueError as exc:  # e.g. an integer longer than Python converts
        report.add(path, 1 + offset, f"TOML tidak sah: {str(exc)[:120]}")
    else:
        if "\\" in text:  # raw control characters were refused with the file; only an escape puts one in
            try:
                _control_in_values(report, path, data, Lines(text, offset))
            except RecursionError:
                report.add(path, 1 + offset, "TOML tidak sah: susunan bertingkat terlalu dalam")
        return data
    return None


# In a TOML value a newline and a tab are text; every other C0 control (carriage return
# included: it would rewrite the line on screen), DEL and the C1 controls are not.
_VALUE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _control_in_values(report: Report, path: Path, data: dict[str, Any], lines: Lines) -> None:
    """Report every key and string value of ``data`` that holds a control character."""

    def check(text: str, line: int, key: str) -> None:
        found = _VALUE_CONTROL.search(text)
        if found is not None:
            code = ord(found.group())
            report.add(path, line, f"'{shown(key, 40)}': karakter kendali U+{code:04X} tidak boleh ada di paket materi (juga bila ditulis sebagai escape TOML, mis. \\u{code:04x})")

    def value(node: object, table: str, index: int, key: str) -> None:
        if isinstance(node, str):
            check(node, lines.of(table, index, key), key)
        elif isinstance(node, list):
            for item in node:
                value(item, table, index, key)
        elif isinstance(node, dict):
            for k, v in node.items():
                check(k, lines.of(table, index, key), k)
                value(v, table, index, key)

    def table_(node: dict[str, Any], table: str, index: int) -> None:
        for k, v in node.items():
            check(k, lines.of(table, index, k), k)
            inner = f"{table}.{k}" if table else k
            if isinstance(v, dict) and (inner, 0) in lines.tables:
                table_(v, inner, 0)
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and (inner, 0) in lines.tables:
                for i, x in enumerate(v):
                    table_(x, inner, i)
            else:
                value(v, table, index, k)

    table_(data, "", 0)


class Lines:
    """Where each ``key =`` of a TOML text stands, by table and array-table index.

    A light scan, not a parser: good enough to point a problem at the right line.
    """

    def __init__(self, text: str, offset: int = 0) -> None:
        self.keys: dict[tuple[str, int, str], int] = {}
        self.tables: dict[tuple[str, int], int] = {}
        self._counts: dict[str, int] = {}
        table, index = "", 0
        for n, raw in enumerate(text.split("\n"), start=1 + offset):  # not splitlines(): U+2028 in a value is no line
            line = raw.strip()
            header = _HEADER.match(line)
            if header:
                table, index = self._enter(header.group("name"), line.startswith("[["), n)
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((table, index, key.group(1)), n)

    def _enter(self, table: str, array: bool, n: int) -> tuple[str, int]:
        index = self._counts.get(table, 0) if array else 0
        if array:
            self._counts[table] = index + 1
        self.tables.setdefault((table, index), n)
        return table, index

    def of(self, table: str, index: int, key: str | None = None) -> int:
        """The line of ``key`` in a table, else of the table's header, else of ``table =``, else 1."""
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        if (table, index) in self.tables:
            return self.tables[(table, index)]
        return self.keys.get(("", 0, table), 1)
