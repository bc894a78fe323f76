"""`latsar certificate PESERTA -o FILE.pdf | verify KODE | key`: certificates of completion."""

from pathlib import Path
from typing import Annotated, Optional

import typer

HELP = (
    "Sertifikat penyelesaian modul, ditandatangani kunci pengampu: `certificate PESERTA -o sertifikat.pdf` "
    "(peserta yang lulus semua evaluasi), `certificate verify KODE` (atau BERKAS.pdf; tanpa internet), "
    "`certificate key` (sidik jari dan kunci publik, untuk memeriksa di komputer lain; `--new` mengganti kunci "
    "dengan sengaja bila kunci lama hilang)."
)


def certificate(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="NIP atau id peserta; atau verify; atau key.", metavar="PESERTA|verify|key")],
    given: Annotated[Optional[str], typer.Argument(help="Dengan verify: kode sertifikat atau berkas PDF-nya.", metavar="KODE|BERKAS.pdf")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas sertifikat .pdf.")] = None,
    key: Annotated[Optional[str], typer.Option("--key", help="Dengan verify: kunci publik pengampu (dari `latsar certificate key`).")] = None,
    new: Annotated[bool, typer.Option("--new", help="Dengan key: buat kunci baru (kunci lama hilang atau bocor); sertifikat lama diperiksa dengan kunci publik lamanya.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    import json

    from latsar.errors import UsageError

    if what == "verify":
        if given is None:
            raise UsageError("Tulis kode sertifikat atau berkas PDF-nya: latsar certificate verify KODE.")
        from latsar.exchange.certificate import verify
        from latsar.paths import certificate_key

        checked = verify(given, key, certificate_key())  # no database, no passphrase, no SQLAlchemy: anyone may check
        if as_json:
            typer.echo(json.dumps({"valid": checked.valid, "key": checked.fingerprint, "fields": checked.fields}, ensure_ascii=False))
        elif checked.valid:
            typer.echo(f"Sertifikat ASLI: ditandatangani kunci {checked.fingerprint}, tidak diubah.")
            for line in checked.lines():
                typer.echo(f"  {line}")
            typer.echo("Bandingkan dengan yang tercetak pada sertifikat: yang berbeda dari daftar ini bukan tulisan pengampu.")
        else:
            typer.echo(
                f"Sertifikat TIDAK SAH: kode ini tidak ditandatangani kunci {checked.fingerprint}, atau isinya diubah setelah ditandatangani.",
                err=True,
            )
        if not checked.valid:
            raise typer.Exit(1)
        return
    if given is not None:
        raise UsageError(f"Terlalu banyak argumen: '{given}'. Sertifikat: latsar certificate PESERTA -o sertifikat.pdf.")
    if new and what != "key":
        raise UsageError("--new hanya untuk kunci: latsar certificate key --new.")
    if what == "key":
        _key(ctx, new, as_json)
        return
    from latsar.cli.common import instructor_with_passphrase

    if output is None:
        raise UsageError("Tulis sertifikatnya ke berkas: latsar certificate PESERTA -o sertifikat.pdf.")
    svc, boss, passphrase = instructor_with_passphrase(ctx)
    if passphrase is None:
        raise UsageError("Sertifikat ditandatangani dengan kunci yang dikunci kata sandi pengampu: buat dulu kata sandinya dengan `latsar instructor passphrase`.")
    issued = boss.certificates.issue(what, output, passphrase)
    if as_json:
        typer.echo(json.dumps({"code": issued.code, "fields": issued.fields, "key": issued.fingerprint, "file": str(issued.path)}, ensure_ascii=False))
        return
    typer.echo(f"Sertifikat {issued.fields['name']} ditulis ke {output}.")
    typer.echo(f"Nomor {issued.fields['serial']}, ditandatangani kunci {issued.fingerprint}.")


def _new_key(ctx: typer.Context, as_json: bool) -> None:
    import json

    from latsar.cli.common import instructor_with_passphrase
    from latsar.errors import UsageError

    svc, boss, passphrase = instructor_with_passphrase(ctx)
    if passphrase is None:
        raise UsageError("Kunci sertifikat dikunci kata sandi pengampu: buat dulu kata sandinya dengan `latsar instructor passphrase`.")
    fingerprint, old, kept = boss.certificates.new_key(passphrase)
    if as_json:
        typer.echo(json.dumps({"fingerprint": fingerprint, "previous": old or None, "kept": str(kept) if kept else None}))
        return
    typer.echo(f"Kunci sertifikat baru dibuat. Sidik jari: {fingerprint}")
    if kept is not None:
        typer.echo(f"Kunci lama disimpan sebagai {kept}.")
    if old:
        typer.echo(
            f"Sertifikat yang ditandatangani kunci lama ({old}) kini hanya lolos `certificate verify` dengan "
            "kunci publik lamanya (--key); terbitkan ulang bila perlu."
        )


def _key(ctx: typer.Context, new: bool, as_json: bool) -> None:
    """Show this machine's public key, or (``--new``) make a new one."""
    import json

    if new:
        _new_key(ctx, as_json)
        return
    from latsar.cli.common import instructor

    shown = instructor(ctx)[1].certificates.public_key()
    if shown is None:
        typer.echo("Belum ada kunci sertifikat: kunci dibuat saat sertifikat pertama diterbitkan.")
        return
    public, fingerprint = shown
    if as_json:
        typer.echo(json.dumps({"public_key": public, "fingerprint": fingerprint}))
        return
    typer.echo(f"Sidik jari: {fingerprint}")
    typer.echo(f"Kunci publik: {public}")
    typer.echo("Memeriksa di komputer lain: latsar certificate verify KODE --key KUNCI-PUBLIK")
