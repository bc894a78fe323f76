"""Instructor tools: roster, cohort export, results files between machines, item analysis, GIFT."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from latsar.assessment.items import analyse
from latsar.course import load_course
from latsar.errors import UsageError
from latsar.paths import shipped_pack
from latsar.services import open_services
from tests.conftest import Clock
from tests.helpers import MP1_KEY, read_through, results_of, take

EVIL = ['=HYPERLINK("http://x","klik")', "+62 811", "-Budi", "@SUM(A1)", "\tTab", "\rCR"]


# -- roster -----------------------------------------------------------------------------------------


def write_csv(path: Path, rows, header=("nama", "nip", "angkatan", "instansi")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_roster_import_all_or_nothing_with_row_numbers(cli, tmp_path):
    roster = write_csv(tmp_path / "r.csv", [
        ("Ani", "199001012020122001", "A7", "BKD"),
        ("", "199001012020121003", "A7", ""),
        ("Cici", "12345", "A7", ""),
        ("Dedi", "", "A7", "Dinkes"),
    ])
    code, _, err = cli("learner", "import", str(roster))
    assert code == 4 and "baris 3: nama kosong" in err and "baris 4: NIP '12345' tidak sah" in err
    assert json.loads(cli("learner", "list", "--json")[1]) == []
    code, out, err = cli("learner", "import", str(roster), "--skip-invalid")
    assert code == 0 and "2 peserta baru" in out and "2 baris dilewati" in out
    code, out, _ = cli("learner", "import", str(roster), "--skip-invalid")
    assert code == 0 and "0 peserta baru, 2 sudah ada" in out
    names = [l["name"] for l in json.loads(cli("learner", "list", "--json")[1])]
    assert names == ["Ani", "Dedi"]


def test_roster_from_xlsx_with_english_headers(cli, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "NIP", "Cohort", "Institution"])
    ws.append(["Eka", "199001012020122001", "B1", "Kemenkes"])
    ws.append(["Fajar", None, "B1", None])
    ws.append(["Gilang", 199001012020121003, "B1", None])  # a number: Excel keeps only 15 digits
    wb.save(tmp_path / "r.xlsx")
    code, _, err = cli("learner", "import", str(tmp_path / "r.xlsx"))
    assert code == 4 and "baris 4: NIP tersimpan sebagai angka" in err
    code, out, _ = cli("learner", "import", str(tmp_path / "r.xlsx"), "--skip-invalid")
    assert code == 0 and "2 peserta baru" in out
    learners = json.loads(cli("learner", "list", "--json", "--cohort", "B1")[1])
    assert [(l["name"], l["nip"], l["instansi"]) for l in learners] == [("Eka", "199001012020122001", "Kemenkes"), ("Fajar", None, None)]


def test_roster_errors_are_one_sentence(cli, tmp_path):
    (tmp_path / "x.txt").write_text("nama\nA\n")
    assert cli("learner", "import", str(tmp_path / "x.txt"))[0] == 4
    write_csv(tmp_path / "noname.csv", [("1",)], header=("kolom",))
    code, _, err = cli("learner", "import", str(tmp_path / "noname.csv"))
    assert code == 4 and "'nama'" in err and "Traceback" not in err
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 truncated")
    code, _, err = cli("learner", "import", str(tmp_path / "bad.xlsx"))
    assert code == 4 and "bukan berkas XLSX" in err


# -- export -----------------------------------------------------------------------------------------


@pytest.fixture
def cohort_db(tmp_path):
    clock = Clock()
    svc = open_services(tmp_path / "cohort.db", clock=clock)
    people = []
    for i, name in enumerate(EVIL + ["Sari"]):
        people.append(svc.learners.add(name, None, "Angkatan 7" if i % 2 == 0 else "Angkatan 8", "=cmd|' /C calc'!A0"))
    first, second = svc.trainee(people[0].id), svc.trainee(people[1].id)
    take(first, "mp1", "bccbacaaaa")  # 7/10
    read_through(first, "mp1-1", clock)
    take(first, "mp1", MP1_KEY)  # 10/10
    take(second, "mp1", MP1_KEY)
    take(second, "mp2", "cbddacbaab")
    return svc, tmp_path / "cohort.db", people


def test_summary_csv_is_excel_ready_and_formula_safe(cli, cohort_db, tmp_path):
    svc, db, people = cohort_db
    out = tmp_path / "ringkasan.csv"
    code, msg, _ = cli("--db", str(db), "export", "--format", "csv", "-o", str(out))
    assert code == 0 and "7 baris" in msg
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["nama", "nip", "angkatan", "instansi", "mp1_terbaik_persen"]
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    header = [h.split(" (")[0] for h in header]  # time columns name their zone: "mp1_lulus_pada (WIB, UTC+07:00)"
    by_name = {r[0].lstrip("'"): dict(zip(header, r)) for r in body}
    first = by_name[EVIL[0]]
    assert first["nama"] == "'" + EVIL[0]
    assert first["mp1_terbaik_persen"] == "100" and first["mp1_percobaan"] == "2" and first["mp1_lulus_pada"]
    assert first["modul_selesai"] == "tidak" and first["bagian_dibaca"] == "1"
    assert by_name[EVIL[1]]["modul_selesai"] == "ya"
    assert by_name["Sari"]["mp1_percobaan"] == "0" and by_name["Sari"]["aktivitas_terakhir"] == ""


def test_cohort_filter_and_json(cli, cohort_db):
    _, db, _ = cohort_db
    code, out, _ = cli("--db", str(db), "export", "--format", "json", "--cohort", "Angkatan 8")
    rows = json.loads(out)
    assert code == 0 and {r["angkatan"] for r in rows} == {"Angkatan 8"} and len(rows) == 3
    assert rows[0]["nama"] == EVIL[1]  # JSON keeps the text exactly


def test_xlsx_cells_are_text_never_formulas(cli, cohort_db, tmp_path):
    from openpyxl import load_workbook

    _, db, _ = cohort_db
    out = tmp_path / "hasil.xlsx"
    assert cli("--db", str(db), "export", "--format", "xlsx", "-o", str(out))[0] == 0
    ws = load_workbook(out).active
    assert ws.title == "Ringkasan peserta"  # the sheet's name, like every word an instructor reads, is Indonesian
    values = []
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            values.append(cell.value)
    assert EVIL[0] in values and "=cmd|' /C calc'!A0" in values


def test_attempt_and_answer_details(cli, cohort_db):
    _, db, _ = cohort_db
    code, out, _ = cli("--db", str(db), "export", "--format", "json", "--detail", "attempts")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    mine = [r for r in rows if r["nama"] == EVIL[0]]
    assert [(r["percobaan_ke"], r["benar"], r["lulus"]) for r in mine] == [(1, 7, False), (2, 10, True)]
    code, out, _ = cli("--db", str(db), "export", "--format", "json", "--detail", "answers")
    answers = json.loads(out)
    assert len(answers) == 40 and sum(a["benar"] for a in answers) == 37


def test_export_usage_errors(cli, cohort_db):
    _, db, _ = cohort_db
    assert cli("--db", str(db), "export", "--format", "pdf")[0] == 2
    assert cli("--db", str(db), "export", "--detail", "all")[0] == 2
    code, _, err = cli("--db", str(db), "export", "--format", "xlsx")
    assert code == 2 and "-o" in err


def test_summary_export_streams():
    """The summary rows come from a generator over a streaming query, not a list."""
    import inspect

    from latsar.storage import reports

    assert inspect.isgeneratorfunction(reports.summary)
    assert reports.STREAM["stream_results"] is True


# -- results files ----------------------------------------------------------------------------------


def laptop(tmp_path, name, nip, letters_mp1, content=None):
    clock = Clock()
    svc = open_services(tmp_path / f"{name}.db", content, clock=clock)
    me = svc.trainee(svc.learners.add(name, nip, "Angkatan 7", "Pemkot").id)
    take(me, "mp1", letters_mp1)
    read_through(me, "mp1-1", clock)
    return me


def test_three_laptops_to_one_instructor(cli, tmp_path):
    files = []
    for i, (name, nip, letters) in enumerate([
        ("Ani", "199001012020122001", MP1_KEY),
        ("Budi", "199001012020121003", "bccbacaaaa"),
        ("Cici", None, MP1_KEY),
    ]):
        me = laptop(tmp_path, name, nip, letters)
        path = tmp_path / f"hasil-{i}.json"
        path.write_text(json.dumps(results_of(me)))
        files.append(str(path))
    teacher = tmp_path / "pengampu.db"
    cli("--db", str(teacher), "learner", "add", "--name", "Ani", "--nip", "199001012020122001", "--cohort", "Angkatan 7")
    code, out, err = cli("--db", str(teacher), "results", "import", *files)
    assert code == 4 and "1 berkas diterima, 2 ditolak" in out  # Budi and Cici are not on the roster
    assert "NIP 199001012020121003 (Budi) tidak ada di daftar peserta" in err and "Cici (tanpa NIP, angkatan Angkatan 7) tidak ada" in err
    code, out, err = cli("--db", str(teacher), "results", "import", "--tambah-baru", *files)
    assert code == 0, err
    assert "3 berkas diterima, 0 ditolak; 2 percobaan baru, 1 sudah ada sebelumnya" in out and "2 peserta baru" in out
    summary = json.loads(cli("--db", str(teacher), "export", "--format", "json")[1])
    assert [(r["nama"], r["mp1_terbaik_persen"]) for r in summary] == [("Ani", 100), ("Budi", 70), ("Cici", 100)]
    assert all(r["bagian_dibaca"] == 1 for r in summary)
    before = {d: cli("--db", str(teacher), "export", "--format", "json", "--detail", d)[1] for d in ("summary", "attempts", "answers")}
    code, out, _ = cli("--db", str(teacher), "results", "import", *files)
    assert code == 0 and "0 percobaan baru, 3 sudah ada sebelumnya" in out
    after = {d: cli("--db", str(teacher), "export", "--format", "json", "--detail", d)[1] for d in ("summary", "attempts", "answers")}
    assert after == before and len(json.loads(after["attempts"])) == 3


def test_import_regrades_with_the_instructors_keys(cli, tmp_path, pack):
    # The laptop's pack has a wrong key for question 1: it graded 'a' as right.
    bank = pack / "quizzes/berorientasi-pelayanan/mp1.toml"
    text = bank.read_text().replace('key = "b"\nsections = ["mp1-1", "mp1-3"]', 'key = "a"\nsections = ["mp1-1", "mp1-3"]', 1)
    bank.write_text(text)
    me = laptop(tmp_path, "Ani", "199001012020122001", "accbaccdba", content=pack)
    assert me.attempts.history()[0].score.correct == 10
    path = tmp_path / "ani.json"
    path.write_text(json.dumps(results_of(me)))
    code, out, _ = cli("--db", str(tmp_path / "t.db"), "results", "import", "--tambah-baru", str(path))
    assert code == 0 and "kunci di laptop peserta berbeda" in out
    rows = json.loads(cli("--db", str(tmp_path / "t.db"), "export", "--format", "json", "--detail", "attempts")[1])
    assert rows[0]["benar"] == 9 and rows[0]["lulus"] is True and rows[0]["asal"] == "imported"


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda d: d["attempts"][0]["answers"][0].update(choice="d"), "digest"),
        (lambda d: d.update(digest="sha256:00"), "digest"),
        ("truncate", "terpotong"),
        ("not-json", "terpotong"),
    ],
)
def test_tampered_or_broken_files_are_refused_whole(cli, tmp_path, damage, reason):
    data = results_of(laptop(tmp_path, "Ani", "199001012020122001", MP1_KEY))
    path = tmp_path / "x.json"
    if damage == "truncate":
        path.write_text(json.dumps(data)[:200])
    elif damage == "not-json":
        path.write_bytes(b"\x00\x01binary")
    else:
        damage(data)
        path.write_text(json.dumps(data))
    teacher = tmp_path / "t.db"
    cli("--db", str(teacher), "learner", "add", "--name", "Guru")
    before = json.loads(cli("--db", str(teacher), "export", "--format", "json")[1])
    code, out, err = cli("--db", str(teacher), "results", "import", str(path))
    assert code == 4 and reason in err and "ditolak seluruhnya" in err and "Traceback" not in err
    assert "0 berkas diterima, 1 ditolak" in out
    assert json.loads(cli("--db", str(teacher), "export", "--format", "json")[1]) == before


def test_results_for_another_course_or_unknown_questions_are_refused(cli, tmp_path):
    from latsar.exchange.bundle import seal

    data = results_of(laptop(tmp_path, "Ani", "199001012020122001", MP1_KEY))
    other = seal({**data, "course": {**data["course"], "id": "akuntabel"}})
    (tmp_path / "a.json").write_text(json.dumps(other))
    unknown = json.loads(json.dumps(data))
    unknown["attempts"][0]["answers"][0]["question"] = "mp1-q99"
    (tmp_path / "b.json").write_text(json.dumps(seal(unknown)))
    code, _, err = cli("--db", str(tmp_path / "t.db"), "results", "import", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert code == 4 and "kursus 'akuntabel'" in err and "soal 'mp1-q99'" in err


def test_results_export_cli(cli, tmp_path):
    cli("learner", "add", "--name", "Ani")
    cli("quiz", "mp1", input="\n".join(MP1_KEY) + "\n")
    out = tmp_path / "ani.json"
    code, msg, _ = cli("results", "export", "-o", str(out))
    assert code == 0 and "1 percobaan selesai" in msg
    data = json.loads(out.read_text())
    assert data["format"] == "latsar-results" and data["version"] == 2 and data["digest"].startswith("sha256:")


# -- item analysis ----------------------------------------------------------------------------------


def test_item_statistics_by_hand():
    course = load_course(shipped_pack())
    qs = course.evaluation("mp1").bank.questions[:2]
    # q1 (key b): everyone right but the two weakest; q2 (key c): only the two strongest right.
    responses = [
        {qs[0].id: "a", qs[1].id: "a"},
        {qs[0].id: "a", qs[1].id: "d"},
        {qs[0].id: "b", qs[1].id: "a"},
        {qs[0].id: "b", qs[1].id: "d"},
        {qs[0].id: "b", qs[1].id: "c"},
        {qs[0].id: "b", qs[1].id: "c"},
    ]
    s1, s2 = analyse(qs, responses).items
    assert s1.facility == pytest.approx(4 / 6) and s2.facility == pytest.approx(2 / 6)
    assert s1.options == {"a": 2, "b": 4, "c": 0, "d": 0, "-": 0}
    assert s2.discrimination == pytest.approx(1.0)  # groups of round(6*0.27)=2
    assert "pengecoh tidak berfungsi: c, d" in s1.flags
    weak = analyse(qs[:1], [{qs[0].id: "b"}] * 10).items[0]
    assert weak.facility == 1.0 and "terlalu mudah" in weak.flags


def test_report_items_cli(cli, cohort_db):
    _, db, _ = cohort_db
    code, out, _ = cli("--db", str(db), "report", "items", "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == {"mp1", "mp2"}
    q1 = report["mp1"]["items"][0]
    assert q1["responses"] == 2 and q1["facility"] == 1.0 and q1["options"]["b"] == 2
    code, out, _ = cli("--db", str(db), "report", "items", "--cohort", "Angkatan 8")
    assert code == 0 and "1 peserta" in out


# -- GIFT -------------------------------------------------------------------------------------------


def _gift_unescape(text: str) -> str:
    from latsar.exchange.gift import unescape

    return unescape(text)


def test_gift_export_parses_with_an_independent_parser(cli, tmp_path):
    from pygiftparser import parser

    out = tmp_path / "bank.gift"
    code, msg, _ = cli("gift", "export", "-o", str(out))
    assert code == 0 and "42 soal" in msg
    questions = parser.parseFile(open(out, encoding="utf-8"))
    course = load_course(shipped_pack())
    ours = [q for e in course.evaluations for q in e.bank.questions] + list(course.practice.questions)
    assert len(questions) == len(ours)
    for parsed, q in zip(questions, ours):
        assert parsed.valid and parsed.title == q.id
        assert _gift_unescape(parsed.text) == q.stem
        answers = parsed.answers.answers
        assert [_gift_unescape(a.answer) for a in answers] == [t for _, t in q.options]
        assert [a.fraction for a in answers].count(100) == 1
        right = next(a for a in answers if a.fraction == 100)
        assert _gift_unescape(right.answer) == q.option_text(q.key)
        assert _gift_unescape(parsed.generalFeedback) == q.explanation


def test_gift_round_trip_into_a_bank(cli, tmp_path, pack):
    gift = tmp_path / "mp2.gift"
    cli("gift", "export", "mp2", "-o", str(gift))
    dest = pack / "quizzes/berorientasi-pelayanan/mp2.toml"
    code, _, err = cli("gift", "import", str(gift), "-o", str(dest), "--bank-id", "mp2", "--title", "Evaluasi MP2")
    assert code == 0, err
    original = load_course(shipped_pack()).evaluation("mp2").bank
    again = load_course(pack).evaluation("mp2").bank
    assert [(q.id, q.stem, q.options, q.key, q.sections, q.explanation) for q in again.questions] == [
        (q.id, q.stem, q.options, q.key, q.sections, q.explanation) for q in original.questions
    ]


def test_gift_import_refuses_what_it_cannot_represent(cli, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::q1::Dua benar?{=a =b ~c ####x}\n::q2::Tanpa bagian{=a ~b ####x}\n")
    code, _, err = cli("gift", "import", str(bad), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "q1: 2 jawaban benar" in err and "q2: tidak ada bagian materi" in err
    assert not (tmp_path / "o.toml").exists()


# -- passphrase ---------------------------------------------------------------------------------------


def test_passphrase_scrypt(tmp_path):
    guard = open_services(tmp_path / "p.db").passphrase
    with pytest.raises(UsageError, match="minimal 8"):
        guard.set("pendek")
    guard.set("rahasia-pengampu")
    with guard.ctx.db.read() as s:
        from latsar.storage.models import InstructorSecret

        row = s.get(InstructorSecret, 1)
        assert "rahasia" not in row.digest and len(row.salt) == 32
    assert guard.check("rahasia-pengampu") is True
    assert guard.check("salah-salah") is False
    with pytest.raises(UsageError, match="sekarang salah"):
        guard.set("baru-sekali-ini", current="keliru")
    with pytest.raises(UsageError, match="sekarang salah"):
        guard.set("baru-sekali-ini", current="")
    # Guessing it is slowed, never locked: tests/test_guard.py.


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed on this machine")
def test_xlsx_opens_cleanly_in_libreoffice(cli, cohort_db, tmp_path):
    import subprocess

    _, db, _ = cohort_db
    out = tmp_path / "kohort.xlsx"
    assert cli("--db", str(db), "export", "--format", "xlsx", "-o", str(out))[0] == 0
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(open(tmp_path / "kohort.csv", encoding="utf-8")))
    names = [r[0] for r in rows[1:]]
    assert EVIL[0] in names  # LibreOffice kept the text: it did not evaluate a formula ("klik")
    assert "klik" not in names and rows[0][0] == "nama"
