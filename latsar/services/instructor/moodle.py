"""Moodle: a grade-import CSV keyed by ID number (the NIP), one column per evaluation.

Moodle's grade import (Grades > Import > CSV file) identifies each row by a user field; latsar
writes the NIP in an "ID number" column, so map it to the users' "ID number" field, and each
evaluation's column to a grade item. The value is the best percent (0-100), the same number as
the summary export; a learner with no finished attempt at an evaluation has "-", what
Moodle's own grade export writes for no grade (an empty cell may be stored as 0 on a new
grade item, and clears an existing grade). Learners without a NIP cannot be matched and are
left out. Every ID number in the file must belong to a Moodle user: one that does not stops
Moodle's whole import (the README says how to check first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from msgspec import Struct

from latsar.assessment.records import SummaryRow
from latsar.exchange.tabular import Column, Kind, Table, write_table
from latsar.services.context import Context
from latsar.services.learners import require_cohort
from latsar.storage import reports

ID_NUMBER = "ID number"
NO_GRADE = "-"  # Moodle's own word for "no grade"


class GradesWritten(Struct):
    written: int = 0
    without_nip: int = 0


def grade_columns(ctx: Context) -> list[Column[SummaryRow]]:
    """"ID number", then one column per evaluation headed by its name (name the grade items in
    Moodle the same and the import maps them by itself)."""
    columns: list[Column[SummaryRow]] = [Column(ID_NUMBER, ID_NUMBER, Kind.TEXT, lambda r: r.nip)]
    for i, ev in enumerate(ctx.course.evaluations):
        columns.append(Column(ev.name, ev.name, Kind.INT, _best(i), blank=NO_GRADE))
    return columns


def _best(i: int) -> Callable[[SummaryRow], int | None]:
    return lambda r: r.best_percent[i]


class Moodle:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def grades(self, path: Path, cohort: str | None = None) -> GradesWritten:
        """Write the grade-import CSV; how many learners were written and how many had no NIP."""
        cohort = require_cohort(self.ctx, cohort)
        counted = GradesWritten()

        def with_nip() -> Iterator[SummaryRow]:
            for row in reports.summary(self.ctx.db, [e.id for e in self.ctx.course.evaluations], cohort):
                if row.nip:
                    yield row
                else:
                    counted.without_nip += 1

        counted.written = write_table("csv", path, Table("Nilai Moodle", grade_columns(self.ctx), with_nip()))
        return counted
