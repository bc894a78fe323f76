"""The `latsar` command line. Thin: parse, call the layers below, print.

Only Typer and the standard library are imported at module level; every command imports
what it needs inside its function, so `latsar --help` stays quick. The command modules do
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


def _register() -> None:
    from latsar.cli import cohort, content, db, export, gift, instructor, learner, moodle, progress, quiz, read, report, results, tui

    app.command("tui", help="Buka aplikasi layar penuh (sama dengan `latsar` tanpa perintah).")(tui.tui)
    app.add_typer(learner.app, name="learner", help="Daftarkan, lihat, perbaiki, gabungkan, dan hapus peserta.")
    app.add_typer(cohort.app, name="cohort", help="Lihat dan ganti nama angkatan.")
    app.command("read", help="Tampilkan satu bagian modul di terminal dan tandai sudah dibaca.")(read.read)
    app.command("quiz", help="Kerjakan Evaluasi Materi Pokok (mp1 atau mp2) di terminal.")(quiz.quiz)
    app.command("progress", help="Lihat kemajuan belajar.")(progress.progress)
    app.add_typer(content.app, name="content", help="Periksa paket materi.")
    app.add_typer(db.app, name="db", help="Periksa, cadangkan, dan pulihkan basis data.")
    app.command("export", help="Ekspor hasil angkatan untuk spreadsheet (CSV, XLSX, JSON).")(export.export)
    app.add_typer(results.app, name="results", help="Berkas hasil peserta dari laptop luring ke pengampu.")
    app.add_typer(report.app, name="report", help="Laporan untuk pengampu (angkatan sekilas, analisis butir soal).")
    app.add_typer(gift.app, name="gift", help="Bank soal ke/dari format GIFT (Moodle).")
    app.add_typer(moodle.app, name="moodle", help="Bank soal (Moodle XML) dan nilai (CSV impor nilai) untuk Moodle.")
    app.add_typer(instructor.app, name="instructor", help="Pengaturan pengampu.")


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code. Errors a user can cause print one sentence."""
    try:
        result = app(args=argv, prog_name="latsar", standalone_mode=False)
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


def entry() -> None:
    sys.exit(main())
