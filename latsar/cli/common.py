"""Helpers shared by the commands (imported lazily, inside command functions)."""

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from latsar.services import Services, Trainee


def services(ctx: typer.Context) -> "Services":
    from latsar.cli import settings
    from latsar.services import open_services

    s = settings(ctx)
    svc = open_services(s.db, s.content)
    for warning in svc.db.warnings:
        typer.echo(f"latsar: peringatan: {warning}", err=True)
    return svc


def trainee(ctx: typer.Context, ref: str | None) -> "tuple[Services, Trainee]":
    """The services and the trainee named by ``--learner`` (or the only one)."""
    svc = services(ctx)
    return svc, svc.trainee(svc.learners.resolve(ref).id)


def confirm(question: str, yes: bool, refused: str) -> None:
    """Go on only when ``yes`` or the person answers y; otherwise a usage error ``refused``."""
    from latsar.errors import UsageError

    if yes:
        return
    try:
        ok = typer.confirm(question, default=False)
    except typer.Abort:  # no answer (end of input)
        typer.echo()
        ok = False
    if not ok:
        raise UsageError(refused)
