"""Layering rules that must not erode: pure packages stay pure, --help stays light."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY_UI = {"textual", "sqlmodel", "sqlalchemy", "rich"}
HEAVY_HELP = {"textual", "sqlalchemy", "sqlmodel", "openpyxl", "alembic"}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_course_and_assessment_are_pure():
    loaded = _modules_after("import latsar.course, latsar.assessment; from latsar.course import load_course; from latsar.paths import shipped_pack; load_course(shipped_pack())")
    assert not (loaded & HEAVY_UI), loaded & HEAVY_UI


def test_help_imports_no_heavy_library():
    loaded = _modules_after("import sys; sys.argv=['latsar','--help']\nfrom latsar.cli import main\nmain(['--help'])")
    assert not (loaded & HEAVY_HELP), loaded & HEAVY_HELP


def test_content_check_imports_no_heavy_library():
    loaded = _modules_after("from latsar.cli import main\nmain(['content','check'])")
    assert not (loaded & HEAVY_HELP), loaded & HEAVY_HELP
