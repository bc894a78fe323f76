"""The stylesheets and the first screen: only the map's rules are parsed before it is painted,
every other screen brings (and gets) its own, and the first screen is the bottom of the stack."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

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
from tests.helpers import settle

APP_CSS = Path(latsar.tui.__file__).parent / "latsar.tcss"


def _screens() -> list[type[Screen]]:
    for info in pkgutil.walk_packages(latsar.tui.__path__, "latsar.tui."):
        importlib.import_module(info.name)
    found, todo = [], [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("latsar."):
                found.append(sub)
    return found


def _named(screen: type[Screen]) -> list[Path]:
    paths = screen.CSS_PATH if isinstance(screen.CSS_PATH, list) else [screen.CSS_PATH] if screen.CSS_PATH else []
    return [Path(p) for p in paths]


def test_every_stylesheet_belongs_to_a_screen_and_every_screen_has_its_own():
    screens = _screens()
    named = {p for s in screens for p in _named(s)}
    assert all(p.is_file() for p in named), named
    assert named == set(STYLES.glob("*.tcss"))
    bare = [s.__name__ for s in screens if not _named(s) and s.__name__ not in ("HomeScreen", "LatsarScreen", "Palette")]
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
        read = {Path(str(where)).name for where, _ in app.stylesheet.source if str(where).endswith(".tcss")}
        assert read == {"latsar.tcss"}
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


async def test_switching_learners_leaves_one_screen_and_one_earlier_mode_at_most(tmp_path):
    svc = open_services(tmp_path / "s.db")
    a, b = svc.learners.add("Ani"), svc.learners.add("Budi")
    app = build_app(svc, a.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):
            for who in (b, a):
                await pilot.press("u")
                await settle(pilot)
                assert isinstance(app.screen, LearnerScreen) and len(app.screen_stack) == 1
                learners = app.screen.query_one("#learners", OptionList)
                learners.highlighted = [o.id for o in learners.options].index(str(who.id))
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, HomeScreen) and app.learner_id == who.id
                assert app.screen_stack == [app.screen]
                assert app.screen.query_one("#who").render().plain.startswith(who.name)
        # The first screen is Textual's default mode and stays; every later one is removed.
        assert len(app._screen_stacks) <= 2


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


async def test_a_late_answer_asked_for_a_screen_that_is_gone_is_dropped(tmp_path):
    """The map asks for its practice counts after it is painted; by then another screen may be
    on top and the map gone. The answer belongs to the map, not to whatever is on top."""
    from latsar.services.values import PracticeCounts

    svc = open_services(tmp_path / "s.db")
    a = svc.learners.add("Ani")
    svc.learners.add("Budi")
    app = build_app(svc, a.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")  # and back: this map is no longer the first screen
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen) and home not in app.screen_stack
        app.run_io(lambda: PracticeCounts(due=0, seen=0, learned=0, new=22), done=home._show_counts)
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen) and app.return_code is None


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
