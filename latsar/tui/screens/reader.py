"""Reader: one section in a MarkdownViewer, with previous/next, reading time and place kept."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, MarkdownViewer, Static

from latsar.course import Section
from latsar.tui.base import LatsarScreen


class ReaderScreen(LatsarScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Kembali", id="reader.back", tooltip="Kembali ke peta modul"),
        Binding("left_square_bracket,comma", "previous", "Sebelumnya", key_display="[", id="reader.prev", tooltip="Bagian sebelumnya"),
        Binding("right_square_bracket,full_stop", "next", "Berikutnya", key_display="]", id="reader.next", tooltip="Bagian berikutnya"),
        Binding("t", "toc", "Daftar isi", id="reader.toc", tooltip="Tampilkan atau sembunyikan daftar isi bagian"),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__()
        self.section = section
        self._opened_at = time.monotonic()

    @property
    def section_id(self) -> str:
        return self.section.id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="reader-title")
        yield MarkdownViewer("", show_table_of_contents=False, id="viewer", open_links=False)
        yield Static("", id="credit")
        yield Footer()

    @property
    def viewer(self) -> MarkdownViewer:
        return self.query_one("#viewer", MarkdownViewer)

    def on_mount(self) -> None:
        self.viewer.show_table_of_contents = self.app.size.width >= 110
        self.show(self.section)

    def show(self, section: Section) -> None:
        """Show an opened section (the services marked it read)."""
        self.section = section
        self._opened_at = time.monotonic()
        course = self.services.course
        part = course.part(section.part).title
        self.query_one("#reader-title", Static).update(section.title if part == section.title else f"{part}  ›  {section.title}")
        self.query_one("#credit", Static).update(f"Sumber: {section.source or course.credit}")
        self.sub_title = section.title
        self.run_worker(self._load(section), exclusive=True, group="load")

    async def _load(self, section: Section) -> None:
        await self.viewer.document.update(section.body)
        self.viewer.scroll_home(animate=False)
        self.latsar.run_io(self.trainee.reading.position, section.id, done=self._restore)
        self.viewer.document.focus()

    def _restore(self, position: float) -> None:
        if position > 0:
            self.viewer.scroll_to(y=position, animate=False)

    def save_state(self) -> None:
        seconds = int(time.monotonic() - self._opened_at)
        self.latsar.run_io(self.trainee.reading.record, self.section.id, seconds, float(self.viewer.scroll_y))

    def _neighbour(self, step: int) -> str | None:
        order = [s.id for s in self.services.course.reading_order()]
        i = order.index(self.section.id) + step
        return order[i] if 0 <= i < len(order) else None

    def _go(self, step: int) -> None:
        target = self._neighbour(step)
        if target is None:
            self.notify("Ini bagian pertama." if step < 0 else "Ini bagian terakhir.", timeout=3)
            return
        self.save_state()
        self.latsar.run_io(self.trainee.reading.open, target, done=self.show)

    def action_previous(self) -> None:
        self._go(-1)

    def action_next(self) -> None:
        self._go(+1)

    def action_toc(self) -> None:
        self.viewer.show_table_of_contents = not self.viewer.show_table_of_contents

    def action_back(self) -> None:
        self.save_state()
        self.dismiss()
