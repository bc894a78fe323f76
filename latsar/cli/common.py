"""Helpers shared by the commands (imported lazily, inside command functions)."""

from __future__ import annotations

import typer


def services(ctx: typer.Context):
    from latsar.cli import settings
    from latsar.services import open_services

    s = settings(ctx)
    svc = open_services(s.db, s.content)
    for warning in svc.db.warnings:
        typer.echo(f"latsar: peringatan: {warning}", err=True)
    return svc
