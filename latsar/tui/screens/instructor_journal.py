"""The journal in the instructor's view: the coach's queue (entries waiting for a verdict, oldest
first; Enter reviews one) and "Berbagi pengalaman" (entries trainees chose to share, by
behaviour; the highlighted one in full, to pick for presentation in class)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from latsar.assessment.journal import EntryRecord, EntryStatus
from latsar.services.journal import FIELD_WORDS, EntryDetail
from latsar.services.presentation import Voice, format_time

if TYPE_CHECKING:
    from latsar.tui.screens.instructor import InstructorScreen


class _Pane(Vertical):
    """A tab of the instructor view: it asks the services through the view it sits in."""

    @property
    def owner(self) -> InstructorScreen:
        from latsar.tui.screens.instructor import InstructorScreen

        screen = self.screen
        assert isinstance(screen, InstructorScreen)
        return screen


class JournalQueue(_Pane):
    """Entries waiting for the coach, oldest first."""

    def __init__(self) -> None:
        super().__init__(id="journal-queue-pane")
        self.entries: list[EntryRecord] = []

    def compose(self) -> ComposeResult:
        yield Static("Memuat…", id="journal-queue-count", markup=False)
        yield DataTable(id="journal-queue", zebra_stripes=True, cursor_type="row", fixed_columns=1)

    def reload(self, cohort: str | None) -> None:
        self.owner.io(self.owner.instructor.journal.queue, cohort, done=self._show)

    def _show(self, entries: list[EntryRecord]) -> None:
        self.entries = entries
        voice = self.owner.services.voice
        table = self.query_one(DataTable)
        if not table.columns:
            table.add_columns("Nama", "Angkatan", "Perilaku", "Tanggal", "Versi", "Ditulis", "Situasi")
        cursor = table.cursor_row
        table.clear()
        for e in entries:
            table.add_row(
                Text(e.name),
                Text(e.cohort or "-"),
                voice.behaviour_short(e.content.behaviour),
                voice.day(e.content.happened_on),
                str(e.version),
                format_time(e.written_at),
                Text(e.content.situation[:50]),
            )
        if entries:
            table.move_cursor(row=min(cursor, len(entries) - 1))
        note = f"{len(entries)} entri menunggu tinjauan (yang terlama di atas) · Enter: tinjau" if entries else "Tidak ada entri yang menunggu tinjauan."
        self.query_one("#journal-queue-count", Static).update(note)

    def chosen(self) -> EntryRecord | None:
        row = self.query_one(DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None


def shared_text(voice: Voice, e: EntryRecord) -> Text:
    """A shared entry as the class sees it presented: who, the behaviour, its status, the four
    parts. The coach's comment is not shown: the trainee shared the entry, not the feedback on it
    (this tab may be on the classroom's projector)."""
    text = Text()
    text.append(f"{voice.behaviour_name(e.content.behaviour)}\n", style="bold")
    text.append(f"{e.name}" + (f", {e.cohort}" if e.cohort else "") + f" · {voice.day(e.content.happened_on)} · {voice.entry_mark(e.status).text}\n\n")
    for name, words in FIELD_WORDS.items():
        text.append(f"{words}\n", style="bold")
        text.append(f"{getattr(e.content, name)}\n\n")
    return text


class SharedEntries(_Pane):
    """ "Berbagi pengalaman": what trainees share, by behaviour, to pick for presentation."""

    def __init__(self) -> None:
        super().__init__(id="shared-pane")
        self.entries: list[EntryRecord] = []
        self._seen: list[tuple[int, int, EntryStatus, bool, int]] | None = None  # what was last shown; None: nothing yet

    def compose(self) -> ComposeResult:
        yield Static("Memuat…", id="shared-count", markup=False)
        yield OptionList(id="shared-list")
        with VerticalScroll(id="shared-detail"):
            yield Static("", id="shared-entry")

    def reload(self, cohort: str | None) -> None:
        self.owner.io(self.owner.instructor.journal.shared, cohort, done=self._show)

    def _show(self, entries: list[EntryRecord]) -> None:
        seen = [(e.id, e.version, e.status, e.shared, e.learner_id) for e in entries]
        if seen == self._seen:
            return  # nothing new: the highlight and the scroll stay as they are
        self._seen = seen
        self.entries = entries
        voice = self.owner.services.voice
        listing = self.query_one(OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        behaviour = None
        for e in entries:
            if e.content.behaviour != behaviour:
                behaviour = e.content.behaviour
                listing.add_option(Option(Text(voice.behaviour_name(behaviour), style="bold"), id=f"behaviour:{behaviour}", disabled=True))
            head = f"  {e.name} · {voice.day(e.content.happened_on)} · "
            room = max(10, self.app.size.width - len(head) - 8)  # the pane may not be laid out yet: the terminal's width
            situation = e.content.situation if len(e.content.situation) <= room else e.content.situation[: room - 1] + "…"
            listing.add_option(Option(Text(head + situation), id=f"entry:{e.id}"))
        if keep:
            with contextlib.suppress(OptionDoesNotExist):
                listing.highlighted = listing.get_option_index(keep)
        if listing.highlighted is None and entries:
            listing.highlighted = listing.get_option_index(f"entry:{entries[0].id}")
        people = len({e.learner_id for e in entries})
        note = f"{len(entries)} entri dibagikan oleh {people} peserta · ↑/↓ pilih, isinya di bawah" if entries else "Belum ada entri yang dibagikan peserta."
        self.query_one("#shared-count", Static).update(note)
        self._detail()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._detail()

    def _detail(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        found = None
        if option is not None and option.id and option.id.startswith("entry:"):
            entry_id = int(option.id.removeprefix("entry:"))
            found = next((e for e in self.entries if e.id == entry_id), None)
        box = self.query_one("#shared-entry", Static)
        box.update(shared_text(self.owner.services.voice, found) if found else "")


def reviewed_note(voice: Voice, detail: EntryDetail) -> str:
    r = detail.record
    return f"Entri {r.id} ({r.name}), versi {r.version}: {voice.entry_mark(r.status).label}."
