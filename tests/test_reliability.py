"""Nothing lost, nothing misattributed, no traceback: where data comes in or processes meet.

Each test here names a defect a reliability battery found in v1; it fails on v1 and passes now.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from latsar.errors import DataError
from latsar.exchange.bundle import seal
from latsar.services import open_services
from tests.conftest import PG_UNAVAILABLE
from tests.helpers import MP1_KEY, MP2_KEY, lines, open_attempt, results_of, take

LATSAR = [sys.executable, "-m", "latsar"]
ANI_NIP = "199001012020122001"


def dump_hash(path: Path) -> str:
    """The logical content of a SQLite database (what a person could lose)."""
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


# -- 1. restore while a trainee is answering ---------------------------------------------------------


def _ack(proc: subprocess.Popen, letter: str) -> None:
    proc.stdin.write(letter + "\n")
    proc.stdin.flush()
    while True:
        line = proc.stdout.readline()
        assert line, "quiz ended early"
        if line.strip().startswith("Jawaban:"):
            return


def test_a_restore_mid_quiz_is_noticed_before_the_next_answer_and_the_retake_is_exact(tmp_path):
    """The issue's case: this machine's own earlier backup restored while Ani answers. Nothing
    acknowledged is lost (the safety copy has it), the running quiz refuses its next answer in
    one sentence instead of grading without the rolled-back answers, and Ani resumes from what
    the restored database holds and answers the rest: 10 of 10, not 6."""
    db = tmp_path / "latsar.db"
    env = {**os.environ, "LATSAR_DB": str(db)}
    subprocess.run(LATSAR + ["learner", "add", "--name", "Ani"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen(LATSAR + ["quiz", "mp1"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    try:
        for letter in MP1_KEY[:2]:
            _ack(proc, letter)
        backup = tmp_path / "cadangan.db"
        subprocess.run(LATSAR + ["db", "backup", str(backup)], env=env, check=True, capture_output=True)
        for letter in MP1_KEY[2:7]:
            _ack(proc, letter)  # acknowledged after the backup: must survive in the safety copy
        asked = subprocess.run(LATSAR + ["db", "restore", str(backup)], env=env, capture_output=True, text=True, input="n\n")
        assert asked.returncode == 2 and "sedang dikerjakan (Ani (mp1, 7 dijawab))" in asked.stderr, asked.stderr
        restored = subprocess.run(LATSAR + ["db", "restore", str(backup), "--yes"], env=env, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr
        proc.stdin.write(MP1_KEY[7] + "\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == 4 and "baru saja dipulihkan dari cadangan" in err and "Traceback" not in err, err
    (safety,) = tmp_path.glob("latsar.db.sebelum-pulih-*.bak")
    saved = sqlite3.connect(safety).execute("SELECT question_id FROM answer ORDER BY question_id").fetchall()
    assert [q for (q,) in saved] == [f"mp1-q{i:02d}" for i in range(1, 8)]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM answer").fetchone() == (2,)  # nothing written after the restore
    again = subprocess.run(LATSAR + ["quiz", "mp1", "--json"], env=env, capture_output=True, text=True, input="\n".join(MP1_KEY[2:]) + "\n")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["correct"] == 10
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_restore_from_another_machine_never_credits_an_answer_to_whoever_has_the_id_now(tmp_path):
    """Siti answers attempt 1 on this machine; a backup from another machine, where learner 1
    and attempt 1 are Budi's, is restored under her. Her next answer is refused, not written
    into Budi's attempt; her app says so and goes back to the choice of learner."""
    import asyncio

    from latsar.services import maintenance
    from latsar.tui.app import build_app
    from latsar.tui.screens.learner import LearnerScreen
    from tests.helpers import settle

    other = tmp_path / "lain.db"
    theirs = open_services(other)
    budi = theirs.trainee(theirs.learners.add("Budi Santoso").id)
    view = budi.attempts.start_or_resume("mp1")
    budi.attempts.answer(view.id, view.presented[0].question.id, "a")
    theirs.close()
    backup = tmp_path / "dari-lain.db"
    maintenance.backup(other, backup)

    db = tmp_path / "latsar.db"
    svc = open_services(db)
    svc.learners.add("Siti Aminah")

    async def siti_answers() -> None:
        app = build_app(svc)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            from latsar.services.values import EntryKind, Target
            from latsar.tui.messages import Open

            app.post_message(Open(Target(EntryKind.EVALUATION, "mp1")))
            await settle(pilot)
            for letter in "bcc":
                await pilot.press(letter)
            await settle(pilot)
            assert app.screen.view.id == 1  # her attempt is attempt 1 here; in the backup, 1 is Budi's
            maintenance.restore(db, backup)  # under her
            await pilot.press("b")
            await settle(pilot)
            assert isinstance(app.screen, LearnerScreen) and app.trainee is None
            assert any("dipulihkan dari cadangan" in str(n.message) for n in app._notifications)

    asyncio.run(siti_answers())
    svc.close()
    rows = sqlite3.connect(db).execute("SELECT a.id, l.name, a.state, count(w.question_id) FROM attempt a JOIN learner l ON l.id = a.learner_id "
                                       "LEFT JOIN answer w ON w.attempt_id = a.id GROUP BY a.id").fetchall()
    assert rows == [(1, "Budi Santoso", "in_progress", 1)]  # Budi's attempt as his backup had it, nothing of Siti's


