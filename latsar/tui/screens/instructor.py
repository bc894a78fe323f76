"""Instructor view: the cohort table (filter, search, sort by any column, edit a learner), the
cohort at a glance, item analysis with charts, and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static, TabbedContent, TabPane

from latsar.assessment.items import Analysis, ItemStat
from latsar.assessment.records import SummaryRow
from latsar.errors import LatsarError
from latsar.exchange.tabular import Column, Kind, Table
from latsar.services import Instructor
from latsar.services.instructor.figures import BIN_WIDTH, Distribution, distribution
from latsar.services.instructor.items import LEGEND, describe
from latsar.services.instructor.records import Edited
from latsar.services.instructor.report import by_cohort, overview
from latsar.services.instructor.report import describe as describe_glance
from latsar.services.instructor.room import RoomNow
from latsar.services.journal import EntryDetail
from latsar.services.presence import Activity
from latsar.services.presentation import format_time
from latsar.services.values import LearnerInfo
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.screens.instructor_journal import JournalQueue, SharedEntries, reviewed_note

MAX_ROWS = 1000


def cell(column: Column[Any], value: Any) -> str | Text:
    """A table cell as the instructor reads it; the column says what kind of value it is."""
    if value is None:
        return "-"
    if column.kind is Kind.TIME:
        return format_time(value)
    if column.kind is Kind.BOOL:
        return "ya" if value else "tidak"
    return Text(str(value)) if column.kind is Kind.TEXT else str(value)


def _width(value: str | Text) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(value)


def fill_table(table: DataTable[Any], titles: list[str], rows: list[list[str | Text]]) -> None:
    """Columns as wide as their widest cell, given at once: a DataTable measures new rows only
    when it is next idle, and a row drawn before that kept the headers' widths ("Ani", "199")
    until the cursor moved (its caches are not keyed by the widths)."""
    for i, title in enumerate(titles):
        table.add_column(title, width=max([cell_len(title), *(_width(row[i]) for row in rows)]))
    for row in rows:
        table.add_row(*row)


def facility_chart(stats: list[ItemStat]) -> Text:
    text = Text()
    for s in stats:
        p = 0 if s.facility is None else s.facility
        filled = round(p * 30)
        text.append(f"{s.number:>2} ")
        text.append("█" * filled, style="bold")
        text.append("░" * (30 - filled), style="dim")
        d = "-" if s.discrimination is None else f"{s.discrimination:+.2f}"
        r = "-" if s.point_biserial is None else f"{s.point_biserial:+.2f}"
        text.append(f" p={p:.2f} D={d} r={r}")
        if s.flags:
            text.append("  ⚠ " + "; ".join(s.flags), style="italic")
        text.append("\n")
    return text


def sorted_rows(rows: list[SummaryRow], column: Column[SummaryRow], reverse: bool) -> list[SummaryRow]:
    """Rows by one column (text without regard to case); empty cells last either way."""
    present = [r for r in rows if column.get(r) is not None]
    missing = [r for r in rows if column.get(r) is None]
    key = (lambda r: str(column.get(r)).casefold()) if column.kind is Kind.TEXT else column.get
    return sorted(present, key=key, reverse=reverse) + missing


CHART_WIDTH = 30


def distribution_chart(dist: Distribution) -> Text:
    """One evaluation's best scores in bands of ten, as bars (the PDF's chart, in the terminal):
    bands at or above the pass line bold, the others dim."""
    text = Text(f"  {dist.name}: sebaran skor terbaik ({dist.attempted} mengerjakan, batas lulus {dist.threshold}%)\n")
    top = max(dist.bins) or 1
    for i in reversed(range(len(dist.bins))):
        n = dist.bins[i]
        filled = round(n * CHART_WIDTH / top)
        text.append(f"    {Distribution.label(i):>7} ")
        text.append("█" * filled, style="bold" if i * BIN_WIDTH >= dist.threshold else "dim")
        text.append(f"{' ' * (CHART_WIDTH - filled)} {n}\n")
    return text


def glance_text(instructor: Instructor, cohort: str | None, rows: list[SummaryRow]) -> Text:
    """The cohort at a glance: one block per cohort, or the cohort chosen, with the score
    distribution of each evaluation."""
    course = instructor.course
    glances = [overview(course, cohort, rows)] if cohort else by_cohort(course, rows)
    text = Text()
    for g in glances:
        heading, *lines = describe_glance(g)
        text.append(heading + "\n", style="bold")
        for line in lines:
            text.append(f"  {line}\n")
        members = [r for r in rows if r.cohort == g.cohort] if not cohort else rows
        for i, ev in enumerate(course.evaluations):
            if any(r.best_percent[i] is not None for r in members):
                text.append_text(distribution_chart(distribution(i, ev, members)))
        text.append("\n")
    return text if glances else Text("Belum ada peserta.")


def load_summary(instructor: Instructor, cohort: str | None) -> tuple[list[Column[SummaryRow]], list[SummaryRow]]:
    table: Table[SummaryRow] = instructor.exports.table("summary", cohort)
    return list(table.columns), list(table.rows)


ROOM_SECONDS = 2.0


def export_details(journal: bool) -> list[tuple[str, str]]:
    details = [("Ringkasan per peserta", "summary"), ("Per percobaan", "attempts"), ("Per jawaban", "answers")]
    return [*details, ("Jurnal aktualisasi (per entri)", "journal")] if journal else details


class InstructorScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("instructor")
    BINDINGS = [
        Binding("escape", "back", "Kembali", key_display="Esc", id="instructor.back", tooltip="Kembali ke peta modul"),
        Binding("r", "reload", "Muat ulang", id="instructor.reload", tooltip="Muat ulang data angkatan"),
        Binding("s", "sort", "Urutkan", id="instructor.sort", tooltip="Urutkan tabel menurut kolom yang dipilih (tekan lagi: terbalik)"),
        Binding("e", "edit", "Ubah peserta", id="instructor.edit", tooltip="Perbaiki nama, NIP, angkatan, atau instansi peserta yang dipilih"),
    ]

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.INSTRUCTOR, None

    def __init__(self, instructor: Instructor) -> None:
        super().__init__()
        self.instructor = instructor
        self.columns: list[Column[SummaryRow]] = []
        self.rows: list[SummaryRow] = []
        self.shown: list[SummaryRow] = []  # the table's rows, in its order
        self.sort_by: int | None = None
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with TabbedContent(id="instructor-tabs"):
            with TabPane("Angkatan", id="tab-cohort"):
                with Horizontal(id="filters"):
                    yield Select([], prompt="Semua angkatan", id="cohort-filter", allow_blank=True)
                    yield Input(placeholder="Cari nama atau NIP", id="search")
                yield Static("", id="cohort-count", markup=False)
                yield DataTable(id="cohort-table", zebra_stripes=True, cursor_type="cell", fixed_columns=1)
            with TabPane("Ringkasan", id="tab-glance"), VerticalScroll():
                yield Static("Memuat…", id="glance")
            with TabPane("Analisis soal", id="tab-items"), VerticalScroll():
                yield Static("Memuat…", id="items")
            with TabPane("Kelas (langsung)", id="tab-room"):
                yield Static("Memuat…", id="room-count", markup=False)
                yield DataTable(id="room-table", zebra_stripes=True, cursor_type="row", fixed_columns=1)
            if self.services.course.journal is not None:
                with TabPane("Berbagi pengalaman", id="tab-shared"):
                    yield SharedEntries()
                with TabPane("Tinjau jurnal", id="tab-journal"):
                    yield JournalQueue()
            with TabPane("Ekspor", id="tab-export"), VerticalScroll(id="export-form"):
                yield Static("Ekspor hasil untuk spreadsheet. Angkatan mengikuti filter di tab Angkatan.")
                yield Select([("CSV (Excel, LibreOffice)", "csv"), ("XLSX", "xlsx"), ("JSON", "json")], value="xlsx", allow_blank=False, id="export-format")
                yield Select(export_details(self.services.course.journal is not None), value="summary", allow_blank=False, id="export-detail")
                yield Input(value=str(Path.cwd() / "hasil-latsar.xlsx"), id="export-path")
                yield Button("Ekspor", id="export-go", variant="primary")
                yield Static("", id="export-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Tampilan pengampu"
        self.action_reload()
        self.set_interval(ROOM_SECONDS, self.refresh_room)
        self.refresh_room()
        if self.latsar.serve:
            self.query_one(TabbedContent).active = "tab-room"
        if self.app.is_web:  # the file goes to the instructor's browser, not to the server's disk
            self.query_one("#export-path", Input).value = "hasil-latsar.xlsx"

    def refresh_room(self) -> None:
        self.io(self.instructor.room.now, done=self._room)
        if self._tab() == "tab-shared":  # what the class shares, live, while it is shown
            self.query_one(SharedEntries).reload(self._cohort())

    def _tab(self) -> str:
        return str(self.query_one("#instructor-tabs", TabbedContent).active)

    def _room(self, now: RoomNow) -> None:
        lines = now.lines
        table = self.query_one("#room-table", DataTable)
        evals = self.services.course.evaluations
        if not table.columns:
            table.add_columns("Nama", "NIP", "Sedang", *(f"{e.name} %" for e in evals), *(f"{e.name} terbuka" for e in evals if e.requires), "Terlihat")
        cursor = table.cursor_row
        table.clear()
        titles = self.instructor.room.titles
        for line in lines:
            best = line.scores(len(evals))
            gate = ["ya" if ok else "belum" for ev, ok in zip(evals, line.open) if ev.requires]
            table.add_row(Text(line.name), line.seat.nip or "-", Text(line.doing(titles)), *best, *gate, format_time(line.seat.seen_at)[-5:])
        if lines:
            table.move_cursor(row=min(cursor, len(lines) - 1))
        others = f" · {now.others} sesi lain (di layar masuk atau pengampu)" if now.others else ""
        self.query_one("#room-count", Static).update(f"{len(lines)} peserta sedang masuk{others} · diperbarui setiap {ROOM_SECONDS:.0f} detik")

    def _cohort(self) -> str | None:
        value = self.query_one("#cohort-filter", Select).value
        return None if value is Select.NULL else str(value)

    def action_reload(self) -> None:
        self.io(load_summary, self.instructor, self._cohort(), done=self._loaded)
        self.io(self.instructor.items.report, self._cohort(), done=self._items)
        if self.services.course.journal is not None:
            self._reload_journal()

    def _loaded(self, result: tuple[list[Column[SummaryRow]], list[SummaryRow]]) -> None:
        self.columns, self.rows = result
        select = self.query_one("#cohort-filter", Select)
        if self._cohort() is None:
            select.set_options([(c, c) for c in sorted({r.cohort for r in self.rows if r.cohort})])
        self._fill()
        self.query_one("#glance", Static).update(glance_text(self.instructor, self._cohort(), self.rows))

    def _fill(self) -> None:
        needle = self.query_one("#search", Input).value.strip().lower()
        rows = [r for r in self.rows if not needle or needle in r.name.lower() or needle in (r.nip or "")]
        if self.sort_by is not None and self.sort_by < len(self.columns):
            rows = sorted_rows(rows, self.columns[self.sort_by], self.sort_reverse)
        table = self.query_one("#cohort-table", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        self.shown = rows[:MAX_ROWS]
        fill_table(table, [self._title(i, c) for i, c in enumerate(self.columns)], [[cell(c, c.get(r)) for c in self.columns] for r in self.shown])
        if self.shown:
            table.move_cursor(row=min(cursor.row, len(self.shown) - 1), column=cursor.column, animate=False)
        shown = len(self.shown)
        note = f"{len(rows)} peserta" + (f" (ditampilkan {shown}; ekspor untuk semuanya)" if shown < len(rows) else "")
        note += " · s: urutkan menurut kolom yang dipilih · e: ubah peserta"
        self.query_one("#cohort-count", Static).update(note)

    def _title(self, i: int, column: Column[SummaryRow]) -> str:
        if i != self.sort_by:
            return column.title
        return f"{column.title} {'▼' if self.sort_reverse else '▲'}"

    def _sort(self, index: int) -> None:
        if index == self.sort_by:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_by, self.sort_reverse = index, False
        self._fill()

    def action_sort(self) -> None:
        self._sort(self.query_one("#cohort-table", DataTable).cursor_column)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self._sort(event.column_index)

    def action_edit(self) -> None:
        from latsar.tui.dialogs.edit_learner import EditLearnerDialog

        table = self.query_one("#cohort-table", DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return

        def saved(done: Edited | None) -> None:
            if done is None:
                return
            changes = "; ".join(f"{c.label}: {c.before or '-'} → {c.after or '-'}" for c in done.changes)
            self.notify(f"Data {done.learner.name} disimpan. {changes}" if changes else "Tidak ada yang berubah.", timeout=6, markup=False)
            self.action_reload()

        def edit(learner: LearnerInfo) -> None:
            self.app.push_screen(EditLearnerDialog(self.instructor, learner), saved)

        self.io(self.instructor.learners.get, self.shown[table.cursor_row].learner_id, done=edit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "edit"):
            return self.query_one("#instructor-tabs", TabbedContent).active == "tab-cohort"
        return True

    def on_tabbed_content_tab_activated(self, _: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        self._reload_journal()

    def _reload_journal(self) -> None:
        tab = self._tab()
        if tab == "tab-journal":
            self.query_one(JournalQueue).reload(self._cohort())
        elif tab == "tab-shared":
            self.query_one(SharedEntries).reload(self._cohort())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the coach's queue: review that entry."""
        if event.data_table.id != "journal-queue":
            return
        event.stop()
        from latsar.tui.dialogs.review_entry import ReviewDialog

        chosen = self.query_one(JournalQueue).chosen()
        if chosen is None:
            return

        def reviewed(done: EntryDetail | None) -> None:
            if done is not None:
                self.notify(reviewed_note(self.services.voice, done), timeout=5, markup=False)
            self.query_one(JournalQueue).reload(self._cohort())

        def review(entry: EntryDetail) -> None:
            self.app.push_screen(ReviewDialog(self.instructor, entry), reviewed)

        self.io(self.instructor.journal.entry, chosen.id, done=review)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._fill()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "cohort-filter":
            self.action_reload()
        elif event.select.id == "export-format":
            path = Path(self.query_one("#export-path", Input).value)
            self.query_one("#export-path", Input).value = str(path.with_suffix(f".{event.value}"))

    def _items(self, report: dict[str, Analysis]) -> None:
        text = Text()
        for eid, analysis in report.items():
            ev = self.services.course.evaluation(eid)
            text.append(f"{ev.title} — {analysis.n} peserta (percobaan pertama)\n", style="bold")
            for line in describe(analysis):
                text.append(line + "\n", style="italic" if line.startswith("⚠") else "")
            if analysis.n:  # no bars of p=0.00 for an evaluation nobody has finished
                text.append("Kesukaran p (bagian yang menjawab benar) per soal:\n")
                text.append_text(facility_chart(analysis.items))
            text.append("\n")
        text.append(LEGEND, style="italic")
        self.query_one("#items", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "export-go":
            return
        fmt = str(self.query_one("#export-format", Select).value)
        detail = str(self.query_one("#export-detail", Select).value)
        status = self.query_one("#export-status", Static)
        if self.app.is_web:
            self._deliver(fmt, detail, status)
            return
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        if not path.parent.is_dir():
            status.update(f"Folder {path.parent} tidak ada.")
            return
        status.update("Mengekspor…")
        self.io(
            self.instructor.exports.write, fmt, detail, path, self._cohort(),
            done=lambda n: status.update(f"{n} baris ditulis ke {path}."),
            failed=lambda exc: status.update(exc.message),
        )

    def _deliver(self, fmt: str, detail: str, status: Static) -> None:
        """In the browser: write the export privately on the server, then hand it to the browser.

        The file is removed as soon as it is open for sending: no copy of names and NIPs stays
        on the server."""
        import shutil
        import tempfile

        name = Path(self.query_one("#export-path", Input).value).with_suffix(f".{fmt}").name or f"hasil-latsar.{fmt}"
        folder = Path(tempfile.mkdtemp(prefix="latsar-ekspor-"))
        path = folder / name

        def written(n: int) -> None:
            handle = path.open("rb")
            shutil.rmtree(folder, ignore_errors=True)  # the open handle keeps the bytes until sent
            self.app.deliver_binary(handle, save_filename=name)
            status.update(f"{n} baris; berkas {name} dikirim ke browser Anda.")

        def failed(exc: LatsarError) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            status.update(exc.message)

        status.update("Mengekspor…")
        self.io(self.instructor.exports.write, fmt, detail, path, self._cohort(), done=written, failed=failed)

    def action_back(self) -> None:
        self.dismiss()
