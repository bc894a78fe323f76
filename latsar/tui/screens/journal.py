"""The habituation journal ("Jurnal aktualisasi"): the trainee's entries by behaviour, in the
module's order, with the coach's verdict; the highlighted entry in full below the list.

t writes a new entry (for the highlighted behaviour), e (or Enter on an entry) writes a new
version of it while the coach has not found it "sesuai", b shares it with the class (or stops
sharing), v shows every earlier version with the coach's verdicts.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from latsar.assessment.journal import EntryRecord
from latsar.services.journal import FIELD_WORDS, EntryDetail, Overview
from latsar.services.presence import Activity
from latsar.services.presentation import Voice, format_time
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.messages import WriteJournal
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.wrap import Kept, keep

BEHAVIOUR = "behaviour:"
ENTRY = "entry:"


def rows(voice: Voice, overview: Overview, width: int = 72) -> list[Option | None]:
    """Each behaviour (Enter: write for it), then its entries, newest practice last."""
    out: list[Option | None] = []
    for b in overview.standing.behaviours:
        if out:
            out.append(None)
        mark = "✓" if b.done else "·"
        head = Text(f"{mark} {voice.behaviour_name(b.id)}", style="bold")
        head.append(f"  {keep(voice.journal_accepted(b.accepted, b.target))}", style="italic")
        out.append(Option(Kept(head), id=f"{BEHAVIOUR}{b.id}"))
        for e in (e for e in overview.entries if e.content.behaviour == b.id):
            out.append(Option(entry_row(voice, e, width), id=f"{ENTRY}{e.id}"))
    return out


def entry_row(voice: Voice, e: EntryRecord, width: int = 72) -> Text:
    """One line: the mark, the date, the status (version, shared), and the situation as far as it fits."""
    mark = voice.entry_mark(e.status)
    extra = [mark.label, *([f"v{e.version}"] if e.version > 1 else []), *(["dibagikan"] if e.shared else [])]
    row = Text(f"   {mark.symbol} {voice.day(e.content.happened_on)} ")
    row.append(" · ".join(extra), style="italic")
    room = max(12, width - len(row.plain) - 3)
    situation = e.content.situation
    row.append(f"  {situation if len(situation) <= room else situation[: room - 1].rstrip() + '…'}")
    return row


def entry_text(voice: Voice, e: EntryRecord, history: EntryDetail | None = None) -> Text:
    """One entry in full: the coach's verdict first (what the trainee came to read), the text,
    and, with ``history``, every earlier version with its verdicts."""
    text = Text()
    text.append(f"Entri {e.id} · {voice.behaviour_name(e.content.behaviour)}\n", style="bold")
    text.append(f"{voice.day(e.content.happened_on)} · {voice.entry_mark(e.status).text} · versi {e.version}")
    text.append(" · dibagikan ke kelas\n" if e.shared else "\n")
    if e.verdict is not None:
        when = format_time(e.reviewed_at) if e.reviewed_at else ""
        text.append(f"Coach ({when}): {voice.verdict_words(e.verdict)}", style="bold")
        text.append(f" — {e.comment}\n" if e.comment else "\n")
    for name, words in FIELD_WORDS.items():
        text.append(f"{words}: ", style="bold")
        text.append(f"{getattr(e.content, name)}\n")
    if history is None:
        if e.version > 1:
            text.append(f"v: lihat {e.version - 1} versi sebelumnya", style="italic")
        return text
    for v in reversed(history.versions[:-1]):
        text.append(f"\nVersi {v.version} ({format_time(v.written_at)})\n", style="bold")
        for name, words in FIELD_WORDS.items():
            text.append(f"{words}: {getattr(v.content, name)}\n")
        for r in v.reviews:
            text.append(f"Coach ({format_time(r.reviewed_at)}): {voice.verdict_words(r.verdict)}" + (f" — {r.comment}" if r.comment else "") + "\n", style="italic")
    return text


class JournalScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("journal")
    BINDINGS = [
        HELP,
        Binding("t", "write", "Tulis", id="journal.write", tooltip="Tulis entri baru untuk perilaku yang dipilih"),
        Binding("e", "edit", "Ubah", id="journal.edit", tooltip="Tulis versi baru entri yang dipilih (selama belum dinilai sesuai)"),
        Binding("b", "share", "Bagikan", id="journal.share", tooltip="Bagikan entri yang dipilih ke kelas, atau berhenti membagikannya"),
        Binding("v", "history", "Riwayat", id="journal.history", tooltip="Versi-versi sebelumnya dan putusan coach"),
        Binding("escape", "back", "Kembali", key_display="Esc", id="journal.back", tooltip="Kembali ke peta modul"),
    ]

    def __init__(self, focus_entry: int | None = None) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self._focus = f"{ENTRY}{focus_entry}" if focus_entry is not None else None

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.JOURNAL, None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("Memuat…", id="journal-head")
        yield OptionList(id="journal-entries")
        with VerticalScroll(id="journal-detail"):
            yield Static("", id="journal-entry")
        yield LatsarFooter()

    def on_mount(self) -> None:
        self.sub_title = self.services.voice.journal_title

    def on_screen_resume(self) -> None:
        self.io(self.trainee.journal.overview, done=self._show)

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        voice = self.services.voice
        head = Text.assemble((voice.journal_line(overview.standing), "bold"), "\n", voice.journal_target(overview.standing))
        if not overview.entries:
            head.append(f"\nt: tulis entri pertama Anda {keep('(pilih perilakunya dengan ↑/↓).')}", style="italic")
        self.query_one("#journal-head", Static).update(Kept(head))
        entries = self.query_one("#journal-entries", OptionList)
        focus = self._focus or (entries.highlighted_option.id if entries.highlighted_option else None)
        self._focus = None
        entries.clear_options()
        entries.add_options(rows(voice, overview, self.app.size.width - 8))
        if focus:
            with contextlib.suppress(OptionDoesNotExist):
                entries.highlighted = entries.get_option_index(focus)
        if entries.highlighted is None and entries.option_count:
            entries.highlighted = 0
        entries.focus()
        self._detail()

    def _chosen(self) -> tuple[str | None, EntryRecord | None]:
        """The highlighted behaviour, and the highlighted entry (None on a behaviour's row)."""
        option = self.query_one("#journal-entries", OptionList).highlighted_option
        if option is None or option.id is None or self.overview is None:
            return None, None
        if option.id.startswith(BEHAVIOUR):
            return option.id.removeprefix(BEHAVIOUR), None
        entry_id = int(option.id.removeprefix(ENTRY))
        record = next((e for e in self.overview.entries if e.id == entry_id), None)
        return (record.content.behaviour if record else None), record

    def _detail(self, history: EntryDetail | None = None) -> None:
        _, record = self._chosen()
        box = self.query_one("#journal-entry", Static)
        voice = self.services.voice
        if history is not None and (record is None or history.record.id != record.id):
            history = None  # read for an entry no longer highlighted
        if record is None:
            box.update(Text(f"{voice.journal_hint()}\n\nt atau Enter: tulis entri untuk perilaku ini.", style="italic"))
        else:
            box.update(entry_text(voice, record, history))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        behaviour, record = self._chosen()
        if record is None:
            self.post_message(WriteJournal(behaviour))
        else:
            self.action_edit()

    def action_write(self) -> None:
        behaviour, _ = self._chosen()
        self.post_message(WriteJournal(behaviour))

    def _no_entry(self, key: str, verb: str, purpose: str) -> None:
        """Said when an entry's key (e, b, v) finds no entry: there is none yet, or the
        highlighted row is a behaviour's."""
        voice = self.services.voice
        if self.overview is not None and not self.overview.entries:
            said = voice.journal_none_to(verb, "t")
        else:
            said = voice.journal_pick(key, purpose)
        self.notify(said, timeout=5, markup=False)

    def action_edit(self) -> None:
        _, record = self._chosen()
        if record is None:
            self._no_entry("e", "diubah", "mengubahnya")
            return
        self._focus = f"{ENTRY}{record.id}"
        self.post_message(WriteJournal(entry_id=record.id))

    def action_share(self) -> None:
        _, record = self._chosen()
        if record is None:
            self._no_entry("b", "dibagikan", "membagikannya")
            return

        def shared(d: EntryDetail) -> None:
            said = "dibagikan ke kelas" if d.record.shared else "tidak lagi dibagikan"
            self.notify(f"Entri {d.record.id} {said}.", timeout=4, markup=False)
            self.on_screen_resume()

        self.io(self.trainee.journal.share, record.id, not record.shared, done=shared)

    def action_history(self) -> None:
        _, record = self._chosen()
        if record is None:
            self._no_entry("v", "dilihat riwayatnya", "melihat riwayatnya")
        elif record.version == 1:
            self.notify(self.services.voice.journal_no_history(record.id), timeout=4, markup=False)
        else:
            self.io(self.trainee.journal.entry, record.id, done=self._detail)

    def action_back(self) -> None:
        self.dismiss()
