"""The `latsar` command line. Thin: parse, call the layers below, print.

Only Typer and the standard library are imported at module level; every command imports
what it needs inside its function, and a sub-app's module (``SUB_APPS``) is imported only when
that sub-app is invoked, so `latsar --help` stays quick. The command modules do
not use ``from __future__ import annotations``: Typer would then ``eval`` every parameter's
annotation string while building the help, a fifth of its cost (benchmarks/README.md).
"""

import sys
from typing import Annotated, Any, Optional

import typer

from latsar import __version__
from latsar.errors import EXIT_INTERRUPTED, EXIT_USAGE, LatsarError
from latsar.terminal import visible


class Settings:
    """The global options, for every command (a plain class: `latsar --help` imports no more)."""

    def __init__(self, db: Optional[str] = None, content: Optional[str] = None) -> None:
        self.db = db
        self.content = content


app = typer.Typer(
    name="latsar",
    # Said without the course's name: the pack in use names itself (`latsar read`, the app's first
    # screen), and `--help` never loads it.
    help="Belajar dan evaluasi modul Latsar CPNS tanpa internet: materi, evaluasi, latihan, kelas, dan laporan.",
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
        from latsar.cli.tui import tui

        tui(ctx)


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
    "jurnal": ("latsar.cli.jurnal", "Jurnal aktualisasi: tulis, lihat, ubah, bagikan; tinjauan coach."),
    "results": ("latsar.cli.results", "Berkas hasil peserta dari laptop luring ke pengampu."),
    "report": ("latsar.cli.report", "Laporan untuk pengampu (angkatan, analisis butir soal, catatan peserta; PDF untuk dicetak)."),
    "gift": ("latsar.cli.gift", "Bank soal ke/dari format GIFT (Moodle)."),
    "moodle": ("latsar.cli.moodle", "Bank soal (Moodle XML) dan nilai (CSV impor nilai) untuk Moodle."),
    "instructor": ("latsar.cli.instructor", "Pengaturan pengampu."),
}
_ROOT_OPTIONS_WITH_VALUE = ("--db", "--content")


def _register() -> None:
    from latsar.cli import certificate, export, practice, progress, quiz, read, serve, tui

    app.command("tui", help="Buka aplikasi layar penuh (sama dengan `latsar` tanpa perintah).")(tui.tui)
    app.command("read", help="Baca satu bagian modul di terminal, selayar demi selayar; tercatat sudah dibaca bila dibaca sampai akhir.")(read.read)
    app.command("quiz", help="Kerjakan sebuah evaluasi modul di terminal.")(quiz.quiz)
    app.command("progress", help="Lihat kemajuan belajar.")(progress.progress)
    app.command("practice", help="Latihan soal kasus dan cek pemahaman (dijadwalkan FSRS, tidak dinilai).")(practice.practice)
    app.command("export", help="Ekspor hasil angkatan untuk spreadsheet (CSV, XLSX, JSON).")(export.export)
    app.command("certificate", help=certificate.HELP)(certificate.certificate)
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


# -- Click's own words, in Indonesian -----------------------------------------------------------------
# Typer vendors Click, whose help headings and usage errors are fixed English strings. The help is
# written through this formatter; usage errors are said again by ``usage_error`` below.

HELP_WORDS = {
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "[required]": "[wajib]",
    "[OPTIONS]": "[OPSI]",
    "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]...",
    "<str>": "<teks>",
    "<int>": "<angka>",
    "<int range>": "<angka>",
    "<float>": "<angka>",
    "<float range>": "<angka>",
    "<path>": "<berkas>",
    "<list[Path]>": "<berkas>",
    "<list[str]>": "<teks>",
}
# Click's "[default: 10; 1<=x<=200]": the default and the range, in Indonesian.
EXTRA = r"\[default: ([^;\]]*)(?:; ([^\]]*))?\]"
BOUNDS = [  # Click's ranges ("1<=x<=200", "x>=1"), as patterns
    (r"(-?[\d.]+)<=x<=(-?[\d.]+)", "{0}–{1}"),
    (r"x>=(-?[\d.]+)", "paling kecil {0}"),
    (r"x<=(-?[\d.]+)", "paling besar {0}"),
    (r"x>(-?[\d.]+)", "lebih dari {0}"),
    (r"x<(-?[\d.]+)", "kurang dari {0}"),
]
HEADINGS = {"Options": "Opsi", "Arguments": "Argumen", "Commands": "Perintah"}


def _say(text: str) -> str:
    for english, indonesian in HELP_WORDS.items():
        if english in text:
            text = text.replace(english, indonesian)
    if "[default: " in text or "x<" in text or "x>" in text:
        import re

        text = re.sub(EXTRA, _default, text)
        text = re.sub(r"\[([^\]]*x[<>][^\]]*)\]", lambda m: f"[{_bounds(m.group(1))}]", text)
    return text


def _default(m: Any) -> str:
    """Click's ``[default: 10; 1<=x<=200]`` as ``[bawaan: 10; 1–200]``."""
    bounds = _bounds(m.group(2) or "")
    return f"[bawaan: {m.group(1)}" + (f"; {bounds}]" if bounds else "]")


def _bounds(text: str) -> str:
    """Click's range (``1<=x<=200``) in words (``1–200``); anything else as it is."""
    import re

    for pattern, words in BOUNDS:
        found = re.fullmatch(pattern, text)
        if found:
            return words.format(*found.groups())
    return text


