"""The small defects an instructor met: backups that overwrote one another, learner ids given
again, names and NIPs that the roster import and the lists got wrong."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime

import pytest

from latsar.services import open_services

NOON_UTC = datetime(2026, 11, 2, 5, 0, 0, tzinfo=UTC)  # 12:00 in Jakarta


def test_backups_in_the_same_second_never_overwrite_one_another_and_are_named_in_local_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    try:
        svc = open_services(tmp_path / "latsar.db", clock=lambda: NOON_UTC)
        boss = svc.instructor_at_terminal(None)
        ids = [svc.learners.add(f"Peserta {i}").id for i in range(5)]
        done = [boss.records.merge(ids[0], ids[1]).backup, boss.records.merge(ids[0], ids[2]).backup]
        done += [boss.records.remove(ids[3]).backup, boss.records.remove(ids[4]).backup]
        svc.close()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    names = sorted(p.name for p in done if p is not None)
    assert len(set(names)) == 4, names
    assert names == [
        "latsar.db.sebelum-gabung-20261102-120000-2.bak", "latsar.db.sebelum-gabung-20261102-120000.bak",
        "latsar.db.sebelum-hapus-20261102-120000-2.bak", "latsar.db.sebelum-hapus-20261102-120000.bak",
    ]
    # Each is the database as it was just before its own operation: four learners less one each time.
    counts = sorted(sqlite3.connect(tmp_path / n).execute("SELECT count(*) FROM learner").fetchone()[0] for n in names)
    assert counts == [2, 3, 4, 5]
    assert all(oct(os.stat(tmp_path / n).st_mode & 0o777) == "0o600" for n in names)


def test_a_removed_learners_id_is_never_given_to_the_next_learner(tmp_path):
    svc = open_services(tmp_path / "latsar.db")
    boss = svc.instructor_at_terminal(None)
    first = svc.learners.add("Ani").id
    last = svc.learners.add("Budi").id
    boss.records.remove(last)
    assert svc.learners.add("Cici").id > last > first
    svc.close()


def test_a_migrated_v2_database_never_gives_an_id_again_either(tmp_path):
    import shutil

    from tests.test_migration import V2

    path = tmp_path / "latsar.db"
    shutil.copy(V2, path)
    svc = open_services(path)
    ddl = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master WHERE name = 'learner'").fetchone()[0]
    assert "AUTOINCREMENT" in ddl
    boss = svc.instructor_at_terminal(svc.passphrase and "pengampu-rahasia")
    highest = max(learner.id for learner in boss.learners.list())
    boss.records.remove(highest)
    assert svc.learners.add("Orang Baru").id > highest
    svc.close()
