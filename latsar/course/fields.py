"""Typed reading of TOML tables: "a required string / integer / list of strings, or a problem at
file:line" is written once here. Pure: standard library and msgspec only.

``tomllib`` hands back plain ``dict``/``list`` values of any type; everything the loader keeps
goes through a ``Kind`` that narrows it with ``isinstance`` or says what it should have been.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Generic, TypeVar

from msgspec import Struct

from latsar.course.problems import Report
from latsar.course.source import Lines, parse_toml, read_text

T = TypeVar("T")


class Kind(Struct, Generic[T], frozen=True):
    """What a value must be: ``convert`` gives it typed, or None when it is not."""

    name: str  # completes "'key' harus ...", in Bahasa Indonesia
    convert: Callable[[object], T | None]
    empty: T  # stands in for a value that was missing or wrong


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _any_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _texts(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _file_name(value: object) -> str | None:
    """A path relative to, and inside, the pack's folder for the course."""
    name = _text(value)
    if name is None or "\0" in name or len(name) > 255:
        return None
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.drive or pure.root or ".." in pure.parts:
            return None
    return name


def integer(low: int | None = None, high: int | None = None) -> Kind[int]:
    """An integer (never a boolean) between ``low`` and ``high``, both included when given."""

    def convert(value: object) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            return None
        return value

    name = "bilangan bulat"
    if low is not None:
        name += f" {low}–{high}" if high is not None else f" ≥ {low}"
    return Kind(name, convert, low or 0)


def choice(options: tuple[str, ...]) -> Kind[str]:
    """One of ``options``, as text."""

    def convert(value: object) -> str | None:
        return value if isinstance(value, str) and value in options else None

    return Kind(f"salah satu dari: {', '.join(options)}", convert, options[0])


TEXT: Kind[str] = Kind("teks yang tidak kosong", _text, "")
ANY_TEXT: Kind[str] = Kind("teks", _any_text, "")
FLAG: Kind[bool] = Kind("true atau false", _flag, False)
TEXTS: Kind[tuple[str, ...]] = Kind("daftar teks", _texts, ())
FILE_NAME: Kind[str] = Kind("nama berkas di dalam folder kursus (tanpa '..' atau jalur mutlak)", _file_name, "")
INTEGER = integer()


class Fields:
    """One TOML table, read field by field. Problems go to the report at the field's line.

    ``ok`` turns False at the first problem, so a parser reads every field (reporting all
    problems at once) and builds its object only if ``ok`` is still True.
    """

    def __init__(self, doc: Document, data: Mapping[str, object], table: str = "", index: int = 0, prefix: str = "") -> None:
        self.doc = doc
        self.data = data
        self.table = table
        self.index = index
        self.prefix = prefix
        self.ok = True

    def line(self, key: str | None = None) -> int:
        return self.doc.lines.of(self.table, self.index, key)

    def say(self, message: str) -> str:
        return f"{self.prefix}: {message}" if self.prefix else message

    def problem(self, key: str | None, message: str) -> None:
        """Report ``message`` as it stands, at the line of ``key`` (or of the table)."""
        self.ok = False
        self.doc.report.add(self.doc.path, self.line(key), message)

    def fail(self, key: str | None, message: str) -> None:
        """Report ``message`` after this table's prefix."""
        self.problem(key, self.say(message))

    def has(self, key: str) -> bool:
        return key in self.data

    def required(self, key: str, kind: Kind[T], invalid: str | None = None) -> T:
        if key not in self.data:
            self.fail(None, f"kolom wajib '{key}' tidak ada")
            return kind.empty
        value = self._convert(key, kind, invalid)
        return kind.empty if value is None else value

    def optional(self, key: str, kind: Kind[T], default: T, invalid: str | None = None) -> T:
        if key not in self.data:
            return default
        value = self._convert(key, kind, invalid)
        return default if value is None else value

    def _convert(self, key: str, kind: Kind[T], invalid: str | None) -> T | None:
        value = kind.convert(self.data[key])
        if value is None:
            self.fail(key, invalid or f"'{key}' harus {kind.name}")
        return value


class Document:
    """A parsed TOML file with the line of each key, and the report its problems go to."""

    def __init__(self, report: Report, path: Path, data: dict[str, Any], lines: Lines) -> None:
        self.report = report
        self.path = path
        self.data = data
        self.lines = lines

    def problem(self, line: int, message: str) -> None:
        self.report.add(self.path, line, message)

    def fields(self, data: Mapping[str, object], table: str = "", index: int = 0, prefix: str = "") -> Fields:
        return Fields(self, data, table, index, prefix)

    def table(self, name: str, required: bool = True) -> Mapping[str, object] | None:
        """The table ``[name]``; None (reported when wrong, or missing but required) otherwise."""
        value = self.data.get(name)
        if isinstance(value, dict):
            return value
        if value is not None:
            self.problem(self.lines.of(name, 0), f"[{name}] harus berupa tabel")
        elif required:
            self.problem(1, f"tabel [{name}] tidak ada")
        return None

    def tables(self, name: str, label: Callable[[int], str]) -> list[tuple[int, Mapping[str, object]]]:
        """The entries of ``[[name]]`` with their index; a value that is not a table is reported."""
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.problem(self.lines.of(name, 0), f"'{name}' harus berupa daftar tabel [[{name}]]")
            return []
        entries: list[tuple[int, Mapping[str, object]]] = []
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                entries.append((i, entry))
            else:
                self.problem(self.lines.of(name, i), f"{label(i)}: bukan tabel")
        return entries


def load_document(report: Report, path: Path, limit: int) -> Document | None:
    """The TOML file ``path`` (a regular file of at most ``limit`` bytes), or None if reported."""
    text = read_text(report, path, limit)
    data = parse_toml(report, path, text) if text is not None else None
    if text is None or data is None:
        return None
    return Document(report, path, data, Lines(text))
