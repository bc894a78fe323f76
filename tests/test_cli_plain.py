"""The plain-terminal journey of the issue: register, read, fail MP1, restudy, pass, then MP2."""

from __future__ import annotations

import json

MP1_KEY = "bccbaccdba"
MP2_KEY = "cbddacbaab"


def lines(s: str) -> str:
    return "\n".join(s) + "\n"


def test_trainee_journey(cli):
    code, out, _ = cli("learner", "add", "--name", "Siti Aminah", "--nip", "199001012020122001", "--cohort", "Angkatan 7", "--instansi", "Pemkot")
    assert code == 0 and "id 1" in out
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
    assert cli("read", "mp1-1")[0] == 0
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
