"""`latsar learner add|list|import`."""

from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("add", help="Daftarkan peserta baru.")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Nama lengkap peserta.")],
    nip: Annotated[Optional[str], typer.Option("--nip", help="NIP 18 angka (boleh dengan spasi).")] = None,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Angkatan, mis. 'Latsar Gol. III Angkatan 12'.")] = None,
    instansi: Annotated[Optional[str], typer.Option("--instansi", help="Instansi asal.")] = None,
) -> None:
    from latsar.cli.common import services

    learner = services(ctx).learners.add(name, nip, cohort, instansi)
    if learner.nip:
        typer.echo(f"Peserta terdaftar: {learner.label}.")
    else:  # without a NIP the number is how --learner finds them
        typer.echo(f"Peserta terdaftar: {learner.label}. Tanpa NIP: pilih dengan --learner {learner.id}.")


@app.command("list", help="Tampilkan peserta di basis data ini.")
def list_(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import services

    learners = services(ctx).learners.list(cohort)
    if as_json:
        typer.echo(json.dumps([
            {"id": l.id, "name": l.name, "nip": l.nip, "cohort": l.cohort, "instansi": l.instansi} for l in learners
        ], ensure_ascii=False))
        return
    if not learners:
        typer.echo("Belum ada peserta." if not cohort else f"Tidak ada peserta di angkatan '{cohort}'.")
        return
    from rich.table import Table

    from latsar.plain.console import stdout

    table = Table(expand=False)
    for col in ("Id", "Nama", "NIP", "Angkatan", "Instansi"):
        table.add_column(col)
    for l in learners:
        table.add_row(str(l.id), l.name, l.nip or "-", l.cohort or "-", l.instansi or "-")
    stdout().print(table)


@app.command("import", help="Impor daftar peserta dari CSV atau XLSX (kolom: nama, nip, angkatan, instansi).")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Berkas .csv atau .xlsx.", metavar="BERKAS")],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Lewati baris yang salah dan impor sisanya.")] = False,
) -> None:
    from pathlib import Path

    from latsar.cli.common import services
    from latsar.exchange.roster import read_roster

    report = services(ctx).instructor().roster.import_rows(read_roster(Path(file)), skip_invalid=skip_invalid)
    for problem in report.skipped:
        typer.echo(f"latsar: dilewati: {problem}", err=True)
    typer.echo(f"Impor selesai: {report.added} peserta baru, {report.unchanged} sudah ada, {len(report.skipped)} baris dilewati.")