# -- 2, 3, 7. results files --------------------------------------------------------------------------


def laptop_file(tmp_path: Path, name: str, nip: str | None, letters: str = MP1_KEY, tag: str = "") -> dict:
    svc = open_services(tmp_path / f"laptop-{name}{tag}.db")
    me = svc.trainee(svc.learners.add(name, nip, "Angkatan 7").id)
    take(me, "mp1", letters)
    me.reading.open("mp1-1")
    data = results_of(me)
    svc.close()
    return data


def write(tmp_path: Path, name: str, data: dict, reseal: bool = True) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(seal(data) if reseal else data), encoding="utf-8")
    return path


@pytest.fixture
def teacher(tmp_path, cli):
    db = tmp_path / "pengampu.db"
    assert cli("--db", str(db), "learner", "add", "--name", "Ani Lestari", "--nip", ANI_NIP)[0] == 0
    return db


def test_a_results_file_with_someone_elses_nip_is_refused(cli, tmp_path, teacher):
    forged = write(tmp_path, "mallory.json", laptop_file(tmp_path, "Mallory", ANI_NIP))
    before = dump_hash(teacher)
    code, out, err = cli("--db", str(teacher), "results", "import", str(forged))
    assert code == 4 and f"NIP {ANI_NIP} terdaftar di sini atas nama Ani Lestari, bukan Mallory" in err
    assert "Traceback" not in err and "0 berkas diterima, 1 ditolak" in out
    assert dump_hash(teacher) == before
    # The same person typed another way is the same person.
    ok = write(tmp_path, "ani.json", laptop_file(tmp_path, "ani  LESTARI", ANI_NIP, tag="2"))
    code, out, _ = cli("--db", str(teacher), "results", "import", str(ok))
    assert code == 0 and "1 percobaan baru" in out and "0 peserta baru" in out


def _future(data: dict) -> None:
    data["attempts"][0]["finished_at"] = "2099-01-01T00:00:00+00:00"


def _before_start(data: dict) -> None:
    a = data["attempts"][0]
    a["finished_at"] = (datetime.fromisoformat(a["started_at"]) - timedelta(minutes=5)).isoformat()


def _thousand(data: dict) -> None:
    a = data["attempts"][0]
    data["attempts"] = [{**a, "uid": f"forged{n:010d}"} for n in range(1000)]


def _mp2_without_mp1(data: dict) -> None:
    a = data["attempts"][0]
    answers = [{"question": f"mp2-q{n:02d}", "choice": k, "answered_at": a["started_at"]} for n, k in enumerate(MP2_KEY, start=1)]
    data["attempts"] = [{**a, "uid": "forgedmp2passed01", "quiz": "mp2", "answers": answers}]


def _same_question_twice(data: dict) -> None:
    answers = data["attempts"][0]["answers"]
    answers.append(dict(answers[0]))


def _unknown_question(data: dict) -> None:
    data["attempts"][0]["answers"][0]["question"] = "mp1-q99"


def _control_name(data: dict) -> None:
    data["learner"]["name"] = "\x1b\x07\x00\x08"


def _huge_seed(data: dict) -> None:
    data["attempts"][0]["seed"] = 2**70


def _non_iso(data: dict) -> None:
    data["attempts"][0]["started_at"] = "25/11/2026 10:00"


def _extra_key(data: dict) -> None:
    data["attempts"][0]["passed"] = True


