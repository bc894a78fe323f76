"""Use cases, by role: the CLI, the plain terminal and the TUI all call these.

``open_services()`` gives ``Services``: ``trainee(id)`` for what one trainee may do (reading,
attempts, practice, progress), ``instructor(passphrase)`` for instructor operations, ``learners`` for
the register. Sentences come from ``presentation``; values from ``values``.
"""

from typing import TYPE_CHECKING, Any

from latsar.services.app import Services, open_services
from latsar.services.trainee import Trainee

if TYPE_CHECKING:
    from latsar.services.instructor import Instructor

__all__ = ["Instructor", "Services", "Trainee", "open_services"]


def __getattr__(name: str) -> Any:
    """The instructor's side is imported when it is asked for: a trainee's session never needs it."""
    if name == "Instructor":
        from latsar.services.instructor import Instructor

        return Instructor
    raise AttributeError(name)
