"""Navigation as messages: a screen says what it wants shown; the app decides how, in one
place (``latsar.tui.navigation``, ``latsar.tui.signin``). No screen pushes, switches or pops
another screen to get somewhere; a dialog it asks a question with is its own business."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from latsar.services.values import AttemptResult, Target

if TYPE_CHECKING:
    from latsar.services import Trainee


class Open(Message):
    """Open a section, an evaluation or practice for the current trainee."""

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target


class OpenCheck(Message):
    """Open a section's check ("Cek pemahaman")."""

    def __init__(self, section_id: str) -> None:
        super().__init__()
        self.section_id = section_id


class OpenNextStep(Message):
    """Open whatever the next step suggests."""


class ShowProgress(Message):
    """Show the trainee's progress."""


class ShowResult(Message):
    """An attempt was submitted: its result takes the evaluation's place."""

    def __init__(self, result: AttemptResult) -> None:
        super().__init__()
        self.result = result


class GoHome(Message):
    """Back to the module map."""


class ShowInstructor(Message):
    """Ask for the instructor passphrase, then show the instructor view."""


class SwitchLearner(Message):
    """Go back to the choice of learner."""


class ChooseLearner(Message):
    """A learner was chosen from the list: open their map, after their PIN if they have one."""

    def __init__(self, learner_id: int) -> None:
        super().__init__()
        self.learner_id = learner_id


class SignedIn(Message):
    """Someone signed in (the classroom's login, a PIN, a new registration): their map."""

    def __init__(self, trainee: Trainee) -> None:
        super().__init__()
        self.trainee = trainee


class WriteJournal(Message):
    """Write a journal entry (for ``behaviour``, when named), or a new version of ``entry_id``."""

    def __init__(self, behaviour: str | None = None, entry_id: int | None = None) -> None:
        super().__init__()
        self.behaviour = behaviour
        self.entry_id = entry_id
