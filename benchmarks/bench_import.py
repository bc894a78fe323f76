"""Imports as an instructor sees them: the whole command, from a fresh start, on a fresh database.

- `latsar learner import` of a roster of 10,000 and 100,000 rows (CSV; XLSX too). Budget:
  10,000 rows in 1 s, 100,000 in 10 s, linear.
- `latsar learner import` of a 5 KB XLSX whose sheet claims `A1:XFD1048576` and has a row
  1048576 (a hostile or broken file): it must end in seconds, not minutes.
- `latsar results import` of 1,000 results files (each a trainee who failed MP1, re-read what
  the gate asked, passed MP1 and MP2), after the roster that names them. Budget: 3 s.

Run: .venv/bin/python benchmarks/bench_import.py [--runs N] [--big ROWS] [--skip-big]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: latsar and its tests' helpers
from tests.helpers import results_of

LATSAR = [sys.executable, "-m", "latsar"]
HOSTILE_LIMIT = 120  # seconds: the hostile XLSX is stopped here (it ran ~10 minutes on 2026-11-26's main)


def nip(i: int) -> str:
    """A valid, unique NIP for person ``i`` (birth date and sequence vary)."""
    from datetime import date, timedelta

    born = date(1970, 1, 1) + timedelta(days=i // 999)
    return f"{born:%Y%m%d}202001{1 + i % 2}{i % 999 + 1:03d}"


def people(n: int) -> list[tuple[str, str, str, str]]:
    return [(f"Peserta {i}", nip(i), f"Angkatan {i % 40 + 1}", f"Instansi {i % 300}") for i in range(n)]


def write_csv(path: Path, n: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["nama", "nip", "angkatan", "instansi"])
        w.writerows(people(n))


def write_xlsx(path: Path, n: int) -> None:
    """As Excel and LibreOffice write one: shared strings and a <dimension> (openpyxl's
    write-only mode writes inline strings, slower to read than anything a person sends)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nama", "nip", "angkatan", "instansi"])
    for row in people(n):
        ws.append(list(row))
    wb.save(path)


