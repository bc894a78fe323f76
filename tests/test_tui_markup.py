"""Names, cohorts, paths and messages are shown as typed: square brackets are text, never Rich
markup (a name like "[bold]Ani[/]" must not restyle the screen, and "Budi [/" must not crash it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from latsar.tui.app import build_app
from latsar.tui.screens.instructor import InstructorScreen
from tests.helpers import MP1_KEY, screen_rows, settle, shows, take, unlock

STYLED = "[bold red]Ani[/]"
BROKEN = "Budi [/"
COHORT = "[Angkatan 7]"


@pytest.fixture
def svc(svc):
    ani = svc.learners.add(STYLED, "199001012020122001", COHORT)
    svc.learners.add(BROKEN, None, COHORT)
    take(svc.trainee(ani.id), "mp1", MP1_KEY)
    svc.passphrase.set("rahasia-pengampu")
    return svc


def seen(app) -> str:
    return "\n".join(screen_rows(app))


async def test_the_learner_choice_and_the_map_show_bracketed_names_as_typed(svc) -> None:
    app = build_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = seen(app)
        assert STYLED in text and BROKEN in text
        await pilot.press("enter")  # the first learner
        await settle(pilot)
        text = seen(app)
        assert STYLED in text and COHORT in text


async def test_the_instructor_view_shows_bracketed_names_and_cohorts_as_typed(svc, tmp_path: Path) -> None:
    app = build_app(svc, 1)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        table = screen.query_one("#cohort-table", DataTable)
        shown = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert shown == {STYLED, BROKEN}
        await shows(pilot, STYLED, BROKEN)
        screen.query_one("#cohort-filter", Select).value = COHORT  # the filter shows the cohort as typed
        await settle(pilot)
        await shows(pilot, COHORT)
        assert table.row_count == 2
        out = tmp_path / "[hasil].csv"
        screen.query_one("#export-format").value = "csv"
        await settle(pilot)
        screen.query_one("#export-path", Input).value = str(out)
        screen.query_one("#export-go").press()
        await settle(pilot)
        assert f"ditulis ke {out}" in str(screen.query_one("#export-status", Static).render())
        assert out.exists()


async def test_an_error_that_quotes_a_bracketed_name_shows_it_as_typed(svc) -> None:
    app = build_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#name", Input).value = "Citra"
        app.screen.query_one("#nip", Input).value = "199001012020122001"  # Ani's
        app.screen.query_one("#create").press()
        await settle(pilot)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert f"sudah terdaftar atas nama {STYLED}" in error
