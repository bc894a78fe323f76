"""`latsar db check|backup|restore`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


def _path(ctx: typer.Context) -> Path:
    from latsar.cli import settings
    from latsar.errors import UsageError
    from latsar.paths import db_path

    target = settings(ctx).db
    if target and "://" in target and not target.startswith("sqlite"):
        raise UsageError("Perintah db hanya untuk berkas SQLite; untuk server basis data pakai alat server itu.")
    return db_path(target)


@app.command("check", help="Periksa keutuhan basis data dan tampilkan ringkasannya.")
def check(ctx: typer.Context) -> None:
    from sqlalchemy import func
    from sqlmodel import select

    from latsar.errors import EXIT_DATA
    from latsar.storage.database import SCHEMA_VERSION, integrity, open_database
    from latsar.storage.models import Attempt, Learner

    path = _path(ctx)
    db = open_database(path)
    for w in db.warnings:
        typer.echo(f"latsar: peringatan: {w}", err=True)
    with db.read() as s:
        learners = s.exec(select(func.count()).select_from(Learner)).one()
        attempts = s.exec(select(func.count()).select_from(Attempt)).one()
        mode = s.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    db.dispose()
    result = integrity(path)
    typer.echo(f"Basis data: {path}")
    typer.echo(f"Skema: v{SCHEMA_VERSION}, jurnal: {mode}, peserta: {learners}, percobaan: {attempts}")
    if result != "ok":
        typer.echo(f"latsar: basis data rusak: {result}", err=True)
        raise typer.Exit(EXIT_DATA)
    typer.echo("Keutuhan: ok")


@app.command("backup", help="Salin basis data ke BERKAS (salinan yang konsisten, aman saat aplikasi berjalan).")
def backup(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Berkas cadangan baru.", metavar="BERKAS")]) -> None:
    from latsar.errors import UsageError
    from latsar.storage.database import backup_file, open_database

    path = _path(ctx)
    if file.exists():
        raise UsageError(f"Berkas {file} sudah ada; pilih nama lain agar tidak tertimpa.")
    open_database(path).dispose()  # refuses a corrupt or newer database before copying it
    backup_file(path, file)
    typer.echo(f"Cadangan tersimpan: {file}")


@app.command("restore", help="Pulihkan basis data dari BERKAS cadangan (basis data sekarang dicadangkan dulu).")
def restore(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Berkas cadangan.", metavar="BERKAS")]) -> None:
    from latsar.storage.database import restore_file

    safety = restore_file(file, _path(ctx))
    typer.echo(f"Basis data dipulihkan dari {file}.")
    if safety:
        typer.echo(f"Basis data sebelumnya disimpan sebagai {safety}.")
