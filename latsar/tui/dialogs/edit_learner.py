"""Correct a learner's record from the instructor view: name, NIP, cohort, instansi. Keyboard only:
Tab between the fields, Enter saves, Esc cancels. Checked as `latsar learner edit` checks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from latsar.errors import LatsarError
from latsar.services import Instructor
from latsar.services.instructor.records import Edited
from latsar.services.values import LearnerInfo
from latsar.tui.base import Form, LatsarModal
from latsar.tui.widgets.fields import Field

FIELDS = (("name", "Nama"), ("nip", "NIP"), ("cohort", "Angkatan"), ("instansi", "Instansi"))


class EditLearnerDialog(Form, LatsarModal[Edited | None]):
    BINDINGS = [Binding("escape", "cancel", "Batal")]
    ERROR = "#edit-error"

    def __init__(self, instructor: Instructor, learner: LearnerInfo) -> None:
        super().__init__()
        self.instructor = instructor
        self.learner = learner

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                f"Ubah data peserta (id {self.learner.id})\n\nTab pindah kolom, Enter simpan, Esc batal. "
                "NIP, angkatan, atau instansi yang dikosongkan akan dihapus.",
                id="dialog-text",
            )
            with Grid(id="edit-grid"):
                for field, label in FIELDS:
                    yield Label(label)
                    yield Field(value=getattr(self.learner, field) or "", id=f"edit-{field}")
            yield Static("", id="edit-error", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#edit-name", Input))

    def entered(self, field: Input) -> None:
        values = {name: self.query_one(f"#edit-{name}", Input).value for name, _ in FIELDS}

        def failed(exc: LatsarError) -> None:
            self.fail(exc.message, field)

        self.io(self.instructor.records.edit, self.learner.id, *values.values(), done=self.dismiss, failed=failed)

    def action_cancel(self) -> None:
        self.dismiss(None)
