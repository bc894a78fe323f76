"""The plain-terminal journey of the issue: register, read, fail MP1, restudy, pass, then MP2."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TextIO, cast

import pytest

from tests.helpers import lines, open_attempt

MP1_KEY = "bccbaccdba"
MP2_KEY = "cbddacbaab"


def read_in_terminal(section_id: str, clock) -> None:
    """What a trainee does at a terminal with `latsar read ID` (taking the time the section
    needs), done through the services on the CLI's database, with the test's clock."""
    from latsar.services import open_services
    from tests.helpers import read_through

    svc = open_services(clock=clock)
    read_through(svc.trainee(svc.learners.list()[0].id), section_id, clock)
    svc.close()


def test_trainee_journey(cli, clock):
    code, out, _ = cli("learner", "add", "--name", "Siti Aminah", "--nip", "199001012020122001", "--cohort", "Angkatan 7", "--instansi", "Pemkot")
    assert code == 0 and out.strip() == "Peserta terdaftar: Siti Aminah (199001012020122001)."  # no internal id
    code, out, _ = cli("read", "mp1-1")
    assert code == 0 and "Pengertian Pelayanan Publik" in out and "Sumber: LAN (2021)" in out
    code, out, err = cli("quiz", "mp2")
    assert code == 3 and err.strip() == "latsar: Materi Pokok 2 terbuka setelah Evaluasi MP1 ≥ 80%."
    code, out, _ = cli("read", "mp2-1a")
    assert code == 3
    # Fail MP1 with 7/10.
    code, out, err = cli("quiz", "mp1", "--json", input=lines("bccbacaaaa"))
    assert code == 0, err
    result = json.loads(out)
    assert result == {"quiz": "mp1", "correct": 7, "total": 10, "percent": 70, "threshold": 80, "passed": False, "restudy": ["mp1-1"]}
    assert out.count("\n") == 1  # exactly one object on stdout
    code, _, err = cli("quiz", "mp1", input=lines(MP1_KEY))
    assert code == 3 and "Pelajari ulang dulu" in err and "1. Pengertian Pelayanan Publik" in err
    code, out, _ = cli("progress", "--json")
    assert json.loads(out)["next_step"].startswith("Pelajari ulang")
    assert cli("read", "mp1-1")[0] == 0  # printed into a pipe: nobody read it
    assert cli("quiz", "mp1", input=lines(MP1_KEY))[0] == 3
    read_in_terminal("mp1-1", clock)
    code, out, _ = cli("quiz", "mp1", input=lines(MP1_KEY))
    flat = " ".join(out.replace("│", " ").split())
    assert code == 0 and "LULUS" in flat and "Kunci:" in flat and "dapat meneruskan untuk mempelajari Materi Pokok 2" in flat
    code, out, _ = cli("read", "mp2-1a")
    assert code == 0 and "Memahami dan Memenuhi Kebutuhan Masyarakat" in out
    code, out, _ = cli("quiz", "mp2", "--json", "--shuffle", input=lines("a" * 10))
    assert code == 0 and json.loads(out)["total"] == 10
    code, out, _ = cli("progress", "--json")
    state = json.loads(out)
    assert state["evaluations"]["mp1"]["passed"] and state["evaluations"]["mp1"]["best_percent"] == 100
    assert state["evaluations"]["mp1"]["attempts"] == 2
    assert "mp1-1" in state["sections_read"]


def test_failed_attempt_shows_what_to_restudy_but_not_the_keys(cli):
    cli("learner", "add", "--name", "Ani")
    code, out, _ = cli("quiz", "mp1", input=lines("bccbacaaab"))
    assert code == 0
    assert "BELUM LULUS" in out and "latsar read mp1-1" in out and "latsar read mp1-4" in out
    assert "Kunci:" not in out and "Soal yang belum tepat: 7, 8, 9, 10" in out


def test_interrupted_input_resumes_with_only_the_unanswered_questions(cli):
    cli("learner", "add", "--name", "Ani")
    code, out, err = cli("quiz", "mp1", input=lines(MP1_KEY[:3]))
    assert code == 2 and "3 dari 10 jawaban tersimpan" in err
    code, out, err = cli("quiz", "mp1", input=lines(MP1_KEY[3:]))
    assert code == 0, err
    assert "3 dari 10 soal sudah dijawab" in out
    assert out.count("Jawaban:") == 7 and "10 dari 10 benar" in out


def test_a_bad_answer_line_is_one_sentence_and_keeps_earlier_answers(cli):
    cli("learner", "add", "--name", "Ani")
    code, _, err = cli("quiz", "mp1", input="b\nc\nx\n")
    assert code == 2 and err.startswith("latsar: Baris 3: 'x' bukan jawaban") and "2 jawaban sebelumnya sudah tersimpan" in err
    assert "Traceback" not in err


def test_numbers_one_to_four_are_accepted_as_answers(cli):
    cli("learner", "add", "--name", "Ani")
    code, out, _ = cli("quiz", "mp1", "--json", input=lines("2332133421"))
    assert code == 0 and json.loads(out)["correct"] == 10


def test_usage_errors(cli):
    code, _, err = cli("quiz", "mp1")
    assert code == 2 and "Belum ada peserta" in err
    cli("learner", "add", "--name", "Ani")
    cli("learner", "add", "--name", "Budi", "--nip", "199001012020121003")
    code, _, err = cli("quiz", "mp1")
    assert code == 2 and "Ada 2 peserta" in err
    code, _, err = cli("quiz", "mp9", "--learner", "1")
    assert code == 2 and "Evaluasi 'mp9' tidak ada" in err
    code, _, err = cli("read", "zz", "--learner", "1")
    assert code == 2 and "Bagian 'zz' tidak ada" in err
    code, _, err = cli("learner", "add", "--name", "Cici", "--nip", "1990")
    assert code == 2 and "18 angka" in err
    code, out, _ = cli("learner", "list", "--json")
    assert [l["name"] for l in json.loads(out)] == ["Ani", "Budi"]


def test_read_without_a_section_lists_the_module_map(cli):
    code, out, _ = cli("read")
    assert code == 0 and "mp1-rangkuman" in out and "quiz mp1" in out


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("latsar ")


def test_a_learner_without_nip_is_told_how_to_choose_them(cli):
    code, out, _ = cli("learner", "add", "--name", "Ani")
    assert code == 0 and "--learner 1" in out and "(id" not in out
    code, _, err = cli("learner", "add", "--name", "Budi", "--nip", "199001012020121003")
    code, _, err = cli("learner", "add", "--name", "Bude", "--nip", "199001012020121003")
    assert code == 2 and err.strip() == "latsar: NIP 199001012020121003 sudah terdaftar atas nama Budi."


@pytest.mark.parametrize(
    "args, said",
    [
        (["quiz"], "latsar: Argumen 'EVALUASI' belum diisi."),
        (["--nope"], "latsar: Opsi --nope tidak dikenal."),
        (["quiz", "--lerner", "1", "mp1"], "latsar: Opsi --lerner tidak dikenal. Mungkin maksud Anda: --learner."),
        (["quiz", "mp1", "lagi"], "latsar: Argumen berlebih: lagi."),
        (["kuis"], "latsar: Perintah 'kuis' tidak ada."),
        (["--db"], "latsar: Opsi --db perlu diberi nilai."),
        (["serve", "--port", "0"], "latsar: Nilai tidak sah untuk '--port': paling kecil 1."),
        (["serve", "--port", "70000"], "latsar: Nilai tidak sah untuk '--port': paling besar 65535."),
        (["practice", "--count", "x"], "latsar: Nilai tidak sah untuk '--count': harus bilangan bulat."),
    ],
)
def test_usage_errors_are_said_in_indonesian(cli, args, said):
    code, out, err = cli(*args)
    assert code == 2 and err.splitlines()[0] == said and out == ""
    for english in ("Usage", "Error", "Try ", "No such", "Missing", "Got unexpected", "Invalid value", "Input should"):
        assert english not in err


@pytest.mark.parametrize("args", [["--help"], ["quiz", "--help"], ["learner", "add", "-h"]])
def test_help_is_indonesian(cli, args):
    code, out, _ = cli(*args)
    assert code == 0 and "Pemakaian: latsar" in out and "Tampilkan bantuan ini lalu keluar." in out
    for english in ("Usage:", "Show this message", "Options:", "Commands:", "Arguments:", "[required]"):
        assert english not in out


def _every_command() -> list[list[str]]:
    import typer

    from latsar import cli

    for name in cli.SUB_APPS:
        cli.load_sub_app(name)

    def walk(command, path):
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            if not sub.hidden:
                yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(cli.app), []))


def test_every_commands_help_is_indonesian_to_its_defaults_and_ranges(cli, monkeypatch):
    """Typer's "<int range>" and "[default: 10; 1<=x<=200]" are said in Indonesian; arguments
    are named in capitals, as the usage line names them."""
    import re

    monkeypatch.setenv("COLUMNS", "200")  # one line an option: nothing is cut
    commands = _every_command()
    assert ["practice"] in commands and ["serve"] in commands and ["gift", "export"] in commands
    for path in commands:
        code, out, _ = cli(*path, "--help")
        assert code == 0, path
        for english in ("default", "range>", "<=", ">=", "<int", "<float", "<list", "Usage:", "Options:", "Arguments:"):
            assert english not in out, (path, english, out)
        arguments = out.split("Argumen:\n")[1].split("\n\n")[0] if "Argumen:" in out else ""
        assert all(re.match(r"  [A-Z]", line) for line in arguments.splitlines() if re.match(r"  \S", line)), (path, arguments)
    code, out, _ = cli("practice", "--help")
    assert "--count <angka>" in out and "[bawaan: 10; 1–200]" in out
    assert "[BAGIAN]" in cli("read", "--help")[1]


def test_ctrl_c_in_quiz_says_the_answers_are_saved_and_how_to_continue(tmp_path, capsys):
    from latsar.plain.quiz import run_quiz
    from latsar.services import open_services

    svc = open_services(tmp_path / "c.db")
    me = svc.trainee(svc.learners.add("Ani").id)

    class Interrupted:
        def __init__(self):
            self.lines = iter(["b\n", "c\n"])

        def isatty(self):
            return False

        def readline(self):
            try:
                return next(self.lines)
            except StopIteration:
                raise KeyboardInterrupt from None

    assert run_quiz(me, "mp1", stdin=cast(TextIO, Interrupted())) == 130
    err = capsys.readouterr().err
    assert "Dihentikan (Ctrl+C). 2 dari 10 jawaban tersimpan" in err and "latsar quiz mp1" in err
    assert open_attempt(me, "mp1").answered_count == 2


def _pressing(clock, *keys: str, wait: float = 0):
    """Keys a reader presses in the pager, ``wait`` seconds apart on the services' clock."""
    pressed = iter(keys)

    def key():
        clock.advance(wait)
        return next(pressed, None)

    return key


