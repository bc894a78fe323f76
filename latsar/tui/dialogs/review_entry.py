"""The coach's review of one journal entry: the entry in full (with earlier versions and
verdicts), a comment, and a verdict. Keyboard only: type the comment, Enter (or Tab) to the
buttons, Enter on "Sesuai" or on "Perlu diperbaiki"; Esc leaves without a verdict. A comment is
required to ask for improvement (the services say so)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from latsar.assessment.journal import MAX_COMMENT, Verdict
from latsar.errors import LatsarError
from latsar.services import Instructor
from latsar.services.journal import EntryDetail
from latsar.tui.base import Form, LatsarModal
from latsar.tui.screens.journal import entry_text
from latsar.tui.widgets.fields import Field


class ReviewDialog(Form, LatsarModal[EntryDetail | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Batal"),
        Binding("pagedown", "scroll(True)", "Gulir", show=False, priority=True),
        Binding("pageup", "scroll(False)", "Naik", show=False, priority=True),
    ]
    ERROR = "#review-error"

    def __init__(self, instructor: Instructor, entry: EntryDetail) -> None:
        super().__init__()
        self.instructor = instructor
        self.entry = entry

    def compose(self) -> ComposeResult:
        r = self.entry.record
        who = r.name + (f" ({r.nip})" if r.nip else "") + (f", {r.cohort}" if r.cohort else "")
        with Vertical(id="dialog", classes="review"):
            yield Static(f"Tinjau jurnal: {who}", id="dialog-text", markup=False)
            with VerticalScroll(id="review-text"):
                yield Static(entry_text(self.services.voice, r, self.entry))
            yield Field(placeholder="Komentar untuk peserta (wajib bila perlu diperbaiki)", id="review-comment", max_length=MAX_COMMENT)
            yield Static("", id="review-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Sesuai", id="review-sesuai", variant="success")
                yield Button("Perlu diperbaiki", id="review-perbaiki", variant="warning")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#review-comment", Input))

    def entered(self, field: Input) -> None:
        self.set_focus(self.query_one("#review-sesuai", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        verdict = Verdict.SESUAI if event.button.id == "review-sesuai" else Verdict.PERLU_DIPERBAIKI
        comment = self.query_one("#review-comment", Input)

        def failed(exc: LatsarError) -> None:
            self.fail(exc.message, comment)

        self.io(self.instructor.journal.review, self.entry.record.id, self.entry.record.version, verdict, comment.value, done=self.dismiss, failed=failed)

    def action_scroll(self, down: bool) -> None:
        box = self.query_one("#review-text", VerticalScroll)
        if down:
            box.scroll_page_down()
        else:
            box.scroll_page_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
