"""Paging long output in a terminal: `less` when there is one, else a few lines at a time.

Only when standard output is a terminal and the text is taller than it; piped output is
printed as it is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from typing import IO, TextIO

from rich.console import Console

PROMPT = "-- Enter: lanjut · q: selesai --"


def page(out: Console, render: Callable[[Console], None], stdin: TextIO | None = None) -> None:
    """Print what ``render`` prints to ``out``, one screen at a time when ``out`` is a terminal."""
    if not out.is_terminal:
        render(out)
        return
    with out.capture() as captured:
        render(out)
    text = captured.get()
    lines = text.splitlines(keepends=True)
    height = max(out.height - 1, 5)
    if len(lines) <= height:
        out.file.write(text)
        out.file.flush()
        return
    less = shutil.which("less")
    if less:
        # -R colours, -F quit at once if it fits, -X leave the text on screen, -K quit on Ctrl+C
        subprocess.run([less, "-RFXK"], input=text.encode(), check=False)
        return
    builtin_pager(lines, height, out.file, stdin or sys.stdin)


def builtin_pager(lines: list[str], height: int, file: IO[str], stdin: TextIO) -> None:
    """A screen of lines, then wait for Enter (q stops); where no `less` is installed."""
    for start in range(0, len(lines), height):
        file.writelines(lines[start : start + height])
        file.flush()
        if start + height >= len(lines):
            return
        file.write(PROMPT)
        file.flush()
        answer = stdin.readline()
        if answer == "" or answer.strip().lower() in ("q", "keluar"):
            file.write("\n")
            return
