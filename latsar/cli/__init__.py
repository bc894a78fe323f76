"""The `latsar` command line. Thin: parse, call the layers below, print.

Only Typer and the standard library are imported at module level; every command imports
what it needs inside its function, and a sub-app's module (``SUB_APPS``) is imported only when
that sub-app is invoked, so `latsar --help` stays quick. The command modules do
not use ``from __future__ import annotations``: Typer would then ``eval`` every parameter's
annotation string while building the help, a fifth of its cost (benchmarks/README.md).
"""

import sys
from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from latsar import __version__
from latsar.errors import EXIT_USAGE, LatsarError


@dataclass
class Settings:
    db: Optional[str] = None
    content: Optional[str] = None


app = typer.Typer(
    name="latsar",
    help="Belajar dan evaluasi modul Latsar CPNS *Berorientasi Pelayanan* (LAN, 2021), tanpa internet.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"latsar {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option("--db", help="Berkas basis data (bawaan: LATSAR_DB atau folder data pengguna).")] = None,
    content: Annotated[Optional[str], typer.Option("--content", help="Folder paket materi lain (berisi content/ dan quizzes/).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Tampilkan versi lalu keluar.")] = False,
) -> None:
    """Tanpa perintah: buka aplikasi layar penuh (sama dengan `latsar tui`)."""
    ctx.obj = Settings(db=db, content=content)
    if ctx.invoked_subcommand is None:
        from latsar.cli.tui import run_tui

        run_tui(ctx.obj)


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


# The sub-apps, in the order `latsar --help` lists them, with their help. A sub-app's module is
# imported only when it is invoked: `latsar --help` builds none of their commands.
SUB_APPS: dict[str, tuple[str, str]] = {
    "learner": ("latsar.cli.learner", "Daftarkan, lihat, perbaiki, gabungkan, dan hapus peserta."),
    "cohort": ("latsar.cli.cohort", "Lihat dan ganti nama angkatan."),
    "content": ("latsar.cli.content", "Periksa paket materi."),
    "db": ("latsar.cli.db", "Periksa, cadangkan, dan pulihkan basis data."),
    "results": ("latsar.cli.results", "Berkas hasil peserta dari laptop luring ke pengampu."),
    "report": ("latsar.cli.report", "Laporan untuk pengampu (angkatan sekilas, analisis butir soal)."),
    "gift": ("latsar.cli.gift", "Bank soal ke/dari format GIFT (Moodle)."),
    "moodle": ("latsar.cli.moodle", "Bank soal (Moodle XML) dan nilai (CSV impor nilai) untuk Moodle."),
    "instructor": ("latsar.cli.instructor", "Pengaturan pengampu."),
}
_ROOT_OPTIONS_WITH_VALUE = ("--db", "--content")


def _register() -> None:
    from latsar.cli import export, practice, progress, quiz, read, serve, tui

    app.command("tui", help="Buka aplikasi layar penuh (sama dengan `latsar` tanpa perintah).")(tui.tui)
    app.command("read", help="Tampilkan satu bagian modul di terminal dan tandai sudah dibaca.")(read.read)
    app.command("quiz", help="Kerjakan Evaluasi Materi Pokok (mp1 atau mp2) di terminal.")(quiz.quiz)
    app.command("progress", help="Lihat kemajuan belajar.")(progress.progress)
    app.command("practice", help="Latihan soal kasus dan cek pemahaman (dijadwalkan FSRS, tidak dinilai).")(practice.practice)
    app.command("export", help="Ekspor hasil angkatan untuk spreadsheet (CSV, XLSX, JSON).")(export.export)
    app.command("serve", help="Buka kelas: aplikasi ini di browser setiap peserta (satu mesin, jaringan lokal).")(serve.serve)
    app.command("session", hidden=True)(serve.session)
    for name, (_, help_text) in SUB_APPS.items():
        app.add_typer(typer.Typer(), name=name, help=help_text)  # a stand-in until invoked


def _invoked(argv: list[str]) -> str | None:
    """The command named on the command line, past the root options."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def load_sub_app(name: str | None) -> None:
    """Put the real sub-app in place of its stand-in (once)."""
    if name not in SUB_APPS or name in _loaded:
        return
    from importlib import import_module

    for info in app.registered_groups:
        if info.name == name:
            info.typer_instance = import_module(SUB_APPS[name][0]).app
    _loaded.add(name)


_loaded: set[str] = set()


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code. Errors a user can cause print one sentence."""
    args = sys.argv[1:] if argv is None else argv
    try:
        load_sub_app(_invoked(args))
        result = app(args=args, prog_name="latsar", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except LatsarError as exc:
        typer.echo(f"latsar: {exc.message}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("latsar: dibatalkan. Jawaban yang sudah diberikan tetap tersimpan.", err=True)
        return 130
    except typer.TyperException as exc:  # usage errors: unknown option, bad value, ...
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            typer.echo(f"latsar: {exc.format_message()}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        typer.echo("latsar: dibatalkan. Jawaban yang sudah diberikan tetap tersimpan.", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a fault of the machine, not of latsar: one sentence, never a traceback
        fault = _fault(exc)
        if fault is None:
            raise
        typer.echo(f"latsar: {fault.message}", err=True)
        return fault.exit_code


def _fault(exc: Exception) -> LatsarError | None:
    """The sentence for a database, disk or file fault that reached the top; None for a bug."""
    from latsar.services.maintenance import explain_fault

    return explain_fault(exc)


def entry() -> None:
    sys.exit(main())