def test_read_pages_in_indonesian_and_counts_only_a_reading_to_the_end(svc, clock, monkeypatch):
    """`latsar read` in a terminal pages with Indonesian keys; q before the end, or the end
    reached sooner than the section can be read, does not count; a reading does."""
    import io

    from rich.console import Console

    from latsar.plain.reader import print_section

    me = svc.trainee(svc.learners.add("Ani").id)
    screen = io.StringIO()
    monkeypatch.setattr("latsar.plain.reader.stdout", lambda: Console(file=screen, force_terminal=True, width=60, height=20, highlight=False))
    print_section(svc, me, "mp1-2", _pressing(clock, "?", "x", "q"))
    said = screen.getvalue()
    assert "Spasi: lanjut" in said and "q: berhenti" in said and "layar berikutnya" in said  # the keys, in Indonesian
    assert "Belum sampai akhir: bagian ini belum tercatat sudah dibaca." in said
    assert not me.progress().sections["mp1-2"].read
    print_section(svc, me, "mp1-2", _pressing(clock, "end", "enter", wait=5))  # straight to the end
    assert "Dibaca sekilas" in screen.getvalue() and "latsar read mp1-2" in " ".join(screen.getvalue().split())
    status = me.progress().sections["mp1-2"]
    assert not status.read and status.skimmed
    screen.truncate(0)
    wait = me.reading.minimum("mp1-2") / 8
    print_section(svc, me, "mp1-2", _pressing(clock, *["space"] * 12, "enter", wait=wait))  # a screen at a time
    assert "✓ Akhir bagian: bagian ini tercatat sudah dibaca." in screen.getvalue()
    assert me.progress().sections["mp1-2"].read


