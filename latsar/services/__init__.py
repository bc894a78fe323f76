"""Use cases, by role: the CLI, the plain terminal and the TUI all call these.

``open_services()`` gives ``Services``: ``trainee(id)`` for what one trainee may do (reading,
attempts, practice, progress), ``instructor()`` for instructor operations, ``learners`` for
the register. Sentences come from ``presentation``; values from ``values``.
"""

from latsar.services.app import Services, open_services
from latsar.services.instructor import Instructor
from latsar.services.trainee import Trainee

__all__ = ["Instructor", "Services", "Trainee", "open_services"]
