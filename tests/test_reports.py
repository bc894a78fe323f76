"""The instructor's summary (SQL) and the trainee's progress (rules.best) always agree.

The summary computes the best whole percent and the first pass in SQL, for speed at 100,000
learners; the trainee's screens take the best attempt by exact ratio (``rules.best``). Rounding
down never reorders two ratios, so the two agree; this property test keeps it so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latsar.assessment.rules import AttemptState
from latsar.services import open_services
from latsar.storage import attempts as attempt_rows
from latsar.storage import reports

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)

scores = st.integers(1, 15).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mp1=st.lists(scores, max_size=5), mp2=st.lists(scores, max_size=5))
def test_summary_best_and_pass_agree_with_the_rules(tmp_path_factory, mp1, mp2):
    svc = open_services(tmp_path_factory.mktemp("r") / "r.db")
    learner = svc.learners.add("Ani")
    with svc.db.write() as s:
        for quiz, attempts in (("mp1", mp1), ("mp2", mp2)):
            for n, (correct, total) in enumerate(attempts):
                at = T0 + timedelta(days=n, hours=1 if quiz == "mp2" else 0)
                attempt_rows.add(
                    s, uid=f"{quiz}-{n}-uid-0000", learner_id=learner.id, quiz_id=quiz, state=AttemptState.FINISHED.value,
                    started_at=at, finished_at=at + timedelta(minutes=20), correct=correct, total=total, threshold=80,
                    passed=100 * correct >= 80 * total,
                )
    (row,) = list(reports.summary(svc.db, ["mp1", "mp2"]))
    progress = svc.trainee(learner.id).progress()
    for i, eid in enumerate(("mp1", "mp2")):
        status = progress.evaluations[eid]
        assert row.best_percent[i] == (status.best.percent if status.best else None)
        assert row.attempts[i] == status.attempts
        assert row.passed_at[i] == (status.passed_at.replace(tzinfo=None) if status.passed_at else None)
    assert row.complete == progress.module_complete
    svc.close()
