"""Shared fixtures. Tests never touch the real home directory: LATSAR_HOME is a temp dir."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("LATSAR_HOME", str(home))
    monkeypatch.delenv("LATSAR_DB", raising=False)
    monkeypatch.delenv("LATSAR_CONTENT", raising=False)
    monkeypatch.delenv("LATSAR_CERTIFICATE_KEY", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    return home


@pytest.fixture
def pack(tmp_path) -> Path:
    """A writable copy of the shipped course pack."""
    dest = tmp_path / "pack"
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "quizzes", dest / "quizzes")
    return dest


@pytest.fixture
def mini_pack() -> Path:
    return FIXTURES / "mini-pack"


@pytest.fixture
def mini(tmp_path, mini_pack) -> Path:
    """A writable copy of the mini pack (a second, general course)."""
    dest = tmp_path / "mini"
    shutil.copytree(mini_pack, dest)
    return dest


class Clock:
    """What the services take as the time: now (or a fixed start), moved on only by what a test
    lets pass (``advance``): reading a section to its end takes the time its length needs."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start
        self.offset = timedelta()

    def __call__(self) -> datetime:
        from latsar.storage.models import utcnow

        return (self.start or utcnow()) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    """What ``svc`` takes as the time: now (a module may give a fixed time instead)."""
    return Clock()


@pytest.fixture
def svc(tmp_path, clock):
    """The services over a fresh database (modules extend it with their own people)."""
    from latsar.services import open_services

    services = open_services(tmp_path / "latsar.db", clock=clock)
    yield services
    services.close()


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from latsar.cli import main

    def run(*args: str, input: str | None = None):
        if input is not None:
            import io

            old = sys.stdin
            sys.stdin = io.StringIO(input)
            try:
                code = main(list(args))
            finally:
                sys.stdin = old
        else:
            code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- PostgreSQL ------------------------------------------------------------------------------------

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _pg_unavailable() -> str | None:
    if not PG_BIN or not os.path.exists(os.path.join(PG_BIN[-1], "initdb")):
        return "PostgreSQL server binaries are not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres system user"
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed"
    return None


PG_UNAVAILABLE = _pg_unavailable()
AS_PG = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]


class PgServer:
    """A throwaway PostgreSQL cluster on a Unix socket, started with the machine's own binaries."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="latsar-pg-"))  # under /tmp, reachable by the postgres user
        self.sock = self.base / "sock"
        self.sock.mkdir()
        for p in (self.base, self.sock):
            shutil.chown(p, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.bin = PG_BIN[-1]

    def run(self, command: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(AS_PG + [command], check=True, **kwargs)

    def start(self) -> None:
        data = self.base / "data"
        self.run(f"{self.bin}/initdb -D {data} -A trust -U postgres >/dev/null")
        # One role that must give a password, so that a wrong one can be tested.
        hba = data / "pg_hba.conf"
        hba.write_text("local all guru scram-sha-256\n" + hba.read_text())
        self.run(f"{self.bin}/pg_ctl -D {data} -o '-p {self.port} -k {self.sock} -c listen_addresses= -c max_connections=300' -l {self.base}/log start >/dev/null")
        for _ in range(50):
            if subprocess.run(AS_PG + [f"{self.bin}/pg_isready -h {self.sock} -p {self.port} -q"]).returncode == 0:
                break
            time.sleep(0.2)
        self.run(f"{self.bin}/psql -q -h {self.sock} -p {self.port} -U postgres -c \"CREATE ROLE guru LOGIN PASSWORD 'benar'\" >/dev/null")

    def stop(self) -> None:
        subprocess.run(AS_PG + [f"{self.bin}/pg_ctl -D {self.base / 'data'} stop -m fast >/dev/null"])
        shutil.rmtree(self.base, ignore_errors=True)

    def create(self, sql_file: Path | None = None) -> str:
        """A new, empty database (or one loaded from a plain SQL dump); its SQLAlchemy URL."""
        name = "latsar_" + uuid.uuid4().hex[:10]
        self.run(f"{self.bin}/createdb -h {self.sock} -p {self.port} -U postgres {name}")
        if sql_file is not None:
            self.run(f"{self.bin}/psql -q -v ON_ERROR_STOP=1 -h {self.sock} -p {self.port} -U postgres -d {name} >/dev/null", input=sql_file.read_bytes())
        return f"postgresql+psycopg://postgres@/{name}?host={self.sock}&port={self.port}"


@pytest.fixture(scope="session")
def pg_server():
    if PG_UNAVAILABLE:
        pytest.skip(PG_UNAVAILABLE)
    server = PgServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh PostgreSQL database for one test."""
    return pg_server.create()
