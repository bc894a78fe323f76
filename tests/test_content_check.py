"""`latsar content check`: every rule has a broken fixture; every problem is listed at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from latsar.course import ContentError, check, load_course
from tests.helpers import edit

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<msg>.+)$")


def only(problems, fragment: str):
    hits = [p for p in problems if fragment in p.message]
    assert hits, f"no problem mentioning {fragment!r} in {[str(p) for p in problems]}"
    return hits[0]


def test_the_mini_pack_is_a_general_course(mini):
    course = load_course(mini)
    assert course.id == "akuntabel"
    assert [e.id for e in course.evaluations] == ["e1", "e2"]
    assert course.evaluation("e1").threshold == 60
    assert course.retake.policy == "free"
    assert course.evaluation("e1").bank.questions[0].letters == ("a", "b", "c")


def test_invalid_toml_in_manifest(mini):
    edit(mini / "content/akuntabel/course.toml", 'title = "Akuntabel (contoh)"', 'title = "Akuntabel')
    p = only(check(mini), "TOML tidak sah")
    assert p.path == "content/akuntabel/course.toml" and p.line == 4


def test_invalid_front_matter(mini):
    edit(mini / "content/akuntabel/02-b.md", "order = 2", "order = = 2")
    p = only(check(mini), "TOML tidak sah")
    assert p.path.endswith("02-b.md") and p.line == 5


def test_missing_front_matter(mini):
    (mini / "content/akuntabel/04-x.md").write_text("Hanya teks.\n", encoding="utf-8")
    p = only(check(mini), "front matter tidak ada")
    assert p.path.endswith("04-x.md") and p.line == 1


def test_missing_required_front_matter_field(mini):
    edit(mini / "content/akuntabel/03-c.md", 'title = "Integritas"\n', "")
    only(check(mini), "kolom wajib 'title'")


def test_duplicate_section_id(mini):
    edit(mini / "content/akuntabel/02-b.md", 'id = "a2"', 'id = "a1"')
    p = only(check(mini), "id bagian 'a1' ganda")
    assert p.path.endswith("02-b.md") and p.line == 2


def test_duplicate_question_id(mini):
    edit(mini / "quizzes/akuntabel/e2.toml", 'id = "e2-1"', 'id = "e1-1"')
    p = only(check(mini), "id soal 'e1-1' ganda")
    assert p.path == "quizzes/akuntabel/e2.toml" and p.line == 6


def test_key_not_among_the_options(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'key = "b"', 'key = "d"')
    p = only(check(mini), "kunci 'd' bukan salah satu pilihan (a, b, c)")
    assert p.line == 17


def test_zero_keys(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'key = "b"\n', "")
    only(check(mini), "tidak ada kunci jawaban")


def test_two_keys(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'key = "b"', 'key = ["a", "b"]')
    p = only(check(mini), "2 kunci jawaban")
    assert p.line == 17


def test_reference_to_unknown_section(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'sections = ["a2"]', 'sections = ["zz"]')
    p = only(check(mini), "merujuk bagian yang tidak ada: 'zz'")
    assert p.line == 18


def test_empty_stem_and_empty_option(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'stem = "Mekanisme lain adalah ..."', 'stem = "  "')
    edit(mini / "quizzes/akuntabel/e1.toml", 'b = "kemewahan"', 'b = ""')
    problems = check(mini)
    only(problems, "pertanyaan (stem) kosong")
    only(problems, "pilihan 'b' kosong")


def test_missing_required_question_field(mini):
    edit(mini / "quizzes/akuntabel/e2.toml", 'explanation = "Lihat bagian Integritas."\n', "")
    only(check(mini), "kolom wajib 'explanation'")


def test_prerequisite_that_names_nothing(mini):
    edit(mini / "content/akuntabel/course.toml", 'requires = ["e1"]\n\n[[evaluations]]', 'requires = ["e9"]\n\n[[evaluations]]')
    p = only(check(mini), "prasyarat 'e9' tidak menamai evaluasi mana pun")
    assert p.path == "content/akuntabel/course.toml" and p.line == 15


def test_every_problem_is_reported_at_once(mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'key = "b"', 'key = "d"')
    edit(mini / "quizzes/akuntabel/e2.toml", 'sections = ["b1"]', 'sections = ["nope"]')
    edit(mini / "content/akuntabel/02-b.md", 'id = "a2"', 'id = "a1"')
    problems = check(mini)
    assert len(problems) >= 3
    with pytest.raises(ContentError) as info:
        load_course(mini)
    assert len(info.value.problems) == len(problems)


def test_cli_lists_problems_and_exits_4_without_traceback(cli, mini):
    edit(mini / "quizzes/akuntabel/e1.toml", 'key = "b"', 'key = "d"')
    edit(mini / "content/akuntabel/course.toml", 'title = "Akuntabel (contoh)"', 'title = "Akuntabel')
    code, out, err = cli("content", "check", "--content", str(mini))
    assert code == 4
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if LINE.match(l)]
    assert len(lines) >= 1 and all(LINE.match(l).group("line").isdigit() for l in lines)
    assert "masalah ditemukan" in err


def test_cli_accepts_the_shipped_pack_and_the_mini_pack(cli, mini):
    code, out, _ = cli("content", "check")
    assert code == 0 and "Paket materi baik" in out and "20 soal" in out
    code, out, _ = cli("--content", str(mini), "content", "check")
    assert code == 0 and "Akuntabel" in out


def test_not_a_pack(cli, tmp_path):
    code, _, err = cli("content", "check", "--content", str(tmp_path))
    assert code == 4 and "content/ tidak ada" in err


# -- section checks ("Cek pemahaman") --------------------------------------------------------

CEK = "quizzes/akuntabel/cek.toml"


def test_a_good_checks_bank_loads(mini):
    course = load_course(mini)
    assert course.checks is not None and course.checks_title == "Cek Pemahaman"
    assert course.bank("cek") is course.checks
    assert [q.id for q in course.checks_for("a2")] == ["cek-a2-01", "cek-a2-02"]
    assert course.checks_for("zz") == ()
    first = course.checks_for("a1")[0]
    assert first.quote == "Akuntabilitas adalah kewajiban mempertanggungjawabkan." and first.key == "b"
    # Evaluation questions carry no quote; grading is untouched by the checks bank.
    assert all(q.quote == "" for e in course.evaluations for q in e.bank.questions)


def test_a_pack_without_checks_loads(mini):
    edit(mini / "content/akuntabel/course.toml", '[checks]\nbank = "cek.toml"\ntitle = "Cek Pemahaman"\n', "")
    course = load_course(mini)
    assert course.checks is None and course.checks_title == "" and course.checks_for("a1") == ()


def test_a_quote_is_matched_with_whitespace_collapsed_and_nothing_else(mini):
    # The fixture's multi-line quote of a2 already loads; a changed letter case does not.
    edit(mini / CEK, 'quote = "- a. kepemimpinan;"', 'quote = "- a. Kepemimpinan;"')
    p = only(check(mini), "kutipan tidak ditemukan di bagian 'a2'")
    assert (p.path, p.line) == (CEK, 31)
    assert p.message == "soal 'cek-a2-02': kutipan tidak ditemukan di bagian 'a2'"


def test_a_quote_not_in_its_section(mini):
    edit(mini / CEK, 'quote = "Akuntabilitas adalah kewajiban mempertanggungjawabkan."', 'quote = "Integritas berarti satu kata dan perbuatan."')
    p = only(check(mini), "kutipan tidak ditemukan")
    assert (p.path, p.line, p.message) == (CEK, 11, "soal 'cek-a1-01': kutipan tidak ditemukan di bagian 'a1'")


def test_a_check_with_two_sections(mini):
    edit(mini / CEK, 'sections = ["a1"]', 'sections = ["a1", "a2"]')
    p = only(check(mini), "tepat satu bagian")
    assert (p.path, p.line) == (CEK, 7)


def test_a_check_naming_a_missing_section(mini):
    edit(mini / CEK, 'sections = ["a1"]', 'sections = ["zz"]')
    p = only(check(mini), "merujuk bagian yang tidak ada: 'zz'")
    assert (p.path, p.line) == (CEK, 7)


def test_a_check_without_a_quote(mini):
    edit(mini / CEK, 'quote = "Akuntabilitas adalah kewajiban mempertanggungjawabkan."\n', "")
    p = only(check(mini), "kolom wajib 'quote'")
    assert (p.path, p.line) == (CEK, 5)


@pytest.mark.parametrize("value", ['""', '"   "', "3", '["x"]'])
def test_a_check_with_an_empty_or_wrong_quote(mini, value):
    edit(mini / CEK, 'quote = "Akuntabilitas adalah kewajiban mempertanggungjawabkan."', f"quote = {value}")
    p = only(check(mini), "'quote' harus teks yang tidak kosong")
    assert (p.path, p.line) == (CEK, 11)


def test_a_check_with_two_keys_or_an_id_taken_by_another_bank(mini):
    edit(mini / CEK, 'key = "b"', 'key = ["a", "b"]')
    edit(mini / CEK, 'id = "cek-b1-01"', 'id = "e1-1"')
    problems = check(mini)
    assert (only(problems, "2 kunci jawaban").path, only(problems, "2 kunci jawaban").line) == (CEK, 10)
    p = only(problems, "id soal 'e1-1' ganda (juga di e1.toml)")
    assert (p.path, p.line) == (CEK, 35)


def test_checks_table_needs_a_bank(mini):
    edit(mini / "content/akuntabel/course.toml", 'bank = "cek.toml"\n', "")
    p = only(check(mini), "[checks]: kolom wajib 'bank' tidak ada")
    assert (p.path, p.line) == ("content/akuntabel/course.toml", 37)


# -- [practice] max_interval_days ------------------------------------------------------------


def _with_practice(mini: Path, extra: str = "") -> None:
    shutil.copy(mini / "quizzes/akuntabel/e2.toml", mini / "quizzes/akuntabel/latihan.toml")
    edit(mini / "quizzes/akuntabel/latihan.toml", 'id = "e2"', 'id = "latihan"')
    edit(mini / "quizzes/akuntabel/latihan.toml", 'id = "e2-1"', 'id = "latihan-1"')
    with (mini / "content/akuntabel/course.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[practice]\nbank = "latihan.toml"\n{extra}')


def test_practice_interval_cap_defaults_to_21_days(mini):
    assert load_course(mini).practice_max_interval_days == 21
    _with_practice(mini)
    course = load_course(mini)
    assert course.practice is not None and course.practice_max_interval_days == 21
    assert course.practice_title == "Evaluasi 2"  # the bank's title when [practice] has none


def test_practice_interval_cap_is_read(mini):
    _with_practice(mini, "max_interval_days = 14\n")
    assert load_course(mini).practice_max_interval_days == 14


@pytest.mark.parametrize("value", ["0", "366", "true", '"7"', "-3"])
def test_practice_interval_cap_must_be_1_to_365(mini, value):
    _with_practice(mini, f"max_interval_days = {value}\n")
    p = only(check(mini), "'max_interval_days' harus bilangan bulat 1–365")
    lines = (mini / "content/akuntabel/course.toml").read_text(encoding="utf-8").splitlines()
    assert (p.path, p.line) == ("content/akuntabel/course.toml", lines.index(f"max_interval_days = {value}") + 1)


def test_cli_counts_the_checks(cli, mini):
    code, out, _ = cli("content", "check", "--content", str(mini))
    assert code == 0 and "0 soal latihan, 4 soal cek pemahaman." in out


# -- [reading]: how fast a section may be read to count -----------------------------------------


def _with_reading(mini, body: str) -> None:
    with (mini / "content/akuntabel/course.toml").open("a", encoding="utf-8") as f:
        f.write(f"\n[reading]\n{body}")


def test_reading_speed_defaults_and_is_read(mini):
    from latsar.course.model import READING_WPM

    course = load_course(mini)
    assert course.reading_wpm == READING_WPM
    assert all(s.words > 0 for s in course.sections)
    _with_reading(mini, "words_per_minute = 450\n")
    assert load_course(mini).reading_wpm == 450


def test_the_shipped_pack_names_a_generous_reading_speed():
    from latsar.course.loader import load_course as load
    from tests.conftest import ROOT

    course = load(ROOT)
    assert 400 <= course.reading_wpm <= 1000
    assert course.section("mp1-1").words > 1000  # counted from the text, not the markup


@pytest.mark.parametrize("value", ["0", "20", "100000", "true", '"600"'])
def test_reading_speed_must_be_a_sensible_whole_number(mini, value):
    _with_reading(mini, f"words_per_minute = {value}\n")
    p = only(check(mini), "'words_per_minute' harus bilangan bulat 100–3000")
    lines = (mini / "content/akuntabel/course.toml").read_text(encoding="utf-8").splitlines()
    assert (p.path, p.line) == ("content/akuntabel/course.toml", lines.index(f"words_per_minute = {value}") + 1)
