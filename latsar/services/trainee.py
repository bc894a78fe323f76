"""What a trainee may do, bound to that trainee: their reading, attempts, practice, progress.

A trainee's session (the TUI, the plain commands acting for a learner, a classroom server
session) holds only this object: nothing here reaches another learner's data.
"""

from __future__ import annotations

from pathlib import Path

from latsar.errors import UsageError
from latsar.services import progress
from latsar.services.attempts import Attempts
from latsar.services.context import Context
from latsar.services.journal import Journal
from latsar.services.learners import LearnerDirectory
from latsar.services.pins import Pins
from latsar.services.practice import Practice
from latsar.services.presentation import Voice
from latsar.services.reading import Reading
from latsar.services.values import LearnerInfo, Progress, ResultsWritten


class Trainee:
    def __init__(self, ctx: Context, learner_id: int, pins: Pins) -> None:
        self._ctx = ctx
        self._pins = pins
        self.id = learner_id
        self.course = ctx.course
        self.voice: Voice = ctx.voice
        self.reading = Reading(ctx, learner_id)
        self.attempts = Attempts(ctx, learner_id)
        self.practice = Practice(ctx, learner_id)
        self.journal = Journal(ctx, learner_id)  # the habituation journal

    def info(self) -> LearnerInfo:
        return LearnerDirectory(self._ctx).get(self.id)

    def progress(self) -> Progress:
        return progress.build(self._ctx, self.id)

    def change_pin(self, current: str | None, new: str) -> None:
        """Set or change one's own PIN; the current one is needed once there is one."""
        pins = self._pins
        if pins.has(self.id) and (current is None or not pins.check(self.id, current)):
            raise UsageError("PIN sekarang salah; PIN tidak diubah.")
        pins.set(self.id, new)

    def export_results(self, path: Path) -> ResultsWritten:
        """Write this trainee's results file (0600, atomically), sealed, for an instructor's
        ``results import``; how many attempts it carries."""
        from latsar.services import results

        return results.write(self._ctx, self.id, path)
