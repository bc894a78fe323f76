"""The small defects an instructor met: backups that overwrote one another, learner ids given
again, names and NIPs that the roster import and the lists got wrong."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import UTC, datetime

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
    boss = svc.instructor_at_terminal("pengampu-rahasia" if svc.passphrase.exists() else None)
    highest = max(learner.id for learner in boss.learners.list())
    boss.records.remove(highest)
    assert svc.learners.add("Orang Baru").id > highest
    svc.close()


NIP_SITI = "199001012020122001"
NIP_BAMBANG = "198807142015031002"


def roster(tmp_path, text: str, name: str = "peserta.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_semicolon_roster_with_a_quoted_comma_and_doubled_quotes_is_read_as_semicolons(cli, tmp_path):
    file = roster(tmp_path, f'nama;nip;angkatan\r\n"Bambang ""Bams"", S.T.";{NIP_BAMBANG};Angkatan 7\r\nSiti Aminah;{NIP_SITI};Angkatan 7\r\n')
    code, out, err = cli("learner", "import", file)
    assert code == 0 and "2 peserta baru" in out, err
    people = {p["nip"]: p for p in json.loads(cli("learner", "list", "--json")[1])}
    assert people[NIP_BAMBANG]["name"] == 'Bambang "Bams", S.T.' and people[NIP_BAMBANG]["cohort"] == "Angkatan 7"


def test_a_comma_roster_is_still_read_as_commas_and_a_tab_roster_as_tabs(cli, tmp_path):
    commas = roster(tmp_path, f"name,nip,cohort\nSiti Aminah,{NIP_SITI},A; B\n", "koma.csv")
    assert cli("learner", "import", commas)[0] == 0
    tabs = roster(tmp_path, f"nama\tnip\tangkatan\nBambang, S.T.\t{NIP_BAMBANG}\tA; B\n", "tab.csv")
    assert cli("learner", "import", tabs)[0] == 0
    assert {p["name"]: p["cohort"] for p in json.loads(cli("learner", "list", "--json")[1])} == {"Siti Aminah": "A; B", "Bambang, S.T.": "A; B"}


def test_a_bom_or_zero_width_space_inside_a_nip_cell_is_dropped(cli, tmp_path):
    file = roster(tmp_path, f"nama,nip\nSiti Aminah,\ufeff{NIP_SITI}\nBambang,{NIP_BAMBANG[:9]}\u200b{NIP_BAMBANG[9:]}\n")
    code, out, err = cli("learner", "import", file)
    assert code == 0 and "2 peserta baru" in out, err
    assert sorted(p["nip"] for p in json.loads(cli("learner", "list", "--json")[1])) == sorted([NIP_SITI, NIP_BAMBANG])


def test_a_wrong_nip_is_quoted_without_the_invisible_characters_it_came_with(cli):
    """A refused NIP is quoted as the digits that were read: a BOM copied with it would make the
    quoted value look right while it is not."""
    code, _, err = cli("learner", "add", "--name", "Ani", "--nip", f"\ufeff{NIP_SITI[:17]}")
    assert code == 2 and f"NIP '{NIP_SITI[:17]}' tidak sah" in err and "\ufeff" not in err and "bukan 17" in err


def test_a_nip_here_with_another_cohort_or_capitals_suggests_update_and_update_corrects_them(cli, tmp_path):
    assert cli("learner", "add", "--name", "siti aminah", "--nip", NIP_SITI, "--cohort", "Angkatan 6")[0] == 0
    file = roster(tmp_path, f"nama,nip,angkatan\nSiti Aminah,{NIP_SITI},Angkatan 7\n")
    code, out, err = cli("learner", "import", file)
    assert code == 0 and "1 sudah ada" in out and "--update" in out and "baris 2: siti aminah" in out, (out, err)
    (siti,) = json.loads(cli("learner", "list", "--json")[1])
    assert (siti["name"], siti["cohort"]) == ("siti aminah", "Angkatan 6")  # nothing changed without --update
    code, out, _ = cli("learner", "import", file, "--update")
    assert code == 0 and "1 diperbarui" in out and "--update" not in out
    (siti,) = json.loads(cli("learner", "list", "--json")[1])
    assert (siti["name"], siti["cohort"]) == ("Siti Aminah", "Angkatan 7")
    # Capitals alone, too.
    assert cli("learner", "import", roster(tmp_path, f"nama,nip,angkatan\nSITI AMINAH,{NIP_SITI},Angkatan 7\n", "caps.csv"), "--update")[0] == 0
    assert json.loads(cli("learner", "list", "--json")[1])[0]["name"] == "SITI AMINAH"


def test_learner_add_warns_when_the_same_name_is_already_in_the_cohort(cli):
    assert cli("learner", "add", "--name", "Siti Aminah", "--cohort", "Angkatan 7")[0] == 0
    code, out, err = cli("learner", "add", "--name", "siti  aminah", "--cohort", "angkatan 7")
    assert code == 0 and "Peserta terdaftar" in out
    assert "peringatan" in err and "Siti Aminah sudah terdaftar di angkatan Angkatan 7 (id 1, tanpa NIP)" in err and "learner merge 1 2" in err
    code, _, err = cli("learner", "add", "--name", "Siti Aminah", "--cohort", "Angkatan 8")  # another cohort: someone else
    assert code == 0 and err == ""
    cli("learner", "add", "--name", "Budi")
    assert "peserta tanpa angkatan" in cli("learner", "add", "--name", "BUDI")[2]


def test_learner_list_shows_every_nip_whole_at_80_columns(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    long = "Prof. Dr. Ir. Raden Mas Bambang Sutrisno Wicaksono Adiningrat, S.T., M.Sc., Ph.D."
    agency = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Provinsi"
    cli("learner", "add", "--name", long, "--nip", NIP_BAMBANG, "--cohort", "Latsar CPNS Golongan III Angkatan XII Tahun 2026", "--instansi", agency)
    cli("learner", "add", "--name", "Siti", "--nip", NIP_SITI)
    code, out, _ = cli("learner", "list")
    assert code == 0 and NIP_BAMBANG in out and NIP_SITI in out
    assert max(len(line) for line in out.splitlines()) <= 80
