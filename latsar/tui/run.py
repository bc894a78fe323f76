"""Open the services and run the full-screen app: for `latsar` alone, `latsar tui`, and each
browser session of the classroom server. Needs neither Typer nor the command tree."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from latsar.course import Course
    from latsar.services import Services, Trainee


def run_tui(db: str | None, content: str | None, learner: str | None = None, serve: bool = False) -> int:
    """Run the app; its exit code (0, or 1 when the app itself failed: a bug, shown by Textual).

    ``serve``: a classroom session started as a process of its own (when no session parent
    could fork it); the server says who it is in ``LATSAR_SESSION`` and ``LATSAR_CLIENT``."""
    from latsar.errors import warn
    from latsar.services import open_services

    if serve:
        from latsar.course.cache import load_cached
        from latsar.paths import content_root, home_dir

        course = load_cached(content_root(content), home_dir() / "cache")
        return run_session(course, db, os.environ.get("LATSAR_SESSION", ""), os.environ.get("LATSAR_CLIENT", ""))
    svc = open_services(db, content)
    try:
        for warning in svc.db.warnings:
            warn(warning)
        learner_id = svc.learners.resolve(learner).id if learner else None
        from latsar.tui.app import build_app

        app = build_app(svc, learner_id)
        app.run()
        if not app.return_code:
            print(goodbye(svc, app.trainee, shutil.get_terminal_size().columns))
        return app.return_code or 0
    finally:
        svc.close()


def goodbye(svc: Services, trainee: Trainee | None, width: int | None = None) -> str:
    """What the terminal says once the app is closed: everything is kept (and what waits), or,
    when nobody had signed in, only that the app is closed. ``width``: the terminal's, wrapped
    between words (a terminal cuts a long line anywhere: "…sudah ters" / "impan.")."""
    from latsar.terminal import visible

    progress = None
    if trainee is not None:
        try:
            progress = trainee.progress()
        except Exception:  # a goodbye never fails the exit
            progress = None
    said = visible(svc.voice.goodbye(progress, signed_in=trainee is not None))
    if not width or width < 20:
        return said
    return textwrap.fill(said, width - 1, break_long_words=False, break_on_hyphens=False)


def run_session(course: Course, db: str | None, session: str, client: str) -> int:
    """One browser session of the classroom server, for the trainee at ``client``: the app,
    starting at the login; its exit code. A database that refuses the session (down, full)
    is said in the browser, in one sentence."""
    from latsar.errors import LatsarError
    from latsar.services.app import session_services
    from latsar.tui.app import build_app

    try:
        svc: Services = session_services(course, db, session, client)
    except LatsarError as exc:
        from latsar.tui.unavailable import Unavailable

        Unavailable(exc.message).run()
        return exc.exit_code
    try:
        idle = int(os.environ.get("LATSAR_IDLE_MINUTES", "0") or 0) or None
        app = build_app(svc, serve=True, idle_minutes=idle)
        app.run()
        return app.return_code or 0
    finally:
        svc.close()


def leave_at_once(code: int = 0) -> None:
    """A classroom session has ended and everything is saved. Tearing the interpreter down object
    by object would cost ~0.2 s of CPU, paid by every other trainee in the room: leave at once."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
