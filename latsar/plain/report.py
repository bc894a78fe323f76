"""`latsar report items` and `latsar report cohort` in a plain terminal."""

from __future__ import annotations

from rich.table import Table

from latsar.assessment.items import Analysis, ItemStat
from latsar.course import Course
from latsar.plain.console import stdout
from latsar.services.instructor.items import LEGEND, describe
from latsar.services.instructor.report import CohortGlance
from latsar.services.instructor.report import describe as describe_cohort


def _stat(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _row(course: Course, eid: str, s: ItemStat) -> tuple[str, ...]:
    letters = course.evaluation(eid).bank.question(s.question_id).letters
    spread = "/".join(str(s.options.get(k, 0)) for k in (*letters, "-"))
    return str(s.number), s.key, _stat(s.facility), _stat(s.discrimination, True), _stat(s.point_biserial, True), spread, "; ".join(s.flags)


def print_items(course: Course, report: dict[str, Analysis]) -> None:
    out = stdout()
    for eid, analysis in report.items():
        table = Table(title=f"{course.evaluation(eid).title} — {analysis.n} peserta (percobaan pertama)", expand=False)
        for col in ("No", "Kunci", "Kesukaran (p)", "Daya beda (D)", "r butir-sisa", "Sebaran a/b/c/d/-", "Catatan"):
            table.add_column(col)
        for s in analysis.items:
            table.add_row(*_row(course, eid, s))
        out.print(table)
        for line in describe(analysis):
            out.print(line, highlight=False)
        out.print()
    out.print(LEGEND, highlight=False)


def print_cohorts(glances: list[CohortGlance]) -> None:
    out = stdout()
    if not glances:
        out.print("Belum ada peserta.")
    for g in glances:
        heading, *rest = describe_cohort(g, names=1000)
        out.print(heading, style="bold", highlight=False)
        for line in rest:
            out.print("  " + line, highlight=False)
        out.print()
