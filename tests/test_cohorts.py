"""Cohorts as people type them: listed, renamed (or folded into another), and a --cohort that
names no cohort is a usage error that lists the known ones, everywhere --cohort is accepted."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def classes(cli, tmp_path):
    db = str(tmp_path / "c.db")
    for name, cohort in (("Ani", "Angkatan 7"), ("Budi", "angkatan  7"), ("Cici", "Angkatan VII"), ("Dedi", "Angkatan 8"), ("Eka", None)):
        cli("--db", db, "learner", "add", "--name", name, *(["--cohort", cohort] if cohort else []))
    return db


def test_cohort_list_and_rename(cli, classes):
    db = classes
    assert json.loads(cli("--db", db, "cohort", "list", "--json")[1]) == [
        {"name": "Angkatan 7", "learners": 2}, {"name": "Angkatan 8", "learners": 1}, {"name": "Angkatan VII", "learners": 1},
        {"name": None, "learners": 1},  # learners without a cohort are listed too
    ]
    code, out, _ = cli("--db", db, "cohort", "list")
    lines = [line.split("│")[1:3] for line in out.splitlines() if line.startswith("│")]
    assert code == 0 and [[cell.strip() for cell in row] for row in lines] == [
        ["Angkatan 7", "2"], ["Angkatan 8", "1"], ["Angkatan VII", "1"], ["(tanpa angkatan)", "1"],
    ]
    code, out, _ = cli("--db", db, "cohort", "rename", "ANGKATAN 8", "Angkatan 8 (Gol. III)")
    assert code == 0 and "'Angkatan 8' sekarang bernama 'Angkatan 8 (Gol. III)'" in out
    code, out, _ = cli("--db", db, "cohort", "rename", "angkatan 7", "ANGKATAN 7")  # a respelling
    assert code == 0 and "sekarang bernama 'ANGKATAN 7'" in out
    code, _, err = cli("--db", db, "cohort", "rename", "Angkatan VII", "angkatan 7")
    assert code == 2 and "'ANGKATAN 7' sudah ada" in err and "--merge" in err
    code, out, _ = cli("--db", db, "cohort", "rename", "Angkatan VII", "angkatan 7", "--merge")
    assert code == 0 and "digabung ke 'ANGKATAN 7': 1 peserta pindah" in out
    assert json.loads(cli("--db", db, "cohort", "list", "--json")[1]) == [
        {"name": "ANGKATAN 7", "learners": 3}, {"name": "Angkatan 8 (Gol. III)", "learners": 1}, {"name": None, "learners": 1},
    ]
    assert [l["name"] for l in json.loads(cli("--db", db, "learner", "list", "--json", "--cohort", "Angkatan 7")[1])] == ["Ani", "Budi", "Cici"]
    code, _, err = cli("--db", db, "cohort", "rename", "Angkatan 9", "X")
    assert code == 2 and "Angkatan 'Angkatan 9' tidak ada" in err and "'ANGKATAN 7'" in err
    code, _, err = cli("--db", db, "cohort", "rename", "Angkatan 8 (Gol. III)", "  ")
    assert code == 2 and "tidak boleh kosong" in err


@pytest.mark.parametrize("command", [
    ("learner", "list"),
    ("export",),
    ("export", "--format", "json", "--detail", "answers"),
    ("report", "items"),
    ("report", "cohort"),
    ("moodle", "grades", "-o", "OUT"),
])
def test_an_unknown_cohort_is_a_usage_error_naming_the_known_ones(cli, classes, tmp_path, command):
    command = tuple(str(tmp_path / "nilai.csv") if c == "OUT" else c for c in command)
    code, out, err = cli("--db", classes, *command, "--cohort", "Angkatan 9")
    assert code == 2 and out == ""
    assert "Angkatan 'Angkatan 9' tidak ada; angkatan yang ada: 'Angkatan 7', 'Angkatan 8', 'Angkatan VII'." in err
    assert not (tmp_path / "nilai.csv").exists()
    code, out, _ = cli("--db", classes, *command, "--cohort", "ANGKATAN   7")
    assert code == 0
