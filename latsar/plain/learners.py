"""`latsar learner list` in a plain terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from latsar.plain.console import stdout
from latsar.services.values import LearnerInfo


def print_learners(learners: list[LearnerInfo]) -> None:
    table = Table(expand=False)
    for col in ("Id", "Nama", "NIP", "Angkatan", "Instansi"):
        # An id or NIP cut short is another person's: those two never wrap or shrink; the
        # names and the rest wrap instead.
        whole = col in ("Id", "NIP")
        table.add_column(col, no_wrap=whole, min_width=18 if col == "NIP" else None, overflow="fold")
    for learner in learners:
        # Text, never markup: a name like "[bold]…" is shown as typed.
        table.add_row(str(learner.id), Text(learner.name), learner.nip or "-", Text(learner.cohort or "-"), Text(learner.instansi or "-"))
    stdout().print(table)