FORGED = {
    "waktu di masa depan": (_future, "masa depan"),
    "selesai sebelum mulai": (_before_start, "selesai sebelum"),
    "1000 percobaan": (_thousand, "terlalu banyak"),
    "MP2 tanpa lulus MP1": (_mp2_without_mp1, "sebelum Evaluasi MP1 lulus"),
    "soal dua kali": (_same_question_twice, "dua kali"),
    "soal tak dikenal": (_unknown_question, "mp1-q99"),
    "nama hanya karakter kendali": (_control_name, "karakter kendali U+001B"),
    "angka terlalu besar": (_huge_seed, "seed"),
    "tanggal bukan ISO": (_non_iso, "ISO"),
    "kolom tambahan": (_extra_key, "tak dikenal"),
}


@pytest.mark.parametrize("case", FORGED, ids=list(FORGED))
def test_forged_or_impossible_results_are_refused_whole(cli, tmp_path, teacher, case):
    damage, reason = FORGED[case]
    data = laptop_file(tmp_path, "Ani Lestari", ANI_NIP)
    damage(data)
    path = write(tmp_path, "x.json", data)
    before = dump_hash(teacher)
    code, _, err = cli("--db", str(teacher), "results", "import", str(path))
    assert code == 4 and reason in err and "ditolak seluruhnya" in err, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert dump_hash(teacher) == before


BROKEN_BYTES = {
    "deep nesting": b'{"format": "latsar-results", "version": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "4300 digits": b'{"format": "latsar-results", "version": 1, "n": ' + b"9" * 5000 + b"}",
    "not UTF-8": b"\xff\xfe{}",
    "truncated": b'{"format": "latsar-res',
}


def test_one_bad_file_does_not_stop_the_batch(cli, tmp_path, teacher):
    good = write(tmp_path, "ani.json", laptop_file(tmp_path, "Ani Lestari", ANI_NIP))
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(laptop_file(tmp_path, "Budi", "199203152019031004")).encode())
    bad = []
    for name, raw in BROKEN_BYTES.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(raw)
        bad.append(str(path))
    code, out, err = cli("--db", str(teacher), "results", "import", "--tambah-baru", *bad, str(good), str(bom), str(tmp_path / "tidak-ada.json"))
    assert code == 4 and "Traceback" not in err
    assert "2 berkas diterima, 5 ditolak" in out
    assert err.count("\n") == 5 and "bersarang terlalu dalam" in err
    assert f"{good}: Ani Lestari: 1 percobaan baru" in out and f"{bom}: Budi: 1 percobaan baru" in out


def test_a_failed_attempt_from_a_laptop_clock_running_ahead_does_not_block_the_retake(tmp_path):
    ahead = datetime.now(UTC) + timedelta(hours=6)  # within the skew a file is allowed
    svc = open_services(tmp_path / "clock.db", clock=lambda: ahead)
    me = svc.trainee(svc.learners.add("Ani").id)
    take(me, "mp1", "aaaaaaaaaa")
    svc.close()
    now = open_services(tmp_path / "clock.db").trainee(1)
    for sid in now.progress().sections:
        if now.progress().sections[sid].restudy:
            now.reading.open(sid)
    assert now.progress().evaluations["mp1"].retake is None
    assert now.attempts.start_or_resume("mp1").answered_count == 0


# -- 4. races, on SQLite and PostgreSQL --------------------------------------------------------------

RACER = textwrap.dedent(
    """
    import sys, time
    from latsar.errors import LatsarError
    from latsar.services import open_services
    svc = open_services(sys.argv[1])
    job, start = sys.argv[2], float(sys.argv[3])
    me = svc.trainee(1)
    while time.time() < start:
        time.sleep(0.0005)
    try:
        if job == "start":
            print(me.attempts.start_or_resume("mp1").id)
        elif job == "answer":
            view = me.attempts.start_or_resume("mp1")  # the open attempt, resumed
            me.attempts.answer(view.id, "mp1-q01", sys.argv[4])
            print("ok")
    except LatsarError as exc:
        print("refused:", exc.message)
    """
)


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "race.db")
    if PG_UNAVAILABLE:
        pytest.skip(PG_UNAVAILABLE)
    return request.getfixturevalue("pg_url")


def race(target: str, job: str, n: int, *extra: str) -> list[str]:
    start = str(time.time() + 2.5)
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER, target, job, start, *(extra[i % len(extra)] for _ in [0] if extra)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(n)
    ]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        outs.append(out.strip())
    return outs


