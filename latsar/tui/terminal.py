"""The TUI's one place where text meets the terminal: a Textual line filter.

Every line a widget renders passes through the app's line filters on its way to the terminal
(or, in a classroom session, the browser's xterm.js). ``InertText`` removes what a terminal
would obey from each segment's text (``latsar.terminal.inert``): nothing that came from a
course pack, a name or a file name can clear the screen, move the cursor or retitle the window.
The cells stay as Textual measured them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter

from latsar.terminal import UNSAFE, inert


class InertText(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        search = UNSAFE.search
        if not any(search(s.text) for s in segments):
            return segments
        return [s if s.control or search(s.text) is None else Segment(inert(s.text), s.style) for s in segments]


INERT = InertText()  # one instance: Textual caches filtered lines by filter


def line_filters(app: App[Any]) -> Sequence[LineFilter]:
    """Textual's own filters (colour, NO_COLOR), then ``INERT``: ``LatsarApp.get_line_filters``."""
    return [*App.get_line_filters(app), INERT]
