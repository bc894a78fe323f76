"""Item analysis: facility index, discrimination index, option counts. Pure.

Facility (p) is the share of responses that chose the key. Discrimination (D) compares the
top and bottom 27% of responses ranked by total score: D = p(upper) - p(lower). Items are
flagged when too hard (p < 0.30), too easy (p > 0.90), weakly or negatively discriminating
(D < 0.20), or when a distractor is chosen by fewer than 5% of responses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from latsar.course.model import Question

GROUP_SHARE = 0.27
MIN_RESPONSES = 5
Response = Mapping[str, str | None]


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

    def to_json(self) -> dict[str, object]:
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


@dataclass(frozen=True)
class Groups:
    """The lower and upper groups: responses ranked by total score, 27% at each end."""

    lower: tuple[int, ...]
    upper: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.upper)


def groups(questions: Sequence[Question], responses: Sequence[Response]) -> Groups:
    n = len(responses)
    totals = [sum(1 for q in questions if r.get(q.id) == q.key) for r in responses]
    order = sorted(range(n), key=lambda i: totals[i])  # stable: ties keep the order given
    size = max(1, round(n * GROUP_SHARE)) if n else 0
    return Groups(tuple(order[:size]), tuple(order[-size:]) if size else ())


def _share_right(q: Question, responses: Sequence[Response], members: Sequence[int]) -> float:
    return sum(responses[i].get(q.id) == q.key for i in members) / len(members)


def _counts(q: Question, responses: Sequence[Response]) -> dict[str, int]:
    counts = {letter: 0 for letter in q.letters}
    counts["-"] = 0
    for r in responses:
        choice = r.get(q.id)
        counts[choice if choice in counts else "-"] += 1
    return counts


def _flags(q: Question, n: int, facility: float, discrimination: float | None, counts: dict[str, int]) -> tuple[str, ...]:
    flags: list[str] = []
    if facility < 0.30:
        flags.append("terlalu sulit")
    elif facility > 0.90:
        flags.append("terlalu mudah")
    if discrimination is not None and discrimination < 0:
        flags.append("daya beda negatif")
    elif discrimination is not None and discrimination < 0.20:
        flags.append("daya beda rendah")
    weak = [letter for letter in q.letters if letter != q.key and counts[letter] < 0.05 * n]
    if weak:
        flags.append("pengecoh tidak berfungsi: " + ", ".join(weak))
    return tuple(flags)


def item(q: Question, responses: Sequence[Response], ranked: Groups) -> ItemStat:
    n = len(responses)
    counts = _counts(q, responses)
    facility = counts[q.key] / n if n else None
    discrimination = None
    if ranked.size and n >= 2:
        discrimination = _share_right(q, responses, ranked.upper) - _share_right(q, responses, ranked.lower)
    flags = _flags(q, n, facility, discrimination, counts) if facility is not None and n >= MIN_RESPONSES else ()
    return ItemStat(q.id, q.number, q.key, n, facility, discrimination, counts, flags)


def analyse(questions: Sequence[Question], responses: Sequence[Response]) -> list[ItemStat]:
    ranked = groups(questions, responses)
    return [item(q, responses, ranked) for q in questions]
