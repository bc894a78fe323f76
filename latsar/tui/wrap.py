"""Where a line of the TUI may wrap: between facts, never inside one.

"Dibaca: 2/23 bagian" or "terbaik 7/10 (70%)" broken over two lines reads as two facts. A fact
is written with no-break spaces (``keep``) and shown through ``Kept``: Textual and Rich both
break a line at any Unicode space, the no-break one too, so ``Kept`` finds the breaks with those
hidden and shows them as plain spaces. Layout only: the words themselves come from ``Voice``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

NBSP = "\u00a0"
DOT = " · "
_HOLD = "\ue000"  # a private-use character, one cell wide, no space to a line breaker
_UNIT = re.compile(r"[^ \t\n]+")
_CLAUSE = re.compile(r"(?<=[:;.]) ")
_WORD = re.compile(r"\S+\s*")  # a word and the spaces after it (held units contain no space)


def keep(phrase: str) -> str:
    """``phrase`` as one unit: it moves to the next line whole rather than break."""
    return phrase.replace(" ", NBSP)


def facts(*parts: str | None, sep: str = DOT) -> str:
    """Facts joined by ``sep``: a line breaks after a separator, never inside a fact."""
    return sep.join(keep(p) for p in parts if p)


def keep_facts(line: str, sep: str = DOT) -> str:
    """A line Voice wrote as facts joined by ``sep``, each fact kept whole."""
    return facts(*line.split(sep), sep=sep)


def clauses(message: str) -> str:
    """A message whose clauses (after ":", ";" or ".") each stay whole: "NIP '12345' tidak sah:" /
    "NIP harus 18 angka, bukan 5.", never "…, bukan" / "5."."""
    return " ".join(keep(clause) for clause in _CLAUSE.split(message))


def held(text: Text, width: int) -> Text:
    """``text`` with each no-break unit that fits in ``width`` made one word for a line breaker
    (a copy; ``release`` gives the spaces back to the lines made of it)."""

    if NBSP not in text.plain:
        return text
    copy = text.copy()
    copy.plain = _held(copy.plain, width)
    return copy


def release(line: Text) -> Text:
    """A line made of ``held`` text, its units' spaces plain spaces again."""
    if _HOLD in line.plain or NBSP in line.plain:
        line.plain = line.plain.replace(_HOLD, " ").replace(NBSP, " ")
    return line


def _held(plain: str, width: int) -> str:
    """``plain`` with the no-break spaces of each unit that fits in ``width`` hidden from a line
    breaker; the same length, so every style stays on its characters."""

    def hold(unit: re.Match[str]) -> str:
        return unit.group().replace(NBSP, _HOLD) if cell_len(unit.group()) <= width else unit.group()

    return _UNIT.sub(hold, plain)


def line_starts(plain: str, width: int) -> list[int]:
    """Where each line after the first starts when ``plain`` is wrapped greedily at its spaces
    into lines of ``width`` cells; a word wider than a line is cut at the width."""
    starts: list[int] = []
    used = 0
    for m in _WORD.finditer(plain):
        word, at = m.group(), m.start()
        size = cell_len(word.rstrip())
        if used and used + size > width:
            starts.append(at)
            used = 0
        if size > width:
            for i, char in enumerate(word.rstrip()):
                if used + cell_len(char) > width:
                    starts.append(at + i)
                    used = 0
                used += cell_len(char)
            used += cell_len(word) - size
            continue
        used += cell_len(word)
    return starts


class Kept(Visual):
    """``text`` wrapped at its ordinary spaces only; a unit wider than the whole line wraps at its
    words as any text would. Its ``plain`` (and ``str``) is the text with plain spaces."""

    def __init__(self, text: Text | str) -> None:
        self.text = Text(text) if isinstance(text, str) else text
        content = Content.from_rich_text(self.text)
        self.content = Content(content.plain.replace(NBSP, " "), list(content.spans))
        self._wrapped: dict[int, Content] = {}

    @property
    def plain(self) -> str:
        return self.content.plain

    def __str__(self) -> str:
        return self.plain

    def wrapped(self, width: int) -> Content:
        """The text in lines of at most ``width`` cells, each fact whole where it fits."""
        width = max(1, width)
        if (done := self._wrapped.get(width)) is not None:
            return done

        lines: list[Content] = []
        for raw, line in zip(self.text.plain.split("\n"), self.content.split("\n", allow_blank=True), strict=True):
            offsets = line_starts(_held(raw, width), width)
            lines += [part.rstrip() for part in line.divide(offsets)]
        self._wrapped[width] = done = Content("\n").join(lines)
        return done

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.wrapped(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.wrapped(width).get_height(rules, width)
