"""Errors a user can cause. Each carries one sentence for the user and the exit code."""

from __future__ import annotations

import errno
import sys

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


class Restored(DataError):
    """The database was replaced by a backup while this process had it open: what it knows
    (an attempt's id, a learner's) may now be someone else's, or gone. Nothing was written."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"Basis data {where} baru saja dipulihkan dari cadangan; yang belum tersimpan di dalamnya tidak dicatat. "
            "Masuk lagi untuk melanjutkan dari isi yang dipulihkan."
        )


class AttemptClosed(UsageError):
    """The attempt was already submitted (in another window or browser tab)."""


class SecretRequired(UsageError):
    """A PIN or the instructor passphrase is needed and was not given (or was wrong)."""


def warn(text: str) -> None:
    """A warning for the person at the terminal: on stderr, never stopping the command; what
    it quotes (a path, a file's content) is printed ``visible``, never raw."""
    from latsar.terminal import visible

    print(f"latsar: peringatan: {visible(text)}", file=sys.stderr)


_OS_REASONS = {
    errno.EACCES: "izin ditolak",
    errno.EPERM: "izin ditolak",
    errno.ENOENT: "tidak ada",
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.EROFS: "sistem berkasnya hanya-baca",
    errno.EISDIR: "itu folder",
    errno.ENOTDIR: "jalurnya bukan folder",
    errno.ELOOP: "tautan simbolik berputar (loop)",
    errno.ENAMETOOLONG: "namanya terlalu panjang",
    errno.EEXIST: "sudah ada",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in a few Indonesian words (its own words, in English,
    only for the rare refusal not listed here)."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or exc.__class__.__name__
