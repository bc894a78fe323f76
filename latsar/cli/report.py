"""`latsar report items`: item analysis for instructors."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("items", help="Analisis butir soal: tingkat kesukaran, daya beda, sebaran pilihan.")
def items(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import services
    from latsar.services.instructor import item_report

    svc = services(ctx)
    report = item_report(svc, cohort)
    if as_json:
        typer.echo(json.dumps({eid: [s.to_json() for s in stats] for eid, stats in report.items()}, ensure_ascii=False))
        return
    from rich.table import Table

    from latsar.plain.console import stdout

    out = stdout()
    for eid, stats in report.items():
        ev = svc.course.evaluation(eid)
        n = stats[0].responses if stats else 0
        table = Table(title=f"{ev.title} — {n} peserta (percobaan pertama)", expand=False)
        for col in ("No", "Kunci", "Kesukaran (p)", "Daya beda (D)", "Sebaran a/b/c/d/-", "Catatan"):
            table.add_column(col)
        for s in stats:
            p = "-" if s.facility is None else f"{s.facility:.2f}"
            d = "-" if s.discrimination is None else f"{s.discrimination:+.2f}"
            spread = "/".join(str(s.options.get(k, 0)) for k in (*svc.course.evaluation(eid).bank.question(s.question_id).letters, "-"))
            table.add_row(str(s.number), s.key, p, d, spread, "; ".join(s.flags))
        out.print(table)
    out.print("p < 0,30 terlalu sulit; p > 0,90 terlalu mudah; D < 0,20 daya beda rendah; pengecoh dipilih < 5% tidak berfungsi.")
