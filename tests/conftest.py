"""Shared fixtures. Tests never touch the real home directory: LATSAR_HOME is a temp dir."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("LATSAR_HOME", str(home))
    monkeypatch.delenv("LATSAR_DB", raising=False)
    monkeypatch.delenv("LATSAR_CONTENT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    return home


@pytest.fixture
def pack(tmp_path) -> Path:
    """A writable copy of the shipped course pack."""
    dest = tmp_path / "pack"
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "quizzes", dest / "quizzes")
    return dest


@pytest.fixture
def mini_pack() -> Path:
    return FIXTURES / "mini-pack"


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from latsar.cli import main

    def run(*args: str, input: str | None = None):
        if input is not None:
            import io

            old = sys.stdin
            sys.stdin = io.StringIO(input)
            try:
                code = main(list(args))
            finally:
                sys.stdin = old
        else:
            code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
