"""The Rich consoles used by the plain terminal commands.

Every console here renders through ``Inert``: whatever a renderable holds (a pack's text, a
name, a file name), its text reaches the terminal without control characters
(``latsar.terminal.inert``); the styles Rich itself writes are untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.theme import Theme

from latsar.terminal import UNSAFE, inert

THEME = Theme({"ok": "bold green", "bad": "bold red", "dim": "dim", "key": "bold cyan", "title": "bold"})


class _Inert:
    """A renderable whose text segments are made inert (its control segments are Rich's own)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return _inert(console.render(self.renderable, options))


def _inert(segments: Iterable[Segment]) -> Iterator[Segment]:
    search = UNSAFE.search
    for segment in segments:
        if segment.control is None and search(segment.text) is not None:
            yield Segment(inert(segment.text), segment.style)
        else:
            yield segment


class Inert(RenderHook):
    """Installed on every console: each renderable printed goes through ``_Inert``."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Inert(r) for r in renderables]


def _console(**options: object) -> Console:
    console = Console(theme=THEME, highlight=False, **options)  # type: ignore[arg-type]
    console.push_render_hook(Inert())
    return console


def stdout() -> Console:
    return _console(soft_wrap=False)


def stderr() -> Console:
    return _console(stderr=True)


def option_line(letter: str, text: str) -> RenderableType:
    """An answer option: its letter, then its text, every wrapped line of which starts under
    the text (a long option wrapped to column 0, under the letters)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=0)
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text.assemble("   ", (f"{letter}.", "key"), " "), Text(text))
    return grid
