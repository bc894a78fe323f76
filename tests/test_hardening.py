"""Nothing latsar does turns against its user (issue 18): a LATSAR_HOME that is not a folder is
refused untouched, a --db that is not a database is one sentence and creates nothing, a FIFO is
never opened, every file latsar writes ignores links planted beside it and is 0600."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from latsar.services import open_services

LATSAR = [sys.executable, "-m", "latsar"]


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(LATSAR + args, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}, **kwargs)  # type: ignore[call-overload]


def one_sentence(done: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert words in done.stderr, done.stderr


# -- 18.3: LATSAR_HOME ------------------------------------------------------------------------------


def device(path: Path) -> Path:
    """A character device like /dev/null, made in a temporary folder (never the real one)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


@pytest.mark.parametrize("kind", ["file", "device", "link"])
def test_a_latsar_home_that_is_not_a_folder_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    home = tmp_path / "home"
    if kind == "file":
        home.write_text("bukan folder")
        os.chmod(home, 0o644)
    elif kind == "device":
        device(home)
    else:
        home.symlink_to(elsewhere)
    before = os.lstat(home)
    done = run(["learner", "list"], {"LATSAR_HOME": str(home)})
    one_sentence(done, 4, "LATSAR_HOME")
    after = os.lstat(home)
    assert (after.st_mode, after.st_uid) == (before.st_mode, before.st_uid)  # not even a chmod
    assert stat.S_IMODE(os.stat(elsewhere).st_mode) == 0o755 and not list(elsewhere.iterdir())


def test_a_home_owned_by_someone_else_keeps_its_mode(tmp_path: Path) -> None:
    import pwd

    if os.geteuid() != 0:
        pytest.skip("handing a folder to another user needs root")
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o777)
    nobody = pwd.getpwnam("nobody")
    os.chown(home, nobody.pw_uid, nobody.pw_gid)
    done = run(["learner", "list"], {"LATSAR_HOME": str(home)})
    assert "Traceback" not in done.stderr
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o777 and "milik pengguna lain" in done.stderr


def test_an_open_home_of_ours_is_narrowed_and_said(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o755)
    done = run(["learner", "list"], {"LATSAR_HOME": str(home)})
    assert done.returncode == 0 and stat.S_IMODE(os.stat(home).st_mode) == 0o700 and "dipersempit" in done.stderr


# -- 18.7: --db values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, words",
    [
        ("http://example.com/x", "bukan 'http'"),
        ("mysql://u:rahasia@127.0.0.1/x", "bukan 'mysql'"),
        ("postgresql://u@127.0.0.1:notaport/x", "port 'notaport' bukan angka"),
        ("ora+cx://u@h/x", "bukan 'ora+cx'"),
        ("sqlite://", "perlu nama berkas"),
        ("sqlite:///:memory:", "perlu nama berkas"),
        ("file:hasil.db?mode=ro", "URI 'file:'"),
        ("tidak-ada/latsar.db", "Folder tidak-ada untuk basis data tidak ada"),
    ],
)
def test_a_db_that_is_not_a_database_is_one_sentence_and_creates_nothing(tmp_path: Path, value: str, words: str) -> None:
    done = run(["--db", value, "progress"], {"LATSAR_HOME": str(tmp_path / "home")}, cwd=tmp_path)
    one_sentence(done, 2 if "Folder" not in words else 4, words)
    assert "rahasia" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["home"])  # no 'sqlite:' file, no 'file:' folder


def test_a_fifo_or_device_named_as_the_database_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipa.db"
    os.mkfifo(fifo)
    one_sentence(run(["--db", str(fifo), "progress"], timeout=20), 4, "bukan berkas biasa")
    one_sentence(run(["--db", str(device(tmp_path / "perangkat.db")), "learner", "list"], timeout=20), 4, "bukan berkas biasa")
    real = tmp_path / "latsar.db"
    open_services(real).close()
    one_sentence(run(["--db", str(real), "db", "restore", str(fifo)], timeout=20), 4, "bukan berkas biasa")


# -- 18.6: every file is written safely ------------------------------------------------------------


