"""The latsar TUI: study the module, take the evaluations, watch progress.

Every service call runs on one background I/O thread (so the UI never blocks and answers are
saved in the order they were given); results come back to the UI thread via callbacks.
Navigation is by messages (``latsar.tui.messages``), handled here and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.dom import NoScreen
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from latsar.course import Question, Section
from latsar.errors import Blocked, LatsarError, Restored, UsageError
from latsar.services import Services, Trainee
from latsar.services.presence import Activity, Presence
from latsar.services.values import AttemptView, EntryKind, EvaluationStatus, Progress, Target
from latsar.tui.base import LatsarScreen
from latsar.tui.messages import Open, OpenCheck, OpenNextStep, ShowInstructor, ShowProgress, SwitchLearner
from latsar.tui.terminal import line_filters

if TYPE_CHECKING:
    from latsar.services import Instructor

PRESENCE_SECONDS = 5.0  # how often a session looks whether what its trainee does changed
PRESENCE_HEARTBEAT = 60.0  # and says it is still there when nothing did (the room's window is 2 minutes)
FIRST_DATA_WAIT = 0.5  # seconds the first map waits for its data before painting without it
T = TypeVar("T")
Done = Callable[[T], object]  # what it returns (an awaitable of Textual's, say) is not waited for
Failed = Callable[[LatsarError], None]


def pick_theme(environ: Mapping[str, str] = os.environ) -> str:
    """A theme that reads well on the terminal at hand: ANSI colours on 16-colour terminals."""
    colorterm = environ.get("COLORTERM", "").lower()
    term = environ.get("TERM", "")
    if colorterm in ("truecolor", "24bit") or "256" in term or environ.get("TERM_PROGRAM"):
        return "textual-dark"
    return "ansi-dark"


class IoFinished(Message):
    """A service call has finished on the I/O thread: its callback runs on the UI thread."""

    def __init__(self, future: Future[Any], done: Done[Any] | None, failed: Failed | None, asker: Screen[Any] | None) -> None:
        super().__init__()
        self.future, self.done, self.failed, self.asker = future, done, failed, asker


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
    SUB_TITLE = "Berorientasi Pelayanan"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # Shown by each screen's footer (widgets/footer.HELP); ? types itself in a text field.
        Binding("f1,question_mark", "help", "Bantuan", key_display="F1", id="app.help", show=False, tooltip="Tombol dan aturan aplikasi"),
        Binding("ctrl+q", "quit", "Keluar", id="quit", show=False, tooltip="Keluar; semua jawaban sudah tersimpan"),
        # Our own palette binding, so Textual adds none of its own (described in English).
        Binding("ctrl+p", "command_palette", "Perintah", key_display="^p", show=False, priority=True, tooltip="Cari perintah"),
    ]
    get_line_filters = line_filters  # text from packs, names and files reaches the terminal inert

    def __init__(self, services: Services, learner_id: int | None = None, serve: bool = False, idle_minutes: int | None = None) -> None:
        trainee = services.trainee(learner_id) if learner_id is not None and not serve else None
        super().__init__()
        self._first = first_screen(serve, trainee is not None)
        self.services = services
        self.serve = serve  # a session of the classroom server: one trainee, signed in with a PIN
        self.trainee: Trainee | None = trainee
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="latsar-io")
        self._ui_thread = threading.get_ident()
        self.idle_limit = 60 * idle_minutes if idle_minutes else None
        self._last_input = time.monotonic()
        self.presence: Presence | None = services.presence() if serve else None
        self._reported: tuple[object, ...] | None = None  # what presence last said, and when
        self._reported_at = 0.0
        # The first screen's data, read while Textual starts: the map is painted once, with it.
        self._first_progress: Future[Progress] | None = self._io.submit(self.trainee.progress) if self.trainee else None

    @property
    def learner_id(self) -> int | None:
        return self.trainee.id if self.trainee else None

    def current_trainee(self) -> Trainee:
        if self.trainee is None:
            raise UsageError("Pilih atau daftarkan peserta dulu.")
        return self.trainee

    # -- I/O off the UI thread ------------------------------------------------------------------

    def run_io(self, fn: Callable[..., T], *args: Any, done: Done[T] | None = None, failed: Failed | None = None) -> Future[T]:
        """Run a service call on the I/O thread; ``done(result)`` then runs on the UI thread."""
        future: Future[T] = self._io.submit(fn, *args)
        self._when_done(future, done, failed)
        return future

    def _when_done(self, future: Future[T], done: Done[T] | None, failed: Failed | None) -> None:
        asker = self._asker(done, failed)

        def finish(f: Future[T]) -> None:
            # Runs on the I/O thread, or at once on this thread if the work was already done.
            if threading.get_ident() == self._ui_thread:
                self.call_later(self._finish_io, f, done, failed, asker)
                return
            # Posted, never waited for: the UI thread may itself be waiting for this thread (it
            # drains the I/O queue when the app ends), and waiting on each other would hang the
            # app on exit. Once the app has stopped, the work itself is done and saved.
            self.post_message(IoFinished(f, done, failed, asker))

        future.add_done_callback(finish)

    def _asker(self, *callbacks: Callable[..., object] | None) -> Screen[Any] | None:
        """The screen a service call is made for: the one its callback belongs to (a call may
        be made after a refresh, when another screen is on top), else the one on top."""
        for callback in callbacks:
            while isinstance(callback, partial):
                callback = callback.func
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, Screen):
                return owner
            if isinstance(owner, Widget):
                with contextlib.suppress(NoScreen):
                    return owner.screen
        try:
            return self.screen
        except ScreenStackError:
            return None

    def on_io_finished(self, message: IoFinished) -> None:
        self._finish_io(message.future, message.done, message.failed, message.asker)

    def first_progress(self, done: Done[Progress]) -> None:
        """The trainee's progress: read ahead at start-up the first time, afresh after that."""
        future, self._first_progress = self._first_progress, None
        if future is None:
            self.run_io(self.current_trainee().progress, done=done)
        elif wait((future,), timeout=FIRST_DATA_WAIT).done:
            # Shown in the first layout: a few milliseconds' wait for the I/O thread beats
            # painting an empty map and then the whole screen again.
            self._finish_io(future, done, None, self._asker(done))
        else:
            self._when_done(future, done, None)

    def _finish_io(self, future: Future[T], done: Done[T] | None, failed: Failed | None, asker: Screen[Any] | None) -> None:
        # The screen that asked may be gone by now (a learner switched the moment the map came
        # back): its callbacks have nothing left to show. What was done is done and saved; a
        # problem is still said.
        gone = asker is not None and asker not in self.screen_stack
        exc = future.exception()
        if isinstance(exc, Restored):
            self.restored(exc)
            return
        if exc is None:
            if done is not None and not gone:
                done(future.result())
            return
        if isinstance(exc, LatsarError):
            if failed is not None and not gone:
                failed(exc)
            else:
                self.notify(exc.message, severity="warning" if isinstance(exc, Blocked) else "error", timeout=8, markup=False)
            return
        self.notify(f"Terjadi kesalahan: {exc}", severity="error", timeout=10, markup=False)

    async def io_drain(self) -> None:
        """Wait until every queued service call has finished (used by tests and on exit)."""
        await asyncio.wrap_future(self._io.submit(lambda: None))
        await asyncio.sleep(0)

    # -- lifecycle --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._ui_thread = threading.get_ident()
        self.theme = pick_theme()
        self.set_timer(2.0, self.started)  # whatever the first screen is
        if self.idle_limit:
            self.set_interval(min(30.0, self.idle_limit / 4), self._end_if_idle)
        if self.presence is not None:
            self.set_interval(PRESENCE_SECONDS, self.report_presence)

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

    def on_unmount(self) -> None:
        if self.presence is not None:
            self._io.submit(self.presence.end)
        self._io.shutdown(wait=True)

    # -- the classroom: idle sessions end, the room knows who is here ----------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    async def _end_if_idle(self) -> None:
        if self.idle_limit and time.monotonic() - self._last_input >= self.idle_limit:
            self.notify("Sesi berakhir karena lama tidak dipakai; semua jawaban sudah tersimpan.", timeout=3, markup=False)
            await self.action_quit()

    def tell_server(self, event: str) -> None:
        """A classroom session tells its server that someone signed in (``latsar.tui.driver``):
        from then on it no longer counts as a socket waiting at the login."""
        from latsar.tui.driver import SessionDriver

        driver = self._driver
        if self.serve and isinstance(driver, SessionDriver):
            driver.tell_server(event)

    def restored(self, exc: Restored) -> None:
        """The database was restored from a backup under this app: whoever was signed in may be
        someone else in it now, and what screens hold may be gone. Say so, take the database as
        it is, and start again from the login (or the choice of learner)."""
        self.notify(exc.message, severity="warning", timeout=20, markup=False)
        self.run_io(self.services.db.adopt)
        self.sign_out()

    def sign_out(self) -> None:
        """Back to the classroom's login, or the choice of learner, with nobody signed in."""
        from latsar.tui.screens.learner import LearnerScreen
        from latsar.tui.screens.login import LoginScreen

        self.trainee = None
        self._first_progress = None
        if self.presence is not None:
            self.presence.learner_id = None
        below = self.back_to(LoginScreen if self.serve else LearnerScreen)
        if isinstance(below, LearnerScreen):
            below.start_over()  # whoever is registered now, in the restored database
        elif below is None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            if not self.serve:
                self.push_screen(LearnerScreen())

    def report_presence(self) -> None:
        """Tell the room what this session's trainee is doing now (off the UI thread)."""
        if self.presence is None:
            return
        screen = self.screen
        activity, target = screen.activity() if isinstance(screen, LatsarScreen) else (Activity.HOME, None)
        answered = total = None
        view = getattr(screen, "view", None)
        if isinstance(view, AttemptView):
            answered, total = view.answered_count, len(view.presented)
        now = (self.presence.learner_id, activity, target, answered, total)
        if now == self._reported and time.monotonic() - self._reported_at < PRESENCE_HEARTBEAT:
            return  # nothing new: a classroom of idle sessions writes almost nothing
        self._reported, self._reported_at = now, time.monotonic()
        # A presence that cannot be written is nobody's business, but a restore it notices is.
        self.run_io(self.presence.report, activity, target, answered, total, failed=lambda _: None)

    async def action_quit(self) -> None:
        """Exit; what the screens would lose is kept on the way out (`on_exit_app`)."""
        self.exit()

    def on_exit_app(self) -> None:
        """However the app ends (q, Ctrl+C, a browser tab closed, an idle session): the reader's
        place and time are kept. The saves are queued; unmounting waits for them."""
        for screen in self.screen_stack:
            if isinstance(screen, LatsarScreen):
                screen.save_state()

    def choose_learner(self, learner_id: int) -> None:
        """Open a learner's record: after their PIN, when they have one."""
        from latsar.tui.dialogs.pin import PinDialog

        def known(has_pin: bool) -> None:
            if not has_pin:
                self.enter(self.services.trainee(learner_id))
                return

            def signed_in(trainee: Trainee | None) -> None:
                if trainee is not None:
                    self.enter(trainee)

            self.push_screen(PinDialog(self.services.learners.get(learner_id)), signed_in)

        self.run_io(self.services.pins.has, learner_id, done=known)

    def enter(self, trainee: Trainee) -> None:
        """The trainee's map, for this trainee and nobody else."""
        from latsar.tui.screens.home import HomeScreen

        self.trainee = trainee
        self._first_progress = None
        self.tell_server("signed-in")
        if self.presence is not None:
            self.presence.learner_id = trainee.id
        if self.back_to(HomeScreen) is None:  # the map below shows whoever is signed in now
            self.push_screen(HomeScreen())
        self.report_presence()

    # -- navigation: every "open this" comes here ---------------------------------------------------

    def on_open(self, message: Open) -> None:
        target = message.target
        if target.kind is EntryKind.SECTION:
            self.open_section(target.id)
        elif target.kind is EntryKind.EVALUATION:
            self.open_evaluation(target.id)
        elif target.kind is EntryKind.PRACTICE:
            self.open_practice()

    def open_section(self, section_id: str) -> None:
        from latsar.tui.screens.reader import ReaderScreen

        def opened(section: Section) -> None:
            self.push_screen(ReaderScreen(section))

        self.run_io(self.current_trainee().reading.open, section_id, done=opened, failed=self._refused)

    def open_evaluation(self, evaluation_id: str) -> None:
        """Resume or start an attempt; after a pass, ask before starting another one."""
        from latsar.tui.dialogs.confirm import Confirm
        from latsar.tui.screens.quiz import QuizScreen

        me = self.current_trainee()

        def opened(view: AttemptView) -> None:
            self.push_screen(QuizScreen(view))

        def start(go: bool | None = True) -> None:
            if go:
                self.run_io(me.attempts.start_or_resume, evaluation_id, done=opened, failed=self._refused)

        def decide(status: EvaluationStatus) -> None:
            if status.passed and status.open is None and status.lock is None:
                self.push_screen(Confirm(self.services.voice.retake_after_pass(status), "Mulai percobaan baru", "Batal"), start)
            else:
                start()

        self.run_io(lambda: me.progress().evaluations[evaluation_id], done=decide, failed=self._refused)

    def open_practice(self) -> None:
        if self.services.course.practice is None:
            self.notify("Paket materi ini tidak memiliki latihan.", timeout=4, markup=False)
            return
        from latsar.tui.screens.practice import PracticeScreen

        self.push_screen(PracticeScreen())

    def on_open_check(self, message: OpenCheck) -> None:
        from latsar.tui.screens.check import CheckScreen

        section_id = message.section_id

        def opened(questions: tuple[Question, ...]) -> None:
            if questions:
                self.push_screen(CheckScreen(section_id, questions))
            else:
                self.notify(self.services.voice.no_check(), timeout=4, markup=False)

        self.run_io(self.current_trainee().practice.checks, section_id, done=opened, failed=self._refused)

    def _refused(self, exc: LatsarError) -> None:
        blocked = isinstance(exc, Blocked)
        self.notify(exc.message, title="Terkunci" if blocked else "", severity="warning" if blocked else "error", timeout=8, markup=False)

    def on_open_next_step(self, _: OpenNextStep) -> None:
        def go(step_target: tuple[Target | None, str]) -> None:
            target, sentence = step_target
            if target is None:
                self.notify(sentence, timeout=6, markup=False)
            else:
                self.post_message(Open(target))

        def next_step() -> tuple[Target | None, str]:
            step = self.current_trainee().progress().next_step
            return step.target, self.services.voice.next_step(step)

        self.run_io(next_step, done=go)

    def on_show_progress(self, _: ShowProgress) -> None:
        from latsar.tui.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    def on_show_instructor(self, _: ShowInstructor) -> None:
        if self.serve and self.trainee is not None:
            self.notify("Tampilan pengampu dibuka dari layar masuk: keluar dulu, lalu tekan F2.", timeout=6, markup=False)
            return
        self.action_instructor()

    def action_instructor(self) -> None:
        from latsar.tui.dialogs.passphrase import PassphraseDialog
        from latsar.tui.screens.instructor import InstructorScreen

        def unlocked(instructor: Instructor | None) -> None:
            if instructor is not None:
                self.tell_server("signed-in")
                self.push_screen(InstructorScreen(instructor))

        self.push_screen(PassphraseDialog(), unlocked)

    def on_switch_learner(self, _: SwitchLearner) -> None:
        if self.serve:
            return  # a classroom session is one trainee's: there is nobody to switch to
        from latsar.tui.screens.learner import LearnerScreen

        below = self.back_to(LearnerScreen)
        if isinstance(below, LearnerScreen):
            below.start_over()
        else:
            self.home()
            self.push_screen(LearnerScreen())

    def action_change_pin(self) -> None:
        from latsar.tui.dialogs.pin import ChangePinDialog

        me = self.current_trainee()

        def changed(ok: bool | None) -> None:
            if ok:
                self.notify("PIN baru tersimpan.", timeout=4, markup=False)

        self.run_io(self.services.pins.has, me.id, done=lambda has: self.push_screen(ChangePinDialog(has), changed))

    # -- actions available everywhere ---------------------------------------------------------------

    def action_help(self) -> None:
        from latsar.tui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def home(self) -> None:
        """Back to the module map."""
        from latsar.tui.screens.home import HomeScreen

        self.back_to(HomeScreen)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.trainee is not None:
            yield SystemCommand("Beranda: peta modul", "Kembali ke peta modul", self.home)
            yield SystemCommand("Langkah berikutnya", "Buka langkah belajar yang disarankan", lambda: self.post_message(OpenNextStep()))
            for ev in self.services.course.evaluations:
                target = Target(EntryKind.EVALUATION, ev.id)
                yield SystemCommand(f"Kerjakan {ev.name}", ev.title, lambda t=target: self.post_message(Open(t)))
            yield SystemCommand("Kemajuan belajar", "Riwayat percobaan dan bagian yang sudah dibaca", lambda: self.post_message(ShowProgress()))
            if self.services.course.practice is not None:
                yield SystemCommand("Latihan", "Latihan soal kasus dan cek pemahaman (tidak dinilai)", lambda: self.post_message(Open(Target(EntryKind.PRACTICE, "practice"))))
            yield SystemCommand("Ganti PIN", "Buat atau ganti PIN Anda", self.action_change_pin)
            if not self.serve:
                yield SystemCommand("Ganti peserta", "Pilih atau daftarkan peserta lain", lambda: self.post_message(SwitchLearner()))
                yield SystemCommand("Tampilan pengampu", "Tabel angkatan, ekspor, analisis soal (perlu kata sandi)", lambda: self.post_message(ShowInstructor()))
        yield SystemCommand("Bantuan", "Tombol dan aturan aplikasi", self.action_help)
        yield SystemCommand("Keluar", "Keluar dari latsar; semua jawaban sudah tersimpan", self.action_quit)
        # Textual's own entries (Theme, Keys, Maximize, Screenshot, Quit) speak English: left out.

    def action_command_palette(self) -> None:
        from latsar.tui.dialogs.palette import Palette

        if self.use_command_palette and not Palette.is_open(cast("App[object]", self)):
            self.push_screen(Palette())


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
