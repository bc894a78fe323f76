"""The next practice item with 500 cards (budget: under 5 ms), as the trainee waits for it:
one `Trainee.practice.next()` call on a real database, FSRS cards and all.

A copy of the shipped pack gets a practice bank of 500 questions; a learner answers each once
(so every question has a card), then the next item is asked for 300 times.

Run: .venv/bin/python benchmarks/bench_practice.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import verdict

BUDGET_MS = 5.0
CARDS = 500


def pack_with_bank(root: Path) -> Path:
    from latsar.paths import shipped_pack

    src = shipped_pack()
    shutil.copytree(src / "content", root / "content")
    shutil.copytree(src / "quizzes", root / "quizzes")
    lines = ['[bank]\nid = "praktik"\ntitle = "Latihan"\n']
    for n in range(CARDS):
        lines.append(
            f'[[questions]]\nid = "px-{n:04d}"\nstem = "Soal latihan {n}"\n'
            'options = { a = "satu", b = "dua", c = "tiga", d = "empat" }\n'
            f'key = "{"abcd"[n % 4]}"\nsections = ["kode-etik"]\nexplanation = {json.dumps("Penjelasan.")}\n'
        )
    (root / "quizzes" / "berorientasi-pelayanan" / "praktik.toml").write_text("\n".join(lines), encoding="utf-8")
    return root


def main() -> None:
    from latsar.services import open_services

    with tempfile.TemporaryDirectory() as tmp:
        svc = open_services(Path(tmp) / "p.db", pack_with_bank(Path(tmp) / "pack"))
        me = svc.trainee(svc.learners.add("Bench").id)
        for n, q in enumerate(svc.course.practice.questions):
            me.practice.answer(q.id, q.key if n % 3 else "a")
        samples = []
        last = None
        for _ in range(300):
            t0 = time.perf_counter()
            card = me.practice.next(last)
            samples.append((time.perf_counter() - t0) * 1000)
            last = card.question.id
        svc.close()
    med, p95 = statistics.median(samples), sorted(samples)[int(0.95 * len(samples))]
    print(f"next practice item with {CARDS} cards: median {med:.2f} ms, p95 {p95:.2f} ms (budget {BUDGET_MS} ms) -> {verdict(med, BUDGET_MS)}")


if __name__ == "__main__":
    main()
