"""`latsar jurnal` in a plain terminal: a trainee's entries by behaviour, one entry with its
history, and the coach's queue."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from latsar.assessment.journal import EntryRecord, JournalStanding
from latsar.plain.console import stdout
from latsar.services.journal import FIELD_WORDS, EntryDetail
from latsar.services.presentation import Voice, format_time


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def print_entries(voice: Voice, standing: JournalStanding, entries: list[EntryRecord]) -> None:
    """The journal by behaviour, in the module's order: each entry on one line."""
    out = stdout()
    out.print(f"[title]{escape(voice.journal_title)}[/] — {escape(voice.journal_line(standing))}")
    out.print(escape(voice.journal_target(standing)))
    for b in standing.behaviours:
        mine = [e for e in entries if e.content.behaviour == b.id]
        mark = "✓" if b.done else "·"
        out.print(f"\n{mark} [title]{escape(voice.behaviour_name(b.id))}[/]")
        if not mine:
            out.print("  (belum ada entri)")
        for e in mine:
            status = voice.entry_mark(e.status)
            shared = " · dibagikan" if e.shared else ""
            version = f" · versi {e.version}" if e.version > 1 else ""
            out.print(f"  {e.id:>4}  {voice.day(e.content.happened_on)}  {status.text}{version}{shared}  {escape(_short(e.content.situation))}")
    out.print("\nLihat satu entri: latsar jurnal show ID")


def print_entry(voice: Voice, d: EntryDetail) -> None:
    """One entry: its current text, the coach's verdict, and every earlier version."""
    out = stdout()
    e = d.record
    out.print(f"[title]Entri {e.id}[/] — {escape(voice.behaviour_short(e.content.behaviour))}")
    out.print(f"Tanggal: {voice.day(e.content.happened_on)} · {voice.entry_mark(e.status).text} · versi {e.version}" + (" · dibagikan ke kelas" if e.shared else ""))
    for name, words in FIELD_WORDS.items():
        out.print(f"[title]{words}:[/] {escape(getattr(e.content, name))}")
    if e.verdict is not None:
        comment = f": {escape(e.comment)}" if e.comment else ""
        out.print(f"[title]Coach ({format_time(e.reviewed_at) if e.reviewed_at else '-'}):[/] {voice.verdict_words(e.verdict)}{comment}")
    if d.editable:
        out.print(f"Ubah: latsar jurnal ubah {e.id} (versi baru; versi lama tetap tersimpan)")
    for v in reversed(d.versions[:-1]):
        out.print(f"\n[dim]Versi {v.version} ({format_time(v.written_at)}):[/]")
        for name, words in FIELD_WORDS.items():
            out.print(f"  [dim]{words}:[/] {escape(getattr(v.content, name))}")
        for r in v.reviews:
            comment = f": {escape(r.comment)}" if r.comment else ""
            out.print(f"  [dim]Coach ({format_time(r.reviewed_at)}):[/] {voice.verdict_words(r.verdict)}{comment}")


def print_queue(voice: Voice, entries: list[EntryRecord], title: str) -> None:
    out = stdout()
    if not entries:
        out.print("Tidak ada entri yang menunggu tinjauan.")
        return
    table = Table(title=title, expand=False)
    for col in ("Entri", "Peserta", "Angkatan", "Perilaku", "Tanggal", "Versi", "Ditulis"):
        table.add_column(col, no_wrap=col not in ("Peserta", "Angkatan"))
    for e in entries:
        table.add_row(
            str(e.id), escape(e.name), escape(e.cohort or "-"), escape(voice.behaviour_short(e.content.behaviour)),
            voice.day(e.content.happened_on), str(e.version), format_time(e.written_at)[:10],
        )
    out.print(table)
    out.print("Baca satu entri: latsar jurnal tinjau ID")
    out.print("Putusan: latsar jurnal tinjau ID --putusan sesuai")
    out.print("   atau: latsar jurnal tinjau ID --putusan perlu-diperbaiki --komentar \"…\"")
