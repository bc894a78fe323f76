"""TUI speed.

1. First screen: `latsar` painting its home screen (headless) against a bare Textual app that
   imports the same stack (Textual, SQLModel, Typer) and paints one label. Budget: 1.25x.
2. Keypress to repaint on the quiz screen (answer + move on), in-process.

Run: .venv/bin/python benchmarks/bench_tui.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import time_command, verdict

BUDGET = 1.25

BARE = textwrap.dedent(
    """
    import sqlmodel, typer
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label("latsar")

    async def stop(pilot):
        await pilot.pause()
        pilot.app.exit()

    Bare().run(headless=True, size=(80, 24), auto_pilot=stop)
    """
)

OURS = textwrap.dedent(
    """
    import sys
    from latsar.services import open_services
    from latsar.tui.app import build_app

    async def stop(pilot):
        await pilot.app.io_drain()
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        pilot.app.exit()

    build_app(open_services(sys.argv[1])).run(headless=True, size=(80, 24), auto_pilot=stop)
    """
)


def first_screen() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        ours = Path(tmp) / "ours.py"
        ours.write_text(OURS)
        db = Path(tmp) / "bench.db"
        env = {**os.environ, "LATSAR_HOME": tmp}
        import subprocess

        subprocess.run([sys.executable, "-m", "latsar", "--db", str(db), "learner", "add", "--name", "Bench"], check=True, capture_output=True, env=env)
        base = time_command([sys.executable, str(bare)], runs=9, env=env)
        mine = time_command([sys.executable, str(ours), str(db)], runs=9, env=env)
    ratio = mine / base
    print(f"bare Textual+SQLModel+Typer, one label : {base * 1000:7.1f} ms")
    print(f"latsar home screen                     : {mine * 1000:7.1f} ms")
    print(f"ratio                                  : {ratio:5.2f}x (budget {BUDGET}x) -> {verdict(ratio, BUDGET)}")


async def keypress(rounds: int = 40) -> None:
    from latsar.services import open_services
    from latsar.tui.app import build_app
    from latsar.tui.screens.quiz import QuizScreen

    with tempfile.TemporaryDirectory() as tmp:
        svc = open_services(Path(tmp) / "k.db")
        learner = svc.learners.add("Bench")
        view = svc.trainee(learner.id).attempts.start_or_resume("mp1")
        app = build_app(svc, learner.id)
        samples = []
        async with app.run_test(size=(80, 24)) as pilot:
            await app.io_drain()
            await pilot.pause()
            app.push_screen(QuizScreen(view))
            await pilot.pause()
            idle = []
            for _ in range(rounds):  # calibration: a key nothing is bound to
                t0 = time.perf_counter()
                await pilot.press("x")
                await pilot.pause()
                idle.append((time.perf_counter() - t0) * 1000)
            for i in range(rounds):
                key = "abcd"[i % 4]
                t0 = time.perf_counter()
                await pilot.press(key if i % 2 == 0 else "left")
                await pilot.pause()
                samples.append((time.perf_counter() - t0) * 1000)
            await app.io_drain()
    base = statistics.median(idle)
    med = statistics.median(samples)
    print(f"Pilot round trip for an unbound key (calibration): median {base:.1f} ms")
    print(f"quiz keypress -> repaint: median {med:.1f} ms (our work: {med - base:.1f} ms), max {max(samples):.1f} ms over {rounds} keys")


if __name__ == "__main__":
    first_screen()
    asyncio.run(keypress())
