"""Cohort export at scale (100,000 learners, 600,000 attempts).

- Summary CSV: `latsar export` against the sqlite3 shell writing the same rows (same SQL) as
  CSV. Budget: within 1.5x; peak memory under 150 MB.
- Summary XLSX: against XlsxWriter in constant-memory mode writing the same rows (the same SQL
  through Python's sqlite3, ``write_row`` per row). Budget: within 1.5x; memory flat.
- Importing 1,000 results files.

Run: .venv/bin/python benchmarks/bench_export.py [LEARNERS] [--no-import]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_cohort import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: latsar and its tests' helpers
from tests.helpers import results_of


def run(argv: list[str], env=None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys, time; t=time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)"
    ), *argv]
    out = subprocess.run(wrapper, check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(out[0]), float(out[1])


XLSX_BASELINE = """
import sqlite3, sys, xlsxwriter
db, sql, out = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
cur = sqlite3.connect(db).execute(sql)
wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
ws = wb.add_worksheet("Ringkasan")
ws.write_row(0, 0, [d[0] for d in cur.description])
for i, row in enumerate(cur, start=1):
    ws.write_row(i, 0, row)
wb.close()
"""


def main(learners: int) -> None:
    from sqlalchemy.dialects import sqlite

    from latsar.course import load_course
    from latsar.paths import shipped_pack
    from latsar.storage.reports import summary_statement

    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed for the baseline (apt-get install sqlite3)")
    tmp = Path(tempfile.mkdtemp(prefix="latsar-bench-"))
    try:
        db = tmp / "cohort.db"
        t = time.perf_counter()
        generate(db, learners)
        print(f"generated {learners} learners / {6 * learners} attempts in {time.perf_counter() - t:.1f} s")
        course = load_course(shipped_pack())
        sql = str(summary_statement([e.id for e in course.evaluations]).compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        (tmp / "q.sql").write_text(f".headers on\n.mode csv\n.once {tmp / 'shell.csv'}\n{sql};\n")
        base, base_mem = run(["sqlite3", str(db), f".read {tmp / 'q.sql'}"])
        ours, mem = run([sys.executable, "-m", "latsar", "--db", str(db), "export", "--format", "csv", "-o", str(tmp / "latsar.csv")])
        rows = sum(1 for _ in open(tmp / "latsar.csv", encoding="utf-8-sig")) - 1
        ratio = ours / base
        print(f"sqlite3 shell, same SQL, CSV : {base:6.2f} s")
        print(f"latsar export summary CSV    : {ours:6.2f} s, peak {mem:.0f} MB, {rows} rows")
        print(f"ratio {ratio:.2f}x (budget 1.5x) -> {'within budget' if ratio <= 1.5 else 'OVER BUDGET'}; "
              f"memory {'within budget' if mem < 150 else 'OVER BUDGET'} (150 MB)")
        (tmp / "q2.sql").write_text(sql)
        xbase, xbase_mem = run([sys.executable, "-c", XLSX_BASELINE, str(db), str(tmp / "q2.sql"), str(tmp / "base.xlsx")])
        x, xmem = run([sys.executable, "-m", "latsar", "--db", str(db), "export", "--format", "xlsx", "-o", str(tmp / "latsar.xlsx")])
        print(f"XlsxWriter constant_memory   : {xbase:6.2f} s, peak {xbase_mem:.0f} MB (same SQL, same rows)")
        print(f"latsar export summary XLSX   : {x:6.2f} s, peak {xmem:.0f} MB")
        print(f"ratio {x / xbase:.2f}x (budget 1.5x) -> {'within budget' if x / xbase <= 1.5 else 'OVER BUDGET'}")
        if "--no-import" in sys.argv:
            return
        bench_import(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_import(tmp: Path, files: int = 1000) -> None:
    from latsar.services import open_services

    laptop = open_services(tmp / "laptop.db")
    keys = {e.id: [q.key for q in e.bank.questions] for e in laptop.course.evaluations}
    folder = tmp / "hasil"
    folder.mkdir()
    for i in range(files):
        learner = laptop.learners.add(f"Peserta {i}", f"19900101202012{1 + i % 2}{i % 1000 + 1:03d}" if i < 999 else None, "Angkatan 1")
        me = laptop.trainee(learner.id)
        view = me.attempts.start_or_resume("mp1")
        for p, k in zip(view.presented, keys["mp1"]):
            me.attempts.answer(view.id, p.question.id, k)
        me.attempts.submit(view.id)
        (folder / f"{i:04d}.json").write_text(json.dumps(results_of(me)))
    laptop.db.dispose()
    paths = sorted(str(p) for p in folder.iterdir())
    # --tambah-baru: these people are on no roster (benchmarks/bench_import.py imports the roster first)
    seconds, mem = run([sys.executable, "-m", "latsar", "--db", str(tmp / "teacher.db"), "results", "import", "--tambah-baru", *paths])
    print(f"latsar results import, {files} files : {seconds:6.2f} s ({1000 * seconds / files:.1f} ms a file), peak {mem:.0f} MB")


if __name__ == "__main__":
    sizes = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(sizes[0]) if sizes else 100_000)
