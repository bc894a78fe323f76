"""Moodle: question banks as Moodle XML (out and back, losslessly), grades as Moodle's grade-import CSV."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from latsar.course import load_course
from latsar.course.model import Bank, Question
from latsar.exchange.moodle import export_questions, read_questions
from latsar.paths import shipped_pack
from latsar.services import open_services
from tests.helpers import MP1_KEY, MP2_KEY, take

NIP_A = "199001012020122001"
NIP_B = "199001012020121003"


def fields(q: Question) -> tuple:
    return (q.id, q.stem, q.options, q.key, q.sections, q.explanation)


def test_questions_xml_has_moodles_structure(cli, tmp_path):
    out = tmp_path / "bank.xml"
    code, msg, err = cli("moodle", "questions", "-o", str(out))
    assert code == 0, err
    assert "42 soal dari 3 bank" in msg
    root = ET.parse(out).getroot()  # the standard library reads it
    assert root.tag == "quiz"
    course = load_course(shipped_pack())
    banks = [e.bank for e in course.evaluations] + [course.practice]
    categories = root.findall("question[@type='category']")
    assert [c.findtext("idnumber") for c in categories] == [b.id for b in banks]
    assert categories[1].findtext("category/text") == f"$course$/top/latsar/{course.id}/{banks[1].title}"
    questions = root.findall("question[@type='multichoice']")
    ours = [q for b in banks for q in b.questions]
    assert len(questions) == len(ours) == 42
    for element, q in zip(questions, ours):
        assert element.findtext("name/text") == q.id == element.findtext("idnumber")
        assert element.findtext("single") == "true"
        answers = element.findall("answer")
        assert [a.get("fraction") for a in answers] == ["100" if letter == q.key else "0" for letter in q.letters]
        assert [a.findtext("text") for a in answers] == [t for _, t in q.options]  # nothing in these needs escaping
        assert element.findtext("generalfeedback/text") == q.explanation
        assert element.find("generalfeedback").get("format") == "html"
        assert [t.text for t in element.findall("tags/tag/text")] == list(q.sections)


@pytest.mark.parametrize("bank", ["mp1", "mp2", "praktik"])
def test_a_bank_goes_to_moodle_and_back_unchanged(cli, tmp_path, pack, bank):
    xml = tmp_path / f"{bank}.xml"
    assert cli("moodle", "questions", "--bank", bank, "-o", str(xml))[0] == 0
    dest = pack / f"quizzes/berorientasi-pelayanan/{bank}.toml"
    code, out, err = cli("moodle", "import", str(xml), "-o", str(dest))
    assert code == 0, err
    original, again = load_course(shipped_pack()), load_course(pack)
    before, after = original.bank(bank), again.bank(bank)
    assert (after.id, after.title, after.source, after.instructions) == (before.id, before.title, before.source, before.instructions)
    assert len(after.questions) == len(before.questions)
    for q_after, q_before in zip(after.questions, before.questions):
        assert fields(q_after) == fields(q_before)
    assert cli("--content", str(pack), "content", "check")[0] == 0


def test_one_bank_out_of_a_file_of_several(cli, tmp_path):
    xml = tmp_path / "semua.xml"
    cli("moodle", "questions", "-o", str(xml))
    code, _, err = cli("moodle", "import", str(xml), "-o", str(tmp_path / "x.toml"))
    assert code == 2 and "3 kategori ('mp1', 'mp2', 'praktik'); pilih satu dengan --bank" in err
    code, _, err = cli("moodle", "import", str(xml), "-o", str(tmp_path / "x.toml"), "--bank", "mp9")
    assert code == 2 and "Kategori 'mp9' tidak ada" in err
    code, _, err = cli("moodle", "import", str(xml), "-o", str(tmp_path / "x.toml"), "--bank", "mp2", "--bank-id", "mp2b", "--title", "Salinan")
    assert code == 0, err
    text = (tmp_path / "x.toml").read_text()
    assert 'id = "mp2b"' in text and 'title = "Salinan"' in text and text.count("[[questions]]") == 10


def test_markup_characters_survive_the_round_trip():
    tricky = Question(
        "q<&>1", 1, 'Jika a < b && b > c, apakah "a" < c? Tulis \'ya\'.\nBaris dua: ]]> dan <![CDATA[ x',
        (("a", "<b>tebal</b> & miring"), ("b", "5 > 3 ]]>"), ("c", "&amp; bukan &")), "c", ("mp1-1", "mp1-2"),
        "Karena &lt; adalah teks, bukan tanda <.",
    )
    course = load_course(shipped_pack())
    bank = Bank("uji", "Uji / coba", "Sumber & asal", "Petunjuk <satu>\nbaris dua", (tricky,))
    xml = export_questions(course, [bank])
    root = ET.fromstring(xml)
    element = root.find("question[@type='multichoice']")
    assert "<br>" in element.findtext("questiontext/text") and "&lt;" in element.findtext("questiontext/text")
    (back,) = read_questions(xml.encode(), "uji.xml")
    assert (back.id, back.title, back.source, back.instructions) == ("uji", "Uji / coba", "Sumber & asal", "Petunjuk <satu>\nbaris dua")
    (draft,) = back.drafts
    assert (draft.id, draft.stem, draft.options, draft.keys, draft.sections, draft.explanation) == (
        tricky.id, tricky.stem, [t for _, t in tricky.options], [2], list(tricky.sections), tricky.explanation,
    )


def test_what_latsar_cannot_hold_is_refused_all_at_once(cli, tmp_path):
    xml = tmp_path / "moodle.xml"
    xml.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse"><name><text>tf1</text></name><questiontext format="html"><text>Benar?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
  <question type="multichoice"><name><text>multi</text></name><questiontext format="html"><text>Pilih dua</text></questiontext>
    <single>false</single><answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer></question>
  <question type="multichoice"><name><text>parsial</text></name><questiontext format="html"><text>&lt;p&gt;Satu&lt;/p&gt;</text></questiontext>
    <single>true</single><answer fraction="100"><text>a</text></answer><answer fraction="33.3"><text>b</text></answer>
    <generalfeedback format="html"><text>x</text></generalfeedback><tags><tag><text>mp1-1</text></tag></tags></question>
  <question type="multichoice"><name><text>tanpa-tag</text></name><questiontext format="html"><text>&lt;p&gt;Soal&lt;/p&gt;</text></questiontext>
    <single>true</single><answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
</quiz>
""",
        encoding="utf-8",
    )
    code, _, err = cli("moodle", "import", str(xml), "-o", str(tmp_path / "o.toml"))
    assert code == 4
    for expected in ("tf1: jenis soal 'truefalse' tidak didukung", "multi: boleh memilih lebih dari satu jawaban", "parsial: nilai sebagian (fraction 33.3)", "tanpa-tag: tidak ada bagian materi"):
        assert expected in err
    assert not (tmp_path / "o.toml").exists()
    code, _, err = cli("moodle", "import", str(xml), "-o", str(tmp_path / "o.toml"), "--section", "mp1-1")
    assert code == 4 and "tanpa-tag: tidak ada bagian" not in err and "tanpa-tag: tidak ada penjelasan (general feedback)" in err


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="multichoice"><name><text>&lol3;</text></name></question></quiz>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY rahasia SYSTEM "file:///etc/passwd">]>
<quiz><question type="multichoice"><name><text>&rahasia;</text></name></question></quiz>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL, "<!DOCTYPE quiz><quiz/>"])
def test_hostile_xml_is_refused_before_anything_is_expanded(cli, tmp_path, text):
    bad = tmp_path / "jahat.xml"
    bad.write_text(text, encoding="utf-8")
    code, _, err = cli("moodle", "import", str(bad), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "DOCTYPE/ENTITY" in err and "Traceback" not in err


def test_broken_big_or_foreign_files_are_one_sentence(cli, tmp_path, monkeypatch):
    from latsar.exchange import moodle

    bad = tmp_path / "rusak.xml"
    bad.write_text("<quiz><question>", encoding="utf-8")
    code, _, err = cli("moodle", "import", str(bad), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "bukan XML yang sah" in err
    bad.write_text("<html/>", encoding="utf-8")
    code, _, err = cli("moodle", "import", str(bad), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "bukan Moodle XML" in err
    monkeypatch.setattr(moodle, "MAX_BYTES", 3)
    code, _, err = cli("moodle", "import", str(bad), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "terlalu besar" in err
    code, _, err = cli("moodle", "import", str(tmp_path / "tidak-ada.xml"), "-o", str(tmp_path / "o.toml"))
    assert code == 4 and "tidak dapat dibaca" in err
    assert cli("moodle", "questions", "--bank", "mp9", "-o", str(tmp_path / "x.xml"))[0] == 2


def test_grades_csv_for_moodles_grade_import(cli, tmp_path):
    db = tmp_path / "n.db"
    svc = open_services(db)
    ani = svc.learners.add("Ani", NIP_A, "Angkatan 7")
    budi = svc.learners.add("Budi", NIP_B, "Angkatan 7")
    svc.learners.add("Cici", None, "Angkatan 7")
    svc.learners.add("Dedi", "199202022020121004", "Angkatan 8")
    take(svc.trainee(ani.id), "mp1", "bccbacaaaa")
    me = svc.trainee(ani.id)
    take(svc.trainee(budi.id), "mp1", MP1_KEY)
    take(svc.trainee(budi.id), "mp2", MP2_KEY[:5] + "ddddd")
    assert me.progress().evaluations["mp1"].best.percent == 70
    out = tmp_path / "nilai.csv"
    code, msg, err = cli("--db", str(db), "moodle", "grades", "--cohort", "angkatan 7", "-o", str(out))
    assert code == 0, err
    assert "2 peserta ditulis" in msg and "1 peserta tanpa NIP dilewati" in msg
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    # No grade is "-", as Moodle's own export writes it (an empty cell may become 0, or clear a grade).
    assert rows == [["ID number", "Evaluasi MP1", "Evaluasi MP2"], [NIP_A, "70", "-"], [NIP_B, "100", "50"]]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    code, msg, _ = cli("--db", str(db), "moodle", "grades", "-o", str(out))
    assert code == 0 and "3 peserta ditulis" in msg


def test_gift_and_moodle_xml_put_every_bank_in_the_same_category(cli, tmp_path):
    import re

    gift, xml = tmp_path / "bank.gift", tmp_path / "bank.xml"
    assert cli("gift", "export", "-o", str(gift))[0] == 0
    assert cli("moodle", "questions", "-o", str(xml))[0] == 0
    in_gift = re.findall(r"^\$CATEGORY: (.*)$", gift.read_text(encoding="utf-8"), re.M)
    in_xml = re.findall(r"<category><text>(.*?)</text></category>", xml.read_text(encoding="utf-8"))
    assert len(in_gift) >= 3 and in_gift == in_xml
    assert in_gift[0].startswith("$course$/top/latsar/berorientasi-pelayanan/Evaluasi Materi Pokok 1")
