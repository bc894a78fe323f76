"""Item analysis checked against hand computations: KR-20, SEM, item-rest point-biserial, and the
27% groups with ties at the cut shared (the same answer whatever order the data come in)."""

from __future__ import annotations

import itertools
import json
import math

import pytest

from latsar.assessment.items import MIN_RELIABLE, analyse, groups_of
from latsar.course.model import Question


def question(n: int) -> Question:
    return Question(f"q{n}", n, f"Soal {n}", (("a", "benar"), ("b", "salah")), "a", ("s1",), "Penjelasan.")


A, B, C = QS = [question(1), question(2), question(3)]


def responses(*rows: str) -> list[dict[str, str | None]]:
    """One string per learner: 1 = right (chose "a"), 0 = wrong (chose "b")."""
    return [{q.id: ("a" if bit == "1" else "b") for q, bit in zip(QS, row)} for row in rows]


# Five learners, three questions:
#            A B C   total   rest for A (total - A)   rest for C
#   L1       1 1 1     3        2                       2
#   L2       1 1 0     2        1                       2
#   L3       1 0 1     2        1                       1
#   L4       0 1 0     1        1                       1
#   L5       0 0 0     0        0                       0
FIVE = responses("111", "110", "101", "010", "000")


def test_kr20_and_sem_by_hand():
    # p = 3/5, 3/5, 2/5 = 0.6, 0.6, 0.4; p*q = 0.24 each; sum(p q) = 0.72.
    # Totals 3, 2, 2, 1, 0: mean 1.6; squared deviations 1.96 + 0.16 + 0.16 + 0.36 + 2.56 = 5.2;
    #   variance (n) = 5.2 / 5 = 1.04.
    # KR-20 = k/(k-1) * (1 - sum(pq)/var) = 3/2 * (1 - 0.72/1.04) = 3/2 * (1 - 9/13) = 3/2 * 4/13 = 6/13 = 0.4615...
    # SD (n-1) = sqrt(5.2 / 4) = sqrt(1.3); SEM = SD * sqrt(1 - 6/13) = sqrt(1.3 * 7/13) = sqrt(0.7) = 0.8367...
    r = analyse(QS, FIVE).reliability
    assert r.n == 5 and r.k == 3 and r.mean == pytest.approx(1.6)
    assert r.kr20 == pytest.approx(6 / 13)
    assert r.sd == pytest.approx(math.sqrt(1.3))
    assert r.sem == pytest.approx(math.sqrt(0.7))


def test_item_rest_point_biserial_by_hand():
    # Item A: x = 1,1,1,0,0 and rest = 2,1,1,1,0.
    #   mean x = 0.6, mean rest = 1.0; mean(x*rest) = (2+1+1+0+0)/5 = 0.8; cov = 0.8 - 0.6*1.0 = 0.2
    #   var x = 0.6*0.4 = 0.24; var rest = (4+1+1+1+0)/5 - 1.0^2 = 0.4
    #   r = 0.2 / sqrt(0.24 * 0.4) = 0.2 / sqrt(0.096) = 0.6455...
    # Item C: x = 1,0,1,0,0 and rest = 2,2,1,1,0.
    #   mean x = 0.4, mean rest = 1.2; mean(x*rest) = (2+0+1+0+0)/5 = 0.6; cov = 0.6 - 0.4*1.2 = 0.12
    #   var x = 0.24; var rest = (4+4+1+1+0)/5 - 1.2^2 = 2.0 - 1.44 = 0.56
    #   r = 0.12 / sqrt(0.24 * 0.56) = 0.12 / sqrt(0.1344) = 0.3273...
    a, _, c = analyse(QS, FIVE).items
    assert a.point_biserial == pytest.approx(0.2 / math.sqrt(0.096))
    assert c.point_biserial == pytest.approx(0.12 / math.sqrt(0.1344))
    assert round(a.point_biserial, 3) == 0.645 and round(c.point_biserial, 3) == 0.327


