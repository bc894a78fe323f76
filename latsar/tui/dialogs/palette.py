"""The command palette, in the interface's language.

Textual's palette searches with an English placeholder and says "No matches found"; this one
speaks Indonesian. Textual is pinned exactly (pyproject.toml), and a test opens the palette and
reads its words, so a Textual upgrade that moves these internals fails loudly.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PLACEHOLDER = "Cari perintah…"
NO_MATCHES = "Tidak ada perintah yang cocok"


class Palette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
