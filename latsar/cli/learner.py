"""`latsar learner add|list|import`."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("add", help="Daftarkan peserta baru.")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Nama lengkap peserta.")],
    nip: Annotated[Optional[str], typer.Option("--nip", help="NIP 18 angka (boleh dengan spasi).")] = None,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Angkatan, mis. 'Latsar Gol. III Angkatan 12'.")] = None,
    instansi: Annotated[Optional[str], typer.Option("--instansi", help="Instansi asal.")] = None,
) -> None:
    from latsar.cli.common import services

    learner = services(ctx).learners.add(name, nip, cohort, instansi)
    typer.echo(f"Peserta terdaftar: {learner.label}, id {learner.id}.")


@app.command("list", help="Tampilkan peserta di basis data ini.")
def list_(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.cli.common import instructor

    learners = instructor(ctx)[1].learners.list(cohort)
    if as_json:
        typer.echo(json.dumps([
            {"id": l.id, "name": l.name, "nip": l.nip, "cohort": l.cohort, "instansi": l.instansi} for l in learners
        ], ensure_ascii=False))
        return
    if not learners:
        typer.echo("Belum ada peserta." if not cohort else f"Tidak ada peserta di angkatan '{cohort}'.")
        return
    from latsar.plain.learners import print_learners

    print_learners(learners)


@app.command("import", help="Impor daftar peserta dari CSV atau XLSX (kolom: nama, nip, angkatan, instansi).")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Berkas .csv atau .xlsx.", metavar="BERKAS")],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Lewati baris yang salah dan impor sisanya.")] = False,
    update: Annotated[bool, typer.Option("--update", help="Perbaiki nama, angkatan, dan instansi NIP yang sudah terdaftar sesuai daftar ini.")] = False,
) -> None:
    from pathlib import Path

    from latsar.cli.common import instructor
    from latsar.exchange.roster import read_roster

    report = instructor(ctx)[1].roster.import_rows(read_roster(Path(file)), skip_invalid=skip_invalid, update=update)
    for problem in report.skipped:
        typer.echo(f"latsar: dilewati: {problem}", err=True)
    updated = f", {report.updated} diperbarui" if update else ""
    typer.echo(f"Impor selesai: {report.added} peserta baru, {report.unchanged} sudah ada{updated}, {len(report.skipped)} baris dilewati.")


@app.command("pin", help="Buat atau ganti PIN seorang peserta (ditanya dua kali; dari skrip: dua baris).")
def pin(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="NIP atau id peserta.", metavar="PESERTA")],
) -> None:
    import sys

    from latsar.cli.common import instructor
    from latsar.errors import UsageError

    _, boss = instructor(ctx)
    who = boss.learners.resolve(ref)
    if sys.stdin.isatty():
        first = typer.prompt(f"PIN baru untuk {who.name}", hide_input=True)
        second = typer.prompt("Ulangi PIN", hide_input=True)
    else:
        first, second = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    if first != second:
        raise UsageError("Kedua PIN tidak sama; PIN tidak diubah.")
    boss.pins.set(who.id, first)
    typer.echo(f"PIN {who.label} tersimpan.")


@app.command("pins", help="Beri setiap peserta satu angkatan PIN baru acak dan tulis lembar PIN untuk dicetak (CSV atau HTML).")
def pins(
    ctx: typer.Context,
    cohort: Annotated[str, typer.Option("--cohort", help="Angkatan.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Lembar PIN: .html (untuk dicetak dan digunting) atau .csv.")],
) -> None:
    from latsar.cli.common import instructor
    from latsar.exchange.files import output_path

    output_path(output)
    _, boss = instructor(ctx)
    issued = boss.issue_pins(cohort, output)
    typer.echo(f"{len(issued)} PIN baru untuk angkatan {cohort} ditulis ke {output}. PIN lama tidak berlaku lagi; simpan lembar itu baik-baik.")
