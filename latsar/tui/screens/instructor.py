"""Instructor view: the cohort table with filters, export, and item analysis with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static, TabbedContent, TabPane

from latsar.assessment.items import Analysis, ItemStat
from latsar.exchange.tabular import Column, Kind, Table
from latsar.services import Instructor
from latsar.services.instructor.items import LEGEND, describe
from latsar.services.presentation import format_time
from latsar.services.values import SummaryRow
from latsar.tui.base import LatsarScreen

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


def load_summary(instructor: Instructor, cohort: str | None) -> tuple[list[Column[SummaryRow]], list[SummaryRow]]:
    table: Table[SummaryRow] = instructor.exports.table("summary", cohort)
    return list(table.columns), list(table.rows)


class InstructorScreen(LatsarScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Kembali", id="instructor.back", tooltip="Kembali ke peta modul"),
        Binding("r", "reload", "Muat ulang", id="instructor.reload", tooltip="Muat ulang data angkatan"),
    ]

    def __init__(self, instructor: Instructor) -> None:
        super().__init__()
        self.instructor = instructor
        self.columns: list[Column[SummaryRow]] = []
        self.rows: list[SummaryRow] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with TabbedContent(id="instructor-tabs"):
            with TabPane("Angkatan", id="tab-cohort"):
                with Horizontal(id="filters"):
                    yield Select([], prompt="Semua angkatan", id="cohort-filter", allow_blank=True)
                    yield Input(placeholder="Cari nama atau NIP", id="search")
                yield Static("", id="cohort-count")
                yield DataTable(id="cohort-table", zebra_stripes=True, cursor_type="row")
            with TabPane("Analisis soal", id="tab-items"), VerticalScroll():
                yield Static("Memuat…", id="items")
            with TabPane("Ekspor", id="tab-export"), VerticalScroll(id="export-form"):
                yield Static("Ekspor hasil untuk spreadsheet. Angkatan mengikuti filter di tab Angkatan.")
                yield Select([("CSV (Excel, LibreOffice)", "csv"), ("XLSX", "xlsx"), ("JSON", "json")], value="xlsx", allow_blank=False, id="export-format")
                yield Select([("Ringkasan per peserta", "summary"), ("Per percobaan", "attempts"), ("Per jawaban", "answers")], value="summary", allow_blank=False, id="export-detail")
                yield Input(value=str(Path.cwd() / "hasil-latsar.xlsx"), id="export-path")
                yield Button("Ekspor", id="export-go", variant="primary")
                yield Static("", id="export-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Tampilan pengampu"
        self.action_reload()

    def _cohort(self) -> str | None:
        value = self.query_one("#cohort-filter", Select).value
        return None if value is Select.NULL else str(value)

    def action_reload(self) -> None:
        self.latsar.run_io(load_summary, self.instructor, self._cohort(), done=self._loaded)
        self.latsar.run_io(self.instructor.items.report, self._cohort(), done=self._items)

    def _loaded(self, result: tuple[list[Column[SummaryRow]], list[SummaryRow]]) -> None:
        self.columns, self.rows = result
        select = self.query_one("#cohort-filter", Select)
        if self._cohort() is None:
            select.set_options([(c, c) for c in sorted({r.cohort for r in self.rows if r.cohort})])
        self._fill()

    def _fill(self) -> None:
        needle = self.query_one("#search", Input).value.strip().lower()
        rows = [r for r in self.rows if not needle or needle in r.name.lower() or needle in (r.nip or "")]
        table = self.query_one("#cohort-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*(c.title for c in self.columns))
        for r in rows[:MAX_ROWS]:
            table.add_row(*(cell(c, c.get(r)) for c in self.columns))
        shown = min(len(rows), MAX_ROWS)
        note = f"{len(rows)} peserta" + (f" (ditampilkan {shown}; ekspor untuk semuanya)" if shown < len(rows) else "")
        self.query_one("#cohort-count", Static).update(note)

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
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        status = self.query_one("#export-status", Static)
        if not path.parent.is_dir():
            status.update(f"Folder {path.parent} tidak ada.")
            return
        status.update("Mengekspor…")
        self.latsar.run_io(
            self.instructor.exports.write, fmt, detail, path, self._cohort(),
            done=lambda n: status.update(f"{n} baris ditulis ke {path}."),
            failed=lambda exc: status.update(exc.message),
        )

    def action_back(self) -> None:
        self.dismiss()
