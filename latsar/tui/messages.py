"""Navigation as messages: a screen says what to open; the app decides how, in one place."""

from __future__ import annotations

from textual.message import Message

from latsar.services.values import Target


class Open(Message):
    """Open a section, an evaluation or practice for the current trainee."""

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target


class ShowProgress(Message):
    """Show the trainee's progress."""


class ShowInstructor(Message):
    """Ask for the instructor passphrase, then show the instructor view."""


class SwitchLearner(Message):
    """Go back to the choice of learner."""


class OpenNextStep(Message):
    """Open whatever the next step suggests."""


class OpenCheck(Message):
    """Open a section's check ("Cek pemahaman")."""

    def __init__(self, section_id: str) -> None:
        super().__init__()
        self.section_id = section_id
