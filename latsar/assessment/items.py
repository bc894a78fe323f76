"""Item analysis: facility, discrimination, item-rest correlation, option counts, and the
reliability of the whole evaluation (KR-20, SEM). Pure.

Over ``n`` responses (each learner's first finished attempt) to ``k`` questions, a response's
total score is its number of right answers (an unanswered question counts as wrong).

- Facility (p): the share of responses that chose the key.
- Discrimination (D): the top and bottom 27% of responses ranked by total score,
  D = p(upper) - p(lower). Each group has ``g = max(1, round(0.27 n))`` places. Responses
  whose total equals the score at a group's cut *share* the places left at that cut equally
  (each counts with weight places-left / number-tied), so no order of the data, and no coin,
  decides who is in; the groups always weigh exactly ``g``. The weights are exact fractions
  (``fractions.Fraction``), so an item everyone got right has D exactly 0, never -0.00 from
  float residue (flagged "daya beda negatif" for nothing).
- Item-rest point-biserial (r): the Pearson correlation of the item's score (1 right, 0 not)
  with the rest of the test (total minus this item), so the item is not correlated with itself.
  None when either does not vary.
- KR-20 = k/(k-1) * (1 - sum(p q) / var(total)), with q = 1 - p (the same denominator n for
  both variances, so the choice of n or n-1 cancels out). None when k < 2 or the totals do
  not vary.
- SEM = sd(total) * sqrt(1 - KR-20), in questions (score points), with the sample standard
  deviation (n - 1), as spreadsheets and Moodle's quiz statistics compute it.

Items are flagged when too hard (p < 0.30), too easy (p > 0.90), weakly or negatively
discriminating (D < 0.20), or when a distractor is chosen by fewer than 5% of responses. An
evaluation with fewer than 30 responses is reported with a warning: its groups then hold
fewer than 8 responses, so one person moves D by 1/8 or more, and KR-20 swings as much.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

from msgspec import Struct, field

from latsar.course.model import Question

GROUP_SHARE = 0.27
MIN_RESPONSES = 5  # below this, items are not flagged at all
MIN_RELIABLE = 30  # below this, the statistics come with a warning
Response = Mapping[str, str | None]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class ItemStat(Struct, frozen=True):
    question_id: str
    number: int
    key: str
    responses: int
    facility: float | None
    discrimination: float | None
    options: dict[str, int]  # letter -> count; "-" for unanswered
    flags: tuple[str, ...] = field(default_factory=tuple)
    point_biserial: float | None = None  # item-rest correlation

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question_id,
            "number": self.number,
            "key": self.key,
            "responses": self.responses,
            "facility": _rounded(self.facility),
            "discrimination": _rounded(self.discrimination),
            "point_biserial": _rounded(self.point_biserial),
            "options": self.options,
            "flags": list(self.flags),
        }


class Groups(Struct, frozen=True):
    """The lower and upper 27%: response index -> weight (1, or a share of the places left at
    the cut when several responses tie there). Each side weighs ``size`` in all."""

    size: int
    lower: dict[int, Fraction]
    upper: dict[int, Fraction]
    lower_cut: int | None = None  # the highest total score in the lower group
    upper_cut: int | None = None  # the lowest total score in the upper group
    tied: tuple[int, int] = (0, 0)  # responses sharing places at the lower and the upper cut

    def to_json(self) -> dict[str, object]:
        return {
            "share": GROUP_SHARE,
            "size": self.size,
            "lower_cut": self.lower_cut,
            "upper_cut": self.upper_cut,
            "tied_at_cut": {"lower": self.tied[0], "upper": self.tied[1]},
            "tie_rule": "shared",
        }


class Reliability(Struct, frozen=True):
    n: int
    k: int
    mean: float | None
    sd: float | None  # sample standard deviation of the total scores
    kr20: float | None
    sem: float | None  # in questions

    def to_json(self) -> dict[str, object]:
        return {"kr20": _rounded(self.kr20), "sem": _rounded(self.sem), "n": self.n}


class Analysis(Struct, frozen=True):
    """One evaluation's item analysis."""

    items: list[ItemStat]
    reliability: Reliability
    groups: Groups
    warnings: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return self.reliability.n

    def to_json(self) -> dict[str, object]:
        r = self.reliability
        return {
            "responses": r.n,
            "questions": r.k,
            "reliability": r.to_json(),
            "score": {"mean": _rounded(r.mean), "sd": _rounded(r.sd), "max": r.k},
            "groups": self.groups.to_json(),
            "warnings": list(self.warnings),
            "items": [s.to_json() for s in self.items],
        }


# -- scores ------------------------------------------------------------------------------------------


