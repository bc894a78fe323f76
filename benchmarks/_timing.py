"""Small helpers for the benchmarks: run a command N times, report the median."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


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


def as_installed(**extra: str) -> dict[str, str]:
    """An environment in which latsar runs as `pip install .` leaves it: byte-compiled (compiled
    here, once), whatever this shell says. With PYTHONDONTWRITEBYTECODE set, every start compiled
    latsar's ~100 modules from source while the libraries it is compared with came compiled."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    package = Path(__file__).resolve().parents[1] / "latsar"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, env=env)
    return env


class PacedClock:
    """A clock for seeding data as people make it: it starts ``days`` ago and moves ``step``
    seconds at every reading, so a section opened and then finished was open long enough to
    have been read (latsar counts no skimmed section), and nothing lands in the future."""

    def __init__(self, days: float = 60, step: float = 300) -> None:
        self.now = datetime.now(UTC) - timedelta(days=days)
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now
