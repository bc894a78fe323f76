"""The shipped course pack: complete, faithful, graded by the module's own keys."""

from __future__ import annotations

import re

import pytest

from latsar.course import load_course
from latsar.paths import shipped_pack
from tests.conftest import SEEDS

MODULE_SEED = SEEDS / "001_4ed9d0ee249ec919.txt"


@pytest.fixture(scope="module")
def course():
    return load_course(shipped_pack())


def test_answer_keys_match_the_module(course):
    # Kunci Jawaban of the module, transcribed independently of the bank files.
    assert "".join(q.key for q in course.evaluation("mp1").bank.questions) == "bccbaccdba"
    assert "".join(q.key for q in course.evaluation("mp2").bank.questions) == "cbddacbaab"


def test_every_evaluation_has_ten_four_option_questions(course):
    for ev in course.evaluations:
        assert len(ev.bank.questions) == 10
        for q in ev.bank.questions:
            assert q.letters == ("a", "b", "c", "d")
            assert q.explanation and q.sections


def test_evaluation_questions_cite_only_their_own_materi_pokok(course):
    # A failed MP1 attempt must send the learner to MP1 sections, which are open.
    for ev in course.evaluations:
        for q in ev.bank.questions:
            for sid in q.sections:
                assert course.section(sid).part == ev.part, (q.id, sid)


def test_sections_the_issue_names_are_present_in_order(course):
    ids = [s.id for s in course.reading_order()]
    expected = [
        "pengantar", "bab1-a", "bab1-b", "bab1-c", "bab1-d", "bab1-e",
        "mp1-1", "mp1-2", "mp1-3", "mp1-4", "mp1-rangkuman", "mp1-umpan-balik",
        "mp2-1", "mp2-1a", "mp2-1b", "mp2-1c", "mp2-2", "mp2-rangkuman", "mp2-umpan-balik",
        "penutup", "daftar-pustaka", "kode-etik", "studi-kasus-pontianak",
    ]
    assert ids == expected
    entries = [(e.kind, e.id) for e in course.module_map()]
    assert entries.index(("evaluation", "mp1")) == entries.index(("section", "mp1-rangkuman")) + 1
    assert entries.index(("evaluation", "mp2")) == entries.index(("section", "mp2-rangkuman")) + 1


def test_manifest_gate_and_policy(course):
    assert course.evaluation("mp1").threshold == 80
    assert course.evaluation("mp2").requires == ("mp1",)
    assert course.part("mp2").requires == ("mp1",)
    assert course.retake.policy == "restudy"
    assert "Lembaga Administrasi Negara" in course.credit


def test_practice_bank_is_scenarios_tied_to_enrichment_and_panduan(course):
    practice = course.practice
    assert practice is not None and len(practice.questions) >= 20
    panduan = {"mp2-1a", "mp2-1b", "mp2-1c"}
    for q in practice.questions:
        assert panduan & set(q.sections), q.id
    cited = {s for q in practice.questions for s in q.sections}
    assert {"kode-etik", "studi-kasus-pontianak"} <= cited
    # Keys are spread over the letters, so guessing one letter does not pay.
    counts = {letter: sum(q.key == letter for q in practice.questions) for letter in "abcd"}
    assert max(counts.values()) <= len(practice.questions) // 2


def test_enrichment_is_credited_and_never_gated(course):
    assert course.part("pengayaan").graded is False
    assert course.part("pengayaan").requires == ()
    for sid in ("kode-etik", "studi-kasus-pontianak"):
        s = course.section(sid)
        assert s.source and "tidak dinilai" in s.body


def _words(text: str) -> list[str]:
    text = text.replace("\\", "")
    text = re.sub(r"[*_`>#|]", " ", text)
    return re.findall(r"[0-9A-Za-zÀ-ÿ’'\-/]+", text.replace("- ", " "))


@pytest.mark.skipif(not MODULE_SEED.exists(), reason="the module's source text is not beside this checkout")
def test_every_sentence_of_the_module_is_in_the_content(course):
    """Faithfulness: each sentence of the module body appears in the Markdown, word for word."""
    seed = MODULE_SEED.read_text(encoding="utf-8")
    start = seed.index("Sejalan dengan pengembangan kurikulum")
    body = seed[start : seed.index("KUNCI JAWABAN")]
    toc = body.index("DAFTAR ISI")
    body = body[:toc] + body[body.index("BAB I\n", toc):]
    # The two evaluations live in the question banks, not in the reading.
    for a, b in (("C. Evaluasi Materi Pokok 1", "D. Umpan Balik"), ("C. Evaluasi Materi Pokok 2", "D. Umpan Balik")):
        i = body.index(a)
        body = body[:i] + body[body.index(b, i):]
    body = body.replace("terobosan- terobosan", "terobosan-terobosan")
    content = " ".join(_words(" ".join(f"{s.title} {s.body}" for s in course.sections)))
    missing = []
    for sentence in re.split(r"(?<=[.;:!?])\s+|\n", body):
        words = _words(sentence)
        if len(words) < 4 or "DAFTAR" in sentence or "....." in sentence or "\t" in sentence:
            continue
        if " ".join(words) not in content:
            missing.append(" ".join(words)[:80])
    assert missing == [], "\n".join(missing)


@pytest.mark.skipif(not MODULE_SEED.exists(), reason="the module's source text is not beside this checkout")
def test_evaluation_stems_and_options_are_word_for_word(course):
    seed = " ".join(_words(MODULE_SEED.read_text(encoding="utf-8")))
    for ev in course.evaluations:
        for q in ev.bank.questions:
            assert " ".join(_words(q.stem)) in seed, q.id
            for _, text in q.options:
                assert " ".join(_words(text)) in seed, (q.id, text)


def test_lists_stay_lists(course):
    asas = course.section("mp1-1").body
    assert "- a. kepentingan umum;" in asas and "- l. kecepatan, kemudahan, dan keterjangkauan." in asas
    assert "- 9\\) Mengingat nama pelanggan." in course.section("mp2-1b").body