def count(target: str, sql: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return int(value)


def test_racing_starts_make_one_open_attempt(target):
    svc = open_services(target)
    svc.learners.add("Ani")
    svc.close()
    for _ in range(3):
        ids = race(target, "start", 6)
        assert len(set(ids)) == 1, ids
        assert count(target, "SELECT count(*) FROM attempt WHERE state = 'in_progress'") == 1
        svc = open_services(target)
        me = svc.trainee(1)
        for p in open_attempt(me, "mp1").presented:
            me.attempts.answer(int(ids[0]), p.question.id, p.question.key)
        me.attempts.submit(int(ids[0]))  # passed: the next trial may start a new attempt at once
        svc.close()


def test_racing_answers_to_one_question_all_land(target):
    svc = open_services(target)
    svc.trainee(svc.learners.add("Ani").id).attempts.start_or_resume("mp1")
    svc.close()
    outs = race(target, "answer", 8, "a", "b", "c", "d")
    assert outs == ["ok"] * 8
    assert count(target, "SELECT count(*) FROM answer") == 1


# Parallel guesses of a PIN or the passphrase, and guessers killed mid-check: tests/test_guard.py.


# -- 5. database faults ------------------------------------------------------------------------------


def _damage_page(path: Path, sql_name: str) -> None:
    """Overwrite the root page of a table or index with garbage."""
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (sql_name,)).fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 8))


@pytest.fixture
def used_db(tmp_path) -> Path:
    path = tmp_path / "latsar.db"
    svc = open_services(path)
    me = svc.trainee(svc.learners.add("Ani").id)
    take(me, "mp1", MP1_KEY[:5] + "aaaaa")
    svc.close()
    return path


@pytest.mark.parametrize("command", [["progress"], ["quiz", "mp1"], ["export"], ["learner", "list"]])
def test_a_damaged_table_is_one_sentence_and_exit_4(cli, used_db, command, monkeypatch):
    from latsar.storage import database

    monkeypatch.setattr(database, "QUICK_CHECK_MAX_BYTES", 0)  # as with an instructor's big database
    _damage_page(used_db, "learner")
    code, _, err = cli("--db", str(used_db), *command, input=lines(MP1_KEY))
    assert code == 4 and "rusak" in err and "Traceback" not in err and err.count("\n") == 1, err


def test_a_damaged_index_is_found_before_anything_is_written(cli, used_db):
    _damage_page(used_db, "ix_attempt_quiz_id")
    before = used_db.read_bytes()
    code, _, err = cli("--db", str(used_db), "quiz", "mp1", input=lines(MP1_KEY))
    assert code == 4 and "rusak" in err and "db restore" in err
    assert used_db.read_bytes() == before


