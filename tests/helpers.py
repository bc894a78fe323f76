"""What many tests share: the module's keys, taking an evaluation, driving the TUI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from latsar.services import Trainee
    from latsar.services.values import AttemptResult, ReachedEnd

# The module's own Kunci Jawaban, transcribed independently of the bank files.
MP1_KEY = "bccbaccdba"
MP2_KEY = "cbddacbaab"


def open_attempt(me: Trainee, quiz: str) -> Any:
    """The trainee's open attempt at ``quiz`` as the app shows it (resumed), or None."""
    return me.attempts.start_or_resume(quiz) if me.progress().evaluations[quiz].open is not None else None


def results_of(me: Trainee) -> dict[str, Any]:
    """A trainee's results file as ``latsar results export`` writes it, read back."""
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hasil.json"
        me.export_results(path)
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def edit(path: Any, old: str, new: str) -> None:
    """Change a pack's file in place: ``old`` (which must be there) becomes ``new``, once."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lines(answers: str) -> str:
    """Answers as standard input for `latsar quiz`: one letter per line."""
    return "\n".join(answers) + "\n"


def let_pass(clock: Any, seconds: float) -> None:
    """Move a test's clock on: conftest's ``Clock`` (``advance``) or a module's own (``now``)."""
    from datetime import timedelta

    if hasattr(clock, "advance"):
        clock.advance(seconds)
    else:
        clock.now += timedelta(seconds=seconds)


def read_through(me: Trainee, section_id: str, clock: Any) -> ReachedEnd:
    """Open a section, let the time its length needs pass on the services' ``clock``, reach its
    end: read, as the rule counts it."""
    me.reading.open(section_id)
    let_pass(clock, me.reading.minimum(section_id))
    reached = me.reading.complete(section_id)
    assert reached.counted, reached
    return reached


def take(me: Trainee, quiz: str, letters: str, shuffle: bool = False) -> AttemptResult:
    """Start (or resume) an evaluation, answer in the order shown, submit."""
    view = me.attempts.start_or_resume(quiz, shuffle=shuffle)
    for p, letter in zip(view.presented, letters):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    return me.attempts.submit(view.id)


# -- the TUI, with Pilot -----------------------------------------------------------------------------


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let queued service calls finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.io_drain()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def shows(pilot: Any, *words: str, timeout: float = 10.0) -> str:
    """Wait until every word is on screen (a busy machine may paint later than the data
    arrives); the screen's text. AssertionError with the screen if they never show."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        text = "\n".join(screen_rows(pilot.app))
        if all(w in text for w in words) or time.monotonic() > deadline:
            assert all(w in text for w in words), f"{words} never showed:\n{text}"
            return text
        await pilot.pause(0.05)


def notes(app: Any) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def open_entry(pilot: Any, option_id: str, key: str = "enter") -> None:
    """Highlight a row of the module map and press ``key`` on it (Enter opens it)."""
    from textual.widgets import OptionList

    option_list = pilot.app.screen.query_one("#map", OptionList)
    option_list.highlighted = option_list.get_option_index(option_id)
    option_list.focus()
    await pilot.press(key)
    await settle(pilot)


async def search_in(pilot: Any, section_id: str, words: str) -> None:
    """Open a section from the map, press / and search for ``words`` (the results listed)."""
    await open_entry(pilot, f"section:{section_id}")
    await pilot.press("slash")
    await settle(pilot)
    await pilot.press(*words, "enter")
    await settle(pilot)


NAMED_KEYS = {
    "\r": ("enter", "\r"), "\t": ("tab", "\t"), "\x1b": ("escape", "\x1b"), "\x1b[Z": ("shift+tab", None),
    "\x1bOQ": ("f2", None), "ctrl+p": ("ctrl+p", None),
}


def burst(app: Any, text: str | list[str]) -> None:
    """Keys arriving all at once (a fast typist, a password manager, a slow network): every key is
    queued before the first is handled. "\r" is Enter, "\t" Tab, "\x1b" Esc; a list may also
    hold "\x1b[Z" (Shift+Tab) and "\x1bOQ" (F2) as terminals send them, and "ctrl+p"."""
    from textual import events

    for ch in text:
        key, character = NAMED_KEYS.get(ch, (ch, ch))
        app.post_message(events.Key(key, character))


async def answer_all(pilot: Any, letters: str) -> None:
    for letter in letters:
        await pilot.press(letter)
    await settle(pilot)


async def submit(pilot: Any) -> None:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("y")
    await settle(pilot)


def screen_rows(svg_or_app: Any) -> list[str]:
    """The text a person sees, row by row, from an app (or its SVG screenshot)."""
    import html
    import re

    svg = svg_or_app if isinstance(svg_or_app, str) else svg_or_app.export_screenshot()
    cell = 12.2  # the width of one cell in Textual's SVG
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in re.findall(r'<text class="terminal-[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>', svg):
        rows.setdefault(int(line), {})[round(float(x) / cell)] = html.unescape(text).replace("\xa0", " ").replace("\n", "")
    out = []
    for n in range(max(rows, default=-1) + 1):
        line = ""
        for col, text in sorted(rows.get(n, {}).items()):
            line = line.ljust(col) + text
        out.append(line.rstrip())
    return out


def widget_text(app: Any, selector: str) -> str:
    """The words shown inside one widget (no border, no scrollbar; wrapped lines joined)."""
    region = app.screen.query_one(selector).scrollable_content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return " ".join(" ".join(row.ljust(region.right)[region.x : region.right].split()) for row in rows).strip()


async def focus_lands(pilot: Any, kind: type, timeout: float = 10.0) -> Any:
    """Wait until a widget of this kind has the focus (a busy machine mounts a dialog and moves
    the focus a few frames after the key); the focused widget."""
    import time

    deadline = time.monotonic() + timeout
    while not isinstance(pilot.app.focused, kind):
        assert time.monotonic() < deadline, f"the focus stayed on {pilot.app.focused!r}"
        await settle(pilot, rounds=1)
    return pilot.app.focused


async def unlock(pilot: Any, passphrase: str) -> None:
    """Open the instructor view from the map: i, the passphrase, Enter."""
    from textual.widgets import Input

    await pilot.press("i")
    await settle(pilot)
    pilot.app.screen.query_one("#passphrase", Input).value = passphrase
    await pilot.press("enter")
    await settle(pilot)
