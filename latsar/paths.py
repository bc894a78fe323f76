"""Where latsar keeps things. The one place that knows.

Database: ``--db`` > ``LATSAR_DB`` > ``LATSAR_HOME/latsar.db`` > platformdirs' user data dir.
Certificate key: ``LATSAR_CERTIFICATE_KEY`` > ``LATSAR_HOME`` (or the user data dir)/kunci-sertifikat.json.
Course pack: ``--content`` > ``LATSAR_CONTENT`` > the pack shipped in the wheel (or, from a
source checkout, the repository's ``content/`` and ``quizzes/``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "latsar"
DB_NAME = "latsar.db"


def home_dir() -> Path:
    home = os.environ.get("LATSAR_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def _chosen(override: str | os.PathLike[str] | None, variable: str) -> Path | None:
    """The path given on the command line, else in the environment variable, else None."""
    chosen = override or os.environ.get(variable)
    return Path(chosen).expanduser() if chosen else None


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    return _chosen(override, "LATSAR_DB") or home_dir() / DB_NAME


CERTIFICATE_KEY = "kunci-sertifikat.json"


def certificate_key() -> Path:
    """The instructor's certificate signing key: in latsar's own folder on the instructor's
    machine (never in the database, which a classroom server shares), ``LATSAR_CERTIFICATE_KEY``
    to keep it elsewhere (a removable disk)."""
    return _chosen(None, "LATSAR_CERTIFICATE_KEY") or home_dir() / CERTIFICATE_KEY


def certificate_key_elsewhere() -> bool:
    """Whether ``LATSAR_CERTIFICATE_KEY`` chose the key's place (whose folder latsar never makes:
    a removable disk not plugged in is said, not replaced by an empty folder)."""
    return _chosen(None, "LATSAR_CERTIFICATE_KEY") is not None


def shipped_pack() -> Path:
    """The course pack that comes with latsar."""
    package = Path(__file__).resolve().parent
    installed = package / "_pack"
    if (installed / "content").is_dir():
        return installed
    return package.parent


def content_root(override: str | os.PathLike[str] | None = None) -> Path:
    return _chosen(override, "LATSAR_CONTENT") or shipped_pack()


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
