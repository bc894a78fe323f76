"""Ask for the instructor passphrase (checked with scrypt; guessing slowed by the guard).

The box to type it in is mounted only once the dialog knows a passphrase exists: a key that
arrives with F2 (Enter in the same burst) finds nothing to submit. Without a passphrase the
dialog says how to make one, and nothing here can open the view.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from latsar.services import Instructor
from latsar.tui.base import Form, LatsarModal
from latsar.tui.widgets.fields import Field

NONE_YET = "Kata sandi pengampu belum dibuat. Buat di terminal dengan: latsar instructor passphrase"


class PassphraseDialog(Form, LatsarModal[Instructor | None]):
    BINDINGS = [Binding("escape", "cancel", "Batal")]
    ERROR = "#passphrase-error"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Tampilan pengampu\n\nMasukkan kata sandi pengampu, lalu Enter. Esc untuk batal.", id="dialog-text")
            yield Static("", id="passphrase-error", markup=False)

    def on_mount(self) -> None:
        self.io(self.services.passphrase.exists, done=self.known)

    def known(self, exists: bool) -> None:
        if not exists:
            self.query_one("#passphrase-error", Static).update(NONE_YET)
            return
        box = Field(password=True, placeholder="Kata sandi pengampu", id="passphrase", max_length=200)
        self.query_one("#dialog", Vertical).mount(box, before="#passphrase-error")
        self.set_focus(box)

    def entered(self, field: Input) -> None:
        value = self.secret_from(field, "Ketik kata sandi pengampu dulu.")
        if value is not None:
            self.io(self.services.instructor, value, done=self.dismiss, failed=self.refusal_at(field))

    def action_cancel(self) -> None:
        self.dismiss(None)