@pytest.fixture
def one_trainee(tmp_path: Path) -> Path:
    from tests.helpers import MP1_KEY, take

    db = tmp_path / "latsar.db"
    svc = open_services(db)
    me = svc.trainee(svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7").id)
    take(me, "mp1", MP1_KEY)
    svc.close()
    return db


WRITERS = {
    "export": lambda out: ["export", "--format", "csv", "-o", str(out)],
    "xlsx": lambda out: ["export", "--format", "xlsx", "-o", str(out)],
    "results": lambda out: ["results", "export", "--learner", "1", "-o", str(out)],
    "backup": lambda out: ["db", "backup", str(out)],
    "gift": lambda out: ["gift", "export", "-o", str(out)],
    "moodle": lambda out: ["moodle", "questions", "-o", str(out)],
    "grades": lambda out: ["moodle", "grades", "-o", str(out)],
    "trainee-pdf": lambda out: ["report", "trainee", "1", "-o", f"{out}.pdf"],
    "items-xlsx": lambda out: ["report", "items", "-o", f"{out}.xlsx"],
}


@pytest.mark.parametrize("what", sorted(WRITERS))
def test_every_file_latsar_writes_is_private_and_never_follows_a_planted_link(tmp_path: Path, one_trainee: Path, what: str) -> None:
    shared = tmp_path / "bersama"
    shared.mkdir()
    os.chmod(shared, 0o777)  # a folder others can write to (a shared drive)
    bait = tmp_path / "umpan"
    bait.write_text("milik orang lain\n")
    out = shared / f"hasil-{what}.out"
    if what.endswith(("-pdf", "-xlsx")):  # these commands want their suffix
        out = shared / f"hasil-{what}.out.{what.rsplit('-', 1)[1]}"
    (shared / f"{out.name}.part").symlink_to(bait)  # the old fixed temporary name
    done = run(["--db", str(one_trainee), *WRITERS[what](out.with_suffix("") if what.endswith(("-pdf", "-xlsx")) else out)])
    assert done.returncode == 0, done.stderr
    assert bait.read_text() == "milik orang lain\n"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600 and not out.is_symlink()
    assert sorted(p.name for p in shared.iterdir()) == sorted([out.name, f"{out.name}.part"])  # no temporary file left behind


def test_a_link_planted_at_the_final_name_is_replaced_not_written_through(tmp_path: Path, one_trainee: Path) -> None:
    bait = tmp_path / "umpan"
    bait.write_text("milik orang lain\n")
    out = tmp_path / "hasil.csv"
    out.symlink_to(bait)
    done = run(["--db", str(one_trainee), "export", "--format", "csv", "-o", str(out)])
    assert done.returncode == 0, done.stderr
    assert bait.read_text() == "milik orang lain\n" and not out.is_symlink() and "Ani Lestari" in out.read_text(encoding="utf-8-sig")


# -- 18.4: the passphrase guards every door that opens everyone's data ------------------------------


@pytest.fixture
def guarded(tmp_path: Path) -> Path:
    db = tmp_path / "latsar.db"
    svc = open_services(db)
    for name, nip, pin in (("Ani Lestari", "199001012020122001", "123456"), ("Budi Santoso", "199203152019031004", "654321")):
        svc.pins.set(svc.learners.add(name, nip).id, pin)
    svc.passphrase.set("rahasia-pengampu")
    svc.close()
    return db


def test_backup_and_restore_need_the_passphrase_once_one_is_set(tmp_path: Path, guarded: Path) -> None:
    copy = tmp_path / "salinan.db"
    one_sentence(run(["--db", str(guarded), "db", "backup", str(copy)]), 2, "LATSAR_PASSPHRASE")
    assert not copy.exists()
    one_sentence(run(["--db", str(guarded), "db", "backup", str(copy)], {"LATSAR_PASSPHRASE": "tebak-tebak"}), 2, "salah")
    assert not copy.exists()
    done = run(["--db", str(guarded), "db", "backup", str(copy)], {"LATSAR_PASSPHRASE": "rahasia-pengampu"})
    assert done.returncode == 0 and copy.exists(), done.stderr
    one_sentence(run(["--db", str(guarded), "db", "restore", str(copy), "--yes"]), 2, "LATSAR_PASSPHRASE")


def test_a_restore_that_would_remove_the_passphrase_and_pins_says_so_and_asks(tmp_path: Path, guarded: Path) -> None:
    """The .bak files latsar leaves beside the database are older copies: one from before the
    passphrase and the PINs would take them away. It needs the passphrase, says what it undoes,
    and asks."""
    old = tmp_path / "lama.db"
    svc = open_services(old)
    svc.learners.add("Ani Lestari", "199001012020122001")
    svc.close()
    env = {"LATSAR_PASSPHRASE": "rahasia-pengampu"}
    asked = run(["--db", str(guarded), "db", "restore", str(old)], env, input="n\n")
    assert asked.returncode == 2 and "tidak memuat kata sandi pengampu" in asked.stderr and "PIN 0 peserta, sekarang 2" in asked.stderr, asked.stderr
    assert open_services(guarded).passphrase.exists()  # nothing changed
    done = run(["--db", str(guarded), "db", "restore", str(old), "--yes"], env)
    assert done.returncode == 0, done.stderr
    assert not open_services(guarded).passphrase.exists()


# -- 18.9: a full disk --------------------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path):
    """A small file system of its own (tmpfs), with latsar's home on it, then filled up."""
    mount = tmp_path / "kecil"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root: " + made.stderr.decode().strip())
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_said_as_full_and_what_is_saved_can_still_be_read(tmp_path: Path, full_disk: Path) -> None:
    from tests.helpers import MP1_KEY, lines

    env = {"LATSAR_HOME": str(full_disk / "home")}
    assert run(["learner", "add", "--name", "Ani Lestari"], env).returncode == 0
    assert run(["quiz", "mp1"], env, input=lines(MP1_KEY)).returncode == 0
    with open(full_disk / "pengisi", "wb") as filler:  # the disk fills up (a download, a log)
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    done = run(["progress", "--json"], env)  # reading: as before, from the file as it is
    assert done.returncode == 0 and json.loads(done.stdout)["evaluations"]["mp1"]["passed"] is True, done.stderr
    out = tmp_path / "hasil.json"
    assert run(["results", "export", "-o", str(out)], env).returncode == 0 and out.exists()
    copy = tmp_path / "cadangan.db"
    assert run(["db", "backup", str(copy)], env).returncode == 0 and open_services(copy).learners.list()[0].name == "Ani Lestari"
    one_sentence(run(["learner", "add", "--name", "Budi"], env), 4, "penuh")  # writing: the disk is full, said so
    one_sentence(run(["results", "export", "-o", str(full_disk / "di-disk-penuh.json")], env), 4, "disk penuh")


def test_reports_on_a_full_disk_say_so_and_leave_no_file_behind(tmp_path: Path, full_disk: Path) -> None:
    """Workbooks (XlsxWriter keeps each sheet's rows in files of its own before zipping them) and
    a folder of trainee PDFs, written to a disk that fills up: one sentence, exit 4, and nothing
    left there: no half workbook, no row files of learners' data, no part of the set of PDFs."""
    from tests.helpers import MP1_KEY, lines

    env = {"LATSAR_HOME": str(tmp_path / "home"), "LATSAR_PASSPHRASE": "rahasia-pengampu"}
    for name in ("Ani Lestari", "Budi Santoso", "Citra Dewi"):
        assert run(["learner", "add", "--name", name, "--cohort", "Angkatan 7"], env).returncode == 0
    assert run(["quiz", "mp1", "--learner", "1"], env, input=lines(MP1_KEY)).returncode == 0
    assert run(["instructor", "passphrase"], env, input="rahasia-pengampu\nrahasia-pengampu\n").returncode == 0
    out = full_disk / "laporan"
    out.mkdir()
    assert run(["report", "trainee", "--cohort", "Angkatan 7", "-o", str(out)], env).returncode == 0  # room enough
    sizes = [pdf.stat().st_size for pdf in out.iterdir()]
    assert len(sizes) == 3
    for pdf in out.iterdir():
        pdf.unlink()
    fd = os.open(full_disk / "pengisi", os.O_WRONLY | os.O_CREAT)
    try:  # the disk fills up, then a little is freed: room for one PDF, not for three
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(full_disk / "pengisi", (full_disk / "pengisi").stat().st_size - int(max(sizes) * 1.5))
    failed = 0
    for args in (
        ["export", "--format", "xlsx", "-o", str(out / "hasil.xlsx")],
        ["export", "--format", "xlsx", "--detail", "answers", "-o", str(out / "jawaban.xlsx")],
        ["report", "items", "-o", str(out / "soal.xlsx")],
        ["report", "cohort", "--cohort", "Angkatan 7", "-o", str(out / "angkatan.xlsx")],
        ["report", "trainee", "--cohort", "Angkatan 7", "-o", str(out)],
    ):
        before = set(out.iterdir())
        done = run(args, env)
        if done.returncode == 0:  # it fitted: then it is whole
            continue
        one_sentence(done, 4, "penuh")
        assert "tidak ada yang ditulis" in done.stderr
        assert set(out.iterdir()) == before, (args, sorted(p.name for p in set(out.iterdir()) - before))
        failed += 1
    assert failed >= 2  # the three PDFs and the answers' workbook, at least, did not fit
