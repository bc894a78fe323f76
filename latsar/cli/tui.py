"""`latsar` / `latsar tui`: the full-screen app."""

from typing import Annotated, Optional

import typer


def tui(
    ctx: typer.Context,
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta.")] = None,
) -> None:
    from latsar.cli import settings
    from latsar.tui.run import run_tui

    code = run_tui(settings(ctx).db, settings(ctx).content, learner)
    if code:
        raise typer.Exit(code)
