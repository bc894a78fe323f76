"""A form's text field that keeps a fast typist's keys in the right field.

A key reaches the focused widget's own queue when the app receives it; Textual's Enter binding
runs only after the key has bubbled up to the app, and a focus change after that. Keys typed in
between would land in the field just left. `Field` handles Enter itself, in order with the
characters before it, lets its screen (a `Form`) move the focus at once, and passes on any
character that reaches it after the focus has moved.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from latsar.tui.base import Form


class Field(Input):
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        focused = screen.focused
        if focused is not None and focused is not self:  # typed after an Enter that moved on
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        elif event.key == "enter" and isinstance(screen, Form):
            event.stop()
            event.prevent_default()
            screen.entered(self)
        else:
            await super()._on_key(event)
