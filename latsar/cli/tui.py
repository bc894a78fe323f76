"""`latsar` / `latsar tui`: the full-screen app."""

from typing import Annotated, Optional

import typer


def run_tui(settings, learner: str | None = None, serve: bool = False) -> None:
    import os

    from latsar.services import open_services

    svc = open_services(settings.db, settings.content)
    for warning in svc.db.warnings:
        typer.echo(f"latsar: peringatan: {warning}", err=True)
    learner_id = svc.learners.resolve(learner).id if learner else None
    from latsar.tui.app import build_app

    idle = int(os.environ.get("LATSAR_IDLE_MINUTES", "0") or 0) or None
    try:
        build_app(svc, learner_id, serve=serve, idle_minutes=idle).run()
    finally:
        svc.close()


def tui(
    ctx: typer.Context,
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta.")] = None,
) -> None:
    from latsar.cli import settings

    run_tui(settings(ctx), learner)
