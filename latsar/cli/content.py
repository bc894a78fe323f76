"""`latsar content check`."""

from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("check", help="Periksa paket materi; tampilkan setiap masalah sebagai berkas:baris: pesan.")
def check(
    ctx: typer.Context,
    content: Annotated[Optional[str], typer.Option("--content", help="Folder paket materi yang diperiksa.")] = None,
) -> None:
    from latsar.cli import settings
    from latsar.course import check as check_pack
    from latsar.errors import EXIT_DATA
    from latsar.paths import content_root
    from latsar.terminal import visible

    root = content_root(content or settings(ctx).content)
    problems = check_pack(root)
    if problems:
        for p in problems:
            typer.echo(visible(str(p)), err=True)
        typer.echo(visible(f"{len(problems)} masalah ditemukan di {root}."), err=True)
        raise typer.Exit(EXIT_DATA)
    from latsar.course import load_course

    course = load_course(root)
    n_q = sum(len(e.bank.questions) for e in course.evaluations)
    n_p = len(course.practice.questions) if course.practice else 0
    n_c = len(course.checks.questions) if course.checks else 0
    typer.echo(visible(
        f"Paket materi baik: {course.title} ({course.version}), {len(course.sections)} bagian, "
        f"{len(course.evaluations)} evaluasi ({n_q} soal), {n_p} soal latihan, {n_c} soal cek pemahaman. "
        f"Bagian tercatat dibaca bila tidak lebih cepat dari {course.reading_wpm} kata per menit."
    ))
