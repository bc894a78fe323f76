"""The instructor view in the TUI: passphrase gate, cohort table, filter, export, item analysis."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from latsar.services import open_services
from latsar.tui.app import build_app
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.instructor import InstructorScreen
from tests.helpers import MP1_KEY, settle, take


@pytest.fixture
def svc(tmp_path):
    svc = open_services(tmp_path / "i.db")
    ani = svc.learners.add('=HYPERLINK("http://x","klik")', "199001012020122001", "A7")
    svc.learners.add("Budi", None, "A8")
    take(svc.trainee(ani.id), "mp1", MP1_KEY)
    return svc


async def unlock(pilot, passphrase):
    await pilot.press("i")
    await settle(pilot)
    field = pilot.app.screen.query_one("#passphrase", Input)
    field.value = passphrase
    await pilot.press("enter")
    await settle(pilot)


async def test_no_passphrase_yet_says_how_to_make_one(svc):
    app = build_app(svc, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert "latsar instructor passphrase" in str(app.screen.query_one("#passphrase-error", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_wrong_then_right_passphrase_opens_the_cohort_view(svc, tmp_path):
    svc.passphrase.set("rahasia-pengampu")
    app = build_app(svc, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "bukan-ini")
        assert "Kata sandi salah" in str(app.screen.query_one("#passphrase-error", Static).content)
        app.screen.query_one("#passphrase", Input).value = "rahasia-pengampu"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        table = screen.query_one("#cohort-table", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[0]) == '=HYPERLINK("http://x","klik")'
        titles = [str(c.label) for c in table.columns.values()]
        row = dict(zip(titles, table.get_row_at(0)))
        assert row["Evaluasi MP1 %"] == "100" and row["Evaluasi MP1 ×"] == "1"
        screen.query_one("#search", Input).value = "budi"
        await settle(pilot)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "Budi"
        items = str(screen.query_one("#items", Static).content)
        assert "Evaluasi Materi Pokok 1 — 1 peserta" in items and "p=1.00" in items
        out = tmp_path / "hasil.csv"
        screen.query_one("#export-format").value = "csv"
        await settle(pilot)
        screen.query_one("#export-path", Input).value = str(out)
        screen.query_one("#export-go").press()
        await settle(pilot)
        assert "2 baris ditulis" in str(screen.query_one("#export-status", Static).content)
        assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
