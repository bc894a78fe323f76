"""The cohort PDF report of 40 trainees (budget: 5 s), and their 40 records as one document.

Builds a cohort through the services (answers, retakes, reading, open attempts) over classroom
days with presence, then times `latsar report cohort -o` and `latsar report trainee --cohort -o`
as a person runs them (a fresh process each).

Run: .venv/bin/python benchmarks/bench_pdf.py [TRAINEES]
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from latsar.errors import Blocked
from latsar.services import open_services


def build(path: Path, trainees: int = 40, seed: int = 20) -> None:
    rng = random.Random(seed)
    now = [datetime(2026, 11, 2, 1, 0, tzinfo=UTC)]

    def clock() -> datetime:
        now[0] += timedelta(seconds=rng.randint(20, 200))
        return now[0]

    svc = open_services(path, clock=clock)
    course = svc.course
    people = [svc.learners.add(f"Peserta {i + 1:02d}", f"1990{1 + i % 12:02d}{1 + i % 28:02d}2020121{i + 1:03d}", "Angkatan 7") for i in range(trainees)]
    sessions = []
    for i, who in enumerate(people):
        me = svc.trainee(who.id)
        skill = rng.random()
        if i % 13 == 12:  # a few never start
            continue
        for day in range(3):
            start = datetime(2026, 11, 2 + day, 1, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 30))
            if rng.random() < 0.85:
                sessions.append((f"s{who.id}-{day}", who.id, start, start + timedelta(hours=3)))
        for ev in course.evaluations:
            for _ in range(3):
                for s in course.sections:
                    if rng.random() < 0.9:
                        with contextlib.suppress(Blocked):
                            me.reading.open(s.id)
                            now[0] += timedelta(minutes=3)  # a reading, as the rule counts it
                            me.reading.complete(s.id)
                try:
                    view = me.attempts.start_or_resume(ev.id)
                except Blocked:
                    break
                letters = [p.question.key if rng.random() < 0.45 + 0.5 * skill else rng.choice(p.question.letters) for p in view.presented]
                if i % 11 == 5:  # a few leave an attempt open
                    me.attempts.answer(view.id, view.presented[0].question.id, letters[0])
                    break
                for p, letter in zip(view.presented, letters):
                    me.attempts.answer(view.id, p.question.id, letter)
                if me.attempts.submit(view.id).passed:
                    break
    svc.close()
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO live_session (id, learner_id, node, started_at, seen_at, activity) VALUES (?, ?, 'bench', ?, ?, 'home')",
        [(sid, lid, a.strftime("%Y-%m-%d %H:%M:%S.%f"), b.strftime("%Y-%m-%d %H:%M:%S.%f")) for sid, lid, a, b in sessions],
    )
    con.commit()
    con.close()


def timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "latsar", *args], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "latsar.db"
        t0 = time.perf_counter()
        build(db, n)
        print(f"cohort of {n} built in {time.perf_counter() - t0:.1f} s")
        cohort = timed(["--db", str(db), "report", "cohort", "--cohort", "Angkatan 7", "-o", str(Path(folder) / "angkatan.pdf")])
        records = timed(["--db", str(db), "report", "trainee", "--cohort", "Angkatan 7", "-o", str(Path(folder) / "peserta.pdf")])
        print(f"report cohort -o PDF ({n} trainees): {cohort:.2f} s (budget 5 s)")
        print(f"report trainee --cohort -o PDF ({n} records, one document): {records:.2f} s")


if __name__ == "__main__":
    main()
