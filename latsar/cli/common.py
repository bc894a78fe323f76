"""Helpers shared by the commands (imported lazily, inside command functions)."""

import os
import sys
from typing import TYPE_CHECKING

import typer

from latsar.errors import warn

if TYPE_CHECKING:
    from latsar.services import Instructor, Services, Trainee


def services(ctx: typer.Context) -> "Services":
    from latsar.cli import settings
    from latsar.services import open_services

    s = settings(ctx)
    svc = open_services(s.db, s.content)
    for warning in svc.db.warnings:
        warn(warning)
    return svc


def secret(variable: str, prompt: str) -> str | None:
    """A secret from the environment (for scripts), else asked on the terminal, else None."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True))
    return None


def new_secrets(*prompts: str) -> list[str]:
    """Secrets typed by a person (hidden, one prompt each) or, from a script, one line of stdin each."""
    if sys.stdin.isatty():
        return [str(typer.prompt(p, hide_input=True)) for p in prompts]
    return [sys.stdin.readline().rstrip("\r\n") for _ in prompts]


def trainee(ctx: typer.Context, ref: str | None) -> "tuple[Services, Trainee]":
    """The services and the trainee named by ``--learner`` (or the only one), after their PIN
    when they have one (``LATSAR_PIN`` for scripts, asked on a terminal)."""
    from latsar.errors import SecretRequired

    svc = services(ctx)
    learner = svc.learners.resolve(ref)
    if not svc.pins.has(learner.id):
        return svc, svc.trainee(learner.id)
    pin = secret("LATSAR_PIN", f"PIN {learner.name}")
    if pin is None:
        raise SecretRequired(f"{learner.name} memakai PIN: setel LATSAR_PIN atau jalankan di terminal.")
    return svc, svc.sign_in(learner.id, pin)


def instructor(ctx: typer.Context) -> "tuple[Services, Instructor]":
    """Instructor operations, after the passphrase once one is set (``LATSAR_PASSPHRASE`` for
    scripts, asked on a terminal)."""
    svc, boss, _ = instructor_with_passphrase(ctx)
    return svc, boss


def instructor_with_passphrase(ctx: typer.Context) -> "tuple[Services, Instructor, str | None]":
    """``instructor``, and the passphrase it was given (None while none is set)."""
    from latsar.errors import SecretRequired

    svc = services(ctx)
    if not svc.passphrase.exists():
        return svc, svc.instructor_at_terminal(None), None
    passphrase = secret("LATSAR_PASSPHRASE", "Kata sandi pengampu")
    if not passphrase:
        raise SecretRequired("Perintah pengampu: setel LATSAR_PASSPHRASE atau jalankan di terminal.")
    return svc, svc.instructor_at_terminal(passphrase), passphrase


def confirm(question: str, yes: bool, refused: str) -> None:
    """Go on only when ``yes`` or the person answers y; otherwise a usage error ``refused``."""
    from latsar.errors import UsageError

    if yes:
        return
    try:
        ok = typer.confirm(question, default=False)
    except typer.Abort:  # no answer (end of input)
        typer.echo()
        ok = False
    if not ok:
        raise UsageError(refused)


def written_as(path: "os.PathLike[str] | str", suffixes: tuple[str, ...], what: str) -> str:
    """The suffix of ``path`` when it is one of ``suffixes``; a usage error saying ``what`` otherwise."""
    from pathlib import Path

    from latsar.errors import UsageError

    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        raise UsageError(f"{what}, bukan '{Path(path).name}'.")
    return suffix
