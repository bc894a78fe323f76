"""`latsar quiz EVALUASI`."""

from typing import Annotated, Optional

import typer


def quiz(
    ctx: typer.Context,
    evaluation: Annotated[str, typer.Argument(help="Kode evaluasi, seperti yang ditampilkan `latsar progress --json`.", metavar="EVALUASI")],
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak hasil sebagai satu objek JSON.")] = False,
    shuffle: Annotated[bool, typer.Option("--shuffle", help="Acak urutan soal dan pilihan (skor tidak berubah).")] = False,
    again: Annotated[bool, typer.Option("--ulang", help="Setelah lulus: mulai percobaan baru tanpa ditanya (nilai terbaik tetap dihitung).")] = False,
) -> None:
    from latsar.cli.common import trainee
    from latsar.plain.quiz import run_quiz

    _, me = trainee(ctx, learner)
    raise typer.Exit(run_quiz(me, evaluation.lower(), shuffle=shuffle, as_json=as_json, again=again))
