"""What an instructor may do: the roster, exports, results files, item analysis, all learners,
correcting records, cohorts, Moodle, the cohort at a glance."""

from __future__ import annotations

from pathlib import Path

from latsar.errors import UsageError
from latsar.exchange.sheets import SheetLine, write_sheet
from latsar.services.context import Context
from latsar.services.instructor.cohorts import Cohorts
from latsar.services.instructor.export import DETAILS, Exports
from latsar.services.instructor.items import Items
from latsar.services.instructor.moodle import Moodle
from latsar.services.instructor.records import Records
from latsar.services.instructor.report import CohortReports
from latsar.services.instructor.results import Results, ResultsReport
from latsar.services.instructor.room import Room
from latsar.services.instructor.roster import Roster, RosterReport
from latsar.services.learners import LearnerDirectory
from latsar.services.pins import IssuedPin, Pins


class Instructor:
    """Instructor operations over the whole database. Never handed to a trainee's session."""

    def __init__(self, ctx: Context, pins: Pins) -> None:
        self.course = ctx.course
        self.learners = LearnerDirectory(ctx)
        self.roster = Roster(ctx)
        self.results = Results(ctx)
        self.exports = Exports(ctx)
        self.items = Items(ctx)
        self._ctx = ctx
        self.pins = pins
        self.room = Room(ctx)  # the classroom, live
        self.records = Records(ctx)  # edit, merge, remove learners
        self.cohorts = Cohorts(ctx)
        self.moodle = Moodle(ctx)
        self.report = CohortReports(ctx)  # the cohort at a glance

    def issue_pins(self, cohort: str, sheet: Path) -> list[IssuedPin]:
        """New random PINs for every learner of a cohort, written to a sheet to print and cut."""
        learners = self.learners.list(cohort)
        if not learners:
            raise UsageError(f"Tidak ada peserta di angkatan '{cohort}'.")
        issued = self.pins.issue(learners)
        write_sheet(sheet, cohort, [SheetLine(p.learner.name, p.learner.nip, p.learner.id, p.learner.cohort, p.pin) for p in issued])
        return issued


__all__ = ["DETAILS", "Instructor", "ResultsReport", "RosterReport"]
