"""The code's own rules, enforced in CI: layers (import-linter), lint (ruff), types (mypy),
and no block of code above cyclomatic complexity 15 (radon)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_COMPLEXITY = 15


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=ROOT, capture_output=True, text=True)


def test_import_contracts_are_kept():
    done = run("lint-imports")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_ruff_is_clean():
    done = run("ruff", "check", "latsar", "tests", "benchmarks", "--output-format", "concise")
    assert done.returncode == 0, done.stdout[-3000:]


def test_mypy_is_clean_on_every_module():
    done = run("mypy")  # files: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, done.stdout[-3000:]


def test_no_block_is_too_complex():
    from radon.complexity import cc_visit

    too_complex = []
    for path in sorted((ROOT / "latsar").rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                too_complex.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.name} ({block.complexity})")
    assert not too_complex, too_complex
