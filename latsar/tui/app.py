"""The latsar TUI: study the module, take the evaluations, watch progress.

Every service call runs on one background I/O thread (so the UI never blocks and answers are
saved in the order they were given); results come back to the UI thread via callbacks.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from latsar.errors import Blocked, LatsarError
from latsar.services import Services


def pick_theme(environ: os._Environ | dict = os.environ) -> str:
    """A theme that reads well on the terminal at hand: ANSI colours on 16-colour terminals."""
    colorterm = environ.get("COLORTERM", "").lower()
    term = environ.get("TERM", "")
    if colorterm in ("truecolor", "24bit") or "256" in term or environ.get("TERM_PROGRAM"):
        return "textual-dark"
    return "ansi-dark"


class LatsarApp(App[None]):
    CSS_PATH = "latsar.tcss"
    TITLE = "latsar"
    SUB_TITLE = "Berorientasi Pelayanan"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1,question_mark", "help", "Bantuan", key_display="F1/?", id="help", tooltip="Tombol dan aturan aplikasi"),
        Binding("ctrl+q", "quit", "Keluar", id="quit", show=False, tooltip="Keluar; semua jawaban sudah tersimpan"),
    ]

    def __init__(self, services: Services, learner_id: int | None = None) -> None:
        super().__init__()
        self.services = services
        self.learner_id = learner_id
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="latsar-io")
        self._ui_thread = threading.get_ident()
        self._last_future: Future | None = None

    # -- I/O off the UI thread ------------------------------------------------------------------

    def run_io(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[LatsarError], None] | None = None,
    ) -> Future:
        """Run a service call on the I/O thread; ``done(result)`` then runs on the UI thread."""
        future = self._io.submit(fn, *args)
        self._last_future = future

        def finish(f: Future) -> None:
            # Runs on the I/O thread, or at once on this thread if the work was already done.
            if threading.get_ident() == self._ui_thread:
                self.call_later(self._finish_io, f, done, failed)
                return
            try:
                self.call_from_thread(self._finish_io, f, done, failed)
            except RuntimeError:
                if self.is_running:
                    raise
                # The app has stopped; the work itself is done and saved.

        future.add_done_callback(finish)
        return future

    def _finish_io(self, future: Future, done, failed) -> None:
        exc = future.exception()
        if exc is None:
            if done is not None:
                done(future.result())
            return
        if isinstance(exc, LatsarError):
            if failed is not None:
                failed(exc)
            else:
                self.notify(exc.message, severity="warning" if isinstance(exc, Blocked) else "error", timeout=8)
            return
        self.notify(f"Terjadi kesalahan: {exc}", severity="error", timeout=10)

    async def io_drain(self) -> None:
        """Wait until every queued service call has finished (used by tests and on exit)."""
        await asyncio.wrap_future(self._io.submit(lambda: None))
        await asyncio.sleep(0)

    # -- lifecycle --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._ui_thread = threading.get_ident()
        self.theme = pick_theme()
        from latsar.tui.screens.home import HomeScreen
        from latsar.tui.screens.learner import LearnerScreen

        self.push_screen(HomeScreen() if self.learner_id is not None else LearnerScreen())

    def on_unmount(self) -> None:
        self._io.shutdown(wait=True)

    async def action_quit(self) -> None:
        """Save the reader's place and time, let queued saves finish, then exit."""
        save = getattr(self.screen, "save_place", None)
        if save is not None:
            save()
        await self.io_drain()
        self.exit()

    def choose_learner(self, learner_id: int) -> None:
        from latsar.tui.screens.home import HomeScreen

        self.learner_id = learner_id
        self.switch_screen(HomeScreen())

    # -- actions available everywhere ---------------------------------------------------------------

    def action_help(self) -> None:
        from latsar.tui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def home(self):
        from latsar.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        return self.screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.learner_id is not None:
            from latsar.tui.screens.home import HomeScreen

            def on_home(method: str, *args):
                def run() -> None:
                    home = self.home()
                    if isinstance(home, HomeScreen):
                        getattr(home, method)(*args)

                return run

            yield SystemCommand("Beranda: peta modul", "Kembali ke peta modul", lambda: self.home())
            yield SystemCommand("Langkah berikutnya", "Buka langkah belajar yang disarankan", on_home("action_next_step"))
            for ev in self.services.course.evaluations:
                yield SystemCommand(f"Kerjakan {ev.name}", ev.title, on_home("open_evaluation", ev.id))
            yield SystemCommand("Kemajuan belajar", "Riwayat percobaan dan bagian yang sudah dibaca", on_home("action_progress"))
            if self.services.course.practice is not None:
                yield SystemCommand("Latihan kasus", "Latihan soal kasus (tidak dinilai)", on_home("action_practice"))
            yield SystemCommand("Ganti peserta", "Pilih atau daftarkan peserta lain", on_home("action_switch_learner"))
            yield SystemCommand("Tampilan pengampu", "Tabel angkatan, ekspor, analisis soal (perlu kata sandi)", on_home("action_instructor"))
        yield SystemCommand("Bantuan", "Tombol dan aturan aplikasi", self.action_help)
        yield from super().get_system_commands(screen)


def build_app(services: Services, learner_id: int | None = None) -> LatsarApp:
    """The one factory the CLI and the tests use."""
    if learner_id is None:
        learners = services.list_learners()
        if len(learners) == 1:
            learner_id = learners[0].id
    return LatsarApp(services, learner_id)
