"""`latsar progress` in a plain terminal."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from latsar.plain.console import stdout
from latsar.services.presentation import Voice, format_duration, format_score, format_time
from latsar.services.values import Progress


def _evaluations(voice: Voice, progress: Progress) -> Table:
    table = Table(expand=False)
    for col, justify in (("Evaluasi", "left"), ("Terbaik", "right"), ("Percobaan", "right"), ("Status", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for ev in progress.evaluations.values():
        status = voice.evaluation(ev).label
        if ev.lock:
            status += f": {voice.lock(ev.lock)}"
        table.add_row(escape(ev.name), format_score(ev.best) if ev.best else "-", str(ev.attempts), escape(status))
    return table


def _history(voice: Voice, progress: Progress) -> Table | None:
    finished = [h for h in progress.history if h.finished and h.score and h.finished_at]
    if not finished:
        return None
    table = Table(title="Riwayat percobaan", expand=False)
    for col in ("Evaluasi", "Selesai", "Skor", "Hasil"):
        table.add_column(col)
    for h in finished:
        assert h.score is not None and h.finished_at is not None
        table.add_row(escape(voice.evaluation_name(h.quiz_id)), format_time(h.finished_at), format_score(h.score), voice.outcome(h))
    return table


def print_progress(voice: Voice, progress: Progress) -> None:
    out = stdout()
    learner = progress.learner
    out.print(f"[title]{escape(learner.label)}[/]" + (f" — {escape(learner.cohort)}" if learner.cohort else ""))
    out.print(f"{voice.sections_read(progress)}. Waktu membaca: {format_duration(progress.seconds_reading)}.")
    out.print(_evaluations(voice, progress))
    history = _history(voice, progress)
    if history is not None:
        out.print(history)
    done = voice.completion(progress)
    if done:
        out.print(f"[ok]{escape(done)}[/]")
    if progress.journal is not None:
        out.print(f"{escape(voice.journal_title)}: {escape(voice.journal_line(progress.journal))} (latsar jurnal list)")
    out.print(f"Langkah berikutnya: {escape(voice.next_step(progress.next_step))}")
