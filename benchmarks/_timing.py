"""Small helpers for the benchmarks: run a command N times, report the median."""

from __future__ import annotations

import statistics
import subprocess
import time


def time_command(argv: list[str], runs: int = 15, env: dict | None = None) -> float:
    """Median wall time of ``argv`` in seconds (after one warm-up run)."""
    subprocess.run(argv, capture_output=True, env=env, check=True)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=True)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def verdict(ratio: float, budget: float) -> str:
    return "within budget" if ratio <= budget else "OVER BUDGET"
