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


def _guarded(ctx: typer.Context, path: Path) -> None:
    """The whole database (every name, NIP, answer and PIN hash) is the instructor's: once a
    passphrase is set, copying or replacing it asks for it, like every instructor command."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    from latsar.cli.common import instructor

    instructor(ctx)[0].close()


@app.command("backup", help="Salin basis data ke BERKAS (salinan yang konsisten, aman saat aplikasi berjalan). Perlu kata sandi pengampu bila sudah dibuat.")
def backup(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Berkas cadangan baru.", metavar="BERKAS")]) -> None:
    from latsar.services import maintenance

    path = _path(ctx)
    _guarded(ctx, path)
    maintenance.backup(path, file)
    typer.echo(f"Cadangan tersimpan: {file}")


@app.command(
    "restore",
    help="Pulihkan basis data dari BERKAS cadangan (basis data sekarang dicadangkan dulu). Perlu kata sandi pengampu bila sudah dibuat; "
    "bertanya dulu bila ada evaluasi yang sedang dikerjakan atau cadangan itu tidak memuat kata sandi atau PIN yang ada sekarang.",
)
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Berkas cadangan.", metavar="BERKAS")],
    yes: Annotated[bool, typer.Option("--yes", help="Jangan bertanya dulu.")] = False,
) -> None:
    from latsar.cli.common import confirm
    from latsar.services import maintenance

    path = _path(ctx)
    _guarded(ctx, path)
    plan = maintenance.restore_plan(path, file)
    for sentence in plan.warnings:
        typer.echo(f"Perhatian: {sentence}", err=True)
    if plan.warnings:
        confirm(f"Pulihkan {path} dari {file}?", yes, "Pemulihan dibatalkan; basis data tidak diubah.")
    safety = maintenance.restore(path, file)
    typer.echo(f"Basis data dipulihkan dari {file}.")
    if safety:
        typer.echo(f"Basis data sebelumnya disimpan sebagai {safety}.")
