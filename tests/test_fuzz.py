"""Hostile input, generated: every mutated results file or roster is either refused cleanly
(one sentence, exit 4, the database unchanged) or accepted cleanly — never a traceback, a hang
or a half-written import. And a trainee's answers survive SIGKILL at any moment.

Bounded so the README's test command stays quick: a few hundred examples in all.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latsar.errors import LatsarError
from latsar.exchange.bundle import seal
from latsar.exchange.roster import RosterRow, read_roster
from latsar.services import open_services
from tests.conftest import Clock
from tests.helpers import MP1_KEY, read_through, results_of, take

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def dump(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="module")
def results_file(tmp_path_factory) -> dict[str, Any]:
    clock = Clock()
    svc = open_services(tmp_path_factory.mktemp("laptop") / "laptop.db", clock=clock)
    me = svc.trainee(svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7").id)
    take(me, "mp1", "bccbacaaaa")
    read_through(me, "mp1-1", clock)
    take(me, "mp1", MP1_KEY)
    me.attempts.start_or_resume("mp2")
    data = results_of(me)
    svc.close()
    return data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["2099-01-01T00:00:00+00:00", "2026-01-01", "finished", "mp1-q01", "z", "", "\x1b[2J", "9" * 30,
                       "\ud800", "Ani\udfff", "\x9b31m", "\u2028", "\ufeff"])  # lone surrogates: "\\ud800" in the JSON
    | st.text(st.characters(categories=["Cs", "Cc"]), max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree that a mutation can hit."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _mutate(data: dict, where: tuple, how: str, value: Any) -> dict:
    data = copy.deepcopy(data)
    if not where:
        return data
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    last = where[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete" and isinstance(parent, dict):
        del parent[last]
    elif how == "delete":
        parent.pop(last)
    elif isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent.insert(last, value)
    return data


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    path = tmp_path_factory.mktemp("teacher") / "pengampu.db"
    svc = open_services(path)
    svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7")
    yield svc, path
    svc.close()


@FUZZ
@given(data=st.data(), how=st.sampled_from(["replace", "delete", "add"]), value=json_values, reseal=st.booleans())
def test_mutated_results_files_are_refused_or_accepted_cleanly(results_file, teacher, tmp_path_factory, data, how, value, reseal):
    svc, db = teacher
    where = data.draw(st.sampled_from(_paths(results_file)))
    mutated = _mutate(results_file, where, how, value)
    if reseal and isinstance(mutated, dict):
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate has no UTF-8: no digest either
            mutated = seal(mutated)
    path = tmp_path_factory.mktemp("f") / "hasil.json"
    path.write_text(json.dumps(mutated, default=str), encoding="utf-8")
    before = dump(db)
    try:
        svc.instructor_at_terminal(None).results.import_file(path)
    except LatsarError as exc:
        assert exc.exit_code == 4 and "\n" not in exc.message and "Traceback" not in exc.message
        assert dump(db) == before


@FUZZ
@given(data=st.binary(min_size=1, max_size=200), at=st.integers(0, 10_000), cut=st.booleans())
def test_damaged_bytes_of_a_results_file_are_refused_cleanly(results_file, teacher, tmp_path_factory, data, at, cut):
    svc, db = teacher
    raw = json.dumps(results_file).encode()
    at %= len(raw)
    raw = raw[:at] if cut else raw[:at] + data + raw[at + len(data):]
    path = tmp_path_factory.mktemp("b") / "hasil.json"
    path.write_bytes(raw)
    before = dump(db)
    try:
        svc.instructor_at_terminal(None).results.import_file(path)
    except LatsarError as exc:
        assert exc.exit_code == 4
        assert dump(db) == before


ROSTER = "nama,nip,angkatan,instansi\r\nSiti Aminah,199001012020122001,Angkatan 7,BKD\r\nBudi,,Angkatan 7,\r\n\"Cici, S.H.\",,Angkatan 8,Dinas\r\n"
pieces = st.sampled_from(['"', ",", ";", "\t", "\r\n", "\n", "=", "=HYPERLINK(\"x\")", "\x00", "\x81", "ß", "199001012020122001", " " * 3,
                          "\x1b[2J", "\x9b", "\u2028", "\ufeff", "\xa0"]) | st.text(max_size=10)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, len(ROSTER)), pieces), min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-32"]))
def test_mutated_rosters_are_imported_whole_or_not_at_all(tmp_path_factory, edits, encoding):
    text = ROSTER
    for at, piece in edits:
        text = text[:at] + piece + text[at:]
    path = tmp_path_factory.mktemp("r") / "peserta.csv"
    try:
        path.write_bytes(text.encode(encoding, errors="replace"))
    except UnicodeEncodeError:
        return
    svc = open_services(path.with_name("r.db"))
    try:
        report = svc.instructor_at_terminal(None).roster.import_rows(read_roster(path))
        assert report.added + report.unchanged >= 1
    except LatsarError as exc:
        assert exc.exit_code in (2, 4) and "\n" not in exc.message
        assert svc.learners.list() == []  # all or nothing
    finally:
        svc.close()


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in [["nama", "nip", "angkatan"], ["Siti Aminah", "199001012020122001", "A7"], ["Budi", None, "A7"]]:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6))
def test_damaged_xlsx_rosters_are_refused_cleanly(xlsx_bytes, tmp_path_factory, flips):
    raw = bytearray(xlsx_bytes)
    for at, byte in flips:
        raw[at % len(raw)] = byte
    path = tmp_path_factory.mktemp("x") / "peserta.xlsx"
    path.write_bytes(bytes(raw))
    svc = open_services(path.with_name("x.db"))
    try:
        svc.instructor_at_terminal(None).roster.import_rows(read_roster(path))
    except LatsarError as exc:
        assert exc.exit_code in (2, 4) and "\n" not in exc.message
        assert svc.learners.list() == []
    finally:
        svc.close()


def test_roster_rows_from_a_generator_are_validated_all_first():
    """A bad last row stops the import before the first row is written (all or nothing)."""
    rows = [RosterRow(2, {"name": "Siti"}), RosterRow(3, {"name": ""})]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        svc = open_services(Path(tmp) / "g.db")
        with pytest.raises(LatsarError):
            svc.instructor_at_terminal(None).roster.import_rows(iter(rows))
        assert svc.learners.list() == []
        svc.close()


# -- the crash battery: SIGKILL at random moments --------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_sigkill_at_a_random_moment_loses_no_acknowledged_answer(tmp_path, seed):
    rng = random.Random(seed)
    db = tmp_path / "k.db"
    env = {**os.environ, "LATSAR_DB": str(db)}
    run = [sys.executable, "-m", "latsar"]
    subprocess.run(run + ["learner", "add", "--name", "Ani"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen(run + ["quiz", "mp1"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    acked = rng.randrange(0, 9)
    for letter in MP1_KEY[:acked]:
        proc.stdin.write(letter + "\n")
        proc.stdin.flush()
        while not proc.stdout.readline().strip().startswith("Jawaban:"):
            pass
    proc.stdin.write(MP1_KEY[acked] + "\n")  # one more, killed while it may be mid-write
    proc.stdin.flush()
    import time

    time.sleep(rng.uniform(0, 0.03))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = [q for (q,) in con.execute("SELECT question_id FROM answer ORDER BY question_id")]
    con.close()
    expected = [f"mp1-q{n:02d}" for n in range(1, acked + 1)]
    assert saved[:acked] == expected and len(saved) in (acked, acked + 1)
    rest = "\n".join(MP1_KEY[len(saved):]) + "\n"
    done = subprocess.run(run + ["quiz", "mp1", "--json"], env=env, input=rest, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["correct"] == 10


def test_an_xlsx_asking_for_an_unknown_zip_version_is_refused_in_one_sentence(tmp_path):
    """Found by the fuzz test above: one damaged byte in the zip's directory made zipfile raise
    NotImplementedError, a traceback instead of a sentence."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    raw = bytearray(buf.getvalue())
    central = raw.index(b"PK\x01\x02")
    raw[central + 6 : central + 8] = (99).to_bytes(2, "little")  # "version needed to extract": 9.9
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(LatsarError) as refused:
        list(read_roster(path))
    assert refused.value.exit_code == 4 and "arsipnya rusak" in refused.value.message
