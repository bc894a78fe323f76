"""The habituation journal below the TUI: its rules in the services, the plain terminal's
`latsar jurnal` (the "Done when" walk: three entries, the coach's review behind the passphrase,
a revision, "Aktualisasi 3/3"), and journals travelling from offline laptops in results files."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from latsar.assessment.journal import EntryStatus, Verdict
from latsar.errors import DataError, NotFound, UsageError
from latsar.services import open_services
from latsar.services.journal import Draft

PASSPHRASE = "rahasia-pengampu"
ANI = "199001012020122001"
BUDI = "199203152019031004"


def draft(behaviour: str = "kebutuhan", situation: str = "Seorang pemohon datang tanpa berkas lengkap.", **parts: str) -> Draft:
    return Draft(
        behaviour,
        parts.get("day", ""),
        situation,
        parts.get("action", "Saya jelaskan syaratnya satu per satu."),
        parts.get("result", "Berkasnya lengkap hari itu juga."),
        parts.get("improvement", "Siapkan daftar syarat tertulis di loket."),
    )


@pytest.fixture
def coach(svc):
    svc.passphrase.set(PASSPHRASE)
    return svc.instructor(PASSPHRASE).journal


@pytest.fixture
def ani(svc):
    return svc.trainee(svc.learners.add("Ani Lestari", ANI, "Angkatan 7").id).journal


# -- the rules, in the services ----------------------------------------------------------------------


def test_what_an_entry_may_hold(ani):
    with pytest.raises(UsageError, match="Situasi memuat deret angka panjang"):
        ani.write(draft(situation="Warga dengan NIK 3174 0123 4567 8901 datang."))
    with pytest.raises(UsageError, match="Hasil bagi yang dilayani memuat alamat email"):
        ani.write(draft(result="Balasan dikirim ke warga@contoh.id."))
    with pytest.raises(UsageError, match="Lain kali lebih baik wajib diisi"):
        ani.write(draft(improvement="   "))
    with pytest.raises(UsageError, match="masa depan"):
        ani.write(draft(day=(ani.today() + timedelta(days=3)).isoformat()))
    with pytest.raises(UsageError, match="tidak dikenal"):
        ani.write(draft(behaviour="z"))
    with pytest.raises(UsageError, match="paling banyak|terlalu panjang|karakter"):
        ani.write(draft(action="x" * 1001))
    assert ani.entries() == []
    written = ani.write(draft(behaviour="b"))  # a letter in the module's order names the behaviour
    assert written.record.content.behaviour == "ramah" and written.record.status is EntryStatus.WAITING


def test_the_coach_judges_the_version_read_and_a_sesuai_entry_is_final(svc, ani, coach):
    entry = ani.write(draft()).record
    with pytest.raises(UsageError, match="Tulis komentar"):
        coach.review(entry.id, 1, Verdict.PERLU_DIPERBAIKI, "")
    coach.review(entry.id, 1, "perlu diperbaiki", "Sebutkan hasilnya bagi pemohon.")
    revised = ani.revise(entry.id, draft(result="Pemohon pulang membawa izinnya."), version=1)
    assert [v.version for v in revised.versions] == [1, 2] and revised.record.status is EntryStatus.WAITING
    assert revised.versions[0].reviews[0].comment == "Sebutkan hasilnya bagi pemohon."  # the history stays
    with pytest.raises(UsageError, match="baru saja diubah peserta"):
        coach.review(entry.id, 1, "sesuai")  # the coach read version 1; version 2 is not judged unread
    with pytest.raises(UsageError, match="sudah berubah"):
        ani.revise(entry.id, draft(result="Lagi."), version=1)  # another window saw version 1
    assert ani.revise(entry.id, draft(result="Pemohon pulang membawa izinnya."), version=2).record.version == 2  # same text: nothing new
    coach.review(entry.id, 2, "sesuai")
    with pytest.raises(UsageError, match="tidak diubah lagi"):
        ani.revise(entry.id, draft(result="Sesudah sesuai."))
    assert ani.entry(entry.id).record.status is EntryStatus.ACCEPTED


def test_a_trainee_reaches_only_her_own_entries_and_shares_only_by_choice(svc, ani, coach):
    budi = svc.trainee(svc.learners.add("Budi Santoso", BUDI, "Angkatan 8").id).journal
    his = budi.write(draft(situation="Antrean loket Senin pagi."), share=False).record
    with pytest.raises(NotFound):
        ani.entry(his.id)
    with pytest.raises(NotFound):
        ani.share(his.id)
    mine = ani.write(draft(behaviour="perbaikan")).record
    assert coach.shared() == []
    ani.share(mine.id)
    assert [e.id for e in coach.shared()] == [mine.id]
    assert [e.id for e in coach.shared("Angkatan 8")] == []
    ani.share(mine.id, False)
    assert coach.shared() == []


def test_the_queue_is_oldest_first_by_cohort(svc, ani, coach, monkeypatch):
    budi = svc.trainee(svc.learners.add("Budi Santoso", BUDI, "Angkatan 8").id).journal
    first = budi.write(draft(situation="Yang pertama.")).record
    second = ani.write(draft(situation="Yang kedua.")).record
    third = budi.write(draft(behaviour="ramah", situation="Yang ketiga.")).record
    assert [e.id for e in coach.queue()] == [first.id, second.id, third.id]
    assert [e.id for e in coach.queue("Angkatan 8")] == [first.id, third.id]
    coach.review(first.id, 1, "sesuai")
    assert [e.id for e in coach.queue()] == [second.id, third.id]


# -- the plain terminal: the "Done when" walk -----------------------------------------------------------


def jcli(cli: Any, db: Path, *args: str, input: str | None = None) -> Any:
    code, out, err = cli("--db", str(db), *args, input=input)
    assert code == 0, err
    return json.loads(out) if "--json" in args else out


def test_the_done_when_walk_in_the_plain_terminal(cli, tmp_path, monkeypatch):
    db = tmp_path / "latsar.db"
    svc = open_services(db)
    svc.learners.add("Ani Lestari", ANI, "Angkatan 7")
    svc.passphrase.set(PASSPHRASE)
    svc.close()
    monkeypatch.setenv("LATSAR_PASSPHRASE", PASSPHRASE)

    # Three entries, one per behaviour: as options, from standard input, and shared.
    a = jcli(
        cli,
        db,
        "jurnal",
        "tambah",
        "--perilaku",
        "a",
        "--situasi",
        "Pemohon lansia datang.",
        "--tindakan",
        "Saya bantu isi formulir.",
        "--hasil",
        "Selesai hari itu.",
        "--perbaikan",
        "Sediakan kursi.",
        "--json",
    )
    b = jcli(cli, db, "jurnal", "tambah", "--perilaku", "ramah", "--json", input="Warga bingung prosedur.\nSaya jelaskan ramah.\nWarga paham.\nBuat brosur.\n")
    c = jcli(cli, db, "jurnal", "tambah", "--perilaku", "c", "--bagikan", "--json", input="Antrean panjang.\nSaya usulkan nomor daring.\nTunggu lebih singkat.\nUkur lagi.\n")
    assert (a["behaviour"], b["behaviour"], c["behaviour"]) == ("kebutuhan", "ramah", "perbaikan")
    assert (b["situation"], b["improvement"], c["shared"]) == ("Warga bingung prosedur.", "Buat brosur.", True)
    listed = jcli(cli, db, "jurnal", "list", "--json")
    assert [e["id"] for e in listed["entries"]] == [a["id"], b["id"], c["id"]] and listed["journal"]["done"] == 0
    code, _, err = cli("--db", str(db), "jurnal", "tambah", "--perilaku", "a", "--situasi", "Telp 081234567890", "--tindakan", "x", "--hasil", "y", "--perbaikan", "z")
    assert code == 2 and "data pribadi" in err and "Traceback" not in err

    # The coach, behind the passphrase: the queue oldest first; one "perlu diperbaiki".
    queue = jcli(cli, db, "jurnal", "antrean", "--json")
    assert [e["id"] for e in queue] == [a["id"], b["id"], c["id"]]
    assert "Menunggu tinjauan: 3 entri" in jcli(cli, db, "jurnal", "antrean")
    code, _, err = cli("--db", str(db), "jurnal", "tinjau", str(a["id"]), "--putusan", "perlu-diperbaiki")
    assert code == 2 and "Tulis komentar" in err
    out = jcli(cli, db, "jurnal", "tinjau", str(a["id"]), "--putusan", "perlu-diperbaiki", "--komentar", "Apa kebutuhan pemohon yang Anda pahami?")
    assert "perlu diperbaiki" in out
    for entry in (b, c):
        jcli(cli, db, "jurnal", "tinjau", str(entry["id"]), "--putusan", "sesuai")
    assert "Aktualisasi 2/3" in jcli(cli, db, "progress")

    # The trainee reads the comment, revises (only the part given changes), the coach agrees.
    shown = jcli(cli, db, "jurnal", "show", str(a["id"]), "--json")
    assert (shown["status"], shown["comment"], shown["editable"]) == ("needs_revision", "Apa kebutuhan pemohon yang Anda pahami?", True)
    revised = jcli(cli, db, "jurnal", "ubah", str(a["id"]), "--hasil", "Ia butuh kursi dan waktu; keduanya ada, urusannya selesai.", "--json")
    assert revised["version"] == 2 and revised["situation"] == "Pemohon lansia datang." and revised["status"] == "waiting"
    assert [v["reviews"][0]["verdict"] if v["reviews"] else None for v in revised["versions"]] == ["perlu_diperbaiki", None]
    code, _, err = cli("--db", str(db), "jurnal", "ubah", str(b["id"]), "--hasil", "Lagi.")
    assert code == 2 and "tidak diubah lagi" in err  # "sesuai" is final
    jcli(cli, db, "jurnal", "tinjau", str(a["id"]), "--versi", "2", "--putusan", "sesuai")
    progress = jcli(cli, db, "progress", "--json")
    assert progress["journal"]["done"] == 3 and progress["journal"]["complete"] is True
    assert "Aktualisasi 3/3" in jcli(cli, db, "progress")


def test_without_the_passphrase_the_coach_s_commands_refuse(cli, tmp_path, monkeypatch):
    db = tmp_path / "latsar.db"
    svc = open_services(db)
    svc.trainee(svc.learners.add("Ani Lestari", ANI).id).journal.write(draft())
    svc.passphrase.set(PASSPHRASE)
    svc.close()
    monkeypatch.setenv("LATSAR_PASSPHRASE", "bukan-ini")
    for args in (("jurnal", "antrean"), ("jurnal", "tinjau", "1", "--putusan", "sesuai")):
        code, out, err = cli("--db", str(db), *args)
        assert code != 0 and "salah" in err and "Seorang pemohon" not in out
    verdicts = sqlite3.connect(db).execute("SELECT count(*) FROM journal_review").fetchone()
    assert verdicts == (0,)


# -- offline laptops: the journal travels in the results file ---------------------------------------------


def laptop(tmp_path: Path, name: str = "Ani Lestari", nip: str | None = ANI) -> Any:
    svc = open_services(tmp_path / f"laptop-{name.split()[0]}.db")
    return svc.trainee(svc.learners.add(name, nip, "Angkatan 7").id)


def carried(me: Any, path: Path) -> Path:
    me.export_results(path)
    return path


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        entries, versions = con.execute("SELECT (SELECT count(*) FROM journal_entry), (SELECT count(*) FROM journal_version)").fetchone()
        shared = con.execute("SELECT count(*) FROM journal_entry WHERE shared").fetchone()[0]
    finally:
        con.close()
    return entries, versions, shared


@pytest.fixture
def teacher(tmp_path):
    svc = open_services(tmp_path / "pengampu.db")
    svc.learners.add("Ani Lestari", ANI, "Angkatan 7")
    svc.passphrase.set(PASSPHRASE)
    yield svc
    svc.close()


def test_a_journal_travels_and_importing_twice_changes_nothing(tmp_path, teacher, cli, monkeypatch):
    me = laptop(tmp_path)
    a = me.journal.write(draft()).record
    me.journal.revise(a.id, draft(result="Berkas lengkap; izinnya terbit."))
    me.journal.write(draft(behaviour="perbaikan", situation="Antrean Senin pagi."), share=True)
    path = carried(me, tmp_path / "hasil-ani.json")
    assert [len(e["versions"]) for e in json.loads(path.read_text())["journal"]] == [2, 1]

    db = tmp_path / "pengampu.db"
    monkeypatch.setenv("LATSAR_PASSPHRASE", PASSPHRASE)
    code, out, err = cli("--db", str(db), "results", "import", str(path))
    assert code == 0, err
    assert "jurnal: 2 entri baru, 0 versi baru" in out
    assert counts(db) == (2, 3, 1)
    code, out, _ = cli("--db", str(db), "results", "import", str(path))
    assert code == 0 and "jurnal:" not in out  # nothing new
    assert counts(db) == (2, 3, 1)

    coach = teacher.instructor(PASSPHRASE).journal
    here = {e.content.situation: e for e in coach.queue()}
    assert set(here) == {"Seorang pemohon datang tanpa berkas lengkap.", "Antrean Senin pagi."}
    revised = here["Seorang pemohon datang tanpa berkas lengkap."]
    assert (revised.version, revised.content.result, revised.name) == (2, "Berkas lengkap; izinnya terbit.", "Ani Lestari")
    assert [e.content.situation for e in coach.shared()] == ["Antrean Senin pagi."]
    # The coach reviews it here; reviews stay here (they never travel in the trainee's file).
    coach.review(revised.id, 2, "perlu diperbaiki", "Apa hasilnya bagi pemohon?")
    code, out, _ = cli("--db", str(db), "results", "import", str(path))
    assert code == 0 and coach.entry(revised.id).record.status is EntryStatus.NEEDS_REVISION


def test_a_revision_replaces_its_earlier_version_only_by_its_own_id_and_version(tmp_path, teacher):
    me = laptop(tmp_path)
    a = me.journal.write(draft(situation="Entri A.")).record
    b = me.journal.write(draft(behaviour="ramah", situation="Entri B.")).record
    first = carried(me, tmp_path / "hasil-1.json")
    results = teacher.instructor(PASSPHRASE).results
    results.import_file(first)
    me.journal.revise(a.id, draft(situation="Entri A, ditulis ulang."))
    me.journal.share(b.id)
    later = carried(me, tmp_path / "hasil-2.json")

    report = results.import_file(later)
    assert (report.journal_added, report.journal_revised) == (0, 1)
    coach = teacher.instructor(PASSPHRASE).journal
    by_text = {e.content.situation: e for e in coach.queue()}
    assert set(by_text) == {"Entri A, ditulis ulang.", "Entri B."}
    assert by_text["Entri A, ditulis ulang."].version == 2 and by_text["Entri B."].version == 1
    assert [v.content.situation for v in coach.entry(by_text["Entri A, ditulis ulang."].id).versions] == ["Entri A.", "Entri A, ditulis ulang."]
    assert [e.content.situation for e in coach.shared()] == ["Entri B."]  # the later choice to share travels too
    # The older file, imported after the newer one, takes nothing back.
    again = results.import_file(first)
    assert (again.journal_added, again.journal_revised) == (0, 0)
    assert counts(tmp_path / "pengampu.db") == (2, 3, 1)


def edited(path: Path, change: Any) -> Path:
    """The results file with ``change`` applied to its data and its digest sealed again (what a
    clumsy editor or a second laptop could produce: only the checks against this database stand)."""
    from latsar.exchange.bundle import seal

    data = json.loads(path.read_text())
    data.pop("digest")
    change(data)
    path.write_text(json.dumps(seal(data)))
    return path


def test_a_file_whose_version_differs_from_the_one_here_is_refused_whole(tmp_path, teacher):
    me = laptop(tmp_path)
    me.journal.write(draft(situation="Asli."))
    path = carried(me, tmp_path / "hasil.json")
    results = teacher.instructor(PASSPHRASE).results
    results.import_file(path)

    def rewrite(data: dict[str, Any]) -> None:
        data["journal"][0]["versions"][0]["situation"] = "Diubah diam-diam."
        data["attempts"] = []

    with pytest.raises(DataError, match="versi 1 sudah tercatat di sini dengan isi lain"):
        results.import_file(edited(path, rewrite))
    assert [e.content.situation for e in teacher.instructor(PASSPHRASE).journal.queue()] == ["Asli."]


def test_an_entry_is_never_misattributed(tmp_path, teacher):
    teacher.learners.add("Budi Santoso", BUDI, "Angkatan 7")
    me = laptop(tmp_path)
    me.journal.write(draft(situation="Milik Ani."))
    path = carried(me, tmp_path / "hasil.json")
    results = teacher.instructor(PASSPHRASE).results
    results.import_file(path)

    def as_budi(data: dict[str, Any]) -> None:
        data["learner"].update(name="Budi Santoso", nip=BUDI)

    with pytest.raises(DataError, match="atas nama peserta lain"):
        results.import_file(edited(path, as_budi))
    assert {e.name for e in teacher.instructor(PASSPHRASE).journal.queue()} == {"Ani Lestari"}


def test_personal_data_in_a_file_is_refused_as_it_is_when_typed(tmp_path, teacher):
    me = laptop(tmp_path)
    me.journal.write(draft())
    path = carried(me, tmp_path / "hasil.json")

    def phone(data: dict[str, Any]) -> None:
        data["journal"][0]["versions"][0]["action"] = "Saya telepon 0812-3456-7890."

    with pytest.raises(DataError, match="ditolak seluruhnya.*data pribadi"):
        teacher.instructor(PASSPHRASE).results.import_file(edited(path, phone))
    assert counts(tmp_path / "pengampu.db") == (0, 0, 0)


# -- reports and exports --------------------------------------------------------------------------------


def test_the_cohort_report_and_the_journal_export(cli, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    db = tmp_path / "latsar.db"
    svc = open_services(db)
    ani_j = svc.trainee(svc.learners.add("Ani Lestari", ANI, "Angkatan 7").id).journal
    budi_j = svc.trainee(svc.learners.add("Budi Santoso", BUDI, "Angkatan 7").id).journal
    svc.passphrase.set(PASSPHRASE)
    coach = svc.instructor(PASSPHRASE).journal
    first = ani_j.write(draft(situation='=HYPERLINK("http://x","klik") di formulir')).record
    coach.review(first.id, 1, "sesuai")
    second = budi_j.write(draft()).record
    coach.review(second.id, 1, "perlu diperbaiki", "Apa hasilnya?")
    budi_j.write(draft(behaviour="ramah"), share=True)
    svc.close()
    monkeypatch.setenv("LATSAR_PASSPHRASE", PASSPHRASE)

    (glance,) = jcli(cli, db, "report", "cohort", "--cohort", "Angkatan 7", "--json")
    journal = glance["journal"]
    by_id = {b["id"]: b for b in journal["behaviours"]}
    assert (by_id["kebutuhan"]["entries"], by_id["kebutuhan"]["sesuai"], by_id["kebutuhan"]["perlu_diperbaiki"]) == (2, 1, 1)
    assert (by_id["ramah"]["menunggu"], by_id["ramah"]["trainees"], journal["shared"], journal["complete"]) == (1, 1, 1, 0)

    out = tmp_path / "jurnal.csv"
    jcli(cli, db, "export", "--detail", "journal", "--format", "csv", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("nama,nip,angkatan,perilaku") and ",situasi," in text and ",komentar_coach," in text and "Apa hasilnya?" in text
    assert "'=HYPERLINK" in text  # a cell that would be a formula is written as text
    xlsx = tmp_path / "jurnal.xlsx"
    jcli(cli, db, "export", "--detail", "journal", "--format", "xlsx", "-o", str(xlsx))
    sheet = load_workbook(xlsx, read_only=True)["Jurnal"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and "situasi" in rows[0]
    situations = [r[rows[0].index("situasi")] for r in rows[1:]]
    assert '=HYPERLINK("http://x","klik") di formulir' in situations  # a string cell, never a formula
