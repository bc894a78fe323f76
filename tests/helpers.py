"""What many tests share: the module's keys, taking an evaluation, driving the TUI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from latsar.services import Trainee
    from latsar.services.values import AttemptResult

# The module's own Kunci Jawaban, transcribed independently of the bank files.
MP1_KEY = "bccbaccdba"
MP2_KEY = "cbddacbaab"


def lines(answers: str) -> str:
    """Answers as standard input for `latsar quiz`: one letter per line."""
    return "\n".join(answers) + "\n"


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


def notes(app: Any) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def open_entry(pilot: Any, option_id: str) -> None:
    from textual.widgets import OptionList

    option_list = pilot.app.screen.query_one("#map", OptionList)
    option_list.highlighted = option_list.get_option_index(option_id)
    option_list.focus()
    await pilot.press("enter")
    await settle(pilot)


async def answer_all(pilot: Any, letters: str) -> None:
    for letter in letters:
        await pilot.press(letter)
    await settle(pilot)


async def submit(pilot: Any) -> None:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("y")
    await settle(pilot)
