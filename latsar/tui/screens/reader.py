"""Reader: one section as Markdown, the module's contents beside it, time and place kept.

The end of the section is reached when the last line of its text is on the screen (at once when
the whole text fits); the note below the text does not count, so its growing never takes the end
away. Whether reaching it counts as reading it is the services' rule (the time its length needs
since it was opened). Reached too soon by scrolling there, the end says so (scrolled to the
bottom, the page follows the note down as far as the end stays in view) and counts by itself once
the time has passed with the end still on the screen. An end on the screen as the section opens
(a short text, the words searched for, the place kept) says only when it will count: the trainee
skimmed nothing to get there. The end of the page offers the section's check ("Cek pemahaman") and the next step in the module
map, or why it is locked.
"""

from __future__ import annotations

import time
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock
from textual.widgets.option_list import Option

from latsar.course import Course, Section
from latsar.course.search import Match
from latsar.services.presence import Activity
from latsar.services.presentation import Voice
from latsar.services.values import EntryKind, Progress, ReachedEnd, Target
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.messages import Open, OpenCheck
from latsar.tui.widgets.choice import choice
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.wrap import Kept, keep

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
        rows.append(Option(choice("  ", section.title), id=section.id))  # its mark comes with progress
    return rows


def marks(voice: Voice, progress: Progress) -> dict[str, str]:
    """Each section's mark in the contents: ✓ read, ◔ begun, ↻ restudy, ⊘ locked, blank unread."""
    symbols = {sid: voice.section(status).symbol for sid, status in progress.sections.items()}
    return {sid: " " if symbol == "·" else symbol for sid, symbol in symbols.items()}


def following(course: Course, section_id: str, step: int) -> Target | None:
    """What ``]`` (step 1) or ``[`` (step -1) opens: the next entry of the module map, an
    evaluation included (the map goes Rangkuman → Evaluasi → Umpan Balik); back, sections only."""
    entries = course.module_map()
    i = next(n for n, e in enumerate(entries) if e.kind == "section" and e.id == section_id)
    i += step
    while 0 <= i < len(entries):
        entry = entries[i]
        if entry.kind == "section" or step > 0:
            return Target(EntryKind(entry.kind), entry.id)
        i += step
    return None


class ReaderScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("reader")
    BINDINGS = [
        HELP,
        Binding("escape", "back", "Kembali", key_display="Esc", id="reader.back", tooltip="Kembali ke peta modul"),
        Binding("left_square_bracket,comma", "previous", "Sebelumnya", key_display="[", id="reader.prev", tooltip="Bagian sebelumnya"),
        Binding("right_square_bracket,full_stop", "next", "Berikutnya", key_display="]", id="reader.next", tooltip="Berikutnya di peta modul (juga evaluasi)"),
        Binding("c", "check", "Cek", id="reader.check", tooltip="Soal singkat tentang bagian ini (tidak dinilai)"),
        Binding("slash", "search", "Cari", key_display="/", id="reader.search", tooltip="Cari kata di bagian ini dan di seluruh modul"),
        Binding("t", "toc", "Daftar isi", id="reader.toc", tooltip="Tampilkan atau sembunyikan daftar isi modul"),
    ]

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.READING, self.section.id

    def __init__(self, section: Section) -> None:
        super().__init__()
        self.section = section
        self._opened_at = time.monotonic()
        self._laid_out = False  # the document of this section is laid out
        self._completed = False  # its end was reached while on screen
        self.marks: dict[str, str] = {}  # section id -> its mark in the contents, once progress is read
        self.progress: Progress | None = None
        self._position: float | None = None  # the saved place, until it can be restored
        self._asking = False  # the services are deciding whether the end reached counts
        self._early: ReachedEnd | None = None  # the end was reached too soon: how soon
        self._pending: ReachedEnd | None = None  # ... but it was on the screen from the start: when it counts
        self._placed = 0.0  # where the reader put the page (top, the place kept, the words searched for)
        self._follow = False  # a new note grows the page below the end the trainee went to: show it
        self._wait: Timer | None = None  # until the end, still on the screen, counts
        self._seek: int | None = None  # the line to show once laid out (opened from a search)
        self._seek_after_open: int | None = None  # ... for the section being opened
        self._from_search = False

    @property
    def section_id(self) -> str:
        return self.section.id

    @property
    def completed(self) -> bool:
        return self._completed

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="reader-title", markup=False)
        with Horizontal(id="reader"):
            yield OptionList(*contents(self.services.course), id="contents")
            with VerticalScroll(id="page"):
                yield Markdown(self.section.body, id="document", open_links=False)
                yield Static("", id="section-end")
        yield Static("", id="credit", markup=False)
        yield LatsarFooter()

    @property
    def page(self) -> VerticalScroll:
        return self.query_one("#page", VerticalScroll)

    @property
    def document(self) -> Markdown:
        return self.query_one("#document", Markdown)

    def on_mount(self) -> None:
        self.query_one("#contents", OptionList).display = self.app.size.width >= WIDE
        self.watch(self.page, "scroll_y", self._check_end, init=False)
        self.watch(self.page, "virtual_size", self._grown, init=False)
        self._shown(self.section)
        self.page.focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._check_end)

    def _shown(self, section: Section) -> None:
        """Titles, credit, end of page and place for the section now on the page."""
        self.section = section
        self._opened_at = time.monotonic()
        course = self.services.course
        part = course.part(section.part).title
        # The part and "› title" each stay whole: on a narrow screen "› title" goes below.
        crumbs = Kept(f"{keep(part)}  {keep(f'› {section.title}')}") if part != section.title else section.title
        self.query_one("#reader-title", Static).update(crumbs)
        self.query_one("#credit", Static).update(f"Sumber: {section.source or course.credit}")
        self.sub_title = section.title
        toc = self.query_one("#contents", OptionList)
        toc.highlighted = toc.get_option_index(section.id)
        self._show_end()
        self.refresh_bindings()
        self.io(self.trainee.reading.position, section.id, done=self._restore)
        self._refresh_marks()

    def _refresh_marks(self) -> None:
        self.io(self.trainee.progress, done=self._mark)

    def _mark(self, progress: Progress) -> None:
        self.progress = progress
        self._show_end()
        toc = self.query_one("#contents", OptionList)
        listed = {option.id for option in toc.options}
        self.marks = marks(self.services.voice, progress)
        for sid, symbol in self.marks.items():
            if sid in listed:  # a wrapped title stays under its text, not under the mark
                toc.replace_option_prompt(sid, choice(f"{symbol} ", self.services.course.section(sid).title))

    def _show_end(self) -> None:
        """The end of the page: whether it counted, the section's check, what comes next."""
        voice = self.services.voice
        course = self.services.course
        text = Text()
        if self._completed:
            text.append(voice.section_read(), style="bold")
        elif self._early is not None:
            text.append(voice.section_skimmed(self._early, "tercatat sendiri bila akhir ini masih di layar setelah waktu itu"), style="bold")
        elif self._pending is not None:
            text.append(voice.section_counts_in(self._pending), style="italic")
        else:
            text.append(voice.section_unfinished(), style="italic")
        checks = course.checks_for(self.section.id)
        if checks:
            text.append(f"\nc  {voice.check_offer(len(checks))}")
        text.append(self._next_line())
        text.append("\nEsc  Kembali ke peta modul")
        self.query_one("#section-end", Static).update(text)

    def _next_line(self) -> str:
        """What ``]`` opens, or (a section of a part still locked) why it will not."""
        course = self.services.course
        target = following(course, self.section.id, +1)
        if target is None:
            return ""
        if target.kind is EntryKind.SECTION:
            status = self.progress.sections.get(target.id) if self.progress else None
            if status is not None and status.lock is not None:
                return f"\n⊘  Berikutnya terkunci: {self.services.voice.lock(status.lock)}"
            return f"\n]  Berikutnya: {course.section(target.id).title}"
        return f"\n]  Berikutnya: {course.evaluation(target.id).title}"

    # -- the end of the section -----------------------------------------------------------------

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        """The document is mounted; once it is laid out, restore the place and look for the end."""
        self.call_after_refresh(self._document_ready)

    def _document_ready(self) -> None:
        self._laid_out = True
        self.query_one("#contents", OptionList).scroll_to_highlight()  # laid out by now
        self._placed = self.page.scroll_y
        self._apply_position()
        self.call_after_refresh(self._check_end)

    def _restore(self, position: float) -> None:
        if self._from_search:  # opened at the words searched for, not at the place kept
            return
        self._position = position
        if self._laid_out:
            self._apply_position()

    def _apply_position(self) -> None:
        """Back to where the trainee stopped; from the top if they had reached the end; at the
        words searched for when the section was opened from a search."""
        position, self._position = self._position, None
        if self._seek is not None:
            line, self._seek = self._seek, None
            self._seek_to(line)
            return
        page = self.page
        if position is not None and 0 < position < page.max_scroll_y - 1:
            page.scroll_to(y=position, animate=False)
            self._placed = page.scroll_y

    def _text_end(self) -> int:
        """Where the section's text ends on the page (the row below its last line), the blank
        after the last block and the note below left out."""
        document = self.document
        end = document.virtual_region.bottom - document.styles.padding.bottom
        blocks = [block for block in document.children if block.display]
        if blocks:
            end -= blocks[-1].styles.margin.bottom
        return end

    def _seen(self) -> int:
        """How many rows of the page the screen shows (none while the contents take its place)."""
        return self.page.scrollable_content_region.height

    def _end_in_view(self) -> bool:
        """The last line of the section's text is on the screen, or was scrolled past."""
        return self._seen() > 0 and self.page.scroll_y + self._seen() >= self._text_end()

    def _unmoved(self) -> bool:
        """The end is where the section opened: its whole text fits on the screen, or the page
        is still where the reader put it (at the words searched for, at the place kept). The
        trainee skimmed nothing to get there."""
        return 0 < self._text_end() <= self._seen() or abs(self.page.scroll_y - self._placed) < 1

    def _check_end(self, *_: object) -> None:
        page = self.page
        if not self._laid_out or self._completed or self._asking or not page.virtual_size.height:
            return
        if self._end_in_view():
            self._asking = True
            self.io(self.trainee.reading.complete, self.section.id, done=partial(self._reached, self.section.id))

    def _reached(self, section_id: str, reached: ReachedEnd) -> None:
        """The services' answer about the end reached: read, or too soon (then wait, and look again)."""
        self._asking = False
        if section_id != self.section.id:  # about the section shown before this one: look at this one's end
            self.call_after_refresh(self._check_end)
            return
        if self._wait is not None:
            self._wait.stop()
            self._wait = None
        self._completed = reached.counted
        quiet = self._unmoved()  # there as it opened: say only when it counts
        noted = self._early is not None
        page = self.page
        to_bottom = max(page.scroll_y, page.scroll_target_y) >= page.max_scroll_y - 1  # End, or scrolled all the way
        self._early = None if reached.counted or quiet else reached
        self._pending = reached if not reached.counted and quiet else None
        if not reached.counted:
            self._wait = self.set_timer(reached.remaining + 0.5, self._check_end)
        if self._early is None:
            self._follow = False
        elif not noted and to_bottom:  # the new note grows the page below the end they went to
            self._follow = True  # (until it has grown: another look at the end meanwhile keeps it)
            self.call_after_refresh(self._show_note)  # and once the page has grown (_grown)
        self._show_end()
        self._refresh_marks()

    def _grown(self, *_: object) -> None:
        """The page grew (or shrank): if by the new note, show it (after a refresh the page may
        not have grown yet)."""
        if self._follow:
            self._follow = False
            self._show_note()

    def _show_note(self) -> None:
        """Scroll down to the note about the end reached too soon, as far as the last line of the
        text stays on the screen (that is where the end counts by itself). Once, as it appears:
        the end is looked at again at every move while it is in view, and scrolling back up from
        there is the trainee's."""
        page = self.page
        y = min(page.max_scroll_y, self._text_end() - 1)
        if y > page.scroll_y:
            page.scroll_to(y=y, animate=False)

    # -- moving about --------------------------------------------------------------------------------

    def show(self, section: Section) -> None:
        """Put another opened section on the page."""
        self.run_worker(self._load(section), exclusive=True, group="load")

    async def _load(self, section: Section) -> None:
        self._laid_out = self._completed = False
        self._position, self._early, self._pending, self._placed = None, None, None, 0.0
        self._follow = False
        self._seek, self._seek_after_open = self._seek_after_open, None
        self._from_search = self._seek is not None
        if self._wait is not None:
            self._wait.stop()
            self._wait = None
        self.page.scroll_home(animate=False)
        self._shown(section)
        await self.document.update(section.body)

    def save_state(self) -> None:
        seconds = int(time.monotonic() - self._opened_at)
        self.io(self.trainee.reading.record, self.section.id, seconds, float(self.page.scroll_y))

    def _open(self, section_id: str) -> None:
        self.save_state()
        self.io(self.trainee.reading.open, section_id, done=self.show)

    def _go(self, step: int) -> None:
        target = following(self.services.course, self.section.id, step)
        if target is None:
            self.notify("Ini bagian pertama." if step < 0 else "Ini bagian terakhir.", timeout=3, markup=False)
        elif target.kind is EntryKind.SECTION:
            self._open(target.id)
        else:
            self.save_state()
            self.post_message(Open(target))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.query_one("#reader").has_class("-contents-only"):
            self.action_toc()  # back to the page
        if event.option.id and event.option.id != self.section.id:
            self._open(event.option.id)

    def action_previous(self) -> None:
        self._go(-1)

    def action_next(self) -> None:
        self._go(+1)

    def action_search(self) -> None:
        from latsar.tui.dialogs.search import SearchDialog

        self.app.push_screen(SearchDialog(self.section.id), self._found)

    def _found(self, match: Match | None) -> None:
        if match is None:
            return
        if match.section_id == self.section.id:
            self._seek_to(match.line)
        else:
            self._seek_after_open = match.line
            self._open(match.section_id)

    def _seek_to(self, line: int) -> None:
        """Scroll the page to the block of the section's Markdown that holds ``line``."""
        blocks = [b for b in self.document.query(MarkdownBlock) if b.source_range[0] <= line < max(b.source_range[1], b.source_range[0] + 1)]
        if blocks:
            self.page.scroll_to_widget(blocks[-1], animate=False, top=True, immediate=True)
            self._placed = self.page.scroll_y

    def action_check(self) -> None:
        """The section's check; a section without one says so (c did nothing, silently)."""
        if self.services.course.checks_for(self.section.id):
            self.post_message(OpenCheck(self.section.id))
        else:
            self.notify(self.services.voice.no_check(), timeout=4, markup=False)

    def action_toc(self) -> None:
        """Show or hide the contents; where the terminal is narrow they take the page's place."""
        toc = self.query_one("#contents", OptionList)
        toc.display = not toc.display
        self.query_one("#reader").set_class(toc.display and self.app.size.width < WIDE, "-contents-only")
        (toc if toc.display else self.page).focus()

    def action_back(self) -> None:
        """Back to the map; from the contents that ``t`` put in the page's place, back to the page."""
        if self.query_one("#reader").has_class("-contents-only"):
            self.action_toc()
            return
        self.save_state()
        self.dismiss()
