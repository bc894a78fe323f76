"""Errors a user can cause. Each carries one sentence for the user and the exit code."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BLOCKED = 3
EXIT_DATA = 4
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells expect


class LatsarError(Exception):
    """An error with a message meant for the user (Bahasa Indonesia) and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(LatsarError):
    exit_code = EXIT_USAGE


class NotFound(UsageError):
    pass


class Blocked(LatsarError):
    """The mastery gate or the retake policy refuses."""

    exit_code = EXIT_BLOCKED


class DataError(LatsarError):
    """Bad data: content, database or an import file."""

    exit_code = EXIT_DATA


class AttemptClosed(UsageError):
    """The attempt was already submitted (in another window or browser tab)."""


class SecretRequired(UsageError):
    """A PIN or the instructor passphrase is needed and was not given (or was wrong)."""


def warn(text: str) -> None:
    """A warning for the person at the terminal: on stderr, never stopping the command."""
    print(f"latsar: peringatan: {text}", file=sys.stderr)
