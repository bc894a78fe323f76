"""Search (/ in the reader): the words typed, found in the section being read and then in the
rest of the module the trainee may open, listed by section; Enter opens the section at the match.

The search itself is the services' (``Reading.search``): sections the gate keeps closed are not
searched, so nothing of them shows before they open.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.scalar import Scalar
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from latsar.course.search import Match
from latsar.tui.base import Form, LatsarModal
from latsar.tui.widgets.choice import hanging
from latsar.tui.widgets.fields import Field

ROWS = 14  # the results' height where there is room
KEEP = 3  # rows the dialog leaves to the reader: its title bar above, its footer (two rows when narrow) below


class Results(OptionList):
    """The matches; once laid out (shown, filled, resized) fitted to the room on the screen."""

    def on_resize(self) -> None:
        if isinstance(self.screen, SearchDialog):
            self.screen.fit()


class SearchDialog(Form, LatsarModal[Match | None]):
    BINDINGS = [Binding("escape", "cancel", "Batal", key_display="Esc")]
    ERROR = "#search-said"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current  # the section being read: its matches first
        self.matches: list[Match] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="search"):
            yield Static("Cari di modul: ketik kata, lalu Enter. ↓ ke hasil, Enter membuka. Esc batal.", id="dialog-text")
            yield Field(placeholder="Kata yang dicari", id="search", max_length=80)
            yield Static("", id="search-said", markup=False)
            yield Results(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).display = False
        self.set_focus(self.query_one("#search", Input))

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """The results as tall as the room the rest of the dialog leaves between the reader's
        title bar and its footer (the words above them wrap more on a narrow screen), at most
        ``ROWS``: the dialog fits whole on the screen and the results scroll."""
        results = self.query_one("#search-results", OptionList)
        if not results.display:
            return
        rest = self.query_one("#dialog").outer_size.height - results.outer_size.height
        rows = max(3, min(ROWS, self.size.height - KEEP - rest))
        if results.styles.max_height != Scalar.from_number(rows):
            results.styles.max_height = rows

    def entered(self, field: Input) -> None:
        query = field.value.strip()
        if not query:
            self.fail("Ketik kata yang dicari dulu.", field)
            return
        self.io(self.latsar.current_trainee().reading.search, query, self.current, done=lambda found: self._show(query, found))

    def _show(self, query: str, found: list[Match]) -> None:
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        self.matches = found
        course = self.services.course
        here = sum(1 for m in found if m.section_id == self.current)
        if not found:
            self.fail(f"“{query}” tidak ditemukan di bagian yang sudah terbuka.", self.query_one("#search", Input))
            results.display = False
            return
        self.query_one("#search-said", Static).update(f"“{query}”: {here} di bagian ini, {len(found) - here} di bagian lain.")
        last = None
        for i, match in enumerate(found):
            if match.section_id != last:
                title = course.section(match.section_id).title
                results.add_option(Option(Text(title + ("  (bagian ini)" if match.section_id == self.current else ""), style="bold"), disabled=True))
                last = match.section_id
            results.add_option(Option(hanging(Text("  "), Text(match.snippet)), id=str(i)))
        results.display = True
        results.highlighted = 1  # the first match, below its section's title

    def on_key(self, event: events.Key) -> None:
        """↓ from the field goes to the results, on the first. The key stops here: left to bubble,
        the app would look for its binding along the focus chain, now the results', and move on
        to the second."""
        results = self.query_one("#search-results", OptionList)
        if event.key == "down" and isinstance(self.focused, Input) and results.display:
            event.stop()
            event.prevent_default()
            self.set_focus(results)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.matches[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
