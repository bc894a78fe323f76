"""Spreadsheets of what an instructor looks at (issue 20): the item analysis as XLSX/CSV, the
cohort report as XLSX, time on task and unfinished attempts in the exports; read back with
openpyxl and the csv module, equal to the `--json` of the same report."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from tests.test_documents import HOSTILE, NIP, clock, cohort, present  # noqa: F401  (fixtures)


def sheet(path, name: str) -> list[dict]:
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_item_analysis_as_a_spreadsheet_equals_its_json(cli, cohort, tmp_path):  # noqa: F811
    report = json.loads(cli("--db", str(cohort), "report", "items", "--json")[1])
    xlsx, text = tmp_path / "butir.xlsx", tmp_path / "butir.csv"
    code, out, err = cli("--db", str(cohort), "report", "items", "-o", str(xlsx))
    assert code == 0 and "20 soal ditulis" in out, err
    assert cli("--db", str(cohort), "report", "items", "-o", str(text))[0] == 0
    rows = sheet(xlsx, "Analisis butir")
    with open(text, encoding="utf-8-sig", newline="") as f:
        as_csv = list(csv.DictReader(f))
    assert len(rows) == len(as_csv) == sum(len(a["items"]) for a in report.values())
    by_question = {(r["evaluasi"], r["nomor"]): r for r in rows}
    for eid, analysis in report.items():
        for item in analysis["items"]:
            r = by_question[(eid, item["number"])]
            assert (r["soal"], r["kunci"], r["jawaban"]) == (item["question"], item["key"], item["responses"])
            for mine, theirs in ((r["kesukaran_p"], item["facility"]), (r["daya_beda_d"], item["discrimination"]), (r["korelasi_butir_sisa_r"], item["point_biserial"])):
                assert (mine is None and theirs is None) or abs(mine - theirs) < 0.0005
            assert {k: r[f"pilihan_{k}"] for k in "abcd"} | {"-": r["tidak_dijawab"]} == {k: item["options"].get(k, 0) for k in "abcd-"}
            assert (r["catatan"] or "") == "; ".join(item["flags"])
    assert [(c["evaluasi"], int(c["nomor"]), c["kunci"]) for c in as_csv] == [(r["evaluasi"], r["nomor"], r["kunci"]) for r in rows]
    (mp1, mp2) = sheet(xlsx, "Reliabilitas")
    assert (mp1["evaluasi"], mp1["peserta"], mp1["soal"]) == ("mp1", report["mp1"]["reliability"]["n"], 10)
    code, _, err = cli("--db", str(cohort), "report", "items", "-o", str(tmp_path / "butir.ods"))
    assert code != 0 and ".xlsx atau .csv" in err


def test_the_cohort_report_as_a_workbook(cli, cohort, tmp_path):  # noqa: F811
    present(cohort, (1, "2026-11-03 01:00:00", "2026-11-03 04:00:00"), (2, "2026-11-04 01:05:00", "2026-11-04 02:00:00"))
    (d,) = json.loads(cli("--db", str(cohort), "report", "cohort", "--cohort", "angkatan 7", "--json")[1])
    book = tmp_path / "angkatan.xlsx"
    code, _, err = cli("--db", str(cohort), "report", "cohort", "--cohort", "angkatan 7", "-o", str(book))
    assert code == 0, err
    names = load_workbook(book, read_only=True).sheetnames
    assert names == ["Peserta", "Tingkat lulus", "Sebaran skor", "Bacaan per bagian", "Belum selesai", "Percobaan terbuka", "Kehadiran", "Analisis butir", "Reliabilitas"]
    people = sheet(book, "Peserta")
    assert [p["nama"] for p in people] == ["Ani Rahmawati, S.Kom.", "Budi", "Cici", HOSTILE]
    assert [p["percobaan_belum_selesai"] for p in people] == [0, 0, 1, 0]
    assert people[0]["waktu_evaluasi_menit"] > 0  # time on task
    passed = sheet(book, "Tingkat lulus")
    assert [(r["evaluasi"], r["lulus"], r["tingkat_lulus_persen"]) for r in passed] == [(x["id"], x["passed"], x["pass_rate"]) for x in d["distribution"]]
    bands = sheet(book, "Sebaran skor")
    assert [r["peserta"] for r in bands] == [b["count"] for x in d["distribution"] for b in x["bins"]]
    assert [(r["nama"], r["yang_belum"]) for r in sheet(book, "Belum selesai")] == [(u["name"], "; ".join(u["left"])) for u in d["not_finished"]]
    assert [(r["nama"], r["dijawab"]) for r in sheet(book, "Percobaan terbuka")] == [("Cici", 1)]
    attendance = sheet(book, "Kehadiran")
    days = [x["date"] for x in d["attendance"]["days"]]
    assert [[r[f"hadir_{day}"] for day in days] for r in attendance] == [["ya", "tidak"], ["tidak", "ya"], ["tidak", "tidak"], ["tidak", "tidak"]]
    reading = {r["bagian"]: r["dibaca_sampai_akhir"] for r in sheet(book, "Bacaan per bagian")}
    assert reading == {s["id"]: s["read"] for s in d["reading_by_section"]}


def test_a_cohort_workbook_asks_for_a_cohort_that_can_be_given(cli, tmp_path):
    """Without --cohort, the cohorts it names are ones --cohort takes: never the group of learners
    with no cohort, which is not a cohort."""
    db = str(tmp_path / "k.db")
    assert cli("--db", db, "learner", "add", "--name", "Ani")[0] == 0
    code, _, err = cli("--db", db, "report", "cohort", "-o", str(tmp_path / "a.xlsx"))
    assert code == 2 and "belum ada peserta yang punya angkatan" in err and "tanpa angkatan" not in err
    assert cli("--db", db, "learner", "add", "--name", "Budi", "--cohort", "Angkatan 7")[0] == 0
    code, _, err = cli("--db", db, "report", "cohort", "-o", str(tmp_path / "a.xlsx"))
    assert code == 2 and "(ada: Angkatan 7)" in err
    assert cli("--db", db, "report", "cohort", "--cohort", "Angkatan 7", "-o", str(tmp_path / "a.xlsx"))[0] == 0


def test_time_on_task_and_unfinished_attempts_are_in_the_exports(cli, cohort, tmp_path):  # noqa: F811
    summary = json.loads(cli("--db", str(cohort), "export", "--format", "json")[1])
    by_name = {r["nama"]: r for r in summary}
    assert by_name["Cici"]["percobaan_belum_selesai"] == 1 and by_name["Ani Rahmawati, S.Kom."]["percobaan_belum_selesai"] == 0
    trainee = json.loads(cli("--db", str(cohort), "report", "trainee", NIP, "--json")[1])["time_on_task"]
    assert by_name["Ani Rahmawati, S.Kom."]["waktu_evaluasi_menit"] == trainee["evaluation_seconds"] // 60 > 0
    assert by_name["Ani Rahmawati, S.Kom."]["waktu_baca_menit"] == trainee["reading_seconds"] // 60
    attempts = json.loads(cli("--db", str(cohort), "export", "--format", "json", "--detail", "attempts")[1])
    (still_open,) = [a for a in attempts if a["status"] == "belum selesai"]
    assert (still_open["nama"], still_open["evaluasi"], still_open["dijawab"], still_open["persen"], still_open["lulus"], still_open["selesai"]) == ("Cici", "mp1", 1, None, None, None)
    assert [a["percobaan_ke"] for a in attempts if a["nama"].startswith("Ani")] == [1, 2, 1]
    book = tmp_path / "percobaan.xlsx"
    assert cli("--db", str(cohort), "export", "--format", "xlsx", "--detail", "attempts", "-o", str(book))[0] == 0
    rows = sheet(book, "Percobaan")
    assert [(r["status"], r["dijawab"]) for r in rows if r["nama"] == "Cici"] == [("belum selesai", 1)]
