"""Item analysis: facility index, discrimination index, option counts. Pure.

Facility (p) is the share of responses that chose the key. Discrimination (D) compares the
top and bottom 27% of responses ranked by total score: D = p(upper) - p(lower). Items are
flagged when too hard (p < 0.30), too easy (p > 0.90), weakly or negatively discriminating
(D < 0.20), or when a distractor is chosen by fewer than 5% of responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from latsar.course.model import Question

GROUP_SHARE = 0.27
MIN_RESPONSES = 5


@dataclass(frozen=True)
class ItemStat:
    question_id: str
    number: int
    key: str
    responses: int
    facility: float | None
    discrimination: float | None
    options: dict[str, int]  # letter -> count; "-" for unanswered
    flags: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {
            "question": self.question_id,
            "number": self.number,
            "key": self.key,
            "responses": self.responses,
            "facility": None if self.facility is None else round(self.facility, 3),
            "discrimination": None if self.discrimination is None else round(self.discrimination, 3),
            "options": self.options,
            "flags": list(self.flags),
        }


def analyse(questions: Sequence[Question], responses: Sequence[Mapping[str, str | None]]) -> list[ItemStat]:
    n = len(responses)
    totals = [sum(1 for q in questions if r.get(q.id) == q.key) for r in responses]
    order = sorted(range(n), key=lambda i: totals[i])
    size = max(1, round(n * GROUP_SHARE)) if n else 0
    lower, upper = order[:size], order[-size:] if size else []
    stats = []
    for q in questions:
        counts = {letter: 0 for letter in q.letters}
        counts["-"] = 0
        right = 0
        for r in responses:
            choice = r.get(q.id)
            counts[choice if choice in counts else "-"] += 1
            right += choice == q.key
        facility = right / n if n else None
        discrimination = None
        if size and n >= 2:
            p_up = sum(responses[i].get(q.id) == q.key for i in upper) / size
            p_low = sum(responses[i].get(q.id) == q.key for i in lower) / size
            discrimination = p_up - p_low
        flags: list[str] = []
        if n >= MIN_RESPONSES:
            if facility < 0.30:
                flags.append("terlalu sulit")
            elif facility > 0.90:
                flags.append("terlalu mudah")
            if discrimination is not None and discrimination < 0:
                flags.append("daya beda negatif")
            elif discrimination is not None and discrimination < 0.20:
                flags.append("daya beda rendah")
            weak = [l for l in q.letters if l != q.key and counts[l] < 0.05 * n]
            if weak:
                flags.append("pengecoh tidak berfungsi: " + ", ".join(weak))
        stats.append(ItemStat(q.id, q.number, q.key, n, facility, discrimination, counts, tuple(flags)))
    return stats
