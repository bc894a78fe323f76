"""Time says its zone, in every export: JSON carries ISO 8601 with the offset; CSV and XLSX carry
local time and name the zone in the header. Checked in a zone that is not UTC (WIT, UTC+09:00),
against the UTC the database stores."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from latsar.course import load_course
from latsar.exchange.tabular import Kind
from latsar.paths import shipped_pack
from latsar.services import open_services
from latsar.services.instructor.export import ATTEMPT_COLUMNS, answer_columns, summary_columns
from tests.helpers import MP1_KEY, take

COURSE = load_course(shipped_pack())
TIME_KEYS = {
    "summary": [c.key for c in summary_columns(COURSE) if c.kind is Kind.TIME],
    "attempts": [c.key for c in ATTEMPT_COLUMNS if c.kind is Kind.TIME],
    "answers": [c.key for c in answer_columns(COURSE) if c.kind is Kind.TIME],
}
ZONE = "WIT, UTC+09:00"


def latsar(db, *args: str, tz: str = "Asia/Jayapura") -> str:
    env = {**os.environ, "TZ": tz, "LATSAR_DB": str(db)}
    done = subprocess.run([sys.executable, "-m", "latsar", *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("zones") / "z.db"
    svc = open_services(path)
    ani = svc.trainee(svc.learners.add("Ani", None, "A7").id)
    ani.reading.open("mp1-1")
    take(ani, "mp1", MP1_KEY)
    svc.close()
    return path


def stored_finish(db) -> datetime:
    """The attempt's finish as stored: naive UTC."""
    (value,) = sqlite3.connect(db).execute("SELECT finished_at FROM attempt").fetchone()
    return datetime.fromisoformat(value)


@pytest.mark.parametrize("detail", ["summary", "attempts", "answers"])
def test_every_export_names_its_zone(db, tmp_path, detail):
    from openpyxl import load_workbook

    keys = TIME_KEYS[detail]
    assert keys, detail
    records = json.loads(latsar(db, "export", "--format", "json", "--detail", detail))
    table = list(csv.reader(io.StringIO(latsar(db, "export", "--format", "csv", "--detail", detail).lstrip("\ufeff"))))
    xlsx = tmp_path / f"{detail}.xlsx"
    latsar(db, "export", "--format", "xlsx", "--detail", detail, "-o", str(xlsx))
    sheet = [[c.value for c in row] for row in load_workbook(xlsx).active.iter_rows()]
    for key in keys:
        header = f"{key} ({ZONE})"
        assert header in table[0] and header in sheet[0]
        at_csv, at_xlsx = table[0].index(header), sheet[0].index(header)
        for record, csv_row, xlsx_row in zip(records, table[1:], sheet[1:]):
            value = record[key]
            if value is None:
                assert csv_row[at_csv] == "" and xlsx_row[at_xlsx] is None
                continue
            when = datetime.fromisoformat(value)
            assert when.utcoffset() == timedelta(hours=9), value  # JSON: ISO 8601 with the offset
            local = when.replace(tzinfo=None)
            assert csv_row[at_csv] == local.isoformat(" ", "seconds")  # CSV: the same moment, local time
            assert abs(xlsx_row[at_xlsx] - local) < timedelta(seconds=1)  # XLSX: a local date-time cell
    if detail == "attempts":
        when = datetime.fromisoformat(records[0]["selesai"])
        assert abs(when.replace(tzinfo=None) - timedelta(hours=9) - stored_finish(db)) < timedelta(seconds=1)


def test_the_zone_follows_the_machine(db):
    table = latsar(db, "export", "--format", "csv", tz="Asia/Makassar")
    assert "mp1_lulus_pada (WITA, UTC+08:00)" in table
    record = json.loads(latsar(db, "export", "--format", "json", tz="Asia/Makassar"))[0]
    assert record["mp1_lulus_pada"].endswith("+08:00")
