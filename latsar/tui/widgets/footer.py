"""The footer of latsar's screens: compact, help first, the palette key only where it fits."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Footer

PALETTE_FROM = 100  # narrower terminals keep the footer for the screen's own keys (Ctrl+P still works)

# First in every screen's bindings, so "F1 Bantuan" is the first key shown at any width.
# F1 and not ?: in a text field ? is typed (the app binds ? too, hidden, for everywhere else).
HELP = Binding("f1", "app.help", "Bantuan", key_display="F1", id="help", tooltip="Tombol dan aturan aplikasi")


class LatsarFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_FROM
