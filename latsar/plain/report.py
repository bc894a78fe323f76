"""`latsar report items` in a plain terminal."""

from __future__ import annotations

from rich.table import Table

from latsar.assessment.items import ItemStat
from latsar.course import Course
from latsar.plain.console import stdout

LEGEND = "p < 0,30 terlalu sulit; p > 0,90 terlalu mudah; D < 0,20 daya beda rendah; pengecoh dipilih < 5% tidak berfungsi."


def _row(course: Course, eid: str, s: ItemStat) -> tuple[str, ...]:
    p = "-" if s.facility is None else f"{s.facility:.2f}"
    d = "-" if s.discrimination is None else f"{s.discrimination:+.2f}"
    letters = course.evaluation(eid).bank.question(s.question_id).letters
    spread = "/".join(str(s.options.get(k, 0)) for k in (*letters, "-"))
    return str(s.number), s.key, p, d, spread, "; ".join(s.flags)


def print_items(course: Course, report: dict[str, list[ItemStat]]) -> None:
    out = stdout()
    for eid, stats in report.items():
        n = stats[0].responses if stats else 0
        table = Table(title=f"{course.evaluation(eid).title} — {n} peserta (percobaan pertama)", expand=False)
        for col in ("No", "Kunci", "Kesukaran (p)", "Daya beda (D)", "Sebaran a/b/c/d/-", "Catatan"):
            table.add_column(col)
        for s in stats:
            table.add_row(*_row(course, eid, s))
        out.print(table)
    out.print(LEGEND)
