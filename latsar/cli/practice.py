"""`latsar practice`: practice questions (case studies and section checks), scheduled by FSRS."""

from typing import Annotated, Optional

import typer


def practice(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option("--section", help="Hanya cek pemahaman bagian ini (id bagian, lihat `latsar read`).")] = None,
    count: Annotated[int, typer.Option("--count", min=1, max=200, help="Berapa soal.")] = 10,
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan sebagai satu objek JSON.")] = False,
) -> None:
    from latsar.cli.common import trainee
    from latsar.plain.practice import run_practice

    _, me = trainee(ctx, learner)
    raise typer.Exit(run_practice(me, section, count, as_json))
