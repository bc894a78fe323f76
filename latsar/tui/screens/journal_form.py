"""Write a journal entry, or a new version of one: the behaviour, the date, and the four parts
(situation, what I did, the result for the person served, what I would do better next time).

Tab moves between the fields, Enter checks nothing and moves on, and Enter in the last part
saves (so does the button, or Ctrl+S). Esc leaves; when something was typed it asks first.
A hint above the fields says not to write citizens' personal data; the services refuse what
looks like it (an NIK, a telephone number), naming the part.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Header, Input, Select, Static

from latsar.assessment.journal import MAX_TEXT
from latsar.errors import LatsarError
from latsar.services.journal import FIELD_WORDS, Draft, EntryDetail
from latsar.services.presence import Activity
from latsar.tui.base import Form, LatsarScreen, styles
from latsar.tui.widgets.fields import Field
from latsar.tui.widgets.footer import HELP, LatsarFooter

PARTS = tuple(FIELD_WORDS)  # situation, action, result, improvement
PROMPTS = {
    "situation": "Apa yang terjadi, siapa yang Anda layani (tanpa nama)",
    "action": "Apa yang Anda lakukan",
    "result": "Apa hasilnya bagi yang Anda layani",
    "improvement": "Apa yang akan Anda lakukan lebih baik lain kali",
}


class JournalFormScreen(Form, LatsarScreen[None]):
    DEFAULT_CSS = styles("forms", "journal")
    # Below 72 columns every field is two rows (its name on the line above it) and the button
    # one: the whole form, its button too, fits in 60×20.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    BINDINGS = [
        HELP,
        Binding("ctrl+s", "save", "Simpan", key_display="^s", id="journal-form.save", tooltip="Simpan entri ini"),
        Binding("escape", "leave", "Batal", key_display="Esc", id="journal-form.back", tooltip="Kembali tanpa menyimpan"),
    ]

    def __init__(self, behaviour: str | None = None, entry: EntryDetail | None = None) -> None:
        super().__init__()
        self.behaviour = behaviour
        self.entry = entry  # revising this entry: its current version fills the form
        self._start: dict[str, str] = {}

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.JOURNAL, None

    def compose(self) -> ComposeResult:
        voice = self.services.voice
        journal = self.services.course.journal
        assert journal is not None
        current = self.entry.record if self.entry else None
        yield Header(show_clock=False)
        yield Static(self._title(), id="journal-form-title", markup=False)
        if current is not None and current.verdict is not None and current.comment:
            yield Static(Text.assemble(("Komentar coach: ", "bold"), current.comment), id="journal-form-comment")
        yield Static(voice.journal_hint(), id="journal-form-hint", markup=False)
        with VerticalScroll(id="journal-form", can_focus=False):
            with Horizontal(id="journal-form-row"):
                options = [(voice.behaviour_name(b.id), b.id) for b in journal.behaviours]
                chosen = current.content.behaviour if current else self.behaviour or Select.NULL
                yield Select(options, value=chosen, prompt="Pilih perilaku yang dipraktikkan", id="journal-behaviour")
                day = Field(voice.day(current.content.happened_on if current else self.trainee.journal.today()), placeholder="dd-mm-yyyy", id="journal-day", max_length=10, select_on_focus=False)
                day.border_title = "Tanggal"
                yield day
            for name in PARTS:
                field = Field(getattr(current.content, name) if current else "", placeholder=PROMPTS[name], id=f"journal-{name}", max_length=MAX_TEXT, select_on_focus=False)
                field.border_title = FIELD_WORDS[name]
                yield field
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="journal-form-end"):
                yield Button("Simpan (Ctrl+S)", id="journal-save", variant="primary")
                if current is None:
                    yield Checkbox("Bagikan ke kelas", id="journal-share")
        yield LatsarFooter()

    def _title(self) -> str:
        if self.entry is None:
            return "Entri baru · Tab/Enter pindah kolom; Enter di kolom terakhir menyimpan"
        r = self.entry.record
        return f"Ubah entri {r.id}: versi {r.version + 1} (versi {r.version} tetap tersimpan)"

    def on_mount(self) -> None:
        self.sub_title = self.services.voice.journal_title
        self.on_resize()
        self._start = self._values()
        first = "#journal-situation" if self.entry is not None or self.behaviour else "#journal-behaviour"
        self.set_focus(self.query_one(first))

    def on_resize(self, event: object = None) -> None:
        self.query_one("#journal-behaviour", Select).compact = self.app.size.width < 72

    def _values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#journal-{name}", Input).value for name in (*PARTS, "day")}
        behaviour = self.query_one("#journal-behaviour", Select).value
        values["behaviour"] = "" if behaviour is Select.NULL else str(behaviour)
        return values

    def entered(self, field: Input) -> None:
        order = ["journal-day", *(f"journal-{name}" for name in PARTS)]
        here = order.index(field.id or "")
        if here + 1 < len(order):
            self.set_focus(self.query_one(f"#{order[here + 1]}"))
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "journal-save":
            event.stop()
            self.action_save()

    def action_save(self) -> None:
        values = self._values()
        if not values["behaviour"]:
            self.fail("Pilih perilaku yang Anda praktikkan.", self.query_one("#journal-day", Input))
            self.set_focus(self.query_one("#journal-behaviour"))
            return
        draft = Draft(values["behaviour"], values["day"], *(values[name] for name in PARTS))
        self.clear_error()
        journal = self.trainee.journal
        if self.entry is None:
            share = self.query_one("#journal-share", Checkbox).value
            self.io(journal.write, draft, share, done=self._saved, failed=self._refused)
        else:
            self.io(journal.revise, self.entry.record.id, draft, self.entry.record.version, done=self._saved, failed=self._refused)

    def _saved(self, entry: EntryDetail) -> None:
        voice = self.services.voice
        self.notify(f"Entri {entry.record.id} disimpan (versi {entry.record.version}): {voice.entry_mark(entry.record.status).label}.", timeout=5, markup=False)
        self.dismiss()

    def _refused(self, exc: LatsarError) -> None:
        """Said about the part it names (the services name it first: "Situasi memuat …")."""
        where = next((name for name, words in FIELD_WORDS.items() if exc.message.startswith(words)), None)
        field = self.query_one(f"#journal-{where}" if where else "#journal-day", Input)
        self.fail(exc.message, field)

    def action_leave(self) -> None:
        if self._values() == self._start:
            self.dismiss()
            return
        from latsar.tui.dialogs.confirm import Confirm

        def decided(leave: bool | None) -> None:
            if leave:
                self.dismiss()

        self.app.push_screen(Confirm("Tulisan ini belum disimpan. Tinggalkan tanpa menyimpan?", "Tinggalkan", "Kembali menulis"), decided)