def score_matrix(questions: Sequence[Question], responses: Sequence[Response]) -> list[list[int]]:
    """One row per response: 1 where it chose the key, else 0."""
    return [[int(r.get(q.id) == q.key) for q in questions] for r in responses]


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _variance(xs: Sequence[float]) -> float:
    """Population variance (denominator n)."""
    m = _mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when fewer than two values or either does not vary."""
    if len(xs) < 2:
        return None
    vx, vy = _variance(xs), _variance(ys)
    if vx == 0 or vy == 0:
        return None
    mx, my = _mean(xs), _mean(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / len(xs)
    return cov / math.sqrt(vx * vy)


def reliability(matrix: Sequence[Sequence[int]], k: int) -> Reliability:
    n = len(matrix)
    if n == 0:
        return Reliability(0, k, None, None, None, None)
    totals = [sum(row) for row in matrix]
    mean = _mean(totals)
    sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / (n - 1)) if n >= 2 else None
    variance = _variance(totals)
    if k < 2 or n < 2 or variance == 0:
        return Reliability(n, k, mean, sd, None, None)
    pq = sum(p * (1 - p) for p in (sum(row[i] for row in matrix) / n for i in range(k)))
    kr20 = k / (k - 1) * (1 - pq / variance)
    sem = sd * math.sqrt(1 - kr20) if sd is not None else None
    return Reliability(n, k, mean, sd, kr20, sem)


def item_rest(matrix: Sequence[Sequence[int]], i: int) -> float | None:
    """The point-biserial correlation of item ``i`` with the rest of the test."""
    item = [row[i] for row in matrix]
    rest = [sum(row) - row[i] for row in matrix]
    return correlation(item, rest)


# -- the 27% groups ---------------------------------------------------------------------------------


def _side(order: Sequence[int], totals: Sequence[int], size: int) -> tuple[dict[int, Fraction], int | None, int]:
    """The first ``size`` places of ``order`` (indexes ranked from this end of the scale); the
    responses tied at the cut share the places left there. Returns (weights, the total score at
    the cut, how many responses share places, 0 when none had to)."""
    if size == 0:
        return {}, None, 0
    cut = totals[order[size - 1]]
    weights = {i: Fraction(1) for i in order[:size] if totals[i] != cut}
    tied = [i for i in order if totals[i] == cut]
    places = size - len(weights)
    weights.update({i: Fraction(places, len(tied)) for i in tied})
    return weights, cut, len(tied) if len(tied) > places else 0


def groups(questions: Sequence[Question], responses: Sequence[Response]) -> Groups:
    totals = [sum(row) for row in score_matrix(questions, responses)]
    return groups_of(totals)


def groups_of(totals: Sequence[int]) -> Groups:
    n = len(totals)
    size = max(1, round(n * GROUP_SHARE)) if n else 0
    ascending = sorted(range(n), key=lambda i: totals[i])
    lower, lower_cut, tied_lower = _side(ascending, totals, size)
    upper, upper_cut, tied_upper = _side(ascending[::-1], totals, size)
    return Groups(size, lower, upper, lower_cut, upper_cut, (tied_lower, tied_upper))


def _share_right(column: Sequence[int], members: dict[int, Fraction], size: int) -> Fraction:
    return sum((w * column[i] for i, w in members.items()), Fraction(0)) / size


# -- items -------------------------------------------------------------------------------------------


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


def item(q: Question, i: int, responses: Sequence[Response], matrix: Sequence[Sequence[int]], ranked: Groups) -> ItemStat:
    n = len(responses)
    counts = _counts(q, responses)
    facility = counts[q.key] / n if n else None
    discrimination = None
    if ranked.size and n >= 2:
        column = [row[i] for row in matrix]
        discrimination = float(_share_right(column, ranked.upper, ranked.size) - _share_right(column, ranked.lower, ranked.size))
    flags = _flags(q, n, facility, discrimination, counts) if facility is not None and n >= MIN_RESPONSES else ()
    return ItemStat(q.id, q.number, q.key, n, facility, discrimination, counts, flags, item_rest(matrix, i))


def warnings(r: Reliability, ranked: Groups) -> tuple[str, ...]:
    """What an instructor should know before trusting the numbers (Bahasa Indonesia)."""
    if r.n == 0:
        return ("Belum ada percobaan selesai.",)
    out = []
    if r.n < MIN_RELIABLE:
        out.append(
            f"Hanya {r.n} peserta (kurang dari {MIN_RELIABLE}): angka-angka ini belum dapat dipercaya. "
            f"Kelompok atas dan bawah hanya {ranked.size} orang, jadi satu orang saja menggeser D sebesar {1 / ranked.size:.2f}."
        )
    if r.n >= 2 and r.kr20 is None and r.k >= 2:
        out.append("Semua peserta mendapat skor yang sama, jadi KR-20 tidak dapat dihitung.")
    return tuple(out)


def analyse(questions: Sequence[Question], responses: Sequence[Response]) -> Analysis:
    matrix = score_matrix(questions, responses)
    ranked = groups_of([sum(row) for row in matrix])
    stats = [item(q, i, responses, matrix, ranked) for i, q in enumerate(questions)]
    r = reliability(matrix, len(questions))
    return Analysis(stats, r, ranked, warnings(r, ranked))
