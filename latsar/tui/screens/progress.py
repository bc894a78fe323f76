"""Progress: attempt history per evaluation (table and chart), sections read, time spent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from latsar.plain.console import fmt_duration
from latsar.services.dto import Progress
from latsar.tui.widgets.scorebar import score_bar


class ProgressScreen(Screen):
    BINDINGS = [Binding("escape", "back", "Kembali", id="progress.back", tooltip="Kembali")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="progress"):
            yield Static("Memuat…", id="summary")
            yield Static(Text("Grafik skor per percobaan", style="bold"), classes="heading")
            yield Static("", id="chart")
            yield Static(Text("Riwayat percobaan", style="bold"), classes="heading")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.app.run_io(self.app.services.progress, self.app.learner_id, done=self._show)

    def _show(self, progress: Progress) -> None:
        read = [s for s in progress.sections.values() if s.read]
        summary = Text()
        summary.append(f"{progress.learner.label}\n", style="bold")
        summary.append(f"Bagian dibaca: {len(read)} dari {len(progress.sections)}\n")
        summary.append(f"Waktu membaca: {fmt_duration(progress.seconds_reading)} · waktu evaluasi: {fmt_duration(progress.seconds_quizzing)}\n")
        for ev in progress.evaluations.values():
            best = f"{ev.best.correct}/{ev.best.total} ({ev.best.percent}%)" if ev.best else "-"
            state = "lulus" if ev.passed else ("terkunci" if ev.locked else "belum lulus" if ev.attempts else "belum dikerjakan")
            summary.append(f"{ev.name}: terbaik {best}, {ev.attempts} percobaan, {state}\n")
        if progress.module_complete:
            summary.append("Modul selesai ★\n", style="bold")
        summary.append(f"Langkah berikutnya: {progress.next_step}")
        self.query_one("#summary", Static).update(summary)
        chart = Text()
        finished = [h for h in progress.history if h.state == "finished"]
        for ev in progress.evaluations.values():
            mine = [h for h in finished if h.quiz_id == ev.id]
            for n, h in enumerate(mine, start=1):
                chart.append(f"{ev.name} #{n:<2} ")
                chart.append_text(score_bar(h.percent or 0, ev.threshold, width=30))
                chart.append("\n")
        self.query_one("#chart", Static).update(chart or "Belum ada percobaan yang selesai.")
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        table.add_columns("Evaluasi", "Mulai", "Selesai", "Skor", "Hasil")
        for h in progress.history:
            started = h.started_at.astimezone().strftime("%d-%m-%Y %H:%M")
            ended = h.finished_at.astimezone().strftime("%H:%M") if h.finished_at else "-"
            score = f"{h.correct}/{h.total} ({h.percent}%)" if h.total else "-"
            verdict = ("lulus" if h.passed else "belum lulus") if h.state == "finished" else "sedang dikerjakan"
            table.add_row(h.quiz_id.upper(), started, ended, score, verdict)

    def action_back(self) -> None:
        self.dismiss()
