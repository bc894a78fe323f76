"""A form's text field that keeps a fast typist's keys in the right field.

A key reaches the focused widget's own queue when the app receives it; Textual's Enter and Tab
bindings run only after the key has bubbled up to the app, and a focus change after that.
Keys typed in between (a fast typist, a password manager, a congested network delivering
NIP, Tab, PIN and Enter in one burst) would land in the field just left: a PIN drawn in clear
in the NIP field. `Field` moves the focus itself, in order with the characters before it —
Tab and Shift+Tab to the next or previous stop, Enter through its screen (a `Form`) — and
passes on any key that reaches it after the focus has moved, to where it would have gone typed
slowly.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from latsar.tui.base import Form


class Field(Input):
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        focused = screen.focused
        if focused is not None and focused is not self:  # typed after a key that moved on
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        elif event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                screen.focus_next()
            else:
                screen.focus_previous()
        elif event.key == "enter" and isinstance(screen, Form):
            event.stop()
            event.prevent_default()
            screen.entered(self)
        else:
            await super()._on_key(event)
