"""Ask for the instructor passphrase (checked with scrypt; guessing slowed by the guard).

The box to type it in is mounted only once the dialog knows a passphrase exists. Keys that arrive
with F2 in one burst (the passphrase and Enter, typed fast or delayed by the network) are held
until then and given to the box in order, never to the field below; an Enter among them submits
what was typed before it, and an empty one is refused like any other. Without a passphrase the
dialog says how to make one, drops what it held, and nothing here can open the view.
"""

from __future__ import annotations

from textual import events
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

    def __init__(self) -> None:
        super().__init__()
        self._held: list[events.Key] | None = []  # keys typed before the box existed (None: it exists, or never will)

    def hold(self, keys: list[events.Key]) -> None:
        """Keys typed with the key that opened the dialog, before it was on top: first in line.
        An Esc among them cancels, as it does typed slowly."""
        if any(k.key == "escape" for k in keys):
            self._held = None
            self.app.call_later(self.dismiss, None)  # awaited by the app, not by this screen
        elif self._held is not None:
            self._held[:0] = keys

    def on_mount(self) -> None:
        self.io(self.services.passphrase.exists, done=self.known)

    def on_key(self, event: events.Key) -> None:
        if self._held is not None and event.key != "escape":  # Esc cancels at once
            event.stop()
            event.prevent_default()
            self._held.append(event)

    def known(self, exists: bool) -> None:
        held, self._held = self._held or [], None
        if not exists:
            self.query_one("#passphrase-error", Static).update(NONE_YET)
            return
        box = Field(password=True, placeholder="Kata sandi pengampu", id="passphrase", max_length=200)
        self.query_one("#dialog", Vertical).mount(box, before="#passphrase-error")
        self.set_focus(box)
        for key in held:  # queued behind the box's own mounting, in the order typed
            box.post_message(events.Key(key.key, key.character))

    def entered(self, field: Input) -> None:
        value = self.secret_from(field, "Ketik kata sandi pengampu dulu.")
        if value is not None:
            self.io(self.services.instructor, value, done=self.dismiss, failed=self.refusal_at(field))

    def action_cancel(self) -> None:
        self.dismiss(None)
