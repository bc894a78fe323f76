"""`latsar progress`."""

from typing import Annotated, Optional

import typer


def progress(
    ctx: typer.Context,
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import trainee

    svc, me = trainee(ctx, learner)
    state = me.progress()
    if as_json:
        typer.echo(json.dumps(svc.voice.progress_json(state), ensure_ascii=False))
        return
    from latsar.plain.progress import print_progress

    print_progress(me.voice, state)
