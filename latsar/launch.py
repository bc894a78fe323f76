"""The `latsar` command's first step.

`latsar` alone (or with ``--db``/``--content`` only) opens the full-screen app, and
`latsar [--db X] [--content D] session` is one browser session of the classroom server. Both
start here without importing Typer or building the command tree (together a sixth of the time
to the first screen); anything else goes to `latsar.cli`.
"""

from __future__ import annotations

import sys


def fast_path(argv: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(database, content pack, is it a classroom session) when ``argv`` just opens the app."""
    options: dict[str, str] = {}
    rest = list(argv)
    serve = bool(rest) and rest[-1] == "session"
    if serve:
        rest.pop()
    while rest:
        name, eq, value = rest.pop(0).partition("=")
        if name not in ("--db", "--content"):
            return None
        if not eq:
            if not rest:
                return None  # let the full parser say what is missing
            value = rest.pop(0)
        options[name[2:]] = value
    return options.get("db"), options.get("content"), serve


def start(db: str | None, content: str | None, serve: bool) -> int:
    """Run the app; the exit code. A fault says its one sentence, as every command does."""
    import gc

    # Start-up allocates a great many objects that live as long as the app: the cyclic
    # collector would walk them over and over (a sixth of the time to the first screen).
    # The app turns it back on, with those objects frozen, once the first screen is up.
    gc.disable()
    try:
        from latsar.tui.run import leave_at_once, run_tui

        code = run_tui(db, content, serve=serve) or 0
    except BaseException as exc:
        from latsar.cli import outcome

        return outcome(exc)
    finally:
        gc.enable()
    if serve:
        leave_at_once(code)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    fast = fast_path(argv)
    if fast is not None:
        return start(*fast)
    from latsar.cli import main as full

    return full(argv)


def entry() -> None:
    sys.exit(main())
