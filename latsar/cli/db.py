"""`latsar db check|backup|restore`."""

from pathlib import Path
from typing import Annotated

import typer

from latsar.errors import warn

app = typer.Typer(no_args_is_help=True)


def _path(ctx: typer.Context) -> Path:
    import os

    from latsar.cli import settings
    from latsar.paths import db_path
    from latsar.services.maintenance import sqlite_file

    target = settings(ctx).db or os.environ.get("LATSAR_DB")
    return sqlite_file(target).expanduser() if target else db_path(None)


@app.command("check", help="Periksa keutuhan basis data dan tampilkan ringkasannya.")
def check(ctx: typer.Context) -> None:
    from latsar.errors import EXIT_DATA
    from latsar.services import maintenance

    report, warnings = maintenance.check(_path(ctx))
    for w in warnings:
        warn(w)
    typer.echo(f"Basis data: {report.path}")
    typer.echo(f"Skema: v{report.schema}, jurnal: {report.journal}, peserta: {report.learners}, percobaan: {report.attempts}")
    if not report.sound:
        typer.echo(f"latsar: basis data rusak: {report.integrity}", err=True)
        raise typer.Exit(EXIT_DATA)
    typer.echo("Keutuhan: ok")


@app.command("backup", help="Salin basis data ke BERKAS (salinan yang konsisten, aman saat aplikasi berjalan).")
def backup(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Berkas cadangan baru.", metavar="BERKAS")]) -> None:
    from latsar.services import maintenance

    maintenance.backup(_path(ctx), file)
    typer.echo(f"Cadangan tersimpan: {file}")


@app.command("restore", help="Pulihkan basis data dari BERKAS cadangan (basis data sekarang dicadangkan dulu).")
def restore(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Berkas cadangan.", metavar="BERKAS")]) -> None:
    from latsar.services import maintenance

    safety = maintenance.restore(_path(ctx), file)
    typer.echo(f"Basis data dipulihkan dari {file}.")
    if safety:
        typer.echo(f"Basis data sebelumnya disimpan sebagai {safety}.")
