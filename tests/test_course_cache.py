"""The validated course pack kept between starts: used only while nothing it came from changed."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

import latsar
from latsar.course import ContentError, load_course, loader
from latsar.course import cache as course_cache
from latsar.course.cache import CACHE_NAME, load_cached
from latsar.services import open_services

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and file modes as on POSIX")
SECTION = "content/berorientasi-pelayanan/000-pengantar.md"


@pytest.fixture(autouse=True)
def _settled_at_once(monkeypatch):
    """The packs here are fresh copies: keep them at once (one test puts the wait back)."""
    monkeypatch.setattr(course_cache, "SETTLE_SECONDS", 0.0)


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """Every time the pack is parsed rather than taken from the cache."""
    seen: list[Path] = []

    def counting(root: Path):
        seen.append(root)
        return load_course(root)

    monkeypatch.setattr(loader, "load_course", counting)
    return seen


def test_second_start_takes_the_course_from_the_cache(pack, folder, loads):
    first = load_cached(pack, folder)
    assert (folder / CACHE_NAME).is_file()
    second = load_cached(pack, folder)
    assert len(loads) == 1
    assert second == first == load_course(pack)
    assert second.keys_digest() == first.keys_digest()


@posix_only
def test_an_edit_that_keeps_size_and_modification_time_is_seen(pack, folder, loads):
    load_cached(pack, folder)
    path = pack / SECTION
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert "Kata Pengantar" in text
    path.write_text(text.replace("Kata Pengantar", "Kata Pengantor"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or a careless editor
    assert os.stat(path).st_size == before.st_size
    course = load_cached(pack, folder)
    assert len(loads) == 2
    assert "Kata Pengantor" in course.section("pengantar").body


def test_a_file_added_or_removed_is_seen(pack, folder, loads):
    load_cached(pack, folder)
    extra = pack / "content/berorientasi-pelayanan/999-tambahan.md"
    extra.write_text(
        '+++\nid = "tambahan"\ntitle = "Tambahan"\npart = "penutup"\norder = 99\n+++\n\nTeks tambahan.\n',
        encoding="utf-8",
    )
    with_extra = load_cached(pack, folder)
    extra.unlink()
    without = load_cached(pack, folder)
    assert len(loads) == 3
    assert with_extra.has_section("tambahan") and not without.has_section("tambahan")


def test_a_broken_pack_is_never_served_from_the_cache(pack, folder, loads):
    load_cached(pack, folder)
    bank = next((pack / "quizzes").rglob("mp1.toml"))
    bank.write_text(bank.read_text(encoding="utf-8").replace('key = "b"', 'key = "z"', 1), encoding="utf-8")
    for _ in range(2):  # and its problems are reported every time
        with pytest.raises(ContentError):
            load_cached(pack, folder)
    assert len(loads) == 3


def test_another_version_of_latsar_does_not_use_the_cache(pack, folder, loads, monkeypatch):
    load_cached(pack, folder)
    monkeypatch.setattr(latsar, "__version__", latsar.__version__ + ".post1")
    load_cached(pack, folder)
    assert len(loads) == 2


def test_a_damaged_cache_is_only_a_slower_start(pack, folder, loads):
    good = load_cached(pack, folder)
    cache = folder / CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:200])  # truncated mid-pickle, key line intact
    assert load_cached(pack, folder) == good
    assert len(loads) == 2
    assert load_cached(pack, folder) == good  # rewritten whole
    assert len(loads) == 2


class _Trap:
    """Unpickling this would write a file: the cache must not be unpickled when others can write it."""

    def __reduce__(self):
        return (Path.write_text, (Path(os.environ["LATSAR_TRAP"]), "unpickled"))


@posix_only
def test_a_cache_others_can_write_is_never_unpickled(pack, folder, loads, tmp_path, monkeypatch):
    load_cached(pack, folder)
    trap = tmp_path / "trap"
    monkeypatch.setenv("LATSAR_TRAP", str(trap))
    cache = folder / CACHE_NAME
    key = cache.read_bytes().split(b"\n", 1)[0]
    cache.write_bytes(key + b"\n" + pickle.dumps(_Trap()))
    os.chmod(cache, 0o666)
    course = load_cached(pack, folder)
    assert not trap.exists()
    assert course == load_course(pack)
    assert oct(os.stat(cache).st_mode & 0o777) == oct(0o600)  # replaced by a private one


@posix_only
def test_a_fifo_in_the_pack_neither_blocks_nor_gets_cached(pack, folder):
    os.mkfifo(pack / "content/berorientasi-pelayanan/x.md")
    with pytest.raises(ContentError, match="bukan berkas biasa"):
        load_cached(pack, folder)
    assert not (folder / CACHE_NAME).exists()


def test_an_unwritable_cache_folder_changes_nothing(pack, tmp_path, loads):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert load_cached(pack, blocker / "cache") == load_course(pack)
    assert load_cached(pack, blocker / "cache") == load_course(pack)
    assert len(loads) == 2


def test_a_pack_changed_a_moment_ago_is_loaded_but_not_kept(pack, folder, loads, monkeypatch):
    monkeypatch.setattr(course_cache, "SETTLE_SECONDS", 2.0)
    (pack / SECTION).touch()
    load_cached(pack, folder)
    assert not (folder / CACHE_NAME).exists()
    monkeypatch.setattr(course_cache, "SETTLE_SECONDS", 0.0)  # still since then
    load_cached(pack, folder)
    load_cached(pack, folder)
    assert len(loads) == 2


def test_a_huge_tree_is_loaded_not_fingerprinted(pack, monkeypatch, folder, loads):
    monkeypatch.setattr(course_cache, "MAX_ENTRIES", 5)
    assert course_cache.fingerprint(pack) is None
    load_cached(pack, folder)
    load_cached(pack, folder)
    assert len(loads) == 2


def test_the_app_keeps_the_cache_in_its_home_and_never_creates_the_home(pack, _isolated_home, loads):
    home = _isolated_home
    assert not home.exists()
    open_services(content=pack).close()  # a fresh machine: the database creates the home (0700)
    assert not (home / "cache").exists()
    assert oct(home.stat().st_mode & 0o777) == oct(0o700)
    open_services(content=pack).close()
    assert (home / "cache" / CACHE_NAME).is_file()
    open_services(content=pack).close()
    assert len(loads) == 2
