"""Ask for the instructor passphrase (checked with scrypt; locked after repeated failures)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from latsar.errors import LatsarError
from latsar.services import Instructor
from latsar.tui.base import LatsarModal


class PassphraseDialog(LatsarModal[Instructor | None]):
    BINDINGS = [Binding("escape", "cancel", "Batal")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Tampilan pengampu\n\nMasukkan kata sandi pengampu, lalu Enter. Esc untuk batal.", id="dialog-text")
            yield Input(password=True, placeholder="Kata sandi pengampu", id="passphrase")
            yield Static("", id="passphrase-error", markup=False)

    def on_mount(self) -> None:
        def known(exists: bool) -> None:
            if not exists:
                self.query_one("#passphrase", Input).display = False
                self.query_one("#passphrase-error", Static).update(
                    "Kata sandi pengampu belum dibuat. Buat di terminal dengan: latsar instructor passphrase"
                )
            else:
                self.query_one("#passphrase", Input).focus()

        self.latsar.run_io(self.services.passphrase.exists, done=known)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value
        event.input.value = ""
        error = self.query_one("#passphrase-error", Static)

        def checked(instructor: Instructor) -> None:
            self.dismiss(instructor)

        def refused(exc: LatsarError) -> None:
            error.update(exc.message)

        self.latsar.run_io(self.services.instructor, value, done=checked, failed=refused)

    def action_cancel(self) -> None:
        self.dismiss(None)
