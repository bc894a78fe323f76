"""A form's text field that keeps a fast typist's keys in the right field.

A key reaches the focused widget's own queue when the app receives it; Textual's Enter and Tab
bindings run only after the key has bubbled up to the app, and a focus change after that.
Keys typed in between (a fast typist, a password manager, a congested network delivering
NIP, Tab, PIN and Enter in one burst) would land in the field just left: a PIN drawn in clear
in the NIP field. `Field` moves the focus itself, in order with the characters before it —
Tab and Shift+Tab to the next or previous stop, Enter through its screen (a `Form`) — and
passes on any key that reaches it after the focus has moved, to where it would have gone typed
slowly. Editing keys (Backspace, Delete, Home, End, the arrows, Ctrl+A/E/K/U/W) are bindings too,
run after the characters typed behind them: "12345", five Backspaces and a new NIP in one burst
left "123451992031520190". `Field` runs them itself, in order.

A key that opens a screen above the form (F2 on the login: the passphrase dialog, a form's
``DOORS``) is a binding too, run after the keys typed behind it: a passphrase typed with F2 was
drawn in the NIP field. `Field` runs it itself, in order, and holds what follows for the screen it
opens (`Form.release`); a key that still reaches it once that screen is on top goes there.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from latsar.tui.base import Form

# Input's bindings that edit the text or move the cursor (clipboard keys and Enter are not here).
EDITING = frozenset(
    {
        "cursor_left",
        "cursor_right",
        "cursor_left_word",
        "cursor_right_word",
        "delete_left",
        "delete_right",
        "delete_left_word",
        "delete_right_word",
        "delete_left_all",
        "delete_right_all",
        "home",
        "end",
        "select_all",
    }
)


class Field(Input):
    def _editing(self, key: str) -> str | None:
        """The editing action bound to ``key`` on this field, if any."""
        for binding in self._bindings.key_to_bindings.get(key, []):
            if binding.action.split("(", 1)[0] in EDITING:
                return binding.action
        return None

    def _door(self, key: str) -> str:
        """The action the screen binds to ``key``."""
        return next(b.action for b in self.screen._bindings.key_to_bindings.get(key, []))

    async def _through_a_door(self, event: events.Key) -> bool:
        """A key that opens a screen above the form, or one typed behind it: handled (True)."""
        screen, top = self.screen, self.app.screen
        form = screen if isinstance(screen, Form) else None
        if form is not None and form.held is not None:  # typed after a door, before it opened
            form.held.append(event)
        elif top is not screen:  # typed after a door that has opened
            (top.focused or top).post_message(events.Key(event.key, event.character))
        elif form is not None and event.key in form.DOORS:
            form.held = []
            await self.app.run_action(self._door(event.key), screen)
        else:
            return False
        event.stop()
        event.prevent_default()
        return True

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        focused = screen.focused
        if await self._through_a_door(event):
            return
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
        elif not event.is_printable and (action := self._editing(event.key)) is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        else:
            await super()._on_key(event)
