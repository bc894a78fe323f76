"""Item analysis over each learner's first finished attempt."""

from __future__ import annotations

from latsar.assessment import items
from latsar.services.context import Context
from latsar.services.learners import require_cohort
from latsar.storage import reports


class Items:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def report(self, cohort: str | None = None) -> dict[str, items.Analysis]:
        """Per evaluation, item statistics and reliability over each learner's first finished attempt."""
        return self.of_group(require_cohort(self.ctx, cohort))

    def of_group(self, cohort: str | None, without_cohort: bool = False) -> dict[str, items.Analysis]:
        """The analysis of a cohort known to exist (None: everyone), or of the learners without one."""
        return {
            ev.id: items.analyse(ev.bank.questions, reports.first_attempt_answers(self.ctx.db, ev.id, cohort, without_cohort))
            for ev in self.ctx.course.evaluations
        }


def _number(value: float | None, places: int = 2) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def describe(analysis: items.Analysis) -> list[str]:
    """The evaluation-level lines an instructor reads above the items (plain terminal and TUI)."""
    r, g = analysis.reliability, analysis.groups
    lines = [
        f"Reliabilitas KR-20 {_number(r.kr20)} · SEM {_number(r.sem)} soal · skor rata-rata {_number(r.mean, 1)} dari {r.k} · n = {r.n}"
    ]
    if g.size:
        group = f"Kelompok atas dan bawah (27%): {g.size} peserta masing-masing"
        ties = [
            f"{tied} peserta berskor {cut} berbagi {where}"
            for tied, cut, where in ((g.tied[0], g.lower_cut, "tempat terakhir kelompok bawah"), (g.tied[1], g.upper_cut, "tempat terakhir kelompok atas"))
            if tied
        ]
        lines.append(group + ("; " + "; ".join(ties) + " dengan bobot sama rata" if ties else "") + ".")
    lines += [f"⚠ {w}" for w in analysis.warnings]
    return lines


LEGEND = (
    "p: bagian peserta yang menjawab benar (< 0.30 terlalu sulit, > 0.90 terlalu mudah). "
    "D: p kelompok atas − p kelompok bawah (< 0.20 daya beda rendah). "
    "r: korelasi butir dengan skor soal lainnya (butir-sisa). Pengecoh yang dipilih < 5% tidak berfungsi."
)
