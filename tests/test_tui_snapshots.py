"""Snapshots of the screens that matter, at 80x24 and 120x40 (pytest-textual-snapshot).

Update after an intended change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from latsar.services import open_services
from latsar.tui.app import build_app
from tests.helpers import open_entry, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    svc = open_services(tmp_path / "snap.db")
    svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7")
    return build_app(svc)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_quiz(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await pilot.press("b", "c", "f")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_after_a_failed_attempt(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await pilot.press(*"bccbacaaab")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
