"""Problems found in a course pack, each reported as ``file:line: message``. Pure."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from latsar.errors import DataError


class Problem(Struct, frozen=True, order=True):
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(DataError):
    """The course pack has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0]
        more = f" (dan {len(self.problems) - 1} masalah lain)" if len(self.problems) > 1 else ""
        super().__init__(
            f"Materi tidak dapat dimuat: {first}{more}. Jalankan `latsar content check` untuk daftar lengkapnya."
        )


class Report:
    """Collects every problem of one pack, naming files relative to the pack's root.

    It also keeps what is left of the pack's reading budget (``budget`` bytes in all), so that a
    hostile pack cannot make the loader read without end.
    """

    def __init__(self, root: Path, budget: int) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.budget = budget

    def add(self, path: Path, line: int, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, max(line, 1), message))


def shown(value: object, limit: int = 60) -> str:
    """A value as it may appear inside a one-line message: short, without control characters."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = str(value)
    elif isinstance(value, list):
        return "[…]"
    elif isinstance(value, dict):
        return "{…}"
    else:
        return type(value).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"
