"""The classroom session's app (what `latsar serve` runs per browser), driven with Pilot; and the
same protection without the server: a learner's PIN on a shared computer."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from latsar.services import open_services
from latsar.services.presence import Activity
from latsar.tui.app import build_app
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.instructor import InstructorScreen
from latsar.tui.screens.learner import LearnerScreen
from latsar.tui.screens.login import LoginScreen
from tests.helpers import burst, notes, settle

ANI, BUDI = "199001012020122001", "199203152019031004"


@pytest.fixture
def svc(svc):
    for name, nip, pin in (("Ani Lestari", ANI, "123456"), ("Budi Santoso", BUDI, "654321")):
        learner = svc.learners.add(name, nip, "Angkatan 7")
        svc.pins.set(learner.id, pin)
    svc.passphrase.set("rahasia-pengampu")
    return svc


async def sign_in(pilot, ref: str, pin: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#ref", Input).value = ref
    screen.query_one("#pin", Input).value = pin
    screen.query_one("#pin", Input).focus()
    await settle(pilot)  # as typing would: the fields' changes handled before the Enter
    await pilot.press("enter")
    await settle(pilot)


def error(app) -> str:
    return str(app.screen.query_one("#login-error", Static).content)


async def test_a_session_starts_at_the_login_and_holds_only_its_trainee(svc):
    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.trainee is None
        await sign_in(pilot, ANI, "000000")
        assert "NIP/id atau PIN salah" in error(app) and isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "199001012020122999", "123456")  # nobody: the same words, nothing told
        assert "NIP/id atau PIN salah" in error(app)
        await sign_in(pilot, ANI, "123456")
        assert isinstance(app.screen, HomeScreen) and app.trainee.id == 1
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Ganti peserta" not in titles and "Tampilan pengampu" not in titles and "Ganti PIN" in titles
        assert app.screen.check_action("switch_learner", ()) is False and app.screen.check_action("instructor", ()) is False
        await pilot.press("u", "i")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.trainee.id == 1


@pytest.mark.parametrize("serve", [True, False])
async def test_help_names_only_the_keys_that_work_where_it_is_read(svc, serve):
    from latsar.tui.dialogs.help import HelpScreen

    app = build_app(svc, 1 if not serve else None, serve=serve)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        if serve:
            await sign_in(pilot, ANI, "123456")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("Markdown").source
        if serve:  # a classroom session: no switching learner, no instructor view; a PIN to change
            assert "ganti peserta" not in text and "tampilan pengampu" not in text and "Ganti PIN" in text
            assert "Ctrl+Q" not in text
        else:
            assert "**u** ganti peserta" in text and "**i** tampilan pengampu" in text and "Ctrl+Q" in text


async def test_keys_typed_in_one_burst_land_in_the_right_fields(svc):
    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, f"{ANI}\r123456\r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.trainee.id == 1


async def test_a_burst_on_the_registration_form_fills_each_field(tmp_path):
    svc = open_services(tmp_path / "baru.db")
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        burst(app, f"Citra Dewi\r{ANI}\rAngkatan 9\rBKN\r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (learner,) = svc.learners.list()
    assert (learner.name, learner.nip, learner.cohort, learner.instansi) == ("Citra Dewi", ANI, "Angkatan 9", "BKN")


async def test_a_wrong_nip_typed_fast_keeps_its_error_until_it_is_changed(tmp_path):
    """The changes of the keys typed before Enter arrive after the check: they must not wipe the
    error it just showed (a trainee typing "12345" and Enter saw nothing happen)."""
    app = build_app(open_services(tmp_path / "baru.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "Citra Dewi\r12345\r")
        await settle(pilot)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "NIP harus 18 angka" in error and app.focused.id == "nip"
        await pilot.press("backspace")  # being fixed: the error goes
        await settle(pilot)
        assert str(app.screen.query_one("#form-error", Static).render()) == ""


async def test_a_login_typed_fast_without_its_pin_keeps_its_error_until_it_is_changed(svc):
    """As on the registration form: the changes of the NIP's keys arrive after the Enter that
    found the PIN missing, and must not wipe what it said."""
    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, f"{ANI}\r\r")
        await settle(pilot)
        error = app.screen.query_one("#login-error", Static)
        assert "Isi NIP (atau id) dan PIN" in str(error.render()) and app.focused.id == "pin"
        await pilot.press("1")  # being fixed: the message goes
        await settle(pilot)
        assert str(error.render()) == ""


async def test_a_classmate_guessing_a_pin_in_one_session_never_keeps_its_owner_out_of_another(svc):
    """Five wrong PINs for Budi from one browser session (the probe's attack): that session must
    wait, and Budi signs in at once from his own session, with his own PIN."""
    from latsar.services.guard import Source

    attacker = build_app(open_services(svc.db.path, source=Source.browser("10.0.0.66", "A")), serve=True)
    async with attacker.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await sign_in(pilot, BUDI, "111111")
            assert "NIP/id atau PIN salah" in error(attacker)
        await sign_in(pilot, BUDI, "654321")  # the right PIN, from the guessing session: it waits
        assert "coba lagi dalam 1 detik" in error(attacker) and isinstance(attacker.screen, LoginScreen)
    budi = build_app(open_services(svc.db.path, source=Source.browser("10.0.0.66", "B")), serve=True)
    async with budi.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, BUDI, "654321")
        assert isinstance(budi.screen, HomeScreen) and budi.trainee.id == 2


async def test_the_instructor_view_needs_the_passphrase_and_shows_the_room(svc):
    trainee_app = build_app(svc, serve=True)
    async with trainee_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await sign_in(pilot, ANI, "123456")
        trainee_app.classroom.report()
        await settle(pilot)
        room = svc.instructor("rahasia-pengampu").room.now()
        assert [(line.seat.name, line.seat.activity) for line in room.lines] == [("Ani Lestari", Activity.HOME)]
        # A browser still at the login is no trainee; Ani signed in a second time is one row, marked.
        svc.presence().report(Activity.LOGIN)
        twice = svc.presence()
        twice.learner_id = 1
        twice.report(Activity.READING, "mp1-1")
        room = svc.instructor("rahasia-pengampu").room.now()
        assert [line.name for line in room.lines] == ["Ani Lestari (2 sesi)"] and room.others == 1
        twice.end()
    # Another trainee's session, in another process, is in the middle of MP1.
    elsewhere = svc.presence()
    elsewhere.learner_id = 2
    elsewhere.report(Activity.EVALUATION, "mp1", 4, 10)
    app = build_app(open_services(svc.db.path), serve=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        field = app.screen.query_one("#passphrase", Input)
        field.value = "bukan-ini"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, InstructorScreen)
        field.value = "rahasia-pengampu"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InstructorScreen)
        await pilot.pause(0.3)
        await settle(pilot)
        table = app.screen.query_one("#room-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        budi = next(r for r in rows if r[0] == "Budi Santoso")
        assert budi[2] == "mengerjakan Evaluasi MP1 4/10" and "Ani Lestari" not in [r[0] for r in rows]  # Ani has left


async def test_an_idle_session_ends_and_its_answers_stay(svc):
    app = build_app(svc, serve=True, idle_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, ANI, "123456")
        app.classroom.idle_limit = 0.2
        await pilot.pause(0.3)
        await app.classroom.end_if_idle()
        await pilot.pause()
    assert app.return_code is not None or not app.is_running


async def test_a_learner_with_a_pin_is_asked_for_it_on_a_shared_computer(tmp_path):
    svc = open_services(tmp_path / "pc.db")
    ani = svc.learners.add("Ani Lestari", ANI)
    svc.pins.set(ani.id, "2468")
    app = build_app(svc)  # the only learner, but she has a PIN: never opened without it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen) and app.trainee is None
        await pilot.press("enter")
        await settle(pilot)
        pin = app.screen.query_one("#pin", Input)
        pin.value = "1111"
        await pilot.press("enter")
        await settle(pilot)
        assert "PIN salah" in str(app.screen.query_one("#pin-error", Static).content) and app.trainee is None
        pin.value = "2468"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.trainee.id == ani.id


def test_plain_commands_ask_for_the_pin(cli, tmp_path, monkeypatch):
    from tests.helpers import MP1_KEY, lines

    cli("learner", "add", "--name", "Ani", "--nip", ANI)
    assert cli("learner", "pin", ANI, input="2468\n2468\n")[0] == 0
    code, _, err = cli("quiz", "mp1", input=lines(MP1_KEY))
    assert code == 2 and "LATSAR_PIN" in err
    monkeypatch.setenv("LATSAR_PIN", "1111")
    code, _, err = cli("progress")
    assert code == 2 and "PIN salah" in err
    monkeypatch.setenv("LATSAR_PIN", "2468")
    assert cli("progress")[0] == 0
    # Once a passphrase is set, instructor commands need it too.
    svc = open_services()
    svc.passphrase.set("rahasia-pengampu")
    svc.close()
    code, _, err = cli("export")
    assert code == 2 and "LATSAR_PASSPHRASE" in err
    monkeypatch.setenv("LATSAR_PASSPHRASE", "rahasia-pengampu")
    assert cli("export")[0] == 0


@pytest.mark.parametrize(
    "host, said",
    [
        ("127.0.0.1", "sudah dipakai program lain"),  # the port is taken (below)
        ("192.0.2.1", "192.0.2.1 bukan alamat mesin ini"),  # TEST-NET-1: never this machine's
    ],
)
def test_a_server_that_cannot_listen_says_why_and_never_announces_the_class(cli, tmp_path, monkeypatch, host, said):
    import socket

    monkeypatch.setenv("LATSAR_HOME", str(tmp_path))
    open_services().passphrase.set("rahasia-pengampu")
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        code, out, err = cli("serve", "--host", host, "--port", str(port))
    finally:
        taken.close()
    assert code == 2 and said in err.splitlines()[-1]
    assert "kelas dibuka" not in out and "Traceback" not in err and "error while" not in err


def test_a_class_never_opens_without_an_instructor_passphrase(cli, tmp_path, monkeypatch):
    """Closed by default: without a passphrase the instructor view would be nobody's to guard."""
    import socket

    monkeypatch.setenv("LATSAR_HOME", str(tmp_path))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = cli("serve", "--host", "127.0.0.1", "--port", str(port))
    assert code == 2 and "latsar instructor passphrase" in err and "kelas dibuka" not in out
    assert len(err.strip().splitlines()) == 1


async def test_the_live_view_says_who_is_looking_at_a_result(svc):
    from latsar.tui.screens.result import ResultScreen
    from tests.helpers import MP1_KEY, answer_all, open_entry, submit

    app = build_app(svc, serve=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await sign_in(pilot, ANI, "123456")
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, MP1_KEY)
        await submit(pilot)
        assert isinstance(app.screen, ResultScreen)
        app.classroom.report()
        await settle(pilot)
        room = svc.instructor("rahasia-pengampu").room
        (line,) = room.now().lines
        assert line.doing(room.titles) == "melihat hasil Evaluasi MP1"


async def test_a_trainee_changes_their_own_pin_and_a_mistake_is_said_until_fixed(svc):
    from latsar.tui.dialogs.pin import ChangePinDialog

    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, f"{ANI}\r123456\r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.action_change_pin()
        await settle(pilot)
        assert isinstance(app.screen, ChangePinDialog) and app.focused.id == "current"
        burst(app, "123456\r2468\r2469\r")  # the second new PIN mistyped
        await settle(pilot)
        error = app.screen.query_one("#pin-error", Static)
        assert "Kedua PIN baru tidak sama" in str(error.render())
        await pilot.press("backspace")  # being fixed: the message goes
        assert str(error.render()) == ""
        await pilot.press("8", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and "PIN baru tersimpan" in notes(app)
    assert svc.pins.check(1, "2468") and not svc.pins.check(1, "123456")


# -- keys in a burst, and the instructor's door (issue 17.1 and 17.2) ---------------------------------


async def test_f2_and_enter_in_one_burst_never_open_the_instructor_view(tmp_path):
    """A fresh database, no passphrase yet: F2 then Enter, together or in quick succession, never
    opens the instructor view (it opened it in 11 of 20 tries); the dialog says how to make one."""
    from latsar.tui.dialogs.passphrase import PassphraseDialog

    fresh = open_services(tmp_path / "baru.db")
    app = build_app(fresh, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(5):
            burst(app, ["\x1bOQ", "\r", "\r"])
            await settle(pilot)
            assert not isinstance(app.screen, InstructorScreen)
            assert isinstance(app.screen, PassphraseDialog)
            assert "latsar instructor passphrase" in str(app.screen.query_one("#passphrase-error", Static).content)
            assert not app.screen.query("#passphrase")  # nothing to type in, nothing to submit
            await pilot.press("escape")
            await pilot.press("f2", "enter")
            await settle(pilot)
            assert isinstance(app.screen, PassphraseDialog)
            await pilot.press("escape")
            await settle(pilot)


async def test_with_a_passphrase_an_empty_enter_in_the_burst_is_refused(svc):
    from latsar.tui.dialogs.passphrase import PassphraseDialog

    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["\x1bOQ", "\r"])
        await settle(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        burst(app, list("rahasia-pengampu\r"))
        await settle(pilot)
        assert isinstance(app.screen, InstructorScreen)


async def test_esc_with_f2_cancels_and_a_palette_between_never_leaves_the_login_deaf(svc):
    """F2 and Esc together close the dialog as typed slowly; and a palette opened (Ctrl+P) between
    F2 and its dialog does not leave the login holding every key typed after."""
    from textual.widgets import Input

    from latsar.tui.dialogs.passphrase import PassphraseDialog

    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = app.screen
        burst(app, ["\x1bOQ", "\x1b"])  # F2, Esc
        await settle(pilot)
        assert app.screen is login
        burst(app, ["\x1bOQ"])
        burst(app, ["ctrl+p"])  # the palette, before the dialog is up
        await settle(pilot)
        for _ in range(3):
            if app.screen is login:
                break
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is login and not isinstance(app.screen, PassphraseDialog)
        burst(app, list("1990"))
        await settle(pilot)
        assert login.query_one("#ref", Input).value == "1990"


async def test_a_passphrase_typed_fast_after_i_on_the_map_never_works_the_maps_keys(svc):
    """On a laptop, i on the map and the passphrase typed at once (its p, u, n and q are the map's
    keys: progress, another learner, next, quit): the keys wait for the dialog's box."""
    from latsar.tui.screens.home import HomeScreen

    svc.passphrase.set("pun-quiz-rahasia", current="rahasia-pengampu")
    citra = svc.learners.add("Citra Dewi")  # no PIN: her laptop opens on her map
    app = build_app(svc, citra.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        burst(app, ["i", *"pun-quiz-rahasia", "\r"])
        await settle(pilot)
        assert isinstance(app.screen, InstructorScreen) and app.is_running
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["HomeScreen", "InstructorScreen"]


@pytest.mark.parametrize("typed", ["", "9"])
async def test_a_passphrase_typed_in_the_burst_with_f2_goes_to_the_dialog_never_to_the_nip_field(svc, typed):
    """F2, the passphrase and Enter arriving together: the dialog has no box yet when they come
    (it asks first whether a passphrase exists); they are held for it, not drawn in the NIP field."""
    from textual.widgets import Input

    from latsar.tui.dialogs.passphrase import PassphraseDialog

    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = app.screen
        burst(app, [*typed, "\x1bOQ", *"rahasia-pengampu", "\r"])
        await settle(pilot)
        assert login.query_one("#ref", Input).value == typed  # what was typed before F2 stays there
        assert isinstance(app.screen, InstructorScreen)
        await pilot.press("escape")
        await settle(pilot)
        burst(app, ["\x1bOQ", *"salah-tebak", "\r"])  # a wrong one is refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        assert "salah" in str(app.screen.query_one("#passphrase-error").render()).lower()
        assert login.query_one("#ref", Input).value == typed


@pytest.mark.parametrize("keys", [
    [*ANI, "\t", *"123456", "\r"],  # NIP, Tab, PIN, Enter in one burst (a congested network)
    [*ANI, "\r", *"123456", "\r"],
    [*"123456", "\x1b[Z", *ANI, "\t", "\r"],  # the PIN first, back to the NIP with Shift+Tab
])
async def test_nip_tab_pin_in_one_burst_signs_in_and_never_shows_the_pin(svc, keys):
    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if "\x1b[Z" in keys:  # typed from the PIN field
            app.screen.query_one("#pin", Input).focus()
            await settle(pilot)
        shown: list[str] = []
        ref = app.screen.query_one("#ref", Input)
        ref.watch(ref, "value", lambda value: shown.append(value), init=False)
        burst(app, keys)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.trainee.id == 1
        assert all("123456" not in value and not value.endswith(("1", "12")) or value == ANI[: len(value)] for value in shown), shown


async def test_a_burst_on_the_change_pin_form_lands_each_pin_in_its_field(svc):
    from latsar.tui.dialogs.pin import ChangePinDialog

    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, ANI, "123456")
        app.action_change_pin()
        await settle(pilot)
        assert isinstance(app.screen, ChangePinDialog)
        burst(app, [*"123456", "\t", *"246810", "\t", *"246810", "\r"])
        await settle(pilot)
        assert not isinstance(app.screen, ChangePinDialog)
    assert svc.pins.check(1, "246810") is True
