"""`latsar report items|cohort`: item analysis and the cohort at a glance, for instructors."""

from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("items", help="Analisis butir soal: kesukaran, daya beda, korelasi butir-sisa, sebaran pilihan, reliabilitas KR-20.")
def items(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import instructor

    svc, boss = instructor(ctx)
    report = boss.items.report(cohort)
    if as_json:
        typer.echo(json.dumps({eid: analysis.to_json() for eid, analysis in report.items()}, ensure_ascii=False))
        return
    from latsar.plain.report import print_items

    print_items(svc.course, report)


@app.command("cohort", help="Angkatan sekilas: terdaftar, sudah mulai, lulus tiap evaluasi, belum mulai (siapa), rata-rata dan median skor terbaik, bagian dibaca.")
def cohort(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini (bawaan: setiap angkatan).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON (daftar, satu objek per angkatan).")] = False,
) -> None:
    import json

    from latsar.cli.common import instructor

    glances = instructor(ctx)[1].report.cohorts(cohort)
    if as_json:
        typer.echo(json.dumps([g.to_json() for g in glances], ensure_ascii=False))
        return
    from latsar.plain.report import print_cohorts

    print_cohorts(glances)
