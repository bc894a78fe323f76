"""A classroom session's part in the room: it tells the instructor's live view what its
trainee is doing, tells the server when someone signed in, and ends when nobody used it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from latsar.services.presence import Activity

if TYPE_CHECKING:
    from latsar.services.presence import Presence
    from latsar.tui.app import LatsarApp

PRESENCE_SECONDS = 5.0  # how often a session looks whether what its trainee does changed
PRESENCE_HEARTBEAT = 60.0  # and says it is still there when nothing did (the room's window is 2 minutes)
IDLE_MESSAGE = "Sesi berakhir karena lama tidak dipakai; semua jawaban sudah tersimpan."


class Classroom:
    def __init__(self, app: LatsarApp, presence: Presence | None, idle_minutes: int | None) -> None:
        self.app = app
        self.presence = presence  # None: not a classroom session
        self.idle_limit: float | None = 60.0 * idle_minutes if idle_minutes else None
        self.last_input = time.monotonic()
        self._reported: tuple[object, ...] | None = None  # what presence last said, and when
        self._reported_at = 0.0

    def start(self) -> None:
        if self.idle_limit:
            self.app.set_interval(min(30.0, self.idle_limit / 4), self.end_if_idle)
        if self.presence is not None:
            self.app.set_interval(PRESENCE_SECONDS, self.report)

    def touched(self) -> None:
        self.last_input = time.monotonic()

    async def end_if_idle(self) -> None:
        if self.idle_limit and time.monotonic() - self.last_input >= self.idle_limit:
            self.app.notify(IDLE_MESSAGE, timeout=3, markup=False)
            await self.app.action_quit()

    def signed_in(self, learner_id: int | None) -> None:
        if learner_id is not None:
            self.tell_server("signed-in", f"learner:{learner_id}")
        else:
            self.tell_server("signed-out")
        if self.presence is not None:
            self.presence.learner_id = learner_id

    def tell_server(self, event: str, who: str | None = None) -> None:
        """Tell the server who signed in, or that they signed out (``latsar.tui.driver``): a
        signed-in session no longer counts as a socket waiting at the login, and a trainee
        signed in here is signed out of any other session."""
        from latsar.tui.driver import SessionDriver

        driver = self.app._driver
        if self.app.serve and isinstance(driver, SessionDriver):
            driver.tell_server(event, who)

    def report(self) -> None:
        """Tell the room what this session's trainee is doing now (off the UI thread), when it
        changed, and once a minute otherwise."""
        from latsar.tui.base import LatsarScreen

        if self.presence is None:
            return
        screen = self.app.screen
        activity, target = screen.activity() if isinstance(screen, LatsarScreen) else (Activity.HOME, None)
        counts = screen.attempt_counts() if isinstance(screen, LatsarScreen) else None
        answered, total = counts if counts is not None else (None, None)
        now = (self.presence.learner_id, activity, target, answered, total)
        if now == self._reported and time.monotonic() - self._reported_at < PRESENCE_HEARTBEAT:
            return  # nothing new: a classroom of idle sessions writes almost nothing
        self._reported, self._reported_at = now, time.monotonic()
        # A presence that cannot be written is nobody's business, but a restore it notices is.
        self.app.ask(self.presence.report, activity, target, answered, total, failed=lambda _: None)

    def end(self) -> None:
        if self.presence is not None:
            self.app.io.submit(self.presence.end)
