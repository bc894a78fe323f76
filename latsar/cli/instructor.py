"""`latsar instructor passphrase`: the passphrase guarding the instructor view."""

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("passphrase", help="Buat atau ganti kata sandi pengampu (untuk tampilan pengampu di aplikasi).")
def passphrase(ctx: typer.Context) -> None:
    from latsar.cli.common import services
    from latsar.errors import UsageError

    guard = services(ctx).passphrase
    current = typer.prompt("Kata sandi sekarang", hide_input=True) if guard.exists() else None
    new = typer.prompt("Kata sandi baru (minimal 8 karakter)", hide_input=True)
    again = typer.prompt("Ulangi kata sandi baru", hide_input=True)
    if new != again:
        raise UsageError("Kedua kata sandi tidak sama; tidak ada yang diubah.")
    guard.set(new, current)
    typer.echo("Kata sandi pengampu tersimpan.")
