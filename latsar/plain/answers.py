"""Reading answers in a plain terminal: a letter (or its number) per line, from a person or a script."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console

from latsar.errors import UsageError

STOP_WORDS = {"q", "keluar"}


def parse_choice(raw: str, letters: tuple[str, ...]) -> str | None:
    """A letter or a 1-based number as one of ``letters``; None if it is neither."""
    text = raw.strip().lower().rstrip(".)")
    if text in letters:
        return text
    if text.isdigit() and 1 <= int(text) <= len(letters):
        return letters[int(text) - 1]
    return None


class Stop(Exception):
    """The person typed q: stop here; every answer given is saved."""


class Answers:
    """Answers from standard input. On a terminal a wrong entry is asked again; from a script
    it is refused with its line number, since nobody is there to answer again."""

    def __init__(self, stdin: TextIO, talk: Console) -> None:
        self.stdin = stdin
        self.talk = talk
        self.interactive = stdin.isatty()
        self.line_no = 0

    def line(self, prompt: str) -> str | None:
        """One line typed in answer to ``prompt`` (a yes/no question); None when input ended."""
        self.talk.print(prompt, end="")
        raw = self.stdin.readline()
        self.line_no += 1
        return None if raw == "" else raw

    def read(self, letters: tuple[str, ...], saved: str) -> str | None:
        """The chosen letter; None when the input has ended. ``saved`` says what is kept."""
        while True:
            if self.interactive:
                self.talk.print("Jawaban: ", end="")
            raw = self.stdin.readline()
            self.line_no += 1
            if raw == "":
                return None
            if raw.strip().lower() in STOP_WORDS:
                raise Stop
            shown = parse_choice(raw, letters)
            if shown is not None:
                return shown
            if not self.interactive:
                raise UsageError(
                    f"Baris {self.line_no}: '{raw.strip()[:40]}' bukan jawaban; tulis satu huruf {letters[0]}–{letters[-1]} per baris. {saved}."
                )
            self.talk.print(f"[bad]Pilih {', '.join(letters)}.[/]")
