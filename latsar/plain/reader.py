"""`latsar read` in a plain terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from latsar.plain.console import stderr, stdout
from latsar.plain.pager import Keys, page
from latsar.services import Services, Trainee
from latsar.services.progress import module_map
from latsar.services.values import EntryKind, Progress


def _status(svc: Services, progress: Progress | None, kind: EntryKind, ident: str) -> str:
    if progress is None:
        return ""
    if kind is EntryKind.EVALUATION:
        return svc.voice.evaluation_line(progress.evaluations[ident])
    return svc.voice.section(progress.sections[ident]).text


def print_map(svc: Services, me: Trainee | None) -> None:
    out = stdout()
    course = svc.course
    progress = me.progress() if me else None
    table = Table(title=f"{course.title} — daftar bagian", show_lines=False, expand=False)
    table.add_column("Id", style="cyan", no_wrap=True)
    # The title keeps room for itself; a long status (why it is locked) wraps instead of
    # squeezing the title to three or four lines.
    table.add_column("Bagian", min_width=min(34, max(12, (out.width - 30) // 2)))
    table.add_column("Status")
    for item in module_map(course):
        if item.kind is EntryKind.PART:
            table.add_row("", f"[bold]{escape(item.title)}[/]", "")
        elif item.kind is EntryKind.EVALUATION:
            table.add_row(f"quiz {item.id}", f"[italic]{escape(item.title)}[/]", escape(_status(svc, progress, item.kind, item.id)))
        else:
            table.add_row(item.id, escape(item.title), escape(_status(svc, progress, item.kind, item.id)))
    out.print(table)
    if progress:
        out.print(f"Langkah berikutnya: {escape(svc.voice.next_step(progress.next_step))}")
    out.print("Baca satu bagian: latsar read ID")


def print_section(svc: Services, me: Trainee | None, section_id: str, keys: Keys | None = None) -> None:
    """The whole section, a screen at a time in a terminal. It counts as read when the trainee
    leaves the pager from its last screen, no sooner than its length could be read in (the
    services' rule); printed to a pipe, or left before the end, it does not count."""
    section = me.reading.open(section_id) if me else svc.preview_section(section_id)
    order = [s.id for s in svc.course.reading_order()]
    i = order.index(section_id)
    nav = []
    if i > 0:
        nav.append(f"sebelumnya: latsar read {order[i - 1]}")
    if i + 1 < len(order):
        nav.append(f"berikutnya: latsar read {order[i + 1]}")

    def render(out: Console) -> None:
        out.print(Markdown(section.body))
        out.print(f"[dim]Sumber: {escape(section.source or svc.course.credit)}[/]")
        if nav:
            out.print(f"[dim]{' · '.join(nav)}[/]")
        if me is None:
            out.print('[dim](Tidak dicatat: belum ada peserta. Daftar dengan latsar learner add --name "Nama".)[/]')

    out = stdout()
    finished = page(out, render, keys)
    if me is None:
        return
    voice = svc.voice
    if not out.is_terminal:
        stderr().print(f"[dim]{escape(voice.section_printed(section_id))}[/]")
    elif not finished:
        out.print(escape(voice.section_left_early()))
    else:
        reached = me.reading.complete(section_id)
        again = f"baca lagi dengan latsar read {section_id}"
        out.print(escape(voice.section_read() if reached.counted else voice.section_skimmed(reached, again)))
