"""Ask for the instructor passphrase (checked with scrypt; locked after repeated failures)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PassphraseDialog(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Batal")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Tampilan pengampu\n\nMasukkan kata sandi pengampu, lalu Enter. Esc untuk batal.", id="dialog-text")
            yield Input(password=True, placeholder="Kata sandi pengampu", id="passphrase")
            yield Static("", id="passphrase-error")

    def on_mount(self) -> None:
        from latsar.services.instructor import has_passphrase

        def known(exists: bool) -> None:
            if not exists:
                self.query_one("#passphrase", Input).display = False
                self.query_one("#passphrase-error", Static).update(
                    "Kata sandi pengampu belum dibuat. Buat di terminal dengan: latsar instructor passphrase"
                )
            else:
                self.query_one("#passphrase", Input).focus()

        self.app.run_io(has_passphrase, self.app.services, done=known)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from latsar.services.instructor import check_passphrase

        value = event.value
        event.input.value = ""
        error = self.query_one("#passphrase-error", Static)

        def checked(ok: bool) -> None:
            if ok:
                self.dismiss(True)
            else:
                error.update("Kata sandi salah.")

        self.app.run_io(check_passphrase, self.app.services, value, done=checked, failed=lambda exc: error.update(exc.message))

    def action_cancel(self) -> None:
        self.dismiss(False)