def write_hostile_xlsx(path: Path) -> None:
    """Three people, a sheet that claims every cell of Excel's grid, and a row 1048576."""
    from openpyxl import Workbook

    wb = Workbook()
    for row in [["nama", "nip"], ["Siti Aminah", "199001012020122001"], ["Budi", None]]:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension")
                text = text[:start] + '<dimension ref="A1:XFD1048576"/>' + text[text.index("/>", start) + 2 :]
                text = text.replace("</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
                data = text.encode()
            dst.writestr(info, data)


def results_files(folder: Path, n: int) -> None:
    """``n`` results files made from one real one: each a person of ``people(n)`` with their own uids."""
    from latsar.exchange.bundle import seal
    from latsar.services import open_services

    folder.mkdir()
    from _timing import PacedClock

    laptop = open_services(folder.parent / "laptop.db", clock=PacedClock(days=30))
    me = laptop.trainee(laptop.learners.add("Peserta 0", nip(0), "Angkatan 1").id)
    keys = {e.id: "".join(q.key for q in e.bank.questions) for e in laptop.course.evaluations}
    for quiz, letters in (("mp1", "a" * len(keys["mp1"])), ("mp1", keys["mp1"]), ("mp2", keys["mp2"])):
        view = me.attempts.start_or_resume(quiz)
        for p in view.presented:
            me.attempts.answer(view.id, p.question.id, letters[p.question.number - 1])
        result = me.attempts.submit(view.id)
        for sid in result.restudy:
            me.reading.open(sid)
            me.reading.complete(sid)
    template = results_of(me)
    laptop.close()
    for i, (name, number, cohort, instansi) in enumerate(people(n)):
        data = json.loads(json.dumps(template))
        data["learner"] = {"name": name, "nip": number, "cohort": cohort, "instansi": instansi}
        for a in data["attempts"]:
            a["uid"] = f"{a['uid'][:20]}{i:06d}"
        (folder / f"hasil-{i:04d}.json").write_text(json.dumps(seal(data)), encoding="utf-8")


def timed(argv: list[str], limit: float | None = None) -> tuple[float, int | None, str]:
    """Wall seconds of the whole command, its exit code (None: stopped at ``limit``) and last stderr line."""
    t = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t, None, ""
    lines = done.stderr.strip().splitlines()
    return time.perf_counter() - t, done.returncode, lines[-1] if lines else ""


def median_import(tmp: Path, what: str, argv_tail: list[str], runs: int, before: list[str] | None = None) -> float:
    samples = []
    for k in range(runs):
        db = tmp / f"{what}-{k}.db"
        if before:
            subprocess.run([*LATSAR, "--db", str(db), *before], check=True, capture_output=True)
        seconds, code, err = timed([*LATSAR, "--db", str(db), *argv_tail])
        if code != 0:
            sys.exit(f"{what}: exit {code}: {err}")
        samples.append(seconds)
        db.unlink()
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--only", choices=["roster", "xlsx", "hostile", "results"], action="append", help="run only these parts")
    args = ap.parse_args()
    parts = set(args.only or ["roster", "xlsx", "hostile", "results"])
    tmp = Path(tempfile.mkdtemp(prefix="latsar-bench-import-"))
    os.environ["LATSAR_HOME"] = str(tmp / "home")
    try:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "latsar")], check=True)
        empty = tmp / "empty.db"
        subprocess.run([*LATSAR, "--db", str(empty), "learner", "list"], check=True, capture_output=True)
        start = statistics.median(timed([*LATSAR, "--db", str(empty), "learner", "list", "--json"])[0] for _ in range(args.runs))
        print(f"start-up: `learner list` on an empty database: {start:6.2f} s (in every figure below)")
        sizes = [1_000, 10_000] + ([] if args.skip_big else [args.big])
        per_row = {}
        for n in sizes if "roster" in parts else []:
            path = tmp / f"r{n}.csv"
            write_csv(path, n)
            s = median_import(tmp, f"csv{n}", ["learner", "import", str(path)], args.runs)
            per_row[n] = s
            budget = {10_000: 1.0, 100_000: 10.0}.get(n)
            verdict = "" if budget is None else (" -> within budget" if s <= budget else f" -> OVER BUDGET ({budget:g} s)")
            print(f"learner import, CSV, {n:>7,} rows : {s:6.2f} s ({1e6 * s / n:6.1f} us a row){verdict}")
        for n in ([10_000] + ([] if args.skip_big else [args.big])) if "xlsx" in parts else []:
            path = tmp / f"r{n}.xlsx"
            write_xlsx(path, n)
            s = median_import(tmp, f"xlsx{n}", ["learner", "import", str(path)], args.runs)
            print(f"learner import, XLSX, {n:>6,} rows : {s:6.2f} s ({1e6 * s / n:6.1f} us a row)")
        if "hostile" in parts:
            hostile = tmp / "dimensi.xlsx"
            write_hostile_xlsx(hostile)
            seconds, code, err = timed([*LATSAR, "--db", str(tmp / "hostile.db"), "learner", "import", str(hostile)], HOSTILE_LIMIT)
            size = hostile.stat().st_size
            said = f"exit {code}: {err}" if code is not None else f"STOPPED after {HOSTILE_LIMIT} s"
            print(f"learner import, {size / 1024:.1f} KB XLSX claiming A1:XFD1048576 : {seconds:6.2f} s ({said})")
        if "results" not in parts:
            return
        folder = tmp / "hasil"
        results_files(folder, 1000)
        roster = tmp / "r-hasil.csv"
        write_csv(roster, 1000)
        paths = sorted(str(p) for p in folder.iterdir())
        s = median_import(tmp, "results", ["results", "import", *paths], args.runs, before=["learner", "import", str(roster)])
        print(f"results import, 1,000 files       : {s:6.2f} s ({s:.2f} ms a file) -> {'within budget' if s <= 3 else 'OVER BUDGET (3 s)'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
