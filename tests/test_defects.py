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
