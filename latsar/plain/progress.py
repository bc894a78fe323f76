"""`latsar progress` in a plain terminal."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from latsar.plain.console import fmt_duration, stdout
from latsar.services.dto import Progress


def print_progress(progress: Progress) -> None:
    out = stdout()
    learner = progress.learner
    out.print(f"[title]{escape(learner.label)}[/]" + (f" — {escape(learner.cohort)}" if learner.cohort else ""))
    read = sum(1 for s in progress.sections.values() if s.read)
    out.print(f"Bagian dibaca: {read} dari {len(progress.sections)}. Waktu membaca: {fmt_duration(progress.seconds_reading)}.")
    table = Table(expand=False)
    table.add_column("Evaluasi")
    table.add_column("Terbaik", justify="right")
    table.add_column("Percobaan", justify="right")
    table.add_column("Status")
    for ev in progress.evaluations.values():
        best = f"{ev.best.correct}/{ev.best.total} ({ev.best.percent}%)" if ev.best else "-"
        if ev.locked:
            status = f"terkunci: {ev.locked}"
        elif ev.passed:
            status = "[ok]lulus[/]"
        elif ev.in_progress:
            status = "sedang dikerjakan"
        elif ev.attempts:
            status = f"[bad]belum lulus[/] (batas {ev.threshold}%)"
        else:
            status = "belum dikerjakan"
        table.add_row(escape(ev.name), best, str(ev.attempts), status)
    out.print(table)
    finished = [h for h in progress.history if h.state == "finished"]
    if finished:
        hist = Table(title="Riwayat percobaan", expand=False)
        for col in ("Evaluasi", "Selesai", "Skor", "Hasil"):
            hist.add_column(col)
        for h in finished:
            hist.add_row(h.quiz_id.upper(), h.finished_at.astimezone().strftime("%Y-%m-%d %H:%M"), f"{h.correct}/{h.total} ({h.percent}%)", "lulus" if h.passed else "belum lulus")
        out.print(hist)
    if progress.module_complete:
        out.print("[ok]Modul selesai.[/]")
    out.print(f"Langkah berikutnya: {escape(progress.next_step)}")