def test_read_into_a_pipe_prints_the_section_and_says_it_is_not_counted(cli):
    cli("learner", "add", "--name", "Ani")
    code, out, err = cli("read", "mp1-1")  # piped (captured): printed whole, never paged
    assert code == 0 and "Pengertian Pelayanan Publik" in out and "\x1b[7m" not in out
    assert "belum tercatat sudah dibaca" in err
    assert json.loads(cli("progress", "--json")[1])["sections_read"] == []


def test_the_pager_fits_its_keys_in_sixty_columns_and_reads_lines_where_keys_cannot_be_read():
    import io

    from latsar.plain.pager import Pager, line_key

    out = io.StringIO()
    keys = io.StringIO("\n\nq\n")
    pager = Pager([f"{i}\n" for i in range(80)], 19, out, lambda: line_key(keys), width=60)
    assert pager.run() is False  # stopped on the third screen, before the end
    text = out.getvalue()
    assert "56\n" in text and "57\n" not in text
    assert all(len(p) <= 59 for p in (Pager([], 19, out, lambda: None, width=60, top=t).prompt() for t in (0, 40)))
    assert Pager([f"{i}\n" for i in range(50)], 19, io.StringIO(), iter(["G", "enter"]).__next__).run() is True


def test_one_date_format_in_the_terminal_and_the_tui(cli, monkeypatch):
    import time
    from datetime import UTC, datetime

    from latsar.services.presentation import format_time

    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()

    stamp = datetime(2026, 11, 24, 11, 40, tzinfo=UTC)
    naive = stamp.replace(tzinfo=None)  # how SQLite gives it back: naive UTC
    try:
        assert format_time(stamp) == "24-11-2026 18:40" == format_time(naive)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    cli("learner", "add", "--name", "Ani")
    cli("quiz", "mp1", input=lines(MP1_KEY))
    code, out, _ = cli("progress")
    import re

    assert code == 0 and re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", out) and not re.search(r"\d{4}-\d{2}-\d{2}", out)


