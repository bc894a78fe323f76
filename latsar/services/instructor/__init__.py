"""What an instructor may do: the roster, exports, results files, item analysis, all learners,
correcting records, cohorts, Moodle, the cohort at a glance."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from latsar.errors import UsageError
from latsar.exchange.files import open_text
from latsar.exchange.sheets import SheetLine, check_address, render_sheet, sheet_format
from latsar.services.context import Context
from latsar.services.instructor.cohorts import Cohorts
from latsar.services.instructor.export import DETAILS, Exports
from latsar.services.instructor.items import Items
from latsar.services.instructor.journal import Coaching
from latsar.services.instructor.moodle import Moodle
from latsar.services.instructor.records import Records
from latsar.services.instructor.report import CohortReports
from latsar.services.instructor.room import Room
from latsar.services.instructor.roster import Roster, RosterReport
from latsar.services.learners import LearnerDirectory
from latsar.services.pins import IssuedPin, Pins

if TYPE_CHECKING:
    from latsar.services.instructor.certificates import Certificates
    from latsar.services.instructor.documents import Documents
    from latsar.services.instructor.results import Results
    from latsar.services.instructor.sheets import Sheets


class Instructor:
    """Instructor operations over the whole database. Never handed to a trainee's session."""

    def __init__(self, ctx: Context, pins: Pins) -> None:
        self.course = ctx.course
        self.learners = LearnerDirectory(ctx)
        self.roster = Roster(ctx)
        self.exports = Exports(ctx)
        self.items = Items(ctx)
        self._ctx = ctx
        self.pins = pins
        self.room = Room(ctx)  # the classroom, live
        self.records = Records(ctx)  # edit, merge, remove learners
        self.cohorts = Cohorts(ctx)
        self.moodle = Moodle(ctx)
        self.report = CohortReports(ctx)  # the cohort at a glance
        self.journal = Coaching(ctx)  # the coach's review of the habituation journal

    # Made when first asked for: an export or a roster import does not import what prints PDFs,
    # or the schema of results files (pydantic models, built at import).
    @functools.cached_property
    def results(self) -> Results:
        """Trainees' results files: read, checked, merged; and written for a trainee."""
        from latsar.services.instructor.results import Results

        return Results(self._ctx)

    @functools.cached_property
    def documents(self) -> Documents:
        """Reports to print: a trainee's record, the cohort report."""
        from latsar.services.instructor.documents import Documents

        return Documents(self._ctx)

    @functools.cached_property
    def certificates(self) -> Certificates:
        """Certificates of completion, signed and checked."""
        from latsar.services.instructor.certificates import Certificates

        return Certificates(self._ctx)

    @functools.cached_property
    def sheets(self) -> Sheets:
        """Spreadsheets of the item analysis and the cohort report."""
        from latsar.services.instructor.sheets import Sheets

        return Sheets(self._ctx)

    def issue_pins(self, sheet: Path, address: str, *, cohort: str | None = None, refs: Sequence[str] = ()) -> list[IssuedPin]:
        """New random PINs for every learner of ``cohort``, or only for the learners ``refs`` name
        (NIP or id: a late arrival; everyone else keeps their PIN), written to a sheet of cards
        that say where to open the class (``address``).

        The sheet is written first and replaces ``sheet`` only once the PINs are stored: a sheet
        that cannot be written leaves every old PIN working, and no PIN is issued unprinted."""
        if (cohort is None) == (not refs):
            raise UsageError("Pilih satu: --cohort ANGKATAN atau --learner NIP/id.")
        fmt = sheet_format(Path(sheet).suffix)
        address = check_address(address)
        if cohort is not None:
            learners = self.learners.list(cohort)
            if not learners:
                raise UsageError(f"Tidak ada peserta di angkatan '{cohort}'.")
            title = f"PIN latsar — {learners[0].cohort or cohort}"
        else:
            chosen = [self.learners.resolve(ref) for ref in refs]
            learners = list({learner.id: learner for learner in chosen}.values())  # one card each, however named
            title = "Kartu PIN latsar — " + ", ".join(learner.name for learner in learners)
        issued = self.pins.draw(learners)
        lines = [SheetLine(p.learner.name, p.learner.nip, p.learner.id, p.learner.cohort, p.pin) for p in issued]
        text = render_sheet(fmt, title, lines, address)
        with open_text(sheet) as out:
            out.write(text)
            self.pins.store(issued)
        return issued


__all__ = ["DETAILS", "Instructor", "RosterReport"]
