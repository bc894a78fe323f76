"""Progress: attempt history per evaluation (table and chart), sections read, time spent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from latsar.services.presentation import Voice, format_score, format_time
from latsar.services.values import AttemptRow, Progress
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.widgets.scorebar import score_bar
from latsar.tui.wrap import Kept, keep, keep_facts


def summary_text(voice: Voice, progress: Progress) -> Text:
    """The summary; each fact stays whole when a line wraps (shown through ``Kept``)."""
    text = Text()
    text.append(f"{progress.learner.label}\n", style="bold")
    text.append(f"{voice.sections_read(progress)}\n")
    text.append(f"{keep_facts(voice.time_spent(progress))}\n")
    for ev in progress.evaluations.values():
        text.append(f"{ev.name}: {keep_facts(voice.evaluation_line(ev))}, {keep(f'{ev.attempts} percobaan')}\n")
    done = voice.completion(progress)
    if done:
        text.append(f"{keep_facts(done)}\n", style="bold")
    text.append(f"Langkah berikutnya: {voice.next_step(progress.next_step)}")
    return text


def chart_text(voice: Voice, progress: Progress) -> Text:
    chart = Text()
    for ev in progress.evaluations.values():
        mine = [h for h in progress.history if h.finished and h.quiz_id == ev.id and h.score]
        for n, h in enumerate(mine, start=1):
            assert h.score is not None
            chart.append(keep(f"{ev.name} #{n:<2}") + " ")
            chart.append_text(score_bar(h.score.percent, ev.threshold, keep(voice.pass_line(ev.threshold)), width=30))
            chart.append("\n")
    return chart


COLUMNS = ("Evaluasi", "Mulai", "Selesai", "Skor", "Hasil")
NARROW_COLUMNS = ("Evaluasi", "Mulai", "Skor", "Hasil")
NARROW = 72  # below this width the history drops "Selesai", starts show the date only
OUTCOME_WIDTH = 11  # "belum lulus"; "sedang dikerjakan" wraps in two rows


def history_row(voice: Voice, h: AttemptRow, narrow: bool = False) -> tuple[str, ...]:
    ended = format_time(h.finished_at)[-5:] if h.finished_at else "-"
    score = format_score(h.score) if h.score else "-"
    if narrow:
        return voice.evaluation_name(h.quiz_id), format_time(h.started_at)[:10], score, voice.outcome(h)
    return voice.evaluation_name(h.quiz_id), format_time(h.started_at), ended, score, voice.outcome(h)


class ProgressScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("results")
    BINDINGS = [HELP, Binding("escape", "back", "Kembali", key_display="Esc", id="progress.back", tooltip="Kembali")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="progress"):
            yield Static("Memuat…", id="summary")
            yield Static(Text("Grafik skor per percobaan", style="bold"), classes="heading")
            yield Static("", id="chart")
            yield Static(Text("Riwayat percobaan", style="bold"), classes="heading")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield LatsarFooter()

    def __init__(self) -> None:
        super().__init__()
        self.progress: Progress | None = None
        self._narrow: bool | None = None  # the history's columns were laid out for this

    def on_mount(self) -> None:
        self.io(self.trainee.progress, done=self._show)

    def _show(self, progress: Progress) -> None:
        self.progress = progress
        self.query_one("#summary", Static).update(Kept(summary_text(self.services.voice, progress)))
        chart = chart_text(self.services.voice, progress)
        self.query_one("#chart", Static).update(Kept(chart) if chart.plain else "Belum ada percobaan yang selesai.")
        self._history(progress)

    def _history(self, progress: Progress) -> None:
        """The attempts, in as many columns as fit: at 60 columns nothing is cut on the right."""
        narrow = self.app.size.width < NARROW
        self._narrow = narrow
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        if narrow:
            for name in NARROW_COLUMNS:
                table.add_column(name, width=OUTCOME_WIDTH if name == "Hasil" else None)
        else:
            table.add_columns(*COLUMNS)
        for h in progress.history:
            table.add_row(*history_row(self.services.voice, h, narrow), height=None if narrow else 1)

    def on_resize(self) -> None:
        if self.progress is not None and self._narrow != (self.app.size.width < NARROW):
            self._history(self.progress)

    def action_back(self) -> None:
        self.dismiss()
