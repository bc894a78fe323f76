"""Small helpers for the benchmarks: run a command N times, report the median."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
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
