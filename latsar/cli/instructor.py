"""`latsar instructor passphrase`: the passphrase guarding the instructor view."""

import typer

app = typer.Typer(no_args_is_help=True)


@app.command(
    "passphrase",
    help="Buat atau ganti kata sandi pengampu (untuk tampilan pengampu di aplikasi). Dari skrip: satu baris per pertanyaan di stdin.",
)
def passphrase(ctx: typer.Context) -> None:
    from latsar.cli.common import new_secrets, services
    from latsar.errors import UsageError

    guard = services(ctx).passphrase
    asked = ["Kata sandi baru (minimal 8 karakter)", "Ulangi kata sandi baru"]
    if guard.exists():
        current, new, again = new_secrets("Kata sandi sekarang", *asked)
    else:
        current, (new, again) = None, new_secrets(*asked)
    if new != again:
        raise UsageError("Kedua kata sandi tidak sama; tidak ada yang diubah.")
    guard.set(new, current)
    typer.echo("Kata sandi pengampu tersimpan.")
    if current is not None:
        from latsar.services.instructor.certificates import reseal_key

        if reseal_key(current, new):  # the same key, now behind the new passphrase: certificates stay valid
            typer.echo("Kunci sertifikat kini dikunci dengan kata sandi baru.")
