"""Reader: one section as Markdown, the module's contents beside it, time and place kept."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from latsar.course import Course, Section
from latsar.tui.base import LatsarScreen

WIDE = 110  # from this width the contents stand beside the text


def contents(course: Course) -> list[Option | None]:
    """Every section of the module, under its part's title, in reading order."""
    rows: list[Option | None] = []
    part = None
    for section in course.reading_order():
        if section.part != part:
            part = section.part
            if rows:
                rows.append(None)
            rows.append(Option(Text(course.part(part).title, style="bold"), disabled=True))
        rows.append(Option(Text(f"  {section.title}"), id=section.id))
    return rows


class ReaderScreen(LatsarScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Kembali", id="reader.back", tooltip="Kembali ke peta modul"),
        Binding("left_square_bracket,comma", "previous", "Sebelumnya", key_display="[", id="reader.prev", tooltip="Bagian sebelumnya"),
        Binding("right_square_bracket,full_stop", "next", "Berikutnya", key_display="]", id="reader.next", tooltip="Bagian berikutnya"),
        Binding("t", "toc", "Daftar isi", id="reader.toc", tooltip="Tampilkan atau sembunyikan daftar isi modul"),
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
        with Horizontal(id="reader"):
            yield OptionList(*contents(self.services.course), id="contents")
            with VerticalScroll(id="page"):
                yield Markdown(self.section.body, id="document", open_links=False)
        yield Static("", id="credit")
        yield Footer()

    @property
    def page(self) -> VerticalScroll:
        return self.query_one("#page", VerticalScroll)

    @property
    def document(self) -> Markdown:
        return self.query_one("#document", Markdown)

    def on_mount(self) -> None:
        self.query_one("#contents", OptionList).display = self.app.size.width >= WIDE
        self._shown(self.section)
        self.page.focus()

    def _shown(self, section: Section) -> None:
        """Titles, credit and place for the section now on the page."""
        self.section = section
        self._opened_at = time.monotonic()
        course = self.services.course
        part = course.part(section.part).title
        self.query_one("#reader-title", Static).update(section.title if part == section.title else f"{part}  ›  {section.title}")
        self.query_one("#credit", Static).update(f"Sumber: {section.source or course.credit}")
        self.sub_title = section.title
        toc = self.query_one("#contents", OptionList)
        toc.highlighted = toc.get_option_index(section.id)
        self.latsar.run_io(self.trainee.reading.position, section.id, done=self._restore)

    def show(self, section: Section) -> None:
        """Put another opened section on the page (the services marked it read)."""
        self.run_worker(self._load(section), exclusive=True, group="load")

    async def _load(self, section: Section) -> None:
        await self.document.update(section.body)
        self.page.scroll_home(animate=False)
        self._shown(section)

    def _restore(self, position: float) -> None:
        if position > 0:
            self.call_after_refresh(self.page.scroll_to, y=position, animate=False)

    def save_state(self) -> None:
        seconds = int(time.monotonic() - self._opened_at)
        self.latsar.run_io(self.trainee.reading.record, self.section.id, seconds, float(self.page.scroll_y))

    def _open(self, section_id: str) -> None:
        self.save_state()
        self.latsar.run_io(self.trainee.reading.open, section_id, done=self.show)

    def _go(self, step: int) -> None:
        order = [s.id for s in self.services.course.reading_order()]
        i = order.index(self.section.id) + step
        if not 0 <= i < len(order):
            self.notify("Ini bagian pertama." if step < 0 else "Ini bagian terakhir.", timeout=3)
            return
        self._open(order[i])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != self.section.id:
            self._open(event.option.id)

    def action_previous(self) -> None:
        self._go(-1)

    def action_next(self) -> None:
        self._go(+1)

    def action_toc(self) -> None:
        toc = self.query_one("#contents", OptionList)
        toc.display = not toc.display
        (toc if toc.display else self.page).focus()

    def action_back(self) -> None:
        self.save_state()
        self.dismiss()
