"""The quiz navigator: one cell per question, showing answered, flagged and current."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class QuestionNavigator(Widget):
    """Numbers 1..N; ● answered, ⚑ flagged, [n] current. Readable without colour."""

    current: reactive[int] = reactive(0)

    class Jump(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, count: int, **kwargs) -> None:
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
            mark = "⚑" if i in self.flagged else ("●" if i in self.answered else " ")
            cell = f"{i + 1:>2}{mark}"
            if i == self.current:
                text.append(f"[{cell}]", style="reverse bold")
            else:
                style = "bold" if i in self.answered else "dim"
                text.append(f" {cell} ", style=style)
        return text

    def on_click(self, event) -> None:
        index = event.x // 5
        if 0 <= index < self.count:
            self.post_message(self.Jump(index))
