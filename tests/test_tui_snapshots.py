"""Snapshots of the screens that matter, at 80x24 and 120x40, and 60x20 where the layout changes
(pytest-textual-snapshot).

The clock is fixed and the zone is WIB, so times on screen never change between runs.
Update after an intended change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from latsar.services import open_services
from latsar.tui.app import build_app
from tests.helpers import open_entry, settle, submit

SIZES = [(80, 24), (120, 40)]
NARROW_TOO = [(60, 20), *SIZES]  # screens whose layout follows the width
NOW = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 09:30 WIB


@pytest.fixture
def svc(tmp_path, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    yield open_services(tmp_path / "snap.db", clock=lambda: NOW)
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def app(svc):
    svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7")
    return build_app(svc)


async def fail_mp1(pilot):
    await settle(pilot)
    await open_entry(pilot, "evaluation:mp1")
    await pilot.press(*"bccbacaaab")
    await settle(pilot)
    await submit(pilot)


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_an_open_attempt(snap_compare, svc, size):
    me = svc.trainee(svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7").id)
    me.reading.complete("pengantar")
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], "bccb"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    assert snap_compare(build_app(svc), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_section_check(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2", key="c")
        await pilot.press("1")  # the first check question, answered: right or wrong, why, the module's words
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


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


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_after_a_failed_attempt(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=fail_mp1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress_after_a_failed_attempt(snap_compare, app, size):
    async def run_before(pilot):
        await fail_mp1(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_practice(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("2")  # a wrong answer: the feedback names the key and the reading
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_learner_choice(snap_compare, svc, size):
    svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7")
    svc.learners.add("Budi Santoso", None, "Angkatan 8")
    assert snap_compare(build_app(svc), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