# Six learners; the lower group's last place is shared by three learners tied at total 1:
#            A B C   total
#   L1       0 0 0     0
#   L2       1 0 0     1
#   L3       0 1 0     1
#   L4       0 0 1     1
#   L5       1 1 0     2
#   L6       1 1 1     3
# g = round(6 * 0.27) = round(1.62) = 2 places a side.
# Upper: L6 (3) and L5 (2), no tie. Lower: L1 (0) takes one place; L2, L3, L4 (all 1) share the
# other: weight 1/3 each.
# Item A: p(upper) = (1 + 1) / 2 = 1; p(lower) = (1*0 + 1/3*1 + 1/3*0 + 1/3*0) / 2 = 1/6;
#   D = 1 - 1/6 = 5/6. (Taking "the first" tied learner instead would give 1/2 or 1 by data order.)
SIX = responses("000", "100", "010", "001", "110", "111")


def test_ties_at_the_cut_share_the_places_whatever_the_order():
    analysis = analyse(QS, SIX)
    g = analysis.groups
    assert g.size == 2 and g.lower_cut == 1 and g.upper_cut == 2 and g.tied == (3, 0)
    assert sum(g.lower.values()) == pytest.approx(2) and sum(g.upper.values()) == pytest.approx(2)
    assert analysis.items[0].discrimination == pytest.approx(5 / 6)
    for order in itertools.permutations(SIX):
        assert [s.discrimination for s in analyse(QS, list(order)).items] == pytest.approx([s.discrimination for s in analysis.items])


def test_two_tied_learners_discriminate_nothing():
    g = groups_of([1, 1])
    assert g.size == 1 and g.lower == {0: 0.5, 1: 0.5} and g.upper == {0: 0.5, 1: 0.5}


def test_small_samples_are_flagged_and_constant_scores_have_no_kr20():
    analysis = analyse(QS, FIVE)
    (warning,) = analysis.warnings
    assert f"Hanya 5 peserta (kurang dari {MIN_RELIABLE})" in warning and "1 orang" in warning and "1.00" in warning
    same = analyse(QS, responses("110", "101", "011"))
    assert same.reliability.kr20 is None and same.reliability.sem is None
    assert any("skor yang sama" in w for w in same.warnings)
    assert analyse(QS, []).warnings == ("Belum ada percobaan selesai.",)
    big = analyse(QS, FIVE * 6)
    assert big.reliability.n == 30 and big.warnings == ()


def test_json_shape_keeps_the_item_fields_and_adds_reliability():
    data = json.loads(json.dumps(analyse(QS, FIVE).to_json()))
    assert data["reliability"] == {"kr20": round(6 / 13, 3), "sem": round(math.sqrt(0.7), 3), "n": 5}
    assert data["groups"]["size"] == 1 and data["groups"]["tie_rule"] == "shared"
    item = data["items"][0]
    assert set(item) == {"question", "number", "key", "responses", "facility", "discrimination", "point_biserial", "options", "flags"}
    assert item["point_biserial"] == 0.645 and item["facility"] == 0.6


def test_an_item_everyone_got_right_has_d_exactly_zero_not_negative():
    # Totals 7, 7, 8, 7, 5, 3 out of 10: the upper group (2 places) takes the 8 and shares the
    # one place left among the three 7s (1/3 each). In floats 1/3 + 1/3 + 1/3 + 1 falls a hair
    # short of 2, and an item everyone got right came out D = -0.00, "daya beda negatif".
    ten = [question(n) for n in range(1, 11)]
    rows = [{q.id: ("a" if i < total else "b") for i, q in enumerate(ten)} for total in (7, 7, 8, 7, 5, 3)]
    first = analyse(ten, rows).items[0]
    assert first.facility == 1 and first.discrimination == 0
    assert not any("negatif" in f for f in first.flags)
    assert sum(groups_of([7, 7, 8, 7, 5, 3]).upper.values()) == 2
