"""How far a long import has come, on one line of stderr rewritten in place.

Only in a terminal (a script's stderr gets its one-sentence errors and nothing else), and only
once the work has taken longer than ``DELAY``: a quick import prints nothing more than before.
Every other line the command prints goes through ``say``, which clears the progress line first.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")
DELAY = 1.0  # seconds before the first progress line
EVERY = 0.2  # seconds between two redraws


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Ticker:
    def __init__(self, what: str, total: int | None = None, stream: IO[str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self.total = total
        self.count = 0
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = clock()
        self.drawn_at: float | None = None
        self.shown = 0  # characters of the progress line on screen now
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.note = ""

    def tick(self, n: int = 1) -> None:
        self.count += n
        self._draw()

    def each(self, items: Iterable[T], then: str = "") -> Iterator[T]:
        """``items``, counted as they pass; once they are all read, ``then`` says what comes next."""
        for item in items:
            self.count += 1
            if self.count % 256 == 0:
                self._draw()
            yield item
        if then:
            self.note = then
            self._draw(force=True)

    def say(self, text: str, err: bool = False) -> None:
        """A line of the command's own output, the progress line cleared first."""
        self.clear()
        print(text, file=sys.stderr if err else sys.stdout, flush=True)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0

    def _draw(self, force: bool = False) -> None:
        if not self.live:
            return
        now = self.clock()
        if now - self.start < DELAY or (not force and self.drawn_at is not None and now - self.drawn_at < EVERY):
            return
        done = _number(self.count) + (f"/{_number(self.total)}" if self.total else "")
        line = f"latsar: {self.what} {done}" + (f"; {self.note}" if self.note else "") + "…"
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown, self.drawn_at = len(line), now
