"""Snapshots of the screens that matter, at 80x24 and 120x40, and 60x20 where the layout changes
(pytest-textual-snapshot).

The clock is fixed and the zone is WIB, so times on screen never change between runs.
Update after an intended change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from latsar.tui.app import build_app
from tests.conftest import Clock
from tests.helpers import open_entry, read_through, search_in, settle, submit

SIZES = [(80, 24), (120, 40)]
NARROW_TOO = [(60, 20), *SIZES]  # screens whose layout follows the width
NOW = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 09:30 WIB


@pytest.fixture
def clock(monkeypatch):
    """Snapshots are taken at a fixed time, in WIB, on a 256-colour terminal."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    yield Clock(NOW)
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
def test_home_with_an_open_attempt(snap_compare, svc, clock, size):
    me = svc.trainee(svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7").id)
    read_through(me, "pengantar", clock)
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], "bccb"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    assert snap_compare(build_app(svc), terminal_size=size, run_before=settle)


SMALL = [(60, 20), (80, 24)]


@pytest.mark.parametrize("size", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_registration_refused(snap_compare, svc, size):
    """A wrong NIP and Enter: the message and the button are on the screen, at 60×20 too."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*"Budi", "enter", *"123", "enter")
        await settle(pilot)

    assert snap_compare(build_app(svc), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_resumed_evaluation(snap_compare, svc, clock, size):
    """An evaluation resumed opens on its question's text, not on the answers below it."""
    me = svc.trainee(svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7").id)
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], "bccb"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.clear_notifications()  # the notice of resuming has its own test
        await settle(pilot)

    assert snap_compare(build_app(svc), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_section_check(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2", key="c")
        await pilot.press("1")  # the first check question, answered: right or wrong, why, the module's words
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search(snap_compare, app, size):
    """/ in the reader, words found, ↓ to the first result: the dialog fits between the reader's
    title bar and its footer, its results scroll."""

    async def run_before(pilot):
        await settle(pilot)
        await search_in(pilot, "mp1-1", "kode etik")
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
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


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_after_a_failed_attempt(snap_compare, app, size):
    """Back on the map after failing: at 60x20 the list keeps most of the height (the panel
    below it, the next step first, is capped); at 120x40 each fact of the panel on its own line."""

    async def run_before(pilot):
        await fail_mp1(pilot)
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress_after_a_failed_attempt(snap_compare, app, size):
    async def run_before(pilot):
        await fail_mp1(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_practice(snap_compare, svc, app, size):
    from tests.helpers import MP1_KEY, take

    (siti,) = svc.learners.list()
    take(svc.trainee(siti.id), "mp1", MP1_KEY)  # the cases open with Materi Pokok 2

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


# -- the login, the instructor's view, every dialog, the result after a pass ----------------------


@pytest.fixture
def room(svc):
    """A class: two trainees with PINs (one has passed MP1), a passphrase."""
    from tests.helpers import MP1_KEY, take

    ani = svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7")
    budi = svc.learners.add("Budi Santoso", "199203152019031004", "Angkatan 7")
    svc.pins.set(ani.id, "123456")
    svc.pins.set(budi.id, "654321")
    take(svc.trainee(ani.id), "mp1", MP1_KEY)
    svc.passphrase.set("rahasia-pengampu")
    return svc


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_login(snap_compare, room, size):
    assert snap_compare(build_app(room, serve=True), terminal_size=size, run_before=settle)


TABS = ["tab-cohort", "tab-glance", "tab-items", "tab-room", "tab-export"]


@pytest.mark.parametrize("tab", TABS)
def test_instructor_view(snap_compare, room, tab, monkeypatch):
    from textual.widgets import TabbedContent

    monkeypatch.chdir("/")  # the export's path starts in the working directory: the same in every checkout

    from tests.helpers import unlock

    async def run_before(pilot):
        await _signed_in_as_ani(pilot)
        await unlock(pilot, "rahasia-pengampu")
        pilot.app.screen.query_one(TabbedContent).active = tab
        await settle(pilot)
        if tab == "tab-cohort":
            await _cohort_table_filled(pilot)

    # The export tab offers a file in the working directory: one fixed folder, wherever the
    # repository was cloned.
    monkeypatch.chdir("/")
    assert snap_compare(build_app(room), terminal_size=(120, 40), run_before=run_before)


@pytest.fixture
def journal_room(room):
    """The class, and the journal: Budi's three entries (two shared, one found "perlu diperbaiki"),
    one of Ani's (not shared)."""
    from latsar.services.journal import Draft

    ani = room.trainee(room.learners.resolve("199001012020122001").id).journal
    budi = room.trainee(room.learners.resolve("199203152019031004").id).journal
    coach = room.instructor("rahasia-pengampu").journal
    ani.write(
        Draft(
            "ramah",
            "2026-11-20",
            "Seorang pemohon bingung dengan formulir daring.",
            "Saya dampingi mengisi langkah demi langkah.",
            "Formulirnya terkirim hari itu juga.",
            "Buat panduan bergambar di loket.",
        )
    )
    first = budi.write(
        Draft("kebutuhan", "2026-11-18", "Warga lansia datang tanpa salinan KTP.", "Saya fotokopikan di kantor.", "Ia tidak perlu pulang dan kembali.", "Tulis syarat di papan depan."),
        share=True,
    )
    coach.review(first.record.id, 1, "perlu diperbaiki", "Jelaskan apa kebutuhannya yang Anda pahami.")
    budi.write(
        Draft("perbaikan", "2026-11-21", "Antrean loket menumpuk setiap Senin pagi.", "Saya usulkan nomor antrean daring.", "Waktu tunggu turun dari 40 ke 15 menit.", "Ukur lagi sebulan kemudian."),
        share=True,
    )
    return room


@pytest.mark.parametrize("tab", ["tab-shared", "tab-journal"])
def test_instructor_journal(snap_compare, journal_room, tab):
    """The coach's queue and "Berbagi pengalaman" (only what trainees chose to share)."""
    from textual.widgets import TabbedContent

    from tests.helpers import unlock

    async def run_before(pilot):
        await _signed_in_as_ani(pilot)
        await unlock(pilot, "rahasia-pengampu")
        pilot.app.screen.query_one(TabbedContent).active = tab
        await settle(pilot)
        if tab == "tab-cohort":
            await _cohort_table_filled(pilot)

    assert snap_compare(build_app(journal_room), terminal_size=(120, 40), run_before=run_before)


def test_review_dialog(snap_compare, journal_room):
    from textual.widgets import TabbedContent

    from tests.helpers import unlock

    async def run_before(pilot):
        await _signed_in_as_ani(pilot)
        await unlock(pilot, "rahasia-pengampu")
        pilot.app.screen.query_one(TabbedContent).active = "tab-journal"
        await settle(pilot)
        pilot.app.screen.query_one("#journal-queue").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(build_app(journal_room), terminal_size=(80, 24), run_before=run_before)


async def _signed_in_as_ani(pilot):
    """The choice of learner, Ani, her PIN: her map."""
    from textual.widgets import Input

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    pilot.app.screen.query_one("#pin", Input).value = "123456"
    await pilot.press("enter")
    await settle(pilot)


DIALOGS = {
    "pin": lambda pilot: _press(pilot, "enter"),  # Ani chosen: her PIN is asked
    "passphrase": lambda pilot: _then(_signed_in_as_ani, pilot, "i"),
    "retake_after_pass": lambda pilot: _retake(pilot),
    "confirm_submit": lambda pilot: _submit_half(pilot),
    "change_pin": lambda pilot: _change_pin(pilot),
    "edit_learner": lambda pilot: _edit_learner(pilot),
    "palette": lambda pilot: _then(_signed_in_as_ani, pilot, "ctrl+p"),
}


async def _press(pilot, *keys):
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)


async def _then(first, pilot, *keys):
    await first(pilot)
    await pilot.press(*keys)
    await settle(pilot)


async def _retake(pilot):
    await _signed_in_as_ani(pilot)
    await open_entry(pilot, "evaluation:mp1")


async def _submit_half(pilot):
    await _signed_in_as_ani(pilot)
    from latsar.services.values import EntryKind, Target
    from latsar.tui.messages import Open

    pilot.app.post_message(Open(Target(EntryKind.EVALUATION, "mp2")))
    await settle(pilot)
    await pilot.press("b", "c", "f")
    await pilot.press("s")
    await settle(pilot)


async def _change_pin(pilot):
    await _signed_in_as_ani(pilot)
    pilot.app.action_change_pin()
    await settle(pilot)


async def _cohort_table_filled(pilot):
    """Wait until the cohort's table holds both trainees (it is filled by a service call), asked of
    the table rather than of a screenshot."""
    import time

    from textual.widgets import DataTable

    table = pilot.app.screen.query_one("#cohort-table", DataTable)
    deadline = time.monotonic() + 10
    while table.row_count < 2:
        assert time.monotonic() < deadline, "the cohort's table was never filled"
        await pilot.pause(0.05)
    await settle(pilot)


async def _edit_learner(pilot):
    from textual.widgets import Input

    from tests.helpers import focus_lands, unlock

    await _signed_in_as_ani(pilot)
    await unlock(pilot, "rahasia-pengampu")
    await _cohort_table_filled(pilot)  # before e chooses its row
    await pilot.wait_for_scheduled_animations()  # and has scrolled to its cursor
    await pilot.press("e")
    await focus_lands(pilot, Input)  # the dialog's first field, not the table behind it
    await pilot.press("end")  # the cursor after the name: nothing left selected, whenever the focus landed
    await settle(pilot)
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("dialog", sorted(DIALOGS))
def test_dialog(snap_compare, room, dialog):
    assert snap_compare(build_app(room), terminal_size=(80, 24), run_before=DIALOGS[dialog])


@pytest.mark.parametrize("size", NARROW_TOO, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_after_a_pass(snap_compare, app, size):
    async def run_before(pilot):
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await pilot.press(*"bccbaccdba")
        await settle(pilot)
        await submit(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
