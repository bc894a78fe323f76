"""Guessing PINs and the passphrase is slowed without handing anyone a weapon (issue 17.3), and
every wait ends, whatever crashes in between (issue 18.2). On SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latsar.errors import SecretRequired
from latsar.services import open_services
from latsar.services.guard import ONE_ADDRESS, ONE_TARGET, Limit, Source
from tests.conftest import PG_UNAVAILABLE

ANI, BUDI = "199001012020122001", "199203152019031004"
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "kelas.db")
    if PG_UNAVAILABLE:
        pytest.skip(PG_UNAVAILABLE)
    return request.getfixturevalue("pg_url")


@pytest.fixture
def room(target):
    """A class: Ani and Budi with PINs, a passphrase; ``room(source)`` opens a session from there."""
    setup = open_services(target)
    for name, nip, pin in (("Ani Lestari", ANI, "123456"), ("Budi Santoso", BUDI, "654321")):
        setup.pins.set(setup.learners.add(name, nip, "Angkatan 7").id, pin)
    setup.passphrase.set("rahasia-pengampu")
    setup.close()
    clock = Clock()
    opened: list[Any] = []

    def session(address: str = "10.0.0.5", name: str | None = None):
        svc = open_services(target, clock=clock, source=Source.browser(address, name or f"s{len(opened)}"))
        opened.append(svc)
        return svc

    session.clock = clock
    yield session
    for svc in opened:
        svc.close()


def wrong(svc, ref: str, pin: str = "000000") -> str:
    with pytest.raises(SecretRequired) as caught:
        svc.login(ref, pin)
    return caught.value.message


def test_a_classmate_guessing_from_session_a_never_keeps_the_trainee_out_of_session_b(room):
    """The probe's attack: five wrong PINs for Budi from session A; Budi, from session B (even on the
    same device), signs in at once with his own PIN. A itself is slowed."""
    a, b = room("10.0.0.5", "A"), room("10.0.0.5", "B")
    for _ in range(5):
        assert "NIP/id atau PIN salah" in wrong(a, BUDI)
    assert "coba lagi dalam 1 detik" in wrong(a, BUDI, "654321")  # A waits, even with the right PIN
    assert b.login(BUDI, "654321").id == 2
    # From Budi's own device, too, and for every other trainee.
    assert room("10.0.0.23").login(BUDI, "654321").id == 2
    assert a.login(ANI, "123456").id == 1


def test_waits_grow_and_end_and_a_right_pin_clears_them(room):
    a = room()
    clock = room.clock
    for _ in range(ONE_TARGET.free):
        wrong(a, BUDI)
    waits = []
    for _ in range(4):
        message = wrong(a, BUDI)
        waits.append(message)
        seconds = int(message.split("dalam ")[1].split()[0])
        clock.tick(seconds=seconds)  # the wait has passed: the next guess is checked (and wrong)
        assert "NIP/id atau PIN salah" in wrong(a, BUDI)
    assert [w.split("dalam ")[1] for w in waits] == ["1 detik.", "2 detik.", "4 detik.", "8 detik."]
    clock.tick(seconds=16)
    assert a.login(BUDI, "654321").id == 2  # the right PIN after the wait
    assert "NIP/id atau PIN salah" in wrong(a, BUDI)  # and the count for that session starts again


def test_an_nip_nobody_has_is_answered_and_slowed_exactly_like_a_known_one(room):
    a = room()
    nobody = "199001012020122999"
    answers = {wrong(a, nobody) for _ in range(ONE_TARGET.free)} | {wrong(a, BUDI) for _ in range(ONE_TARGET.free)}
    assert answers == {"NIP/id atau PIN salah. Belum punya PIN? Minta pengampu membuatkannya."}
    assert "coba lagi dalam 1 detik" in wrong(a, nobody) and "coba lagi dalam 1 detik" in wrong(a, BUDI)
    assert wrong(a, "3") in answers  # an id nobody has, as printed on a PIN sheet: the same answer


def test_the_longest_wait_is_capped_and_a_device_guessing_everyone_slows_only_itself(room):
    clock = room.clock
    attacker = room("10.0.0.66")
    for i in range(ONE_ADDRESS.free):  # thirty wrong guesses, spread over targets and sessions
        wrong(room("10.0.0.66", f"reload{i}"), f"1990010120201220{i:02d}")
    fresh = room("10.0.0.66", "reload-again")
    assert "coba lagi dalam 1 detik" in wrong(fresh, BUDI)  # a reload does not start the count again
    for _ in range(30):  # keep guessing: the wait doubles, up to fifteen minutes
        clock.tick(minutes=20)
        wrong(attacker, BUDI)
    assert "coba lagi dalam 15 menit" in wrong(attacker, BUDI)
    # Meanwhile nobody else is slowed: not Budi from his laptop, not the instructor.
    assert room("10.0.0.23").login(BUDI, "654321").id == 2
    assert room("10.0.0.2").instructor("rahasia-pengampu") is not None
    # And a day without guessing forgets the device.
    clock.tick(hours=24, minutes=1)
    assert "NIP/id atau PIN salah" in wrong(attacker, ANI)


def test_guessing_the_passphrase_in_a_browser_never_slows_the_instructor_at_the_server(room, target):
    browser = room("10.0.0.66")
    for _ in range(40):
        with pytest.raises(SecretRequired):
            browser.instructor("tebak-tebakan")
    with pytest.raises(SecretRequired, match="coba lagi dalam"):
        browser.instructor("rahasia-pengampu")
    terminal = open_services(target, clock=room.clock)  # a command at the server's terminal
    try:
        assert terminal.instructor_at_terminal("rahasia-pengampu") is not None
        terminal.instructor_at_terminal("rahasia-pengampu").pins.set(2, "111222")  # the README's remedy works
    finally:
        terminal.close()


def test_no_empty_passphrase_opens_anything(room, tmp_path):
    svc = room()
    for empty in ("", None):
        with pytest.raises(SecretRequired):
            svc.instructor(empty)
    fresh = open_services(tmp_path / "baru.db")
    try:  # no passphrase set: the app's door is closed, whatever is typed
        for typed in ("", "apa saja"):
            with pytest.raises(SecretRequired, match="belum dibuat"):
                fresh.instructor(typed)
        with pytest.raises(Exception, match="minimal 8"):
            fresh.passphrase.set("        ")
    finally:
        fresh.close()


@settings(max_examples=200, deadline=None)
@given(
    failures=st.integers(min_value=0, max_value=10_000),
    ago=st.floats(min_value=-60, max_value=3 * 86400, allow_nan=False),
    limit=st.sampled_from([ONE_TARGET, ONE_ADDRESS]),
)
def test_every_wait_ends(failures: int, ago: float, limit: Limit):
    last = T0 - timedelta(seconds=ago)
    wait = limit.wait(failures, last, T0)
    assert timedelta(0) <= wait <= limit.cap + timedelta(seconds=60)
    assert limit.wait(failures, last, max(T0, last) + limit.cap) == timedelta(0)
    assert limit.wait(failures, last.replace(tzinfo=None), T0) == wait  # a naive time read back from SQLite is UTC


# -- crashes and races, across processes --------------------------------------------------------------

GUESSER = textwrap.dedent(
    """
    import os, sys, time
    from datetime import datetime, UTC
    from latsar.services import open_services
    from latsar.services.guard import Source
    import latsar.services.pins as pins
    from latsar.errors import LatsarError

    target, mode, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    frozen = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    svc = open_services(target, clock=lambda: frozen, source=Source.browser("10.0.0.66", "one-tab"))
    if mode == "die":
        def dying(*args, **kwargs):
            os._exit(9)  # killed between counting the guess and checking it
        pins.matches = dying
    while time.time() < start:
        time.sleep(0.005)
    try:
        print(svc.pins.check(2, "000000"))
    except LatsarError as exc:
        print("refused:", exc.message)
    """
)


def guessers(target: str, n: int, mode: str) -> list[str]:
    import time

    start = str(time.time() + 2.0)
    procs = [subprocess.Popen([sys.executable, "-c", GUESSER, target, mode, start], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert "Traceback" not in err, err
        outs.append(out.strip())
    return outs


def test_parallel_guesses_are_counted_before_they_are_checked(room, target):
    outs = guessers(target, 10, "check")
    evaluated = [o for o in outs if o == "False"]
    assert len(evaluated) == ONE_TARGET.free, outs
    assert all(o.startswith("refused: Terlalu banyak percobaan salah") for o in outs if o != "False")


def test_a_guesser_killed_mid_check_leaves_a_wait_that_ends(room, target):
    outs = guessers(target, ONE_TARGET.free + 2, "die")
    assert outs.count("") == ONE_TARGET.free  # killed while checking: each one counted
    assert sum(o.startswith("refused:") for o in outs) == 2
    late = open_services(target, clock=lambda: T0 + ONE_TARGET.cap, source=Source.browser("10.0.0.66", "one-tab"))
    try:
        assert late.pins.check(2, "654321") is True  # the wait ended; the right PIN is accepted
    finally:
        late.close()
