"""`latsar learner add|list|import|edit|merge|remove`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from latsar.services.instructor.records import Footprint

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
    from latsar.errors import warn

    directory = services(ctx).learners
    learner = directory.add(name, nip, cohort, instansi)
    for other in directory.namesakes(learner):
        where = f"angkatan {other.cohort}" if other.cohort else "peserta tanpa angkatan"
        nip_said = f"NIP {other.nip}" if other.nip else "tanpa NIP"
        warn(
            f"nama {other.name} sudah terdaftar di {where} (id {other.id}, {nip_said}). Bila orang yang sama, "
            f"gabungkan: latsar learner merge {other.id} {learner.id}"
        )
    if learner.nip:
        typer.echo(f"Peserta terdaftar: {learner.label}.")
    else:  # without a NIP the number is how --learner finds them
        typer.echo(f"Peserta terdaftar: {learner.label}. Tanpa NIP: pilih dengan --learner {learner.id}.")


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
    from latsar.plain.ticker import Ticker
    from latsar.terminal import visible

    roster = instructor(ctx)[1].roster
    progress = Ticker("membaca daftar peserta: baris")
    try:
        report = roster.import_rows(progress.each(read_roster(Path(file)), then="menyimpan ke basis data"), skip_invalid=skip_invalid, update=update)
    finally:
        progress.clear()
    for problem in report.skipped:
        typer.echo(f"latsar: dilewati: {visible(problem)}", err=True)
    updated = f", {report.updated} diperbarui" if update else ""
    typer.echo(f"Impor selesai: {report.added} peserta baru, {report.unchanged} sudah ada{updated}, {len(report.skipped)} baris dilewati.")
    if report.differing:
        shown = "; ".join(visible(d) for d in report.differing[:5])
        more = f"; dan {len(report.differing) - 5} lainnya" if len(report.differing) > 5 else ""
        typer.echo(
            f"{len(report.differing)} peserta yang sudah ada tertulis lain di daftar ini (nama, angkatan, atau instansi) dan tidak diubah: "
            f"{shown}{more}. Bila daftar ini yang benar, impor ulang dengan --update."
        )


@app.command("pin", help="Buat atau ganti PIN seorang peserta (ditanya dua kali; dari skrip: dua baris).")
def pin(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="NIP atau id peserta.", metavar="PESERTA")],
) -> None:
    from latsar.cli.common import instructor, new_secrets
    from latsar.errors import UsageError

    _, boss = instructor(ctx)
    who = boss.learners.resolve(ref)
    first, second = (s.strip() for s in new_secrets(f"PIN baru untuk {who.name}", "Ulangi PIN"))
    if first != second:
        raise UsageError("Kedua PIN tidak sama; PIN tidak diubah.")
    boss.pins.set(who.id, first)
    typer.echo(f"PIN {who.label} tersimpan.")


@app.command(
    "pins",
    help="PIN acak baru untuk seluruh angkatan (--cohort), atau hanya untuk peserta tertentu (--learner, mis. yang datang terlambat: "
    "PIN peserta lain tetap), ditulis ke lembar kartu untuk dicetak di A4 dan digunting (.html; setiap kartu memuat alamat kelas "
    "dan kode QR-nya) atau ke .csv.",
)
def pins(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Lembar PIN: .html (kartu untuk dicetak dan digunting) atau .csv.")],
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Angkatan: PIN baru untuk setiap pesertanya.")] = None,
    learner: Annotated[Optional[list[str]], typer.Option("--learner", help="NIP atau id: PIN baru hanya untuk peserta ini (boleh diulang).", metavar="PESERTA")] = None,
    alamat: Annotated[Optional[str], typer.Option("--alamat", help="Alamat kelas yang dicetak di kartu (bawaan: alamat mesin ini seperti dicetak `latsar serve`, port 8000).", metavar="URL")] = None,
) -> None:
    from latsar.cli.common import instructor
    from latsar.errors import UsageError, warn
    from latsar.exchange.files import output_path
    from latsar.exchange.sheets import check_address, sheet_format

    refs = learner or []
    if (cohort is None) == (not refs):
        raise UsageError(
            "Pilih satu: --cohort ANGKATAN (PIN baru untuk seluruh angkatan) atau --learner NIP/id "
            "(PIN baru hanya untuk peserta itu; PIN peserta lain tetap)."
        )
    if alamat is not None:
        address = check_address(alamat)
    else:
        from latsar.server.addresses import urls

        address = urls("0.0.0.0", 8000, False)[0]  # the first address `latsar serve` prints
        if "//localhost:" in address:
            warn(f"alamat jaringan mesin ini tidak ditemukan; kartu menulis {address}, yang hanya terbuka di mesin ini. Tulis alamat kelas dengan --alamat.")
    sheet_format(output.suffix)
    output_path(output)
    _, boss = instructor(ctx)
    issued = boss.issue_pins(output, address, cohort=cohort, refs=refs)
    if cohort is not None:
        typer.echo(f"{len(issued)} PIN baru untuk angkatan {cohort} ditulis ke {output}. PIN lama tidak berlaku lagi; simpan lembar itu baik-baik.")
    else:
        names = ", ".join(p.learner.label for p in issued)
        typer.echo(f"PIN baru untuk {names} ditulis ke {output}; PIN lamanya tidak berlaku lagi, PIN peserta lain tidak berubah.")
    typer.echo(f"Alamat di kartu: {address} (alamat lain: --alamat).")


@app.command("edit", help="Perbaiki data peserta (REF: NIP atau id). Nilai kosong (\"\") menghapus NIP, angkatan atau instansi.")
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="NIP atau id peserta.", metavar="REF")],
    name: Annotated[Optional[str], typer.Option("--name", help="Nama lengkap yang benar.")] = None,
    nip: Annotated[Optional[str], typer.Option("--nip", help="NIP 18 angka yang benar (\"\" menghapusnya).")] = None,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Angkatan (dibuat bila belum ada; \"\" mengeluarkan dari angkatan).")] = None,
    instansi: Annotated[Optional[str], typer.Option("--instansi", help="Instansi asal (\"\" menghapusnya).")] = None,
) -> None:
    from latsar.cli.common import instructor

    svc, boss = instructor(ctx)
    learner = svc.learners.resolve(ref)
    done = boss.records.edit(learner.id, name, nip, cohort, instansi)
    if not done.changes:
        typer.echo(f"Tidak ada yang berubah: {done.learner.label}, id {done.learner.id}.")
        return
    changes = "; ".join(f"{c.label} {c.before or '-'} → {c.after or '-'}" for c in done.changes)
    typer.echo(f"Peserta id {done.learner.id} diperbaiki: {changes}.")


def _footprint_text(fp: "Footprint") -> str:
    parts = [f"{fp.attempts} percobaan ({fp.answers} jawaban)", f"{fp.sections} catatan baca", f"{fp.cards} kartu latihan ({fp.reviews} ulasan)"]
    if fp.journal:
        parts.append(f"{fp.journal} entri jurnal")
    if fp.pin:
        parts.append("PIN")
    return ", ".join(parts)


@app.command("merge", help="Gabungkan dua pendaftaran orang yang sama: semua percobaan, bacaan, dan latihan OTHER pindah ke KEEP, lalu OTHER dihapus.")
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="NIP atau id peserta yang dipertahankan.", metavar="KEEP")],
    other: Annotated[str, typer.Argument(help="NIP atau id pendaftaran ganda yang digabungkan lalu dihapus.", metavar="OTHER")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Jangan bertanya lagi.")] = False,
) -> None:
    from latsar.cli.common import confirm, instructor

    svc, boss = instructor(ctx)
    kept, gone = svc.learners.resolve(keep), svc.learners.resolve(other)
    records = boss.records
    if kept.id != gone.id:
        typer.echo(f"Pertahankan: {kept.label}, id {kept.id}, angkatan {kept.cohort or '-'}.")
        typer.echo(f"Gabungkan lalu hapus: {gone.label}, id {gone.id}, angkatan {gone.cohort or '-'}: {_footprint_text(records.footprint(gone.id))}.")
        confirm("Gabungkan?", yes, "Tidak digabung: belum dikonfirmasi (jawab y, atau pakai --yes).")
    report = records.merge(kept.id, gone.id)
    m = report.moved
    typer.echo(
        f"Digabung ke {report.kept.label}, id {report.kept.id}: {m.attempts} percobaan, "
        f"{m.sections_moved + m.sections_combined} catatan baca ({m.sections_combined} disatukan), "
        f"{m.cards_moved + m.cards_combined} kartu latihan ({m.cards_combined} disatukan), {m.reviews} ulasan latihan"
        + (f", {m.journal} entri jurnal" if m.journal else "") + " pindah."
    )
    if m.open_folded:
        typer.echo(f"{m.open_folded} percobaan yang sama-sama belum selesai disatukan ({m.answers_copied} jawaban disalin); yang lain ditandai ditinggalkan.")
    if m.filled:
        typer.echo("Data yang kosong diisi dari pendaftaran ganda: " + ", ".join(m.filled) + ".")
    if report.backup:
        typer.echo(f"Cadangan sebelum penggabungan: {report.backup}")


@app.command("remove", help="Hapus peserta beserta semua percobaan, bacaan, dan latihannya (bertanya dulu; cadangan dibuat dulu).")
def remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="NIP atau id peserta.", metavar="REF")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Jangan bertanya lagi.")] = False,
) -> None:
    from latsar.cli.common import confirm, instructor

    svc, boss = instructor(ctx)
    learner = svc.learners.resolve(ref)
    records = boss.records
    typer.echo(f"Hapus {learner.label}, id {learner.id}, angkatan {learner.cohort or '-'}, beserta {_footprint_text(records.footprint(learner.id))}.")
    confirm("Hapus peserta ini?", yes, "Tidak dihapus: belum dikonfirmasi (jawab y, atau pakai --yes).")
    done = records.remove(learner.id)
    typer.echo(f"Peserta {done.learner.label} dihapus.")
    if done.backup:
        typer.echo(f"Cadangan sebelum penghapusan: {done.backup} (pulihkan dengan `latsar db restore`).")
