"""Reports to print and file (issue 20): a trainee's record as a PDF, read back with pdftotext;
its figures equal `report trainee --json`; fonts embedded; what a person typed stays text."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from latsar.errors import Blocked
from latsar.services.presentation import format_duration, format_time
from tests.helpers import MP1_KEY, MP2_KEY, take

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

NIP = "199001012020122001"
# A name a typesetter could read as markup: Typst's code, emphasis, math and a label.
HOSTILE = 'Dedi #panic("x") *tebal* $x$ <l> @ref'


@pytest.fixture
def clock():
    """Time moves three minutes on every look, so durations are not all zero."""
    now = [datetime(2026, 11, 3, 1, 0, tzinfo=UTC)]

    def tick() -> datetime:
        now[0] += timedelta(minutes=3)
        return now[0]

    return tick


def read_everything_open(svc, me) -> None:
    """Open and read every section the gate has opened; the clock's three minutes between the
    two looks are longer than any section needs (the longest: ~2 minutes at 600 words a minute)."""
    for s in svc.course.sections:
        with contextlib.suppress(Blocked):  # behind an evaluation not passed yet
            me.reading.open(s.id)
            assert me.reading.complete(s.id).counted


@pytest.fixture
def cohort(svc, tmp_path):
    """Ani passed MP1 on her second attempt and MP2; Budi failed MP1 once; Cici has MP1 open
    with one answer; Dedi (a hostile name) has done nothing."""
    ani = svc.learners.add("Ani Rahmawati, S.Kom.", NIP, "Angkatan 7", "BKD Provinsi Kalimantan Timur")
    budi = svc.learners.add("Budi", None, "Angkatan 7")
    cici = svc.learners.add("Cici", None, "Angkatan 7")
    svc.learners.add(HOSTILE, None, "Angkatan 7")
    me = svc.trainee(ani.id)
    read_everything_open(svc, me)
    take(me, "mp1", "bccbacaaaa")
    read_everything_open(svc, me)
    take(me, "mp1", MP1_KEY)
    read_everything_open(svc, me)
    take(me, "mp2", MP2_KEY)
    take(svc.trainee(budi.id), "mp1", "bccbacaaaa")
    view = svc.trainee(cici.id).attempts.start_or_resume("mp1")
    svc.trainee(cici.id).attempts.answer(view.id, view.presented[0].question.id, view.presented[0].canonical("a"))
    svc.close()
    return tmp_path / "latsar.db"


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_a_trainees_record_says_what_the_json_says(cli, cohort, tmp_path):
    code, out, err = cli("--db", str(cohort), "report", "trainee", NIP, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["learner"] == {"id": 1, "name": "Ani Rahmawati, S.Kom.", "nip": NIP, "cohort": "Angkatan 7", "instansi": "BKD Provinsi Kalimantan Timur"}
    mp1, mp2 = data["evaluations"]["mp1"], data["evaluations"]["mp2"]
    assert [(a["percent"], a["passed"]) for a in mp1["attempts"]] == [(70, False), (100, True)]
    assert (mp1["best_percent"], mp1["passed"], mp2["best_percent"], mp2["passed"]) == (100, True, 100, True)
    assert data["reading"]["read"] == data["reading"]["total"] == 23
    assert data["result"]["module_complete"] is True

    pdf = tmp_path / "ani.pdf"
    code, out, err = cli("--db", str(cohort), "report", "trainee", NIP, "-o", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = text_of(pdf)
    flat = squeezed(text)
    for said in ("Ani Rahmawati, S.Kom.", f"NIP {NIP}", "Angkatan Angkatan 7", "Instansi BKD Provinsi Kalimantan Timur"):
        assert said in flat
    # Every attempt, with its dates, score and duration as the JSON has them.
    for a in [*mp1["attempts"], *mp2["attempts"]]:
        started, finished = (format_time(datetime.fromisoformat(a[k])) for k in ("started_at", "finished_at"))
        result = "lulus" if a["passed"] else "belum lulus"
        line = f"{a['number']} {started} {finished} {format_duration(a['seconds'])} {a['correct']}/{a['total']} {a['percent']}% {result}"
        assert line in flat, line
    assert "lulus · terbaik 10/10 (100%) (batas lulus 80%)" in flat
    # The module's own words, for each evaluation.
    assert squeezed(f"“{mp1['feedback']}”") in flat and squeezed(f"“{mp2['feedback']}”") in flat
    # Reading: the count, every section with when it was last read.
    assert "Bagian dibaca: 23 dari 23." in flat
    for s in data["reading"]["sections"]:
        assert format_time(datetime.fromisoformat(s["last_read_at"])) in flat
    # Practice and time on task, the same figures.
    assert f"Belum pernah dilatih {data['practice']['new']}" in flat
    t = data["time_on_task"]
    assert t["evaluation_seconds"] > 0
    assert f"Membaca modul {format_duration(t['reading_seconds'])}" in flat
    assert f"Mengerjakan evaluasi (percobaan selesai) {format_duration(t['evaluation_seconds'])}" in flat
    assert data["result"]["said"] in flat
    assert "Halaman 1" in text


def test_the_pdf_embeds_its_fonts(cli, cohort, tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    pdf = tmp_path / "ani.pdf"
    assert cli("--db", str(cohort), "report", "trainee", NIP, "-o", str(pdf))[0] == 0
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line


def test_an_unfinished_attempt_and_a_failed_one_are_on_the_record(cli, cohort, tmp_path):
    code, out, _ = cli("--db", str(cohort), "report", "trainee", "3", "--json")
    (attempt,) = json.loads(out)["evaluations"]["mp1"]["attempts"]
    assert (attempt["finished_at"], attempt["percent"], attempt["passed"]) == (None, None, None)
    pdf = tmp_path / "cici.pdf"
    assert cli("--db", str(cohort), "report", "trainee", "3", "-o", str(pdf))[0] == 0
    flat = squeezed(text_of(pdf))
    assert "sedang dikerjakan, 1/10 dijawab" in flat
    assert "Lanjutkan Evaluasi MP1 yang belum selesai (1 dari 10 soal dijawab)." in flat
    pdf = tmp_path / "budi.pdf"
    assert cli("--db", str(cohort), "report", "trainee", "2", "-o", str(pdf))[0] == 0
    flat = squeezed(text_of(pdf))
    assert "Tingkat penguasaan Anda masih di bawah 80%" in flat and "70% belum lulus" in flat


def test_a_whole_cohort_as_one_document_or_one_pdf_each(cli, cohort, tmp_path):
    one = tmp_path / "angkatan.pdf"
    code, out, err = cli("--db", str(cohort), "report", "trainee", "--cohort", "angkatan 7", "-o", str(one))
    assert code == 0, err
    assert "Catatan 4 peserta" in out
    text = text_of(one)
    pages = text.split("\f")
    # Each trainee starts a page of their own, numbered from 1.
    firsts = [p.strip().splitlines()[0] for p in pages if p.strip() and "Catatan peserta" in p]
    assert firsts == ["Ani Rahmawati, S.Kom.", "Budi", "Cici", HOSTILE]
    assert text.count("Halaman 1") == 4
    folder = tmp_path / "per-peserta"
    folder.mkdir()
    code, out, err = cli("--db", str(cohort), "report", "trainee", "--cohort", "angkatan 7", "-o", str(folder))
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{NIP}-ani-rahmawati-s-kom.pdf", "id2-budi.pdf", "id3-cici.pdf", "id4-dedi-panic-x-tebal-x-l-ref.pdf"]
    assert HOSTILE in text_of(folder / names[-1])


def test_asking_wrongly_is_said(cli, cohort, tmp_path):
    code, _, err = cli("--db", str(cohort), "report", "trainee", NIP)
    assert code != 0 and "-o LAPORAN.pdf" in err
    code, _, err = cli("--db", str(cohort), "report", "trainee", NIP, "--cohort", "angkatan 7", "-o", str(tmp_path / "x.pdf"))
    assert code != 0 and "Pilih satu" in err
    code, _, err = cli("--db", str(cohort), "report", "trainee", NIP, "-o", str(tmp_path / "x.txt"))
    assert code != 0 and "PDF" in err and not (tmp_path / "x.txt").exists()


# -- the cohort report -------------------------------------------------------------------------------


def present(db: Path, *sessions: tuple[int, str, str]) -> None:
    """Classroom sessions as `latsar serve` writes them: (learner id, started, last seen), UTC."""
    con = sqlite3.connect(db)
    con.executemany(
        "INSERT INTO live_session (id, learner_id, node, started_at, seen_at, activity) VALUES (?, ?, 'test', ?, ?, 'home')",
        [(f"s{i}", lid, a, b) for i, (lid, a, b) in enumerate(sessions)],
    )
    con.commit()
    con.close()


def test_the_cohort_report_says_what_the_json_says(cli, cohort, tmp_path):
    present(cohort, (1, "2026-11-03 01:00:00", "2026-11-03 04:00:00"), (2, "2026-11-03 01:05:00", "2026-11-03 02:00:00"), (1, "2026-11-04 01:00:00", "2026-11-04 03:00:00"))
    code, out, err = cli("--db", str(cohort), "report", "cohort", "--cohort", "angkatan 7", "--json")
    assert code == 0, err
    (d,) = json.loads(out)
    mp1, mp2 = d["distribution"]
    assert (mp1["registered"], mp1["attempted"], mp1["passed"], mp1["pass_rate"], mp1["pass_rate_attempted"]) == (4, 2, 1, 25, 50)
    assert [b["count"] for b in mp1["bins"]] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 1]  # Budi 70, Ani 100 (the last band holds 100)
    assert (mp2["attempted"], mp2["passed"], mp2["pass_rate"]) == (1, 1, 25)
    assert [p["name"] for p in d["not_started"]] == [HOSTILE]
    assert [(u["name"], u["left"][0]) for u in d["not_finished"]] == [
        ("Budi", "Evaluasi MP1 belum lulus (terbaik 70%)"),
        ("Cici", "Evaluasi MP1 sedang dikerjakan (1/10 dijawab)"),
    ]
    assert [(o["name"], o["evaluation"], o["answered"], o["total"]) for o in d["open_attempts"]] == [("Cici", "Evaluasi MP1", 1, 10)]
    days = d["attendance"]["days"]
    assert [(x["present"], x["registered"]) for x in days] == [(2, 4), (1, 4)]
    first = next(s for s in d["reading_by_section"] if s["id"] == "pengantar")
    assert (first["opened"], first["read"]) == (1, 1)  # Ani only

    pdf = tmp_path / "angkatan.pdf"
    code, out, err = cli("--db", str(cohort), "report", "cohort", "--cohort", "angkatan 7", "-o", str(pdf))
    assert code == 0, err
    flat = squeezed(text_of(pdf))
    assert "Laporan angkatan: Angkatan 7" in flat
    for dist in d["distribution"]:
        assert f"{dist['name']} {dist['pass_rate']}% ({dist['passed']}/{dist['registered']})" in flat
        assert f"{dist['name']}: sebaran skor terbaik ({dist['attempted']} peserta mengerjakan)" in flat
    assert f"Belum mulai (1): {HOSTILE} (id 4)." in flat
    assert "Cici id 3 Evaluasi MP1 sedang dikerjakan (1/10 dijawab)" in flat
    assert "Cici (id 3) Evaluasi MP1 1/10" in flat
    assert "Peserta yang hadir per hari kelas" in flat and "2/4" in flat and "1/4" in flat
    assert f"Kata Pengantar {first['read']}/4 (dibuka {first['opened']})" in flat
    for it in d["items"].values():
        for line in it["reading"]:
            assert squeezed(line) in flat


def test_figures_by_hand():
    """Best scores fall in bands of ten (100 in the last); a session seen past local midnight
    counts on both days; nobody outside the cohort is counted."""
    from latsar.assessment.records import PresenceRecord, SummaryRow
    from latsar.course import load_course
    from latsar.paths import shipped_pack
    from latsar.services.instructor.figures import attendance, distribution

    course = load_course(shipped_pack())
    t = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)

    def row(lid: int, best: int | None, passed: bool) -> SummaryRow:
        return SummaryRow(f"P{lid}", None, "A", None, (best, None), (0 if best is None else 1, 0), (t if passed else None, None), 0, None, lid)

    rows = [row(1, 100, True), row(2, 90, True), row(3, 79, False), row(4, 0, False), row(5, None, False)]
    dist = distribution(0, course.evaluations[0], rows)
    assert dist.bins == (1, 0, 0, 0, 0, 0, 0, 1, 0, 2) and (dist.attempted, dist.passed, dist.pass_rate) == (4, 2, 40)
    from latsar.exchange.tabular import local

    start = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    end = start + timedelta(hours=20)
    a = attendance(rows, [PresenceRecord(1, start, end), PresenceRecord(99, start, end)])
    assert a.days == tuple(sorted({local(start).date(), local(end).date()}))
    assert all(a.count(day) == 1 for day in a.days) and set(a.present) == {1}


def test_the_journal_is_in_the_trainees_record(cli, svc, tmp_path, monkeypatch):
    """Issue 21: the per-trainee record carries the habituation journal, each entry at its
    current version with the coach's verdict and comment, as the JSON says."""
    from tests.test_journal import draft

    ani = svc.learners.add("Ani Lestari", NIP, "Angkatan 7")
    journal = svc.trainee(ani.id).journal
    first = journal.write(draft("kebutuhan", "Seorang pemohon lansia menunggu lama di loket."))
    journal.write(draft("perbaikan", "Antrean berkas menumpuk setiap Senin pagi."), share=True)
    svc.passphrase.set("rahasia-pengampu")
    coach = svc.instructor("rahasia-pengampu").journal
    coach.review(first.record.id, None, "perlu diperbaiki", "Tulis hasilnya bagi pemohon, bukan bagi kantor.")
    svc.close()
    db = tmp_path / "latsar.db"
    monkeypatch.setenv("LATSAR_PASSPHRASE", "rahasia-pengampu")

    code, out, err = cli("--db", str(db), "report", "trainee", NIP, "--json")
    assert code == 0, err
    data = json.loads(out)["journal"]
    assert (data["done"], data["total"]) == (0, 3)
    by_id = {b["id"]: b for b in data["behaviours"]}
    assert [e["situation"] for e in by_id["kebutuhan"]["entries"]] == ["Seorang pemohon lansia menunggu lama di loket."]
    assert by_id["kebutuhan"]["needs_revision"] == 1 and by_id["perbaikan"]["waiting"] == 1 and by_id["ramah"]["entries"] == []

    code, _, err = cli("--db", str(db), "report", "trainee", NIP, "-o", str(tmp_path / "ani.pdf"))
    assert code == 0, err
    text = squeezed(text_of(tmp_path / "ani.pdf"))
    assert "Jurnal aktualisasi" in text and "Aktualisasi 0/3" in text
    for words in ("Seorang pemohon lansia menunggu lama di loket.", "Antrean berkas menumpuk setiap Senin pagi.",
                  "Catatan coach: Tulis hasilnya bagi pemohon, bukan bagi kantor.", "perlu diperbaiki", "dibagikan di kelas", "Belum ada entri."):
        assert words in text, words


