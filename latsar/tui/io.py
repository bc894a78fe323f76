"""Service calls off the UI thread, their answers back to whoever asked.

Every service call runs on one background thread, in the order asked (answers are saved in the
order they were given, and the UI never waits for the disk). Whoever asks — a screen, a dialog,
the app — names itself: the answer comes back to it as a typed message (``Answered``), handled
on the UI thread by ``Asking.on_answered``. An asker that has gone meanwhile (a screen closed
while its call ran) gets nothing: what was done is done and saved, and a problem is still said,
by the app.

What a failure looks like is decided in one place, the app's ``LatsarApp.refused``: a refusal
the asker expects goes to its ``failed``; anything else, and any restore noticed, goes there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump

from latsar.errors import LatsarError

T = TypeVar("T")
Done = Callable[[T], object]  # what it returns (an awaitable of Textual's, say) is not waited for
Failed = Callable[[LatsarError], None]


class Refusals(Protocol):
    """The app: the one place that says what went wrong."""

    def refused(self, exc: BaseException, failed: Failed | None = None) -> None: ...


class Answered(Message, bubble=False):
    """A service call has finished: its result (or failure) for the one that asked."""

    def __init__(self, future: Future[Any], done: Done[Any] | None, failed: Failed | None) -> None:
        super().__init__()
        self.future, self.done, self.failed = future, done, failed

    def deliver(self, refusals: Refusals) -> None:
        exc = self.future.exception()
        if exc is None:
            if self.done is not None:
                self.done(self.future.result())
            return
        refusals.refused(exc, self.failed)


class Unanswered(Message, bubble=False):
    """A call whose asker had gone: only a failure is still the app's to say."""

    def __init__(self, future: Future[Any]) -> None:
        super().__init__()
        self.future = future


class Io:
    """The one background thread for service calls."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="latsar-io")

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Work whose answer nobody waits for (presence, say)."""
        return self._pool.submit(fn, *args)

    def ask(self, asker: MessagePump, fallback: MessagePump, fn: Callable[..., T], *args: Any,
            done: Done[T] | None = None, failed: Failed | None = None) -> Future[T]:
        """Run ``fn(*args)``; ``asker`` gets the answer as ``Answered`` (``fallback``, the app, gets a
        failure whose asker has gone)."""
        future = self._pool.submit(fn, *args)
        self.answer(asker, fallback, future, done, failed)
        return future

    @staticmethod
    def answer(asker: MessagePump, fallback: MessagePump, future: Future[T], done: Done[T] | None, failed: Failed | None) -> None:
        def finished(f: Future[T]) -> None:
            # On the I/O thread (or at once, here, if the work was already done). Posted, never
            # waited for: the UI thread may itself be waiting for this thread when the app ends.
            if not asker.post_message(Answered(f, done, failed)) and f.exception() is not None:
                fallback.post_message(Unanswered(f))

        future.add_done_callback(finished)

    @staticmethod
    def ready_within(future: Future[Any], seconds: float) -> bool:
        return bool(future in wait((future,), timeout=seconds).done)

    async def drain(self) -> None:
        """Wait until every call asked so far has finished (tests, and the app's end)."""
        await asyncio.wrap_future(self._pool.submit(lambda: None))
        await asyncio.sleep(0)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
