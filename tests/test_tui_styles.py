"""The stylesheets and the first screen: only the map's rules are parsed before it is painted,
every other screen brings (and gets) its own, and the first screen is the bottom of the stack."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import OptionList

import latsar.tui
from latsar.services import open_services
from latsar.tui.app import build_app
from latsar.tui.base import STYLES
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.learner import LearnerScreen
from tests.conftest import Clock
from tests.helpers import read_through, settle

APP_CSS = Path(latsar.tui.__file__).parent / "latsar.tcss"


def _screens() -> list[type[Screen]]:
    for info in pkgutil.walk_packages(latsar.tui.__path__, "latsar.tui."):
        importlib.import_module(info.name)
    found: list[type[Screen[Any]]] = []
    todo: list[type[Screen[Any]]] = [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("latsar."):
                found.append(sub)
    return found


def _own_rules(screen: type[Screen]) -> str:
    """The rules a screen brings with it (its own DEFAULT_CSS or one of latsar's bases')."""
    return "".join(base.__dict__.get("DEFAULT_CSS", "") for base in screen.__mro__ if base.__module__.startswith("latsar."))


def test_every_stylesheet_belongs_to_a_screen_and_every_screen_has_its_own():
    screens = _screens()
    for path in STYLES.glob("*.tcss"):
        text = path.read_text(encoding="utf-8")
        assert any(text in _own_rules(s) for s in screens), f"{path.name} is no screen's"
    bare = [s.__name__ for s in screens if not _own_rules(s) and s.__name__ not in ("HomeScreen", "LatsarScreen", "Palette")]
    assert bare == []  # the map's rules are the app's, LatsarScreen is only a base, the palette is Textual's


@pytest.mark.parametrize("path", [APP_CSS, *sorted(STYLES.glob("*.tcss"))], ids=lambda p: p.name)
def test_each_stylesheet_parses(path):
    # A mistake in a screen's stylesheet would otherwise show only when a trainee opens it.
    sheet = Stylesheet(variables=App().get_css_variables())
    sheet.read(path)
    sheet.parse()
    assert sheet.rules


async def test_the_app_stylesheet_is_the_maps_and_nothing_else_is_read_before_it(tmp_path):
    svc = open_services(tmp_path / "s.db")
    svc.learners.add("Siti")
    app = build_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        ours = {f"{Path(str(where)).name}:{what}" for where, what in app.stylesheet.source if "/latsar/" in str(where)}
        assert ours == {"latsar.tcss:"}, ours  # no other screen's rules are parsed yet
        for name in re.findall(r"#([A-Za-z][\w-]*)", APP_CSS.read_text(encoding="utf-8")):
            assert app.screen.query(f"#{name}"), f"#{name} in latsar.tcss is not on the map"
        # The map is the bottom of the stack itself: nothing under it.
        assert app.screen_stack == [app.screen]


async def test_a_first_screen_other_than_the_map_has_its_own_styles(tmp_path):
    svc = open_services(tmp_path / "s.db")
    app = build_app(svc)  # nobody registered yet: the choice of learner comes first
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        assert app.screen.query_one("#learners", OptionList).styles.max_height is not None  # styles/learner.tcss
        assert app.screen.query_one("#learners").styles.border_top[0] == "round"


async def test_the_classrooms_login_has_its_own_styles(tmp_path):
    from latsar.tui.screens.login import LoginScreen

    app = build_app(open_services(tmp_path / "s.db"), serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-form").styles.border_top[0] == "round"  # styles/login.tcss


async def test_switching_learners_back_and_forth_keeps_the_stack_short_and_each_map_its_own(tmp_path):
    clock = Clock()
    svc = open_services(tmp_path / "s.db", clock=clock)
    a, b = svc.learners.add("Ani"), svc.learners.add("Budi")
    read_through(svc.trainee(a.id), "pengantar", clock)
    app = build_app(svc, a.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):
            for who in (b, a):
                await pilot.press("u")
                await settle(pilot)
                assert isinstance(app.screen, LearnerScreen) and len(app.screen_stack) <= 2
                learners = app.screen.query_one("#learners", OptionList)
                learners.highlighted = [o.id for o in learners.options].index(str(who.id))
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, HomeScreen) and app.learner_id == who.id
                assert len(app.screen_stack) <= 2  # the map, and the choice of learner under it at most
                assert app.screen.query_one("#who").render().plain.startswith(who.name)
                assert f"Dibaca: {0 if who is b else 1}/" in app.screen.query_one("#who").render().plain


async def test_switching_learner_the_moment_the_map_comes_back_loses_nothing(tmp_path, monkeypatch):
    """The map reads its data again when it comes back; a learner switch in the same moment
    replaces the map before that read returns, and its answer must find nothing to do (it used
    to crash the app: '#map' no longer existed)."""
    import time

    from textual.widgets import Input

    from latsar.services import Trainee
    from latsar.services.practice import Practice

    slow, slow_counts = Trainee.progress, Practice.counts
    monkeypatch.setattr(Trainee, "progress", lambda self: (time.sleep(0.3), slow(self))[1])  # a busy disk
    monkeypatch.setattr(Practice, "counts", lambda self: (time.sleep(0.3), slow_counts(self))[1])
    svc = open_services(tmp_path / "s.db")
    a = svc.learners.add("Ani")
    svc.learners.add("Budi")  # someone to switch to
    app = build_app(svc, a.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        app.screen.query_one(Input).value = "ganti peserta"
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.learner_id == a.id
        for opening in ("enter", "f1", "p"):  # the reader, help, progress: closed and u at once
            await pilot.press(opening)
            await settle(pilot)
            await pilot.press("escape", "u")
            await settle(pilot)
            assert isinstance(app.screen, LearnerScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    assert app.return_code in (0, None)


async def test_a_late_answer_for_a_map_that_is_gone_or_of_another_trainee_is_dropped(tmp_path):
    """The map asks for its practice counts after it is painted. By then the map may be closed
    (u with the choice of learner under it), or showing another trainee (u and back to it): the
    answer belongs to the map and the trainee it was asked for, not to whatever is on top."""
    from functools import partial

    from latsar.services.values import PracticeCounts

    late = PracticeCounts(due=0, seen=0, learned=0, new=99)
    svc = open_services(tmp_path / "s.db")
    a, b = svc.learners.add("Ani"), svc.learners.add("Budi")
    app = build_app(svc)  # two learners: the choice comes first, the map over it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and app.learner_id == a.id
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen) and home not in app.screen_stack
        home.io(lambda: late, done=partial(home._show_counts, a.id))
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen) and app.return_code is None

    app = build_app(svc, a.id)  # the map first; after u, the choice over it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("u")
        await settle(pilot)
        learners = app.screen.query_one("#learners", OptionList)
        learners.highlighted = [o.id for o in learners.options].index(str(b.id))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is home and app.learner_id == b.id
        home.io(lambda: late, done=partial(home._show_counts, a.id))  # Ani's, arriving late
        await settle(pilot)
        from latsar.tui.screens.home import PRACTICE

        assert "99" not in str(home.query_one("#map", OptionList).get_option(PRACTICE.key).prompt)


@pytest.mark.parametrize("serve", [False, True], ids=["learner", "login"])
async def test_tab_stops_only_where_the_focus_can_be_seen(tmp_path, serve):
    from textual.widgets import Button, Input

    app = build_app(open_services(tmp_path / "s.db"), serve=serve)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(8):
            await pilot.press("tab")
            seen.append(type(app.focused).__name__)
            assert isinstance(app.focused, (Input, Button, OptionList)), seen


async def test_signing_in_and_opening_screens_parse_only_their_own_rules(tmp_path, monkeypatch):
    """Textual parses every stylesheet again when a screen brings a CSS_PATH or a mode starts
    (~30 ms of CPU each, paid by the whole classroom); latsar's screens never make it."""
    from textual.css.stylesheet import Stylesheet

    from latsar.tui.screens.quiz import QuizScreen
    from tests.helpers import burst

    svc = open_services(tmp_path / "s.db")
    ani = svc.learners.add("Ani", "199001012020122001")
    svc.pins.set(ani.id, "123456")
    app = build_app(svc, serve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reparsed = []
        original = Stylesheet.reparse
        monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self))[1])
        burst(app, "199001012020122001\r123456\r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        for open_it in ("f1", "escape", "p", "escape", "l", "escape"):
            await pilot.press(open_it)
            await settle(pilot)
        app.navigator.evaluation("mp1")
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        assert reparsed == []


def test_kept_lines_break_at_plain_spaces_only_and_cut_a_word_wider_than_the_line():
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from latsar.tui.wrap import NBSP, _held, line_starts

    assert line_starts("Dibaca: 2/23 bagian · terbaik 7/10", 20) == [20]  # "· terbaik 7/10" on the next line
    assert line_starts("abcdefghij", 4) == [4, 8]

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet="abcé漢", min_size=1, max_size=12), min_size=1, max_size=12), st.integers(2, 30), st.data())
    def lines_fit(words, width, data):
        seps = [data.draw(st.sampled_from([" ", NBSP])) for _ in words[1:]]
        plain = words[0] + "".join(sep + w for sep, w in zip(seps, words[1:]))
        held = _held(plain, width)
        cuts = [0, *line_starts(held, width), len(plain)]
        for a, b in zip(cuts, cuts[1:]):
            assert sum(2 if c == "漢" else 1 for c in plain[a:b].rstrip()) <= width
            if a and plain[a - 1] == NBSP:  # a break at a kept space: only inside a unit too wide to keep
                (unit,) = (m.group() for m in re.finditer(r"[^ ]+", plain) if m.start() < a <= m.end())
                assert sum(2 if c == "漢" else 1 for c in unit) > width

    lines_fit()
