"""Layering rules that must not erode: pure packages stay pure, --help stays light.

The import-linter contracts in pyproject.toml (run by tests/test_quality.py) check every
import statement; these tests check what is actually loaded at run time.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys

import latsar.assessment
import latsar.course

HEAVY_UI = {"textual", "sqlmodel", "sqlalchemy", "rich", "typer", "openpyxl", "alembic"}
HEAVY_HELP = {"textual", "sqlalchemy", "sqlmodel", "openpyxl", "alembic"}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def _pure_modules() -> list[str]:
    names = []
    for package in (latsar.course, latsar.assessment):
        names += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return names


def test_every_pure_module_is_found():
    names = _pure_modules()
    assert {"latsar.course.loader", "latsar.course.model", "latsar.assessment.rules", "latsar.assessment.items"} <= set(names)


def test_course_and_assessment_are_pure():
    imports = "\n".join(f"import {name}" for name in _pure_modules())
    loaded = _modules_after(imports + "\nfrom latsar.course import load_course\nfrom latsar.paths import shipped_pack\nload_course(shipped_pack())")
    assert not (loaded & HEAVY_UI), loaded & HEAVY_UI


def test_help_imports_no_heavy_library():
    loaded = _modules_after("import sys; sys.argv=['latsar','--help']\nfrom latsar.cli import main\nmain(['--help'])")
    assert not (loaded & (HEAVY_HELP | {"msgspec"})), loaded & (HEAVY_HELP | {"msgspec"})  # no value is built to print help


def test_content_check_imports_no_heavy_library():
    loaded = _modules_after("from latsar.cli import main\nmain(['content','check'])")
    assert not (loaded & HEAVY_HELP), loaded & HEAVY_HELP


# Modules of the top-level commands: light (Typer only), imported when the commands are registered.
TOP_LEVEL_COMMANDS = {f"latsar.cli.{name}" for name in ("certificate", "export", "practice", "progress", "serve", "quiz", "read", "tui")}


def test_help_imports_no_sub_app_and_a_command_only_its_own():
    code = "import sys, json\nfrom latsar.cli import main\nmain(ARGS)\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith('latsar.cli.'))))"
    for args, expected in ((["--help"], set()), (["--db", "x.db", "cohort", "--help"], {"latsar.cli.cohort"})):
        out = subprocess.run([sys.executable, "-c", code.replace("ARGS", repr(args))], capture_output=True, text=True, check=True).stdout
        loaded = set(json.loads(out.splitlines()[-1])) - TOP_LEVEL_COMMANDS
        assert loaded == expected, args


# What only an instructor's reports and files need: never loaded on a trainee's way to the map.
INSTRUCTOR_ONLY = {"latsar.assessment.records", "latsar.storage.reports", "latsar.exchange.tabular", "latsar.exchange.pdf", "latsar.services.instructor"}


def test_the_trainees_first_screen_loads_nothing_only_an_instructor_needs():
    code = (
        "import sys, json\nimport latsar.tui.app, latsar.services.app\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('latsar.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert not (loaded & INSTRUCTOR_ONLY), loaded & INSTRUCTOR_ONLY


def test_an_export_loads_neither_the_results_file_schema_nor_the_printing_side(tmp_path):
    """The summary export of a large cohort is timed against the sqlite3 shell: it imports
    only what it writes with (the results files' pydantic schema alone is ~8 ms to build)."""
    code = (
        "import sys, json\nfrom latsar.cli import main\n"
        f"main(['--db', {str(tmp_path / 'x.db')!r}, 'export', '--format', 'csv', '-o', {str(tmp_path / 'x.csv')!r}])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('latsar.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "LATSAR_HOME": str(tmp_path)}).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert "latsar.storage.reports" in loaded  # the export did run
    assert not loaded & {"latsar.exchange.bundle", "latsar.services.instructor.results", "latsar.exchange.pdf", "latsar.tui.app"}, loaded


FACES = ("launch", "cli", "tui", "plain", "server")


def _names_a_face_imports() -> list[tuple[str, str, str]]:
    """(file, module, name) of every ``from latsar.… import name`` in the faces, type-checking
    blocks and imports inside functions included."""
    import ast
    from pathlib import Path

    root = Path(latsar.course.__file__).parent.parent
    found = []
    for face in FACES:
        base = root / face
        for path in [base.with_suffix(".py")] if base.with_suffix(".py").exists() else sorted(base.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("latsar."):
                    found += [(str(path.relative_to(root)), node.module or "", alias.name) for alias in node.names]
    return found


def test_no_storage_type_reaches_a_face_through_a_re_export():
    """import-linter sees the faces import only the services; this sees what they get from them:
    a class or function defined in latsar.storage, re-exported by a service, is a leak."""
    import importlib

    names = _names_a_face_imports()
    assert len(names) > 100  # the scan reads the faces' imports
    leaks = []
    for path, module, name in names:
        imported = importlib.import_module(module)
        value = getattr(imported, name, None)
        if value is None:  # a submodule imported by name
            continue
        origin = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if isinstance(origin, str) and origin.startswith("latsar.storage"):
            leaks.append(f"{path}: {name} from {module} is {origin}.{name}")
    assert not leaks, "\n".join(leaks)