def as_nobody(argv: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run as an unprivileged user: root ignores file permissions, trainees do not."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + argv, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def folder():
    """A folder the unprivileged user owns, outside pytest's private temp tree."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="latsar-izin-"))
    os.chmod(base, 0o755)
    inner = base / "kelas"
    inner.mkdir()
    if os.geteuid() == 0:
        os.chown(inner, 65534, 65534)
    yield inner
    os.chmod(inner, 0o700)
    shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_folder_is_not_called_damaged(folder):
    env = {**os.environ, "LATSAR_DB": str(folder / "latsar.db")}
    assert as_nobody(LATSAR + ["learner", "add", "--name", "Ani"], env).returncode == 0
    os.chmod(folder, 0o500)
    try:
        done = as_nobody(LATSAR + ["learner", "add", "--name", "Budi"], env)
    finally:
        os.chmod(folder, 0o700)
    assert done.returncode == 4 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "rusak" not in done.stderr and "pulihkan" not in done.stderr.lower()
    assert "tidak dapat ditulisi" in done.stderr or "tidak dapat dibuka" in done.stderr


def test_a_read_only_file_is_one_sentence(folder):
    db = folder / "latsar.db"
    env = {**os.environ, "LATSAR_DB": str(db)}
    assert as_nobody(LATSAR + ["learner", "add", "--name", "Ani"], env).returncode == 0
    os.chmod(db, 0o400)
    done = as_nobody(LATSAR + ["learner", "add", "--name", "Budi"], env)
    assert done.returncode == 4 and "Traceback" not in done.stderr and "tidak dapat ditulisi" in done.stderr, done.stderr


def test_a_full_disk_is_one_sentence_and_keeps_what_was_saved(tmp_path):
    path = tmp_path / "full.db"
    svc = open_services(path)
    svc.learners.add("Ani")
    from sqlalchemy import event

    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    event.listen(svc.db.engine, "connect", lambda con, _: con.execute(f"PRAGMA max_page_count = {pages}"))
    svc.db.engine.dispose()
    with pytest.raises(DataError, match="penuh") as caught:
        for n in range(5000):
            svc.learners.add(f"Peserta {n} " + "x" * 150)
    assert "rusak" not in caught.value.message
    svc.close()
    assert open_services(path).learners.list()[0].name == "Ani"


def test_postgresql_faults_are_one_sentence(cli, pg_server):
    sock, port = pg_server.sock, pg_server.port
    cases = {
        f"postgresql+psycopg://postgres@/tidak_ada?host={sock}&port={port}": "'tidak_ada' tidak ada",
        "postgresql+psycopg://postgres:x@127.0.0.1:1/latsar": "tidak dapat dihubungi",
        f"postgresql+psycopg://guru:salah@/postgres?host={sock}&port={port}": "kata sandi",
    }
    for url, words in cases.items():
        code, _, err = cli("--db", url, "learner", "list")
        assert code == 4 and words in err and err.count("\n") == 1 and "Traceback" not in err, err
        assert "salah@" not in err  # a password never appears in a message


def test_a_full_postgresql_server_is_one_sentence_in_the_terminal_and_in_the_browser(cli, pg_server, pg_url, monkeypatch):
    """Every connection in use (a classroom bigger than max_connections): the one sentence says
    so, in the terminal and in the browser of a classroom session that could not start."""
    import asyncio

    import psycopg

    from tests.helpers import shows

    open_services(pg_url).close()
    database = pg_url.split("@/", 1)[1].split("?")[0]
    pg_server.run(f"{pg_server.bin}/psql -q -h {pg_server.sock} -p {pg_server.port} -U postgres -c \"CREATE ROLE satu LOGIN CONNECTION LIMIT 1\" -d {database} >/dev/null")
    limited = f"postgresql+psycopg://satu@/{database}?host={pg_server.sock}&port={pg_server.port}"
    with psycopg.connect(host=str(pg_server.sock), port=pg_server.port, user="satu", dbname=database):  # the one slot, taken
        code, _, err = cli("--db", limited, "learner", "list")
        assert code == 4 and "sedang penuh" in err and err.count("\n") == 1 and "Traceback" not in err, err

        from latsar.course import load_course
        from latsar.paths import shipped_pack
        from latsar.services.app import session_services
        from latsar.tui.unavailable import Unavailable

        with pytest.raises(DataError, match="sedang penuh") as refused:  # a classroom session forked now
            session_services(load_course(shipped_pack()), limited, "s1", "10.0.0.9")

        async def shown() -> str:  # what run_session shows that session's browser instead
            app = Unavailable(refused.value.message)
            async with app.run_test(size=(60, 20)) as pilot:
                text = await shows(pilot, "sedang penuh", "muat ulang")
                await pilot.press("enter")
            assert app.return_code is None or app.return_code == 0
            return text

        assert "Sesi belum dapat dimulai" in asyncio.run(shown())
        from latsar.tui.run import run_session

        said: list[str] = []
        monkeypatch.setattr(Unavailable, "run", lambda app, **_: said.append(app.sentence))
        assert run_session(load_course(shipped_pack()), limited, "s2", "10.0.0.9") == 4 and "sedang penuh" in said[0]


# -- 6. --db paths -----------------------------------------------------------------------------------


def test_db_path_with_url_characters_opens_exactly_that_file(cli, tmp_path):
    target = tmp_path / "my db?x=1#y%20.db"
    assert cli("--db", str(target), "learner", "add", "--name", "Ani")[0] == 0
    assert {p.name for p in tmp_path.iterdir()} <= {target.name, target.name + "-wal", target.name + "-shm"}
    assert target.stat().st_mode & 0o777 == 0o600
    assert cli("--db", str(target), "db", "check")[0] == 0


# -- 8, 9. rosters, outputs, bounded reading ---------------------------------------------------------


def test_roster_in_windows_encoding_with_undefined_bytes_is_one_sentence(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes(b"nama,nip\nSiti Aminah,\n" + b"B\x81di,\n")
    code, _, err = cli("learner", "import", str(roster))
    assert code == 4 and "UTF-8" in err and "Traceback" not in err


def test_roster_with_a_stray_quote_never_merges_two_people(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text('nama,angkatan\n"Siti Aminah,A7\nBudi Santoso,A7\nCici,A7\n', encoding="utf-8")
    code, _, err = cli("learner", "import", str(roster))
    assert code == 4 and "tanda kutip dibuka tetapi tidak ditutup" in err
    assert "unexpected" not in err and "expected" not in err  # said in Indonesian, not Python's words
    assert cli("learner", "list", "--json")[1].strip() == "[]"


def test_roster_field_too_long_is_named(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("nama\n" + "A" * 200_000 + "\nBudi\n", encoding="utf-8")
    code, _, err = cli("learner", "import", str(roster))
    assert code == 4 and "Traceback" not in err and err.count("\n") == 1


def _xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def test_broken_sheet_xml_is_one_sentence(cli, tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    _xlsx(good, [["nama"], ["Siti"], ["Budi"]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    code, _, err = cli("learner", "import", str(bad))
    assert code == 4 and "Traceback" not in err and err.count("\n") == 1, err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cli, tmp_path):
    import resource
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(120):
                sheet.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, _, err = cli("learner", "import", str(bomb))
    assert code == 4 and "terlalu besar" in err
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: far below what it unpacks to


@pytest.mark.parametrize("command", [["learner", "import"], ["results", "import"]])
def test_a_fifo_or_device_is_never_read(cli, tmp_path, command):
    fifo = tmp_path / ("roster.csv" if command[0] == "learner" else "hasil.json")
    os.mkfifo(fifo)
    code, _, err = cli(*command, str(fifo))
    assert code == 4 and "bukan berkas biasa" in err


def test_roster_without_nips_imports_in_linear_time(tmp_path):
    """Statements per row stay constant as the roster grows (v1 rescanned every learner per row)."""
    from sqlalchemy import event

    from latsar.exchange.roster import RosterRow

    def statements(n: int) -> int:
        svc = open_services(tmp_path / f"r{n}.db")
        seen = []
        event.listen(svc.db.engine, "before_cursor_execute", lambda *a: seen.append(1))
        svc.instructor_at_terminal(None).roster.import_rows(RosterRow(i + 2, {"name": f"Peserta {i}", "cohort": "A1"}) for i in range(n))
        svc.close()
        return len(seen)

    small, big = statements(200), statements(800)
    assert big <= 4.4 * small


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_output_into_a_missing_folder_or_onto_a_folder_is_one_sentence(cli, tmp_path, where):
    target = tmp_path / "tidak" / "ada.csv" if where == "missing" else tmp_path
    code, _, err = cli("export", "-o", str(target))
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*.part"))


# -- 10. safer defaults ------------------------------------------------------------------------------


def test_files_holding_nips_and_answers_are_private(cli, tmp_path):
    cli("learner", "add", "--name", "Ani", "--nip", ANI_NIP)
    cli("quiz", "mp1", input=lines(MP1_KEY))
    out = {fmt: tmp_path / f"x.{fmt}" for fmt in ("csv", "xlsx", "json")}
    for fmt, path in out.items():
        assert cli("export", "--format", fmt, "--detail", "answers", "-o", str(path))[0] == 0
    assert cli("results", "export", "-o", str(tmp_path / "hasil.json"))[0] == 0
    for path in [*out.values(), tmp_path / "hasil.json"]:
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_wide_open_latsar_home_is_tightened(cli, tmp_path, _isolated_home):
    _isolated_home.mkdir()
    os.chmod(_isolated_home, 0o755)
    code, _, err = cli("learner", "add", "--name", "Ani")
    assert code == 0 and "dipersempit" in err
    assert _isolated_home.stat().st_mode & 0o777 == 0o700


def test_a_latsar_home_that_is_a_file_is_said_in_indonesian(cli, _isolated_home):
    _isolated_home.write_text("bukan folder")
    code, _, err = cli("learner", "add", "--name", "Ani")
    assert code == 4 and err.count("\n") == 1 and "Traceback" not in err
    assert "bukan folder" in err and "Not a directory" not in err  # not the OS's English


def test_terminal_escapes_and_markup_in_names_are_neutralised(cli):
    """Escapes are refused (issue 18: never stored); markup is a name like any other, shown as typed."""
    code, _, err = cli("learner", "add", "--name", "[bold red]Ani[/]\x1b]0;judul\x07\x1b[2J")
    assert code == 2 and "karakter kendali U+001B" in err and "\x1b" not in err and "\x07" not in err
    assert cli("learner", "add", "--name", "[bold red]Ani[/]")[0] == 0
    _, out, _ = cli("learner", "list")
    assert "[bold red]Ani[/]" in out


def test_nip_digits_are_ascii_only(cli):
    code, _, err = cli("learner", "add", "--name", "Ani", "--nip", "19900101202012200\u0661")
    assert code == 2 and "angka" in err
