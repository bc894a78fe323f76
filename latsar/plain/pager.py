"""Paging long output in a terminal, in Indonesian: a screen at a time, keys said on the last row.

Only when standard output is a terminal; piped output is printed as it is. latsar pages itself
(no `less`, whose prompt is a bare ``:`` and whose help is English) so that it knows whether the
reader left from the last page: ``latsar read`` counts a section only when its end was reached.

Keys: Spasi/PgDn next screen, Enter/↓ next line, b/PgUp back a screen, ↑ back a line, g/Home the
top, G/End the end, q/Esc stop, ? the keys. At the end, Enter (or q) finishes. Where keys cannot
be read one at a time (standard input is not a terminal), a line stands for a key: an empty line
is Spasi, ``q`` stops.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TextIO

from msgspec import Struct
from rich.console import Console

Keys = Callable[[], str | None]  # the next key's name ("space", "q", "end", …); None when input ended

HELP = (
    "Tombol",
    "",
    "  Spasi, PgDn, f      layar berikutnya",
    "  Enter, ↓, j         baris berikutnya",
    "  b, PgUp             layar sebelumnya",
    "  ↑, k                baris sebelumnya",
    "  g, Home             awal",
    "  G, End              akhir",
    "  q, Esc              berhenti",
    "  ?, h                tombol ini",
    "",
    "Di akhir, Enter atau q menyelesaikan.",
    "",
    "Tekan tombol apa saja untuk kembali.",
)
MOVES = {
    "space": "page",
    "pagedown": "page",
    "f": "page",
    "enter": "line",
    "down": "line",
    "j": "line",
    "b": "back",
    "pageup": "back",
    "up": "up",
    "k": "up",
    "g": "top",
    "home": "top",
    "G": "end",
    "end": "end",
    "q": "quit",
    "Q": "quit",
    "escape": "quit",
    "?": "help",
    "h": "help",
}
CLEAR = "\x1b[H\x1b[2J"


class Pager(Struct):
    """``lines`` shown ``height`` at a time on ``file``; ``run`` says whether the reader left at the end."""

    lines: list[str]
    height: int
    file: IO[str]
    keys: Keys
    width: int = 80
    top: int = 0

    @property
    def last_top(self) -> int:
        return max(0, len(self.lines) - self.height)

    @property
    def at_end(self) -> bool:
        return self.top >= self.last_top

    def prompt(self) -> str:
        if self.at_end:
            text = "Akhir · Enter/q: selesai · b: kembali · ?: tombol"
        else:
            shown = min(len(self.lines), self.top + self.height)
            text = f"{100 * shown // len(self.lines)}% · Spasi: lanjut · b: kembali · q: berhenti · ?: tombol"
        return f"\x1b[7m{text[: self.width - 1]}\x1b[0m"

    def draw(self, lines: list[str] | tuple[str, ...] | None = None) -> None:
        shown = lines if lines is not None else self.lines[self.top : self.top + self.height]
        self.file.write(CLEAR + "".join(line if line.endswith("\n") else line + "\n" for line in shown))
        self.file.write(self.prompt() if lines is None else "")
        self.file.flush()

    def run(self) -> bool:
        """Page until the reader stops (False) or finishes at the end (True)."""
        while True:
            self.draw()
            key = self.keys()
            if key is None:
                break
            move = MOVES.get(key, "")
            if move == "quit" or (move == "line" and key == "enter" and self.at_end):
                return self._leave(self.at_end)
            if move == "help":
                self.draw(HELP)
                if self.keys() is None:
                    break
                continue
            self.top = self._moved(move)
        return self._leave(False)

    def _moved(self, move: str) -> int:
        step = {"page": self.height, "line": 1, "back": -self.height, "up": -1}.get(move)
        if step is not None:
            return min(max(0, self.top + step), self.last_top)
        return {"top": 0, "end": self.last_top}.get(move, self.top)

    def _leave(self, finished: bool) -> bool:
        self.file.write("\r\x1b[2K")  # the prompt goes; the last screen stays
        self.file.flush()
        return finished


def page(out: Console, render: Callable[[Console], None], keys: Keys | None = None, stdin: TextIO | None = None) -> bool:
    """Print what ``render`` prints to ``out``, a screen at a time when ``out`` is a terminal.
    True when the reader left the pager at its last screen; False when they stopped before it,
    or when ``out`` is no terminal (printed whole, and nobody paged through it)."""
    if not out.is_terminal:
        render(out)
        return False
    with out.capture() as captured:
        render(out)
    lines = captured.get().splitlines(keepends=True)
    pager = Pager(lines, max(out.height - 1, 5), out.file, keys or (lambda: None), width=out.width)
    if keys is not None:
        return pager.run()
    source = stdin or sys.stdin
    with key_reader(source) as read:
        pager.keys = read
        return pager.run()


# -- keys, one at a time where the terminal allows -------------------------------------------------

SEQUENCES = {
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1b[5~": "pageup",
    "\x1b[6~": "pagedown",
    "\x1b[H": "home",
    "\x1b[F": "end",
    "\x1bOH": "home",
    "\x1bOF": "end",
    "\x1b[1~": "home",
    "\x1b[4~": "end",
    "\x1b": "escape",
    " ": "space",
    "\r": "enter",
    "\n": "enter",
}
WINDOWS = {"H": "up", "P": "down", "I": "pageup", "Q": "pagedown", "G": "home", "O": "end"}


def key_name(raw: str) -> str:
    return SEQUENCES.get(raw, raw[:1] if raw and not raw.startswith("\x1b") else "")


@contextmanager
def key_reader(stdin: TextIO) -> Iterator[Keys]:
    """Keys from the terminal one at a time (cbreak mode, restored after); a line at a time when
    standard input is not a terminal."""
    if not _isatty(stdin):
        yield lambda: line_key(stdin)
        return
    if os.name == "nt":  # pragma: no cover - Windows consoles
        yield _windows_key
        return
    import termios
    import tty

    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield lambda: _posix_key(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _isatty(stdin: TextIO) -> bool:
    try:
        return stdin.isatty()
    except (AttributeError, ValueError):
        return False


def line_key(stdin: TextIO) -> str | None:
    line = stdin.readline()
    if line == "":
        return None
    return line.strip() or "space"


def _posix_key(fd: int) -> str | None:
    raw = os.read(fd, 16)
    return key_name(raw.decode("utf-8", "replace")) if raw else None


def _windows_key() -> str | None:  # pragma: no cover - Windows consoles
    import msvcrt

    ch = msvcrt.getwch()  # type: ignore[attr-defined,unused-ignore]
    if ch in ("\x00", "\xe0"):
        return WINDOWS.get(msvcrt.getwch(), "")  # type: ignore[attr-defined,unused-ignore]
    if ch == "\x03":
        raise KeyboardInterrupt
    return key_name(ch)
