"""Reader: one section in a MarkdownViewer, with previous/next, reading time and place kept."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer, Static

from latsar.errors import Blocked


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Kembali", id="reader.back", tooltip="Kembali ke peta modul"),
        Binding("left_square_bracket,comma", "previous", "Sebelumnya", key_display="[", id="reader.prev", tooltip="Bagian sebelumnya"),
        Binding("right_square_bracket,full_stop", "next", "Berikutnya", key_display="]", id="reader.next", tooltip="Bagian berikutnya"),
        Binding("t", "toc", "Daftar isi", id="reader.toc", tooltip="Tampilkan atau sembunyikan daftar isi bagian"),
    ]

    def __init__(self, section_id: str) -> None:
        super().__init__()
        self.section_id = section_id
        self._opened_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="reader-title")
        yield MarkdownViewer("", show_table_of_contents=False, id="viewer", open_links=False)
        yield Static("", id="credit")
        yield Footer()

    @property
    def services(self):
        return self.app.services

    @property
    def viewer(self) -> MarkdownViewer:
        return self.query_one("#viewer", MarkdownViewer)

    def on_mount(self) -> None:
        self.viewer.show_table_of_contents = self.app.size.width >= 110
        self.show(self.section_id)

    def show(self, section_id: str) -> None:
        learner_id = self.app.learner_id

        def opened(section) -> None:
            self.section_id = section.id
            self._opened_at = time.monotonic()
            course = self.services.course
            part = course.part(section.part).title
            self.query_one("#reader-title", Static).update(section.title if part == section.title else f"{part}  ›  {section.title}")
            self.query_one("#credit", Static).update(f"Sumber: {section.source or course.credit}")
            self.sub_title = section.title
            self.run_worker(self._load(section.body, learner_id, section.id), exclusive=True, group="load")

        def refused(exc) -> None:
            self.notify(exc.message, title="Terkunci" if isinstance(exc, Blocked) else None, severity="warning", timeout=6)
            if not self.query_one("#reader-title", Static).content:
                self.dismiss()

        self.app.run_io(self.services.open_section, learner_id, section_id, done=opened, failed=refused)

    async def _load(self, body: str, learner_id, section_id: str) -> None:
        await self.viewer.document.update(body)
        self.viewer.scroll_home(animate=False)
        if learner_id is not None:
            self.app.run_io(self.services.section_position, learner_id, section_id, done=self._restore)
        self.viewer.document.focus()

    def _restore(self, position: float) -> None:
        if position > 0:
            self.viewer.scroll_to(y=position, animate=False)

    def save_place(self) -> None:
        learner_id = self.app.learner_id
        if learner_id is None:
            return
        seconds = int(time.monotonic() - self._opened_at)
        self.app.run_io(self.services.record_reading, learner_id, self.section_id, seconds, float(self.viewer.scroll_y))

    def _neighbour(self, step: int) -> str | None:
        order = [s.id for s in self.services.course.reading_order()]
        i = order.index(self.section_id) + step
        return order[i] if 0 <= i < len(order) else None

    def _go(self, step: int) -> None:
        target = self._neighbour(step)
        if target is None:
            self.notify("Ini bagian pertama." if step < 0 else "Ini bagian terakhir.", timeout=3)
            return
        self.save_place()
        self.show(target)

    def action_previous(self) -> None:
        self._go(-1)

    def action_next(self) -> None:
        self._go(+1)

    def action_toc(self) -> None:
        self.viewer.show_table_of_contents = not self.viewer.show_table_of_contents

    def action_back(self) -> None:
        self.save_place()
        self.dismiss()
