"""Generate a synthetic cohort database: N learners, 6 finished attempts each (3 MP1 + 3 MP2),
3 section reads each. Default: 100,000 learners and 600,000 attempts.

Run: .venv/bin/python benchmarks/gen_cohort.py OUT.db [LEARNERS]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from latsar.storage.database import open_database
from latsar.storage.learners import cohort_key


def generate(path: Path, learners: int = 100_000, seed: int = 7) -> None:
    open_database(path).dispose()  # the real schema, stamped
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    cohorts = [(i + 1, f"Angkatan {i + 1}", cohort_key(f"Angkatan {i + 1}")) for i in range(40)]
    con.executemany("INSERT INTO cohort (id, name, key) VALUES (?, ?, ?)", cohorts)
    names = ["Siti", "Budi", "Ani", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "=HYPERLINK(\"x\")"]
    batch_l, batch_a, batch_s = [], [], []
    attempt_id = 0
    for lid in range(1, learners + 1):
        born = datetime(1970, 1, 1) + timedelta(days=lid // 999)  # unique (birth date, sequence) per learner
        nip = f"{born:%Y%m%d}202001{1 + lid % 2}{lid % 999 + 1:03d}"
        created = t0 + timedelta(minutes=lid)
        batch_l.append((lid, f"{rng.choice(names)} {lid}", nip if lid % 10 else None, rng.randint(1, 40), "Instansi", created.strftime(fmt)))
        for quiz in ("mp1", "mp2"):
            for k in range(3):
                attempt_id += 1
                correct = rng.randint(3, 10)
                start = created + timedelta(days=k, hours=1 if quiz == "mp1" else 5)
                batch_a.append((attempt_id, uuid.UUID(int=rng.getrandbits(128)).hex, lid, quiz, "finished", None, start.strftime(fmt),
                                (start + timedelta(minutes=12)).strftime(fmt), correct, 10, 80, int(100 * correct >= 800), "2021.1", "local"))
        for sid in ("mp1-1", "mp1-2", "mp1-3"):
            read = (created + timedelta(hours=rng.randint(1, 48))).strftime(fmt)
            batch_s.append((lid, sid, read, read, 1, rng.randint(60, 900), 0.0))
        if len(batch_a) >= 60_000:
            _flush(con, batch_l, batch_a, batch_s)
    _flush(con, batch_l, batch_a, batch_s)
    con.commit()
    con.close()


def _flush(con, batch_l, batch_a, batch_s):
    con.executemany("INSERT INTO learner (id, name, nip, cohort_id, instansi, created_at) VALUES (?, ?, ?, ?, ?, ?)", batch_l)
    con.executemany(
        "INSERT INTO attempt (id, uid, learner_id, quiz_id, state, seed, started_at, finished_at, correct, total, threshold, passed, course_version, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch_a,
    )
    con.executemany("INSERT INTO section_progress (learner_id, section_id, first_read_at, last_read_at, read_count, seconds, position) VALUES (?, ?, ?, ?, ?, ?, ?)", batch_s)
    batch_l.clear()
    batch_a.clear()
    batch_s.clear()


if __name__ == "__main__":
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    start = time.perf_counter()
    generate(out, n)
    print(f"{n} learners, {6 * n} attempts written to {out} in {time.perf_counter() - start:.1f} s")
