"""`latsar cohort list|rename`: cohorts as people type them."""

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("list", help="Tampilkan angkatan dan jumlah pesertanya.")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import instructor

    cohorts = instructor(ctx)[1].cohorts
    found = cohorts.list()
    loose = cohorts.without_cohort()
    if as_json:  # learners without a cohort are listed too, under "name": null
        listed = [c.to_json() for c in found] + ([{"name": None, "learners": loose}] if loose else [])
        typer.echo(json.dumps(listed, ensure_ascii=False))
        return
    if not found and not loose:
        typer.echo("Belum ada angkatan.")
        return
    from rich.table import Table

    from latsar.plain.console import stdout

    table = Table(expand=False)
    table.add_column("Angkatan")
    table.add_column("Peserta", justify="right")
    for c in found:
        table.add_row(c.name, str(c.learners))
    if loose:
        table.add_row("(tanpa angkatan)", str(loose), style="italic")
    stdout().print(table)


@app.command(
    "rename",
    help="Ganti nama angkatan OLD menjadi NEW (huruf besar/kecil dan spasi tidak dibedakan). "
    "Bila NEW sudah ada, pakai --merge untuk memindahkan semua peserta OLD ke sana.",
)
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Nama angkatan sekarang.", metavar="OLD")],
    new: Annotated[str, typer.Argument(help="Nama baru.", metavar="NEW")],
    merge: Annotated[bool, typer.Option("--merge", help="Bila NEW sudah ada: gabungkan OLD ke dalamnya.")] = False,
) -> None:
    from latsar.cli.common import instructor

    done = instructor(ctx)[1].cohorts.rename(old, new, merge)
    if done.merged:
        typer.echo(f"Angkatan '{done.old}' digabung ke '{done.new}': {done.learners} peserta pindah.")
    elif done.old == done.new:
        typer.echo(f"Angkatan '{done.old}' sudah bernama begitu; tidak ada yang berubah.")
    else:
        typer.echo(f"Angkatan '{done.old}' sekarang bernama '{done.new}'.")