@pytest.mark.parametrize(
    "argv, db, content",
    [([], None, None), (["--db", "x.db"], "x.db", None), (["--content=pack", "--db=y.db"], "y.db", "pack")],
)
def test_latsar_alone_opens_the_tui_without_the_command_tree(argv, db, content, monkeypatch):
    import latsar.launch
    import latsar.tui.run

    opened = []
    monkeypatch.setattr(latsar.tui.run, "run_tui", lambda db, content, learner=None, serve=False: opened.append((db, content, serve)))
    monkeypatch.setattr("latsar.cli.main", lambda argv: pytest.fail("went through the command line parser"))
    assert latsar.launch.main(argv) == 0 and opened == [(db, content, False)]


def test_a_classroom_session_starts_on_the_fast_path_and_leaves_at_once(monkeypatch):
    """`latsar serve` runs `latsar --db X session` per browser: no command tree, and once the app
    has ended (everything saved) the process exits without tearing the interpreter down."""
    import latsar.launch
    import latsar.tui.run

    opened, left = [], []
    monkeypatch.setattr(latsar.tui.run, "run_tui", lambda db, content, learner=None, serve=False: opened.append((db, serve)))
    monkeypatch.setattr("latsar.cli.main", lambda argv: pytest.fail("went through the command line parser"))
    monkeypatch.setattr(latsar.tui.run, "leave_at_once", lambda code=0: left.append(code == 0))
    assert latsar.launch.main(["--db", "kelas.db", "session"]) == 0
    assert opened == [("kelas.db", True)] and left == [True]


def test_an_app_that_failed_does_not_exit_as_if_all_went_well(monkeypatch, tmp_path):
    """A bug in the app (Textual shows its traceback and sets return code 1) is not exit code 0."""
    import latsar.launch
    import latsar.tui.app

    class Failed:
        return_code = 1
        trainee = None

        def run(self) -> None:
            pass

    monkeypatch.setattr(latsar.tui.app, "build_app", lambda *a, **k: Failed())
    assert latsar.launch.main(["--db", str(tmp_path / "x.db")]) == 1
    monkeypatch.setattr(Failed, "return_code", None)  # a normal end
    assert latsar.launch.main(["--db", str(tmp_path / "x.db")]) == 0


