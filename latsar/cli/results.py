"""`latsar results export|import`: results files between offline laptops and the instructor."""

from pathlib import Path
from typing import Annotated, List, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("export", help="Simpan hasil seorang peserta ke berkas untuk diserahkan ke pengampu.")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas tujuan, mis. hasil-siti.json.")],
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")] = None,
) -> None:
    from latsar.cli.common import trainee

    _, me = trainee(ctx, learner)
    who = me.info()
    written = me.export_results(output)
    journal = f", {written.journal} entri jurnal" if written.journal else ""
    typer.echo(f"Hasil {who.label} ({written.finished} percobaan selesai{journal}) disimpan ke {output}.")


@app.command("import", help="Gabungkan berkas hasil peserta ke basis data ini (dinilai ulang dengan kunci di sini).")
def import_(
    ctx: typer.Context,
    files: Annotated[List[Path], typer.Argument(help="Satu atau lebih berkas hasil.", metavar="BERKAS...")],
    add_new: Annotated[bool, typer.Option("--tambah-baru", help="Terima juga berkas peserta yang belum ada di daftar peserta (didaftarkan sebagai peserta baru).")] = False,
) -> None:
    from latsar.cli.common import instructor
    from latsar.errors import EXIT_DATA
    from latsar.plain.ticker import Ticker
    from latsar.terminal import visible

    results = instructor(ctx)[1].results
    progress = Ticker("berkas hasil", total=len(files))
    rejected = doubtful = 0
    totals = {"files": 0, "added": 0, "known": 0, "learners": 0}
    for outcome in results.import_files(files, add_new=add_new):
        progress.tick()
        if outcome.refused is not None:
            rejected += 1
            progress.say(f"latsar: {visible(outcome.refused.message)}", err=True)
            continue
        r = outcome.report
        assert r is not None
        totals["files"] += 1
        totals["added"] += r.attempts_added
        totals["known"] += r.attempts_known
        totals["learners"] += r.new_learner
        doubtful += bool(r.doubts)
        notes = []
        if r.new_learner:
            notes.append("peserta baru")
        if r.journal_added or r.journal_revised:
            notes.append(f"jurnal: {r.journal_added} entri baru, {r.journal_revised} versi baru")
        if r.attempts_open:
            notes.append(f"{r.attempts_open} percobaan belum selesai dilewati")
        if r.regraded_with_other_keys:
            notes.append("kunci di laptop peserta berbeda; dinilai dengan kunci di sini")
        if r.doubts:
            notes.append("MERAGUKAN: " + "; ".join(r.doubts))
        extra = f" ({'; '.join(notes)})" if notes else ""
        progress.say(visible(f"{r.path}: {r.learner}: {r.attempts_added} percobaan baru, {r.attempts_known} sudah ada, {r.sections_merged} catatan baca{extra}."))
    progress.clear()
    doubts = f" {doubtful} berkas ditandai meragukan (lihat README: apa yang dibuktikan berkas hasil)." if doubtful else ""
    typer.echo(
        f"Ringkasan: {totals['files']} berkas diterima, {rejected} ditolak; {totals['added']} percobaan baru, "
        f"{totals['known']} sudah ada sebelumnya, {totals['learners']} peserta baru.{doubts}"
    )
    if rejected:
        raise typer.Exit(EXIT_DATA)
