"""The section checks bank ("Cek pemahaman", quizzes/berorientasi-pelayanan/cek.toml).

Read with tomllib directly, not through latsar.course: the checks must stay honest whatever
the loader does with them. Every question checks exactly one section, and its `quote` must be
a verbatim span of that section's text (only whitespace is normalised).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections import Counter
from itertools import groupby
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "berorientasi-pelayanan"
QUIZZES = ROOT / "quizzes" / "berorientasi-pelayanan"

# The sections that get checks, with the number of questions each must have.
EXPECTED = {
    "mp1-1": 5,
    "mp1-2": 5,
    "mp1-3": 5,
    "mp1-4": 5,
    "mp1-rangkuman": 5,
    "mp2-1": 5,
    "mp2-1a": 5,
    "mp2-1b": 5,
    "mp2-1c": 5,
    "mp2-2": 5,
    "mp2-rangkuman": 5,
    "kode-etik": 5,
    "studi-kasus-pontianak": 4,
}
LETTERS = ("a", "b", "c", "d")
NEAR_DUPLICATE = 0.85  # difflib ratio at or above which two stems count as the same question


def norm(text: str) -> str:
    return " ".join(text.split())


def load_toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def load_sections() -> dict[str, str]:
    """Section id -> whitespace-normalised body (the text after the closing +++)."""
    sections: dict[str, str] = {}
    for path in sorted(CONTENT.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"\A\+\+\+\n(.*?)\n\+\+\+\n(.*)\Z", text, re.DOTALL)
        assert match, f"{path.name}: no +++ front matter"
        meta = tomllib.loads(match.group(1))
        assert meta["id"] not in sections, f"duplicate section id {meta['id']}"
        sections[meta["id"]] = norm(match.group(2))
    return sections


BANK = load_toml(QUIZZES / "cek.toml")
QUESTIONS = BANK["questions"]
SECTIONS = load_sections()
IDS = [q.get("id", f"#{i}") for i, q in enumerate(QUESTIONS)]


def test_bank_header():
    assert BANK["bank"]["id"] == "cek"
    assert BANK["bank"]["title"] == "Cek Pemahaman"


def test_course_manifest_names_the_bank():
    manifest = load_toml(CONTENT / "course.toml")
    assert manifest["checks"]["bank"] == "cek.toml"
    assert (QUIZZES / manifest["checks"]["bank"]).is_file()


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_quote_is_verbatim_from_its_section(q):
    quote = norm(q.get("quote", ""))
    assert quote, "empty quote"
    # Quotes are plain text: no Markdown emphasis, headings, tables or list markers.
    assert not re.search(r"[*#|`]", quote), f"Markdown markup in quote: {quote!r}"
    assert not re.match(r"(-|\d+\\?[.)]|[a-z][.)])\s", quote), f"list marker at start of quote: {quote!r}"
    (section,) = q["sections"]
    assert quote in SECTIONS[section], f"quote not found in section {section}: {quote!r}"


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_question_names_one_existing_section(q):
    assert isinstance(q["sections"], list) and len(q["sections"]) == 1, q["sections"]
    (section,) = q["sections"]
    assert section in SECTIONS, f"no section {section}"
    assert section in EXPECTED, f"section {section} is not one that gets checks"
    assert re.fullmatch(rf"cek-{re.escape(section)}-\d\d", q["id"]), q["id"]
    assert q["stem"].strip() and q["explanation"].strip()


def test_counts_per_section_and_ids():
    ids = [q["id"] for q in QUESTIONS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert len(QUESTIONS) >= 60
    counts = Counter(q["sections"][0] for q in QUESTIONS)
    assert dict(counts) == EXPECTED
    assert all(3 <= n <= 5 for n in counts.values())
    # Within a section, ids run 01, 02, ... in bank order.
    for section, group in groupby(QUESTIONS, key=lambda q: q["sections"][0]):
        numbers = [int(q["id"].rsplit("-", 1)[1]) for q in group]
        assert numbers == list(range(1, len(numbers) + 1)), (section, numbers)


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_options_are_a_to_d_and_key_is_one_of_them(q):
    options = q["options"]
    assert tuple(options) == LETTERS
    texts = [norm(options[letter]) for letter in LETTERS]
    assert all(texts), "empty option"
    assert len({t.casefold() for t in texts}) == 4, "two options are the same"
    assert q["key"] in LETTERS


def module_stems() -> list[str]:
    stems = []
    for name in ("mp1.toml", "mp2.toml"):
        stems += [q["stem"] for q in load_toml(QUIZZES / name)["questions"]]
    assert len(stems) == 20
    return stems


MODULE_STEMS = [norm(s).casefold() for s in module_stems()]


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_stem_is_not_a_module_evaluation_question(q):
    stem = norm(q["stem"]).casefold()
    for other in MODULE_STEMS:
        ratio = difflib.SequenceMatcher(None, stem, other).ratio()
        assert ratio < NEAR_DUPLICATE, f"stem too close ({ratio:.2f}) to module question: {other!r}"


def test_key_distribution():
    counts = Counter(q["key"] for q in QUESTIONS)
    assert set(counts) == set(LETTERS)
    for letter in LETTERS:
        assert 14 <= counts[letter] <= 18, dict(counts)
    # Never the same key more than three times in a row within a section.
    for section, group in groupby(QUESTIONS, key=lambda q: q["sections"][0]):
        keys = [q["key"] for q in group]
        longest = max(len(list(run)) for _, run in groupby(keys))
        assert longest <= 3, (section, keys)
