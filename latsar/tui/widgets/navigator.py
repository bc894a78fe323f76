"""The quiz navigator: one cell per question, showing answered, flagged and current."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

CELL = 5  # "›10●⚑": current, number, answered, flagged


class QuestionNavigator(Widget):
    """Numbers 1..N; ● answered, ⚑ flagged (both when both), › current. Readable without colour."""

    current: reactive[int] = reactive(0)

    class Jump(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, count: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.count = count
        self.answered: set[int] = set()
        self.flagged: set[int] = set()

    def set_state(self, answered: set[int], flagged: set[int], current: int) -> None:
        self.answered, self.flagged = answered, flagged
        self.current = current
        self.refresh()

    def render(self) -> Text:
        text = Text()
        for i in range(self.count):
            cell = f"{'›' if i == self.current else ' '}{i + 1:>2}{'●' if i in self.answered else ' '}{'⚑' if i in self.flagged else ' '}"
            if i == self.current:
                text.append(cell, style="reverse bold")
            else:
                text.append(cell, style="bold" if i in self.answered else "dim")
        return text

    def on_click(self, event: events.Click) -> None:
        index = event.x // CELL
        if 0 <= index < self.count:
            self.post_message(self.Jump(index))
