"""A classroom session that could not start (its database refused it, a PostgreSQL server with
every connection in use, say): the trainee's browser shows why, in the one sentence every
face gives for that fault, instead of a page that closes without a word."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.widgets import Static

SHOWN_FOR = 120.0  # seconds; then the session ends by itself and frees its place in the class


class Unavailable(App[None]):
    CSS = """
    Screen { align: center middle; }
    #why { width: auto; max-width: 64; padding: 1 2; border: round $error; }
    """
    BINDINGS = [Binding("enter", "quit", "Tutup"), Binding("escape", "quit", "Tutup", show=False)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, sentence: str) -> None:
        super().__init__()
        self.sentence = sentence
        self.title = "latsar"

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(f"Sesi belum dapat dimulai.\n\n{self.sentence}\n\nTekan Enter, lalu muat ulang halaman untuk mencoba lagi.", id="why", markup=False)

    def on_mount(self) -> None:
        self.set_timer(SHOWN_FOR, self.exit)
