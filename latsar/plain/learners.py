"""`latsar learner list` in a plain terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from latsar.plain.console import stdout
from latsar.services.values import LearnerInfo


def print_learners(learners: list[LearnerInfo]) -> None:
    table = Table(expand=False)
    for col in ("Id", "Nama", "NIP", "Angkatan", "Instansi"):
        table.add_column(col)
    for learner in learners:
        # Text, never markup: a name like "[bold]…" is shown as typed.
        table.add_row(str(learner.id), Text(learner.name), learner.nip or "-", Text(learner.cohort or "-"), Text(learner.instansi or "-"))
    stdout().print(table)
