"""Ask a learner for their PIN before their record opens (a shared computer, or the classroom)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from latsar.errors import LatsarError
from latsar.services import Trainee
from latsar.services.values import LearnerInfo
from latsar.tui.base import Form, LatsarModal
from latsar.tui.widgets.fields import Field


class PinDialog(Form, LatsarModal[Trainee | None]):
    BINDINGS = [Binding("escape", "cancel", "Batal")]
    ERROR = "#pin-error"

    def __init__(self, learner: LearnerInfo) -> None:
        super().__init__()
        self.learner = learner

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"{self.learner.name} memakai PIN.\n\nMasukkan PIN, lalu Enter. Esc untuk batal.", id="dialog-text", markup=False)
            yield Field(password=True, placeholder="PIN", id="pin", restrict=r"[0-9]*", max_length=12)
            yield Static("", id="pin-error", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#pin", Input))

    def entered(self, field: Input) -> None:
        value = self.secret_from(field, "Ketik PIN dulu.")
        if value is not None:
            self.io(self.services.sign_in, self.learner.id, value, done=self.dismiss, failed=self.refusal_at(field))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChangePinDialog(Form, LatsarModal[bool]):
    """A trainee sets or changes their own PIN (the current one first, once there is one)."""

    BINDINGS = [Binding("escape", "cancel", "Batal")]
    ERROR = "#pin-error"

    def __init__(self, has_pin: bool) -> None:
        super().__init__()
        self.has_pin = has_pin

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Ganti PIN\n\nPIN 4–12 angka. Enter pindah kolom; Esc batal.", id="dialog-text")
            current = Field(password=True, placeholder="PIN sekarang", id="current", restrict=r"[0-9]*", max_length=12)
            current.display = self.has_pin
            yield current
            yield Field(password=True, placeholder="PIN baru", id="new", restrict=r"[0-9]*", max_length=12)
            yield Field(password=True, placeholder="Ulangi PIN baru", id="again", restrict=r"[0-9]*", max_length=12)
            yield Static("", id="pin-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#current" if self.has_pin else "#new", Input).focus()

    def entered(self, field: Input) -> None:
        order = [i for i in ("current", "new", "again") if self.query_one(f"#{i}", Input).display]
        index = order.index(field.id or "")
        if index + 1 < len(order):
            self.set_focus(self.query_one(f"#{order[index + 1]}", Input))
            return
        fields = [self.query_one(f"#{i}", Input) for i in order]
        new, again = self.query_one("#new", Input).value, self.query_one("#again", Input).value
        if new != again:
            self.fail("Kedua PIN baru tidak sama.", field, *fields)
            return
        current = self.query_one("#current", Input).value if self.has_pin else None

        def refused(exc: LatsarError) -> None:
            self.fail(exc.message, field, *fields)

        self.io(self.trainee_change, current, new, done=lambda _: self.dismiss(True), failed=refused)

    def trainee_change(self, current: str | None, new: str) -> None:
        self.latsar.current_trainee().change_pin(current, new)

    def action_cancel(self) -> None:
        self.dismiss(False)
