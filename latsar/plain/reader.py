"""`latsar read` in a plain terminal."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from latsar.plain.console import stdout
from latsar.services import Services
from latsar.services.dto import LearnerInfo


def print_map(svc: Services, learner: LearnerInfo | None) -> None:
    out = stdout()
    course = svc.course
    progress = svc.progress(learner.id) if learner else None
    table = Table(title=f"{course.title} — daftar bagian", show_lines=False, expand=False)
    table.add_column("Id", style="cyan", no_wrap=True)
    table.add_column("Bagian")
    table.add_column("Status", no_wrap=True)
    current = None
    for entry in course.module_map():
        if entry.part != current:
            current = entry.part
            table.add_row("", f"[bold]{escape(course.part(entry.part).title)}[/]", "")
        if entry.kind == "evaluation":
            st = progress.evaluations[entry.id] if progress else None
            status = "terkunci" if st and st.locked else (f"terbaik {st.best.percent}%" if st and st.best else "")
            table.add_row(f"quiz {entry.id}", f"[italic]{escape(entry.title)}[/]", status)
            continue
        st = progress.sections[entry.id] if progress else None
        if st is None:
            status = ""
        elif st.locked:
            status = "terkunci"
        elif st.restudy:
            status = "pelajari ulang"
        else:
            status = "✓ dibaca" if st.read else ""
        table.add_row(entry.id, escape(entry.title), status)
    out.print(table)
    if progress:
        out.print(f"Langkah berikutnya: {escape(progress.next_step)}")
    out.print("Baca satu bagian: latsar read ID")


def print_section(svc: Services, learner: LearnerInfo | None, section_id: str) -> None:
    section = svc.open_section(learner.id if learner else None, section_id)
    out = stdout()
    out.print(Markdown(section.body))
    source = section.source or svc.course.credit
    out.print(f"[dim]Sumber: {escape(source)}[/]")
    order = [s.id for s in svc.course.reading_order()]
    i = order.index(section_id)
    nav = []
    if i > 0:
        nav.append(f"sebelumnya: latsar read {order[i - 1]}")
    if i + 1 < len(order):
        nav.append(f"berikutnya: latsar read {order[i + 1]}")
    if nav:
        out.print(f"[dim]{' · '.join(nav)}[/]")
    if learner is None:
        out.print('[dim](Tidak dicatat: belum ada peserta. Daftar dengan latsar learner add --name "Nama".)[/]')
