"""One answer committed durably (WAL, synchronous=FULL, BEGIN IMMEDIATE): budget "a few ms".

Run: .venv/bin/python benchmarks/bench_answer.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from latsar.services import open_services

BUDGET_MS = 5.0


def main(rounds: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        svc = open_services(Path(tmp) / "bench.db")
        learner = svc.learners.add("Bench")
        me = svc.trainee(learner.id)
        view = me.attempts.start_or_resume("mp1")
        questions = [p.question for p in view.presented]
        samples = []
        for i in range(rounds):
            q = questions[i % len(questions)]
            letter = q.letters[i % len(q.letters)]
            t0 = time.perf_counter()
            me.attempts.answer(view.id, q.id, letter)
            samples.append((time.perf_counter() - t0) * 1000)
        svc.db.dispose()
    med = statistics.median(samples)
    p95 = sorted(samples)[int(0.95 * len(samples))]
    print(f"durable answer commit: median {med:.2f} ms, p95 {p95:.2f} ms over {rounds} answers "
          f"(budget {BUDGET_MS} ms) -> {'within budget' if med <= BUDGET_MS else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
