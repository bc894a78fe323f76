"""The instructor view in the TUI: passphrase gate, cohort table, filter, export, item analysis."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input, Static

from latsar.tui.app import build_app
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.instructor import InstructorScreen
from tests.helpers import MP1_KEY, notes, screen_rows, settle, take, unlock


@pytest.fixture
def svc(svc):
    ani = svc.learners.add('=HYPERLINK("http://x","klik")', "199001012020122001", "A7")
    svc.learners.add("Budi", None, "A8")
    take(svc.trainee(ani.id), "mp1", MP1_KEY)
    return svc


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
        assert "Kata sandi pengampu salah" in str(app.screen.query_one("#passphrase-error", Static).content)
        app.screen.query_one("#passphrase", Input).value = "rahasia-pengampu"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        table = screen.query_one("#cohort-table", DataTable)
        assert table.row_count == 2
        assert table.region.x >= 1  # off the terminal's edge, as on every other screen
        assert "Esc Kembali" in screen_rows(app)[-1]
        assert str(table.get_row_at(0)[0]) == '=HYPERLINK("http://x","klik")'
        titles = [str(c.label) for c in table.columns.values()]
        row = dict(zip(titles, table.get_row_at(0)))
        assert row["Evaluasi MP1 %"] == "100" and row["Evaluasi MP1 ×"] == "1"
        screen.query_one("#search", Input).value = "budi"
        await settle(pilot)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "Budi"
        items = str(screen.query_one("#items", Static).content)
        assert "Evaluasi Materi Pokok 1 — 1 peserta" in items and "p=1.00" in items
        # Nobody has finished MP2: words, not ten empty bars reading p=0.00.
        assert "Evaluasi Materi Pokok 2 — 0 peserta" in items and "p=0.00" not in items
        out = tmp_path / "hasil.csv"
        screen.query_one("#export-format").value = "csv"
        await settle(pilot)
        screen.query_one("#export-path", Input).value = str(out)
        screen.query_one("#export-go").press()
        await settle(pilot)
        assert "2 baris ditulis" in str(screen.query_one("#export-status", Static).content)
        assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")


def names(table) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_view(svc):
    svc.passphrase.set("rahasia-pengampu")
    app = build_app(svc, 1)
    return app


async def test_the_table_is_drawn_at_its_cells_widths_even_when_drawn_at_once(svc):
    """A DataTable measures new rows only when next idle, and a row drawn before that kept the
    headers' widths ("Ani", "199") until the cursor moved. The table is drawn right after it is
    filled (as a busy machine may), then once the app is idle: full names and NIPs either way."""
    svc.passphrase.set("rahasia-pengampu")
    svc.learners.add("Citra Kusumawardhani", "199203152019031004", "A8")
    app = build_app(svc, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        screen.query_one("#search", Input).value = "citra"
        await settle(pilot)
        screen._fill()  # filled again (as a reload does) and drawn at once, before the table is idle
        early = "\n".join(screen_rows(app))
        await settle(pilot)
        later = "\n".join(screen_rows(app))
        for shown in (early, later):
            assert re.search(r"Citra Kusumawardhani +199203152019031004", shown), shown


async def test_the_table_sorts_by_any_column_and_keeps_names_in_view(svc):
    cici = svc.learners.add("Cici", None, "A7")
    take(svc.trainee(cici.id), "mp1", "bccbacaaaa")  # 70
    app = await open_view(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        table = screen.query_one("#cohort-table", DataTable)
        assert table.fixed_columns == 1 and str(table.ordered_columns[0].label) == "Nama"
        assert names(table) == ['=HYPERLINK("http://x","klik")', "Cici", "Budi"]  # by cohort, then name
        table.focus()
        await pilot.press("s")  # by the column under the cursor: Nama
        await settle(pilot)
        assert names(table) == ['=HYPERLINK("http://x","klik")', "Budi", "Cici"]
        assert str(table.ordered_columns[0].label) == "Nama ▲"
        await pilot.press("s")
        await settle(pilot)
        assert names(table) == ["Cici", "Budi", '=HYPERLINK("http://x","klik")']
        # Clicking a header sorts by it: the MP1 score, empty cells last.
        titles = [str(c.label) for c in table.ordered_columns]
        index = titles.index("Evaluasi MP1 %")
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:index]) + 2
        await pilot.click("#cohort-table", offset=(x, 0))
        await settle(pilot)
        assert names(table) == ["Cici", '=HYPERLINK("http://x","klik")', "Budi"]  # 70, 100, -
        assert str(table.ordered_columns[index].label) == "Evaluasi MP1 % ▲"
        await pilot.click("#cohort-table", offset=(x, 0))
        await settle(pilot)
        assert names(table) == ['=HYPERLINK("http://x","klik")', "Cici", "Budi"]  # 100, 70, -
        # Scrolled sideways to the last column, the name column stays in view.
        table.focus()
        for _ in range(len(titles)):
            await pilot.press("right")
        await settle(pilot)
        assert table.scroll_x > 0
        first = "".join(s.text for s in table.render_line(1))  # the first row, as painted
        # The name, then the last columns: last activity, time on task, unfinished attempts.
        assert first.lstrip().startswith('=HYPERLINK("http://x","klik")') and re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d +0 +0 +0", first)


async def test_edit_a_learner_from_the_instructor_view(svc):
    app = await open_view(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        table = screen.query_one("#cohort-table", DataTable)
        table.focus()
        await pilot.press("down")  # Budi
        await pilot.press("e")
        await settle(pilot)
        from latsar.tui.dialogs.edit_learner import EditLearnerDialog

        dialog = app.screen
        assert isinstance(dialog, EditLearnerDialog)
        assert dialog.query_one("#edit-name", Input).value == "Budi" and app.focused is dialog.query_one("#edit-name", Input)
        dialog.query_one("#edit-name", Input).value = "Budi Santoso"
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#edit-nip", Input)
        await pilot.press(*"12345", "enter")
        await settle(pilot)
        assert "NIP '12345' tidak sah" in str(dialog.query_one("#edit-error", Static).content)
        dialog.query_one("#edit-nip", Input).value = ""
        dialog.query_one("#edit-cohort", Input).value = "a7"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Budi Santoso" in notes(app) and "angkatan: A8 → A7" in notes(app)
        assert "Budi Santoso" in names(table)
        assert svc.learners.get(2).cohort == "A7"
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_the_cohort_at_a_glance_tab(svc):
    app = await open_view(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        from textual.widgets import TabbedContent

        screen.query_one(TabbedContent).active = "tab-glance"
        await settle(pilot)
        text = str(screen.query_one("#glance", Static).content)
        assert "A7 — 1 peserta terdaftar, 1 sudah mulai, 0 belum mulai" in text
        assert "Evaluasi MP1: 1 mengerjakan, 1 lulus; skor terbaik rata-rata 100, median 100" in text
        assert "A8 — 1 peserta terdaftar, 0 sudah mulai, 1 belum mulai" in text and "Belum mulai (1): Budi (id 2)" in text
        # The score distribution, as the PDF draws it: Ani's 100 in the top band, nothing below.
        assert "Evaluasi MP1: sebaran skor terbaik (1 mengerjakan, batas lulus 80%)" in text
        assert "90–100 " + "█" * 30 + " 1" in text and "80–89 " + " " * 30 + " 0" in text
        await pilot.press("s")  # sorting belongs to the table's tab
        await settle(pilot)
        assert app.screen is screen


async def test_in_the_browser_an_export_is_sent_to_the_browser_and_no_copy_stays_on_the_server(svc, tmp_path, monkeypatch):
    import tempfile

    from latsar.tui.app import LatsarApp

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(LatsarApp, "is_web", property(lambda self: True))
    sent = []

    def deliver_binary(self, handle, save_filename=None, **_):
        sent.append((save_filename, handle.read()))
        handle.close()

    monkeypatch.setattr(LatsarApp, "deliver_binary", deliver_binary)
    svc.passphrase.set("rahasia-pengampu")
    app = build_app(svc, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        screen.query_one("#export-format").value = "csv"
        await settle(pilot)
        screen.query_one("#export-go").press()
        await settle(pilot)
        assert "dikirim ke browser Anda" in str(screen.query_one("#export-status", Static).render())
    ((name, data),) = sent
    assert name.endswith(".csv") and "Budi" in data.decode("utf-8-sig")
    assert list(tmp_path.glob("latsar-ekspor-*")) == [], "a copy of the export stayed on the server"
