"""What an instructor may do: the roster, exports, results files, item analysis, all learners,
correcting records, cohorts, Moodle, the cohort at a glance."""

from __future__ import annotations

from latsar.services.context import Context
from latsar.services.instructor.cohorts import Cohorts
from latsar.services.instructor.export import DETAILS, Exports
from latsar.services.instructor.items import Items
from latsar.services.instructor.moodle import Moodle
from latsar.services.instructor.records import Records
from latsar.services.instructor.report import CohortReports
from latsar.services.instructor.results import Results, ResultsReport
from latsar.services.instructor.roster import Roster, RosterReport
from latsar.services.learners import LearnerDirectory


class Instructor:
    """Instructor operations over the whole database. Never handed to a trainee's session."""

    def __init__(self, ctx: Context) -> None:
        self.course = ctx.course
        self.learners = LearnerDirectory(ctx)
        self.roster = Roster(ctx)
        self.results = Results(ctx)
        self.exports = Exports(ctx)
        self.items = Items(ctx)
        self.records = Records(ctx)  # edit, merge, remove learners
        self.cohorts = Cohorts(ctx)
        self.moodle = Moodle(ctx)
        self.report = CohortReports(ctx)  # the cohort at a glance


__all__ = ["DETAILS", "Instructor", "ResultsReport", "RosterReport"]