def test_the_fast_path_imports_neither_typer_nor_click():
    code = (
        "import sys, latsar.tui.run\n"
        "latsar.tui.run.run_tui = lambda *a, **k: None\n"
        "from latsar.launch import main\n"
        "assert main([]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_fault_on_the_fast_path_is_one_sentence(tmp_path):
    bad = tmp_path / "rusak.db"
    bad.write_bytes(b"bukan basis data " * 100)
    done = subprocess.run([sys.executable, "-m", "latsar", "--db", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.startswith("latsar: ") and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("argv", [["--db"], ["read"], ["--db", "x.db", "tui"], ["--version"], ["session", "--db", "x.db"], ["--db", "session"]])
def test_anything_else_goes_through_the_parser(argv):
    from latsar.launch import fast_path

    assert fast_path(argv) is None


def test_the_instructor_passphrase_is_set_and_changed_from_a_script(cli, tmp_path):
    db = str(tmp_path / "p.db")
    code, out, err = cli("--db", db, "instructor", "passphrase", input="rahasia-satu\nrahasia-satu\n")
    assert code == 0 and "tersimpan" in out and "Warning" not in err
    code, _, err = cli("--db", db, "instructor", "passphrase", input="salah-sekali\nrahasia-dua\nrahasia-dua\n")
    assert code == 2 and err.startswith("latsar: ")
    code, out, _ = cli("--db", db, "instructor", "passphrase", input="rahasia-satu\nrahasia-dua\nrahasia-dua\n")
    assert code == 0 and "tersimpan" in out
    code, _, err = cli("--db", db, "instructor", "passphrase", input="rahasia-dua\nrahasia-tiga\nrahasia-empat\n")
    assert code == 2 and "tidak sama" in err


def test_a_piped_passphrase_prints_no_echo_warning(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "latsar", "--db", str(tmp_path / "q.db"), "instructor", "passphrase"],
        input="rahasia-pengampu\nrahasia-pengampu\n", capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "" and "tersimpan" in done.stdout


def test_a_missing_file_is_said_in_indonesian(cli, tmp_path):
    code, _, err = cli("--db", str(tmp_path / "m.db"), "learner", "import", str(tmp_path / "tidak-ada.csv"))
    assert code == 4 and err.strip().endswith("tidak dapat dibaca: berkas tidak ditemukan.")
    assert "No such file" not in err


def test_a_retake_after_a_pass_left_half_done_never_hides_the_pass(cli):
    """`latsar quiz` after a pass needs --ulang from a script; a retake stopped after 4 answers
    leaves `progress` saying "lulus" and the next step on the module's required work."""
    cli("learner", "add", "--name", "Ani")
    assert cli("quiz", "mp1", input=lines(MP1_KEY))[0] == 0
    code, _, err = cli("quiz", "mp1", input=lines("aaaa"))
    assert code == 2 and "--ulang" in err
    code, _, err = cli("quiz", "mp1", "--ulang", input=lines("aaaa"))  # the input ends: 4 answers kept
    assert code == 2 and "4 dari 10 jawaban tersimpan" in err
    code, out, _ = cli("progress")
    flat = " ".join(out.replace("│", " ").split())
    assert "lulus · percobaan baru 4/10 dijawab" in flat and "sedang dikerjakan" not in flat
    assert "Langkah berikutnya: Baca:" in flat
    state = json.loads(cli("progress", "--json")[1])
    assert state["evaluations"]["mp1"]["passed"] and state["next_step"].startswith("Baca:")
    code, out, _ = cli("quiz", "mp1", "--json", input=lines(MP1_KEY[4:]))  # resumed without a question
    assert code == 0 and json.loads(out)["total"] == 10


def test_long_options_wrap_under_their_text_in_the_plain_quiz_and_practice():
    import io

    from rich.console import Console

    from latsar.plain.console import option_line

    out = io.StringIO()
    Console(file=out, width=40).print(option_line("a", "Semua jenis pelayanan untuk menyediakan barang/jasa yang dibutuhkan oleh masyarakat"))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("   a. Semua") and len(lines) > 1
    assert all(line.startswith("      ") and line.strip() for line in lines[1:]), lines  # under the text, not at column 0


def test_the_list_of_sections_keeps_room_for_titles(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    cli("learner", "add", "--name", "Ani")
    cli("quiz", "mp1", input="b\nc\nq\n")  # an open attempt: the longest status
    _, out, _ = cli("read")
    assert "sedang dikerjakan" in out
    rows = [line for line in out.splitlines() if "mp1-4" in line]
    assert rows and "4. Nilai Berorientasi" in rows[0]  # not squeezed to a few letters a line


def test_practice_with_nothing_open_yet_is_one_sentence_and_exit_2(cli):
    """A fresh trainee (nothing read, the cases waiting for Materi Pokok 2): `latsar practice`
    printed its header, the reason and "0 dari 0 tepat", and exited 0."""
    assert cli("learner", "add", "--name", "Ani")[0] == 0
    code, out, err = cli("practice", input="")
    assert code == 2 and out == "" and err.count("\n") == 1, (out, err)
    assert "Belum ada soal latihan yang terbuka" in err
