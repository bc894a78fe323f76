"""Open the services and run the full-screen app: for `latsar` alone, `latsar tui`, and each
browser session of the classroom server. Needs neither Typer nor the command tree."""

from __future__ import annotations

import os
import sys


def run_tui(db: str | None, content: str | None, learner: str | None = None, serve: bool = False) -> int:
    """Run the app; its exit code (0, or 1 when the app itself failed: a bug, shown by Textual)."""
    from latsar.errors import warn
    from latsar.services import open_services

    svc = open_services(db, content)
    try:
        for warning in svc.db.warnings:
            warn(warning)
        learner_id = svc.learners.resolve(learner).id if learner else None
        from latsar.tui.app import build_app

        idle = int(os.environ.get("LATSAR_IDLE_MINUTES", "0") or 0) or None
        app = build_app(svc, learner_id, serve=serve, idle_minutes=idle)
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
