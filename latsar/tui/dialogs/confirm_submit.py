"""Confirm submitting an attempt; lists unanswered and flagged questions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from latsar.tui.base import LatsarModal


class ConfirmSubmit(LatsarModal[bool]):
    BINDINGS = [
        Binding("escape,n", "cancel", "Kembali"),
        Binding("y", "confirm", "Kumpulkan"),
    ]

    def __init__(self, title: str, unanswered: list[int], flagged: list[int], total: int) -> None:
        super().__init__()
        self.title_text = title
        self.unanswered = unanswered
        self.flagged = flagged
        self.total = total

    def compose(self) -> ComposeResult:
        lines = [f"Kumpulkan {self.title_text}?"]
        if self.unanswered:
            numbers = ", ".join(map(str, self.unanswered))
            lines.append(f"Belum dijawab ({len(self.unanswered)} dari {self.total}): soal {numbers}. Soal kosong dihitung salah.")
        else:
            lines.append(f"Semua {self.total} soal sudah dijawab.")
        if self.flagged:
            lines.append(f"Ditandai untuk ditinjau: soal {', '.join(map(str, self.flagged))}.")
        lines.append("Setelah dikumpulkan, jawaban tidak dapat diubah.")
        with Vertical(id="dialog"):
            yield Static("\n\n".join(lines), id="dialog-text")
            with Horizontal(id="dialog-buttons"):
                yield Button("Kumpulkan (y)", id="yes", variant="primary")
                yield Button("Kembali (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.unanswered else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
