"""The latsar TUI: study the module, take the evaluations, watch progress.

``LatsarApp`` routes; others do. Screens ask for service calls through ``latsar.tui.io`` (one
background thread, answers back to whoever asked) and for navigation by posting messages
(``latsar.tui.messages``), which the app hands to ``Navigator`` (where each leads) and
``SignIn`` (who is signed in). ``Classroom`` is a classroom session's part in the room.
``refused`` is the one place that decides how a failure is shown.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen

from latsar.errors import Blocked, LatsarError, Restored, UsageError
from latsar.services import Services, Trainee
from latsar.services.values import Progress
from latsar.tui.base import LatsarScreen
from latsar.tui.classroom import Classroom
from latsar.tui.io import Answered, Done, Failed, Io, Unanswered
from latsar.tui.messages import (
    ChooseLearner,
    GoHome,
    Open,
    OpenCheck,
    OpenNextStep,
    ShowInstructor,
    ShowProgress,
    ShowResult,
    SignedIn,
    SwitchLearner,
    WriteJournal,
)
from latsar.tui.navigation import Navigator
from latsar.tui.signin import SignIn
from latsar.tui.terminal import line_filters

FIRST_DATA_WAIT = 0.5  # seconds the first map waits for its data before painting without it
T = TypeVar("T")


def pick_theme(environ: Mapping[str, str] = os.environ) -> str:
    """A theme that reads well on the terminal at hand: ANSI colours on 16-colour terminals."""
    colorterm = environ.get("COLORTERM", "").lower()
    term = environ.get("TERM", "")
    if colorterm in ("truecolor", "24bit") or "256" in term or environ.get("TERM_PROGRAM"):
        return "textual-dark"
    return "ansi-dark"


def first_screen(serve: bool, signed_in: bool) -> type[Screen[Any]]:
    """The bottom screen at start: the classroom's login, the trainee's map, or the choice of
    learner. It is the app's default screen itself, not pushed over an empty default screen that
    Textual would mount and style for nothing (~30 ms of the first screen)."""
    if serve:
        from latsar.tui.screens.login import LoginScreen

        return LoginScreen
    if signed_in:
        from latsar.tui.screens.home import HomeScreen

        return HomeScreen
    from latsar.tui.screens.learner import LearnerScreen

    return LearnerScreen


class LatsarApp(App[None]):
    CSS_PATH = "latsar.tcss"
    TITLE = "latsar"
    ENABLE_COMMAND_PALETTE = True
    _held_keys: list[events.Key] | None = None  # see hold_keys
    COMMANDS = App.COMMANDS | {lambda: _sections()}  # the sections, found by title as one types
    BINDINGS = [
        # Shown by each screen's footer (widgets/footer.HELP); ? types itself in a text field.
        Binding("f1,question_mark", "help", "Bantuan", key_display="F1", id="app.help", show=False, tooltip="Tombol dan aturan aplikasi"),
        # Both from every screen, dialogs too (priority). Ctrl+C quits as Ctrl+Q does (Textual's
        # own only says, in English, to press Ctrl+Q), unless text is selected: then it copies.
        Binding("ctrl+q", "quit", "Keluar", id="quit", show=False, priority=True, tooltip="Keluar; semua jawaban sudah tersimpan"),
        Binding("ctrl+c", "copy_or_quit", "Keluar", id="quit.ctrl_c", show=False, priority=True, tooltip="Salin teks terpilih, atau keluar"),
        # Our own palette binding, so Textual adds none of its own (described in English).
        Binding("ctrl+p", "command_palette", "Perintah", key_display="^p", show=False, priority=True, tooltip="Cari perintah"),
    ]
    get_line_filters = line_filters  # text from packs, names and files reaches the terminal inert

    def __init__(self, services: Services, learner_id: int | None = None, serve: bool = False, idle_minutes: int | None = None) -> None:
        trainee = services.trainee(learner_id) if learner_id is not None and not serve else None
        super().__init__()
        self.sub_title = services.course.title  # the course's own name, never written here
        self._first = first_screen(serve, trainee is not None)
        self.services = services
        self.serve = serve  # a session of the classroom server: one trainee, signed in with a PIN
        self.trainee: Trainee | None = trainee
        self.io = Io()
        self.navigator = Navigator(self)
        self.signin = SignIn(self)
        self.classroom = Classroom(self, services.presence() if serve else None, idle_minutes)
        # The first screen's data, read while Textual starts: the map is painted once, with it.
        self.io_first: Future[Progress] | None = self.io.submit(trainee.progress) if trainee else None

    @property
    def learner_id(self) -> int | None:
        return self.trainee.id if self.trainee else None

    def current_trainee(self) -> Trainee:
        if self.trainee is None:
            raise UsageError("Pilih atau daftarkan peserta dulu.")
        return self.trainee

    # -- service calls, and the one place failures are said ---------------------------------------

    def ask(self, fn: Callable[..., T], *args: Any, done: Done[T] | None = None, failed: Failed | None = None) -> Future[T]:
        """A service call the app itself makes (navigation, signing in); see ``latsar.tui.io``."""
        return self.io.ask(self, self, fn, *args, done=done, failed=failed)

    def on_answered(self, message: Answered) -> None:
        message.deliver(self)

    def on_unanswered(self, message: Unanswered) -> None:
        exc = message.future.exception()
        if exc is not None:
            self.refused(exc)

    def refused(self, exc: BaseException, failed: Failed | None = None) -> None:
        """How a failure is shown, decided here only: a restore noticed starts again from
        nobody; a refusal its asker expects goes to it; any other refusal is a notice (the gate's
        as a warning titled "Terkunci"); anything else, a fault, is said as one."""
        if isinstance(exc, Restored):
            self.signin.restored(exc)
        elif isinstance(exc, LatsarError) and failed is not None:
            failed(exc)
        elif isinstance(exc, Blocked):
            self.notify(exc.message, title="Terkunci", severity="warning", timeout=8, markup=False)
        elif isinstance(exc, LatsarError):
            self.notify(exc.message, severity="error", timeout=8, markup=False)
        else:
            self.notify(f"Terjadi kesalahan: {exc}", severity="error", timeout=10, markup=False)

    def first_progress(self, asker: LatsarScreen[Any], done: Done[Progress]) -> None:
        """The trainee's progress for the map: read ahead at start-up the first time, afresh
        after that."""
        future, self.io_first = self.io_first, None
        if future is None:
            self.io.ask(asker, self, self.current_trainee().progress, done=done)
        elif self.io.ready_within(future, FIRST_DATA_WAIT):
            # Shown in the first layout: a few milliseconds' wait for the I/O thread beats
            # painting an empty map and then the whole screen again.
            Answered(future, done, None).deliver(self)
        else:
            self.io.answer(asker, self, future, done, None)

    async def io_drain(self) -> None:
        """Wait until every queued service call has finished (used by tests and on exit)."""
        await self.io.drain()

    # -- lifecycle ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = pick_theme()
        self.set_timer(2.0, self.started)  # whatever the first screen is
        self.classroom.start()

    def get_default_screen(self) -> Screen[Any]:
        return self._first()

    def back_to(self, kind: type[Screen[Any]]) -> Screen[Any] | None:
        """Close every screen above the lowest screen of ``kind`` and return it (None if there is
        none). The stack stays short: a map, the choice of learner or the login under it, and
        what is open over the map."""
        stack = self.screen_stack
        for index, screen in enumerate(stack):
            if isinstance(screen, kind):
                for _ in range(len(stack) - 1 - index):
                    self.pop_screen()
                return screen
        return None

    def started(self) -> None:
        """The first screen is painted: if start-up held the garbage collector back (the CLI does),
        freeze what start-up made and let the collector run again."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.classroom.touched()
        if isinstance(event, events.Key) and self._held_keys is not None:  # typed behind a door
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keep the keys that arrive from now on for the screen a door opens (``release_keys``):
        a passphrase typed fast after ``i`` on the map never reaches the map's own keys (``q``!).
        Called from a priority binding, which runs before the keys behind it are handed out."""
        if self._held_keys is None:
            self._held_keys = []

    def release_keys(self) -> list[events.Key]:
        held, self._held_keys = self._held_keys or [], None
        return held

    def on_unmount(self) -> None:
        self.classroom.end()
        self.io.shutdown()

    async def action_quit(self) -> None:
        """Exit; what the screens would lose is kept on the way out (`on_exit_app`)."""
        self.exit()

    async def action_copy_or_quit(self) -> None:
        """Ctrl+C: copy the text selected (in a field or on the screen), else quit."""
        selected = getattr(self.focused, "selected_text", "") or self.screen.get_selected_text() or ""
        if selected:
            self.copy_to_clipboard(selected)
            self.notify("Teks terpilih disalin. Untuk keluar: Ctrl+Q.", timeout=4, markup=False)
            return
        await self.action_quit()

    def action_help_quit(self) -> None:
        """Textual's Ctrl+C action, should anything still reach it: quit, never an English hint."""
        self.exit()

    def on_exit_app(self) -> None:
        """However the app ends (q, Ctrl+C, a browser tab closed, an idle session): the reader's
        place and time are kept. The saves are queued; unmounting waits for them."""
        for screen in self.screen_stack:
            if isinstance(screen, LatsarScreen):
                screen.save_state()

    # -- routes ------------------------------------------------------------------------------------

    def on_open(self, message: Open) -> None:
        self.navigator.open(message.target)

    def on_open_check(self, message: OpenCheck) -> None:
        self.navigator.check(message.section_id)

    def on_open_next_step(self, _: OpenNextStep) -> None:
        self.navigator.next_step()

    def on_show_progress(self, _: ShowProgress) -> None:
        self.navigator.progress()

    def on_show_result(self, message: ShowResult) -> None:
        self.navigator.result(message.result)

    def on_write_journal(self, message: WriteJournal) -> None:
        self.navigator.journal_form(message.behaviour, message.entry_id)

    def on_go_home(self, _: GoHome) -> None:
        self.navigator.home()

    def on_show_instructor(self, _: ShowInstructor) -> None:
        self.navigator.instructor()

    def on_switch_learner(self, _: SwitchLearner) -> None:
        self.navigator.switch_learner()

    def on_choose_learner(self, message: ChooseLearner) -> None:
        self.signin.choose(message.learner_id)

    def on_signed_in(self, message: SignedIn) -> None:
        self.signin.enter(message.trainee)

    # -- actions available everywhere ----------------------------------------------------------------

    def action_help(self) -> None:
        self.navigator.help()

    def action_instructor(self) -> None:
        self.navigator.instructor()

    def action_change_pin(self) -> None:
        self.signin.change_pin()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from latsar.tui.commands import system_commands

        return system_commands(self)

    def action_command_palette(self) -> None:
        from latsar.tui.dialogs.palette import Palette

        if self.use_command_palette and not Palette.is_open(cast("App[object]", self)):
            self.push_screen(Palette())


def _sections() -> type[Provider]:
    from latsar.tui.commands import Sections

    return Sections


def build_app(services: Services, learner_id: int | None = None, serve: bool = False, idle_minutes: int | None = None) -> LatsarApp:
    """The one factory the CLI and the tests use. A learner with a PIN is never opened without
    it: the app starts at the choice of learner, which asks for the PIN."""
    if serve:
        return LatsarApp(services, None, serve=True, idle_minutes=idle_minutes)
    if learner_id is None:
        learners = services.learners.list()
        if len(learners) == 1:
            learner_id = learners[0].id
    if learner_id is not None and services.pins.has(learner_id):
        learner_id = None
    return LatsarApp(services, learner_id)