def test_the_cohort_pdf_counts_the_journal_per_behaviour(cli, svc, tmp_path, monkeypatch):
    """Issue 21: the cohort report counts entries and verdicts per behaviour, in the PDF as in --json."""
    from tests.test_journal import draft

    ani = svc.trainee(svc.learners.add("Ani Lestari", NIP, "Angkatan 7").id).journal
    budi = svc.trainee(svc.learners.add("Budi", None, "Angkatan 7").id).journal
    first = ani.write(draft("kebutuhan"))
    ani.write(draft("ramah"), share=True)
    budi.write(draft("kebutuhan"))
    svc.passphrase.set("rahasia-pengampu")
    svc.instructor("rahasia-pengampu").journal.review(first.record.id, None, "sesuai")
    svc.close()
    db = tmp_path / "latsar.db"
    monkeypatch.setenv("LATSAR_PASSPHRASE", "rahasia-pengampu")

    code, out, err = cli("--db", str(db), "report", "cohort", "--cohort", "Angkatan 7", "--json")
    assert code == 0, err
    (group,) = json.loads(out)
    kebutuhan = next(b for b in group["journal"]["behaviours"] if b["id"] == "kebutuhan")
    assert (kebutuhan["entries"], kebutuhan["trainees"], kebutuhan["sesuai"], kebutuhan["menunggu"]) == (2, 2, 1, 1)
    code, _, err = cli("--db", str(db), "report", "cohort", "--cohort", "Angkatan 7", "-o", str(tmp_path / "c.pdf"))
    assert code == 0, err
    text = squeezed(text_of(tmp_path / "c.pdf"))
    assert "Jurnal aktualisasi" in text and "1 entri dibagikan di kelas" in text
    # entries, trainees, sesuai, perlu diperbaiki, menunggu, reached the target (titles may wrap)
    assert re.search(r"a\. Memahami dan Memenuhi Kebutuhan (Masyarakat )?2 2 1 0 1 1 ", text), text[text.find("Jurnal aktualisasi"):][:600]
    assert re.search(r"b\. Ramah, Cekatan, Solutif, dan Dapat (Diandalkan )?1 1 0 0 1 0 ", text)
