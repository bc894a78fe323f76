"""Hostile or broken course packs: every one is a `file:line: message` problem, never a crash,
a hang or a huge read."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from latsar.course import ContentError, Course, Problem, check, load_course
from tests.conftest import FIXTURES
from tests.helpers import edit

LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>[1-9]\d*): (?P<msg>[^\n]+)$")
MINI = FIXTURES / "mini-pack"
CONTENT = "content/akuntabel"
QUIZZES = "quizzes/akuntabel"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices, symlinks and sparse files as on POSIX")


def check_quickly(root: Path, seconds: float = 20) -> list[Problem]:
    """check(root), failing the test instead of hanging when the loader blocks."""
    result: list[list[Problem]] = []
    worker = threading.Thread(target=lambda: result.append(check(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "check() hangs"
    assert result, "check() raised"
    return result[0]


def the(problems: list[Problem], fragment: str) -> Problem:
    hits = [p for p in problems if fragment in p.message]
    assert hits, f"no problem mentioning {fragment!r} in {[str(p) for p in problems]}"
    return hits[0]


# -- files that are not regular files --------------------------------------------------------


@posix_only
@pytest.mark.parametrize(
    ("where", "make", "fragment"),
    [
        (CONTENT + "/x.md", lambda p: os.symlink("x.md", p), "tautan simbolik berputar"),
        (CONTENT + "/x.md", lambda p: os.symlink("nowhere.md", p), "tautan simbolik rusak"),
        (CONTENT + "/x.md", lambda p: p.mkdir(), "folder, bukan berkas"),
        (CONTENT + "/x.md", lambda p: os.mkfifo(p), "bukan berkas biasa"),
        (CONTENT + "/x.md", lambda p: os.symlink("/dev/zero", p), "bukan berkas biasa"),
        (QUIZZES + "/e2.toml", lambda p: os.symlink("e2.toml", p), "tautan simbolik berputar"),
        (QUIZZES + "/e2.toml", lambda p: os.symlink("gone.toml", p), "tautan simbolik rusak"),
        (QUIZZES + "/e2.toml", lambda p: os.mkfifo(p), "bukan berkas biasa"),
        (QUIZZES + "/e2.toml", lambda p: os.symlink("/dev/zero", p), "bukan berkas biasa"),
        (QUIZZES + "/e2.toml", lambda p: p.mkdir(), "folder, bukan berkas"),
        (CONTENT + "/course.toml", lambda p: os.mkfifo(p), "bukan berkas biasa"),
    ],
    ids=["md-loop", "md-dangling", "md-dir", "md-fifo", "md-device", "bank-loop", "bank-dangling", "bank-fifo",
         "bank-device", "bank-dir", "manifest-fifo"],
)
def test_only_regular_files_are_read(mini, where, make, fragment):
    path = mini / where
    if path.exists():
        path.unlink()
    make(path)
    p = the(check_quickly(mini), fragment)
    assert (p.path, p.line) == (where, 1)


@posix_only
def test_a_quizzes_folder_that_loops(mini):
    shutil.rmtree(mini / QUIZZES)
    os.symlink("akuntabel", mini / QUIZZES)
    problems = check_quickly(mini)
    assert {p.path for p in problems} == {f"{QUIZZES}/{name}" for name in ("e1.toml", "e2.toml", "cek.toml")}
    assert all("berputar" in p.message for p in problems)


@posix_only
def test_a_fifo_pack_exits_4_without_traceback(cli, mini):
    os.mkfifo(mini / CONTENT / "x.md")
    code, out, err = cli("content", "check", "--content", str(mini))
    assert code == 4 and "Traceback" not in out + err
    assert f"{CONTENT}/x.md:1: bukan berkas biasa" in err


# -- sizes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "size"),
    [(CONTENT + "/01-a.md", 1024 * 1024 + 1), (QUIZZES + "/e1.toml", 1024 * 1024 + 1), (CONTENT + "/course.toml", 64 * 1024 + 1)],
)
def test_files_over_the_size_limit_are_refused(mini, where, size):
    path = mini / where
    with path.open("ab") as f:
        f.write(b"#" * (size - path.stat().st_size))
    p = the(check_quickly(mini), "berkas terlalu besar")
    assert (p.path, p.line) == (where, 1)


@posix_only
def test_a_huge_file_is_refused_without_being_read(mini):
    path = mini / CONTENT / "huge.md"
    with path.open("wb") as f:
        f.truncate(8 * 1024**3)  # sparse: reading it would take minutes and gigabytes
    p = the(check_quickly(mini, seconds=10), "berkas terlalu besar")
    assert p.path == CONTENT + "/huge.md"


def test_a_bank_file_named_twice_is_read_once(mini):
    edit(mini / CONTENT / "course.toml", 'bank = "e2.toml"', 'bank = "e1.toml"')
    p = the(check(mini), "berkas bank 'e1.toml' sudah dipakai di baris 20")
    assert (p.path, p.line) == (CONTENT + "/course.toml", 28)


# -- wrong TOML types ------------------------------------------------------------------------

MANIFEST_PARTS = '[[parts]]\nid = "mp1"\ntitle = "Materi Pokok 1"\n\n[[parts]]\nid = "mp2"\ntitle = "Materi Pokok 2"\nrequires = ["e1"]\n'


@pytest.mark.parametrize(
    ("where", "old", "new", "fragment", "line"),
    [
        ("course", 'bank = "e2.toml"', "bank = 5", "evaluasi 'e2': 'bank' harus nama berkas", 28),
        ("course", 'bank = "e2.toml"', 'bank = "../../content/akuntabel/course.toml"', "'bank' harus nama berkas", 28),
        ("course", 'bank = "e2.toml"', 'bank = "/dev/zero"', "'bank' harus nama berkas", 28),
        ("course", "order = 30", 'order = "x"', "evaluasi 'e2': 'order' harus bilangan bulat", 30),
        ("course", "threshold = 60", "threshold = true", "ambang (threshold) harus bilangan bulat 1–100", 23),
        ("course", 'requires = ["e1"]\n\n[[evaluations]]', 'requires = "e1"\n\n[[evaluations]]', "[[parts]]: 'requires' harus daftar teks", 15),
        ("course", 'requires = ["e1"]\n\n[retake]', 'requires = "e1"\n\n[retake]', "evaluasi 'e2': 'requires' harus daftar teks", 32),
        ("course", 'title = "Materi Pokok 1"', 'title = "Materi Pokok 1"\ngraded = "no"', "'graded' harus true atau false", 11),
        ("course", MANIFEST_PARTS, "", "", 0),  # placeholder replaced below
        ("course", "[course]", "[[course]]", "[course] harus berupa tabel", 2),
        ("course", 'policy = "free"', "policy = 7", "kebijakan ulang '7' tidak dikenal", 35),
        ("course", 'policy = "free"', "max_attempts = -1", "max_attempts harus bilangan bulat ≥ 0", 35),
        ("course", 'policy = "free"', "max_attempts = true", "max_attempts harus bilangan bulat ≥ 0", 35),
        ("course", '[retake]\npolicy = "free"', "[retake]\npolicy = []", "kebijakan ulang '[…]' tidak dikenal", 35),
        ("course", 'id = "e1"', 'id = ["e1"]', "[[evaluations]] ke-1: 'id' harus teks yang tidak kosong", 18),
        ("course", 'version = "test.1"', "version = 1.5", "[course]: 'version' harus teks yang tidak kosong", 5),
        ("e1", 'options = { a = "mempertanggungjawabkan", b = "melaporkan diri", c = "berlibur" }', 'options = ["a", "b"]',
         "soal 'e1-1': 'options' harus tabel berisi sedikitnya dua pilihan", 8),
        ("e1", 'sections = ["a1"]', "sections = [1, 2]", "soal 'e1-1': 'sections' harus daftar id bagian", 10),
        ("e1", 'key = "a"', 'key = ["a", "b"]', "soal 'e1-1': 2 kunci jawaban", 9),
        ("e1", 'key = "a"', "key = { a = 1 }", "soal 'e1-1': kunci jawaban harus satu huruf", 9),
        ("e1", 'explanation = "Lihat bagian Pengertian."', "explanation = 3", "soal 'e1-1': penjelasan kosong", 11),
        ("e1", 'id = "e1-1"', "id = 7", "soal ke-1: 'id' harus teks yang tidak kosong", 6),
        ("e1", 'stem = "Akuntabilitas adalah kewajiban ..."', "stem = false", "soal 'e1-1': pertanyaan (stem) kosong", 7),
        ("e1", "[bank]", "bank = 1\n[bonk]", "[bank] harus berupa tabel", 1),
        ("e2", "[[questions]]", "questions = 5\n[x]", "bank tidak berisi soal", 1),
        ("a", "order = 1", 'order = "1"', "front matter: 'order' harus bilangan bulat", 5),
        ("a", 'id = "a1"', "id = [1]", "front matter: 'id' harus teks yang tidak kosong", 2),
        ("a", 'part = "mp1"', 'part = "mp1"\nsource = 1', "front matter: 'source' harus teks", 5),
    ],
)
def test_a_wrong_type_is_a_problem_at_its_line(mini, where, old, new, fragment, line):
    path = {
        "course": mini / CONTENT / "course.toml",
        "e1": mini / QUIZZES / "e1.toml",
        "e2": mini / QUIZZES / "e2.toml",
        "a": mini / CONTENT / "01-a.md",
    }[where]
    if old == MANIFEST_PARTS:  # `parts = 3` at the top level, instead of the [[parts]] tables
        edit(path, old, "")
        path.write_text("parts = 3\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        fragment, line = "'parts' harus berupa daftar tabel [[parts]]", 1
    else:
        edit(path, old, new)
    p = the(check(mini), fragment)
    assert (p.path, p.line) == (str(path.relative_to(mini)), line)


def test_a_question_that_is_not_a_table(mini):
    path = mini / QUIZZES / "e2.toml"
    edit(path, "[[questions]]", "[more]")
    path.write_text('questions = [1, "x"]\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    problems = [str(p) for p in check(mini)]
    assert f"{QUIZZES}/e2.toml:1: soal ke-1: bukan tabel" in problems
    assert f"{QUIZZES}/e2.toml:1: soal ke-2: bukan tabel" in problems


# -- text that is not TOML or not text -------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "data", "fragment", "line"),
    [
        (CONTENT + "/course.toml", b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "terlalu dalam", 1),
        (QUIZZES + "/e1.toml", b"a = " + b"{ b = " * 5_000 + b"1" + b"}" * 5_000 + b"\n", "terlalu dalam", 1),
        (CONTENT + "/x.md", b"+++\na = " + b"[" * 10_000 + b"]" * 10_000 + b"\n+++\nteks\n", "terlalu dalam", 2),
        (QUIZZES + "/e1.toml", b"[bank]\nz = " + b"9" * 5_000 + b"\n", "TOML tidak sah", 1),
        (QUIZZES + "/e1.toml", b"[bank]\nid = 'e1'\ntitle = 'caf\xe9'\n", "bukan teks UTF-8", 3),
        (CONTENT + "/01-a.md", b"\xef\xbb\xbf+++\nid = 'a1'\n+++\nteks\n", "BOM", 1),
        (QUIZZES + "/e2.toml", b"\xef\xbb\xbf[bank]\n", "BOM", 1),
        (CONTENT + "/01-a.md", b"", "berkas kosong", 1),
        (QUIZZES + "/e2.toml", b"", "berkas kosong", 1),
        (CONTENT + "/course.toml", b"\n\n", "berkas kosong", 1),
        (CONTENT + "/01-a.md", b"+++\nid = 'a1'\ntitle = 'A'\n", "front matter tidak ditutup", 1),
        (CONTENT + "/01-a.md", b"\xff\xfe+\x00+\x00+\x00", "bukan teks UTF-8", 1),
    ],
    ids=["deep-array", "deep-table", "deep-front-matter", "long-integer", "latin-1", "bom-md", "bom-toml",
         "empty-md", "empty-bank", "blank-manifest", "unclosed-front-matter", "utf-16"],
)
def test_broken_text_is_a_problem(mini, where, data, fragment, line):
    (mini / where).write_bytes(data)
    p = the(check_quickly(mini), fragment)
    assert (p.path, p.line) == (where, line)


# -- any mutation of a sound pack ------------------------------------------------------------

PACK_FILES = sorted(str(p.relative_to(MINI)) for p in MINI.rglob("*") if p.is_file())
FRAGMENTS = [
    "bank = 5", 'order = "x"', "threshold = true", 'requires = "mp1"', "parts = 3", "[[course]]", "[course]",
    'options = ["a","b"]', "sections = [1, 2]", 'key = ["a","b"]', "explanation = 3", "[retake]\npolicy = 7",
    "max_attempts = -1", "[practice]\nbank = 3", '[practice]\nbank = "e1.toml"', "[[questions]]", "[[evaluations]]",
    "[[parts]]\nid = 1", "a = " + "[" * 2_000 + "]" * 2_000, "z = " + "9" * 4_400, "+++", "\ufeff", "\x00", "\r",
    'id = "a1"', 'quote = "x"', "[checks]\nbank = 'e2.toml'", "[checks]\nbank = []",
]
VALUES = ['5', '"x"', '""', "true", "[1, 2]", '["a", "b"]', "[]", "{ a = 1 }", "-1", "1e3", "2021-01-01",
          '"../../x"', '"/dev/zero"', '"e1.toml"', '"a1"', '["a1", "zz"]']
_ASSIGNMENT = re.compile(rb"^(\s*[A-Za-z0-9_-]+\s*=\s*)(.*)$", re.MULTILINE)

mutations = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10_000), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.sampled_from(FRAGMENTS) | st.text(max_size=30)),
    st.tuples(st.just("swap"), st.integers(0, 100), st.sampled_from(VALUES)),
)


def mutate(data: bytes, mutation: tuple[str, int, object]) -> bytes:
    kind, at, what = mutation
    if kind == "flip" and data:
        i = at % len(data)
        return data[:i] + bytes([data[i] ^ int(what)]) + data[i + 1 :]  # type: ignore[call-overload]
    if kind == "truncate":
        return data[: at % (len(data) + 1)]
    if kind == "insert":
        i = at % (len(data) + 1)
        return data[:i] + b"\n" + str(what).encode("utf-8", "surrogatepass") + b"\n" + data[i:]
    assignments = list(_ASSIGNMENT.finditer(data))
    if kind == "swap" and assignments:
        m = assignments[at % len(assignments)]
        return data[: m.start(2)] + str(what).encode() + data[m.end(2) :]
    return data


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(PACK_FILES), mutation=mutations)
def test_a_mutated_pack_never_crashes(cli, where, mutation):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        shutil.copytree(MINI, root)
        path = root / where
        path.write_bytes(mutate(path.read_bytes(), mutation))

        problems = check(root)
        event("a problem" if problems else "still sound")
        assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
        assert all(LINE.match(str(p)) for p in problems), [str(p) for p in problems]
        if problems:
            with pytest.raises(ContentError) as info:
                load_course(root)
            assert len(info.value.problems) == len(problems)
        else:
            assert isinstance(load_course(root), Course)

        code, out, err = cli("content", "check", "--content", str(root))
        assert code == (4 if problems else 0)
        assert "Traceback" not in out + err


def test_terminal_escapes_in_a_pack_are_refused_with_their_line(tmp_path, mini_pack):
    import shutil

    from latsar.course import check

    pack = tmp_path / "pack"
    shutil.copytree(mini_pack, pack)
    section = next((pack / "content" / "akuntabel").glob("*.md"))
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "\nJudul \x1b]0;dibajak\x07 dan \x1b[2J\n", encoding="utf-8")
    problems = check(pack)
    assert any("karakter kendali U+001B" in p.message and p.line == text.count("\n") + 2 for p in problems), problems


def test_the_control_characters_refused_are_exactly_c0_but_tab_newline_return_del_and_c1():
    from latsar.course.source import _CONTROL

    def control(ch: str) -> bool:
        return (ch < " " and ch not in "\n\t\r") or "\x7f" <= ch <= "\x9f"

    for code in range(0x3000):
        ch = chr(code)
        assert bool(_CONTROL.search(ch)) == control(ch), hex(code)


# -- control characters written as TOML escapes ------------------------------------------------

# Every text field of the mini pack: (file, the line's start, what precedes the closing quote).
_TEXT_FIELD = re.compile(r'^(?P<key>[A-Za-z_]+) = "(?P<value>[^"\\]*)"\s*$', re.MULTILINE)
TEXT_FIELDS = [
    (str(p.relative_to(MINI)), m.group("key"), p.read_text(encoding="utf-8").count("\n", 0, m.start()) + 1)
    for p in sorted(MINI.rglob("*")) if p.suffix in (".toml", ".md")
    for m in _TEXT_FIELD.finditer(p.read_text(encoding="utf-8"))
]
ESCAPES = {  # what a pack's author (or attacker) writes -> the control character it becomes
    "\\u001b": 0x1B, "\\u009b": 0x9B, "\\u007f": 0x7F, "\\U0000001B": 0x1B, "\\u0007": 0x07, "\\b": 0x08,
    "\\r": 0x0D, "\\f": 0x0C, "\\u0000": 0x00, "\\u0085": 0x85, "\\u001b]0;dibajak\\u0007": 0x1B,
}


def test_every_text_field_of_the_mini_pack_is_found():
    keys = {key for _, key, _ in TEXT_FIELDS}
    assert {"id", "title", "stem", "explanation", "quote", "credit", "part"} <= keys, keys


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(TEXT_FIELDS), escape=st.sampled_from(sorted(ESCAPES)), before=st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters='"\\'), max_size=5))
def test_control_characters_written_as_toml_escapes_are_refused_at_their_line(field, escape, before):
    """``\\u001b`` in a string is an ESC once TOML has read it: refused like a raw one, at its line."""
    where, key, line = field
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        shutil.copytree(MINI, root)
        path = root / where
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[line - 1].startswith(f"{key} = ")
        head, quote, tail = lines[line - 1].rpartition('"')
        lines[line - 1] = f"{head}{before}{escape}{quote}{tail}"
        path.write_text("\n".join(lines), encoding="utf-8")
        problems = check(root)
        hits = [p for p in problems if f"karakter kendali U+{ESCAPES[escape]:04X}" in p.message]
        assert [(p.path, p.line) for p in hits] == [(where, line)], [str(p) for p in problems]
        assert all(LINE.match(str(p)) for p in problems)


def test_an_escaped_control_character_in_a_key_or_an_inline_table_is_refused(mini):
    bank = mini / QUIZZES / "cek.toml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace('b = "kewajiban mempertanggungjawabkan"', 'b = "kewajiban\\u009b2J"', 1) + '\n"x\\u001b" = 1\n', encoding="utf-8")
    problems = check_quickly(mini)
    options_line = text.count("\n", 0, text.index('b = "kewajiban mempertanggungjawabkan"')) + 1
    assert any(p.line == options_line and "U+009B" in p.message for p in problems), [str(p) for p in problems]
    assert any("U+001B" in p.message for p in problems)


def test_a_pack_with_an_escaped_esc_never_reaches_the_quiz(cli, tmp_path):
    """Issue 18, case 6: a TOML escape passed `content check` and reached `latsar quiz` raw."""
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES.parent.parent / "content", pack / "content")
    shutil.copytree(FIXTURES.parent.parent / "quizzes", pack / "quizzes")
    bank = pack / "quizzes/berorientasi-pelayanan/mp1.toml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("Hal tersebut tertuang dalam:", "Hal tersebut tertuang dalam:\\u001b[2J\\u009b31m", 1), encoding="utf-8")
    code, out, err = cli("--content", str(pack), "content", "check")
    assert code == 4 and "mp1.toml:" in err and "karakter kendali U+001B" in err
    cli("--content", str(pack), "learner", "add", "--name", "Ani")
    code, out, err = cli("--content", str(pack), "quiz", "mp1", input="b\n")
    assert code == 4 and "\x1b" not in out + err and "\x9b" not in out + err


def test_a_line_separator_inside_a_value_does_not_shift_the_lines_reported(mini):
    """U+2028 is a line break to ``str.splitlines`` but not to TOML: the lines after it were
    reported one too far down, and in a section's front matter it became a real newline."""
    bank = mini / QUIZZES / "cek.toml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace('title = "Cek Pemahaman"', 'title = "Cek\u2028Pemahaman"', 1)
    text = text.replace('key = "b"', 'key = "b\\u001b"', 1)
    bank.write_text(text, encoding="utf-8")
    section = mini / CONTENT / "01-a.md"
    section.write_text(section.read_text(encoding="utf-8").replace('title = "Pengertian akuntabilitas"', 'title = "Pengertian\u2029akuntabilitas"'), encoding="utf-8")
    problems = check_quickly(mini)
    key_line = text.count("\n", 0, text.index('key = "b\\u001b"')) + 1
    assert {(p.path, p.line) for p in problems} == {(QUIZZES + "/cek.toml", key_line)}, [str(p) for p in problems]
