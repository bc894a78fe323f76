"""The same services on PostgreSQL (a training centre's shared server), when one can be started here.

Starts a throwaway cluster with the machine's initdb/pg_ctl as the ``postgres`` system user;
skipped where PostgreSQL is not installed.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import time

import pytest

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _can_start() -> str | None:
    if not BIN or not os.path.exists(os.path.join(BIN[-1], "initdb")):
        return "PostgreSQL server binaries are not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres system user"
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed"
    return None


REASON = _can_start()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module")
def pg_url():
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="latsar-pg-"))  # under /tmp, reachable by the postgres user
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    for p in (base, sock):
        shutil.chown(p, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    as_pg = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    binary = BIN[-1]
    subprocess.run(as_pg + [f"{binary}/initdb -D {data} -A trust -U postgres >/dev/null"], check=True)
    subprocess.run(as_pg + [f"{binary}/pg_ctl -D {data} -o '-p {port} -k {sock} -c listen_addresses=' -l {base}/log start >/dev/null"], check=True)
    try:
        for _ in range(50):
            if subprocess.run(as_pg + [f"{binary}/pg_isready -h {sock} -p {port} -q"]).returncode == 0:
                break
            time.sleep(0.2)
        subprocess.run(as_pg + [f"{binary}/createdb -h {sock} -p {port} -U postgres latsar"], check=True)
        yield f"postgresql+psycopg://postgres@/latsar?host={sock}&port={port}"
    finally:
        subprocess.run(as_pg + [f"{binary}/pg_ctl -D {data} stop -m fast >/dev/null"])
        shutil.rmtree(base, ignore_errors=True)


def test_trainee_and_instructor_flows_on_postgresql(cli, pg_url, tmp_path):
    assert cli("--db", pg_url, "learner", "add", "--name", "Ani", "--nip", "199001012020122001", "--cohort", "A7")[0] == 0
    assert cli("--db", pg_url, "quiz", "mp2", "--learner", "1")[0] == 3
    code, out, _ = cli("--db", pg_url, "quiz", "mp1", "--json", input="\n".join("bccbacaaab") + "\n")
    assert code == 0 and json.loads(out)["restudy"] == ["mp1-1", "mp1-4"]
    assert cli("--db", pg_url, "quiz", "mp1", input="b\n")[0] == 3
    cli("--db", pg_url, "read", "mp1-1")
    cli("--db", pg_url, "read", "mp1-4")
    code, out, _ = cli("--db", pg_url, "quiz", "mp1", "--json", input="\n".join("bccbaccdba") + "\n")
    assert json.loads(out)["passed"] is True
    summary = json.loads(cli("--db", pg_url, "export", "--format", "json")[1])
    assert summary[0]["mp1_terbaik_persen"] == 100 and summary[0]["mp1_percobaan"] == 2 and summary[0]["bagian_dibaca"] == 2
    attempts = json.loads(cli("--db", pg_url, "export", "--format", "json", "--detail", "attempts")[1])
    assert [a["percobaan_ke"] for a in attempts] == [1, 2]
    items = json.loads(cli("--db", pg_url, "report", "items", "--json")[1])
    assert items["mp1"][0]["responses"] == 1
    out_file = tmp_path / "ani.json"
    assert cli("--db", pg_url, "results", "export", "-o", str(out_file))[0] == 0
    code, out, _ = cli("--db", pg_url, "results", "import", str(out_file))
    assert code == 0 and "0 percobaan baru, 2 sudah ada" in out
