"""The footer of latsar's screens: compact, help first, every key shown at any width.

Textual's footer is one row that cuts what does not fit (at 60 columns the map lost
"u Peserta" and the reader "t Daftar isi") and shows the palette key only where it has room. This
one lays the same keys out in as many rows as they need (two at 60 columns), never cutting a key
in two, and always ends with the palette's key. Each key is still Textual's ``FooterKey``: a
click or a tap presses it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey

# First in every screen's bindings, so "F1 Bantuan" is the first key shown at any width.
# F1 and not ?: in a text field ? is typed (the app binds ? too, hidden, for everywhere else).
HELP = Binding("f1", "app.help", "Bantuan", key_display="F1", id="help", tooltip="Tombol dan aturan aplikasi")
MAX_ROWS = 3


def rows(widths: list[int], room: int) -> list[list[int]]:
    """The keys (by index) of each row: as many as fit in ``room`` columns, in order."""
    out: list[list[int]] = [[]]
    used = 0
    for i, width in enumerate(widths):
        if out[-1] and used + width > room:
            out.append([])
            used = 0
        out[-1].append(i)
        used += width
    return out


class LatsarFooter(Footer):
    # Its style is in latsar.tcss: the map has a footer, and nothing is parsed before the map.

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._laid_out_for = 0
        self._height = 0
        self._shown: tuple[object, ...] | None = None  # the keys the footer was composed with

    def _keys(self) -> Iterator[tuple[FooterKey, int]]:
        """The screen's shown keys (one per action), then the palette's, with their widths."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        shown = [(b, enabled, tooltip) for (_, b, enabled, tooltip) in active.values() if b.show]
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            shown.append((palette.binding, palette.enabled, palette.tooltip))
        for binding, enabled, tooltip in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            display = self.app.get_key_display(binding)
            key = FooterKey(binding.key, display, binding.description, binding.action, disabled=not enabled, tooltip=tooltip)
            # compact: "key description", then a margin of one
            yield key.data_bind(compact=Footer.compact), cell_len(display) + (1 + cell_len(binding.description) if binding.description else 0) + 1

    def _signature(self) -> tuple[object, ...]:
        """What the keys shown depend on: each binding's key, words and state."""
        return tuple((b.key, b.action, b.description, b.show, enabled, tooltip) for (_, b, enabled, tooltip) in self.screen.active_bindings.values())

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual composes the footer again at every change of the screen's bindings (a dozen
        times while the first screen comes up); this one only when the keys shown changed."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._signature() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = self._signature()
        keys = list(self._keys())
        room = self.size.width or self.app.size.width
        self._laid_out_for = room
        laid_out = rows([w for _, w in keys], room + 1)[:MAX_ROWS]  # the last key needs no margin
        for row in laid_out:
            yield HorizontalGroup(*(keys[i][0] for i in row), classes="footer-row")

    def _keep_highlights(self) -> None:
        """What was highlighted in a list above stays in view once the footer took its rows."""
        for option_list in self.screen.query(OptionList):
            option_list.scroll_to_highlight()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_for and self._bindings_ready and self.screen.is_active:
            self.refresh(recompose=True)
        if event.size.height != self._height:  # the screen above is shorter or taller now
            self._height = event.size.height
            self.call_after_refresh(self._keep_highlights)