# Click's classes, reached through Typer's public names (Typer vendors Click privately).
ClickUsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def _is(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is Click's exception called ``name`` (or a kind of it)."""
    return any(c.__name__ == name for c in type(exc).__mro__)


HelpFormatter: Any = typer.Context.formatter_class


class Formatter(HelpFormatter):  # type: ignore[misc]  # Click's class, reached through Typer at run time
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _say(args), "Pemakaian: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_say(a), _say(b)) for a, b in rows], col_max, col_spacing)


class Context(typer.Context):
    formatter_class = Formatter


def _indonesian(command: Any) -> Any:
    """The command tree with help written by ``Formatter``."""
    command.context_class = Context
    for sub in getattr(command, "commands", {}).values():
        _indonesian(sub)
    return command


def _hint(param_hint: Any) -> str:
    if param_hint is None:
        return ""
    return " / ".join(map(str, param_hint)) if not isinstance(param_hint, str) else param_hint


REPHRASE = [  # Click's messages, as patterns compiled only when an error is to be said
    (r"Got unexpected extra argument\(s\) \((.*)\)", "Argumen berlebih: {0}."),
    (r"No such command '(.*)'\.(?: Did you mean (.*)\?)?", "Perintah '{0}' tidak ada."),
    (r"Option '(.*)' requires an argument\.", "Opsi {0} perlu diberi nilai."),
    (r"'(.*)' is not a valid integer(?: range)?\.", "'{0}' bukan bilangan bulat."),
    # Typer checks min/max and types with pydantic: its messages too.
    (r"Input should be a valid integer.*", "harus bilangan bulat."),
    (r"Input should be a valid number.*", "harus angka."),
    (r"Input should be greater than or equal to (.*)", "paling kecil {0}."),
    (r"Input should be less than or equal to (.*)", "paling besar {0}."),
    (r"Input should be greater than (.*)", "harus lebih dari {0}."),
    (r"Input should be less than (.*)", "harus kurang dari {0}."),
    (r"'(.*)' is not a valid float(?: range)?\.", "'{0}' bukan angka."),
    (r"'(.*)' is not one of (.*)\.", "'{0}' tidak dikenal; pilih {1}."),
    (r"(?:File|Path|Directory) '(.*)' does not exist\.", "'{0}' tidak ada."),
]


def _rephrase(message: str) -> str:
    import re

    for pattern, words in REPHRASE:
        m = re.fullmatch(pattern, message.strip())
        if m:
            return words.format(*(g or "" for g in m.groups()))
    return message


def usage_error(exc: Any) -> str:
    """A Click usage error as one Indonesian sentence."""
    if _is(exc, "NoSuchOption"):
        text = f"Opsi {exc.option_name} tidak dikenal."
        if exc.possibilities:
            text += f" Mungkin maksud Anda: {', '.join(sorted(exc.possibilities))}."
        return text
    if _is(exc, "MissingParameter"):
        hint = _hint(exc.param_hint if exc.param_hint is not None else exc.param.get_error_hint() if exc.param else None)
        what = "Argumen" if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument" else "Opsi"
        return f"{what} {hint} belum diisi."
    if isinstance(exc, typer.BadParameter):
        hint = _hint(exc.param_hint if exc.param_hint is not None else exc.param.get_error_hint() if exc.param else None)
        return f"Nilai tidak sah untuk {hint}: {_rephrase(exc.message)}" if hint else f"Nilai tidak sah: {_rephrase(exc.message)}"
    return _rephrase(exc.message)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code. Errors a user can cause print one sentence.

    `latsar` itself starts in `latsar.launch`, which opens the app without coming here."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        load_sub_app(_invoked(argv))
        command = _indonesian(typer.main.get_command(app))
        result = command.main(args=argv, prog_name="latsar", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except BaseException as exc:
        return outcome(exc)


def outcome(exc: BaseException) -> int:
    """The exit code for what stopped a command, said in one sentence; a bug is raised again.

    A sentence can quote a file's name or its content: it is printed ``visible`` (control
    characters and lone surrogates written out as escapes), never raw."""
    try:
        raise exc
    except LatsarError as exc:
        typer.echo(f"latsar: {visible(exc.message)}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo(f"latsar: {INTERRUPTED}", err=True)
        return EXIT_INTERRUPTED
    except ClickUsageError as exc:
        return _usage(exc)
    except typer.TyperException as exc:
        typer.echo(f"latsar: {visible(exc.format_message())}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        typer.echo(f"latsar: {INTERRUPTED}", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a fault of the machine, not of latsar: one sentence, never a traceback
        fault = _fault(exc)
        if fault is None:
            raise
        typer.echo(f"latsar: {visible(fault.message)}", err=True)
        return fault.exit_code


def _usage(exc: Any) -> int:
    """A usage error of Click's, said in Indonesian (or, for no arguments, the help itself)."""
    if _is(exc, "NoArgsIsHelpError"):
        typer.echo(exc.format_message(), err=True)
        return EXIT_USAGE
    typer.echo(f"latsar: {visible(usage_error(exc))}", err=True)
    if exc.ctx is not None:
        typer.echo(f"Lihat `{exc.ctx.command_path} -h` untuk bantuan.", err=True)
    return EXIT_USAGE


def _fault(exc: Exception) -> LatsarError | None:
    """The sentence for a database, disk or file fault that reached the top; None for a bug."""
    from latsar.services.maintenance import explain_fault

    return explain_fault(exc)


INTERRUPTED = "dihentikan (Ctrl+C)."

