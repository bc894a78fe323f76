"""Question banks: a ``[bank]`` table and its ``[[questions]]``, one small validator per field. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, KeysView, Mapping
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import replace

from latsar.course.fields import ANY_TEXT, TEXT, TEXTS, Document, Fields, Kind, load_document
from latsar.course.model import Bank, Question, Section
from latsar.course.problems import Report, shown
from latsar.course.source import BANK_LIMIT

_OPTION_LETTER = re.compile(r"^[a-z]$")


def _option_table(value: object) -> dict[str, object] | None:
    return value if isinstance(value, dict) and len(value) >= 2 else None


OPTIONS: Kind[dict[str, object]] = Kind("tabel berisi sedikitnya dua pilihan", _option_table, {})
SECTION_IDS: Kind[tuple[str, ...]] = Kind("daftar id bagian yang tidak kosong", lambda v: TEXTS.convert(v) or None, ())


def collapse(text: str) -> str:
    """``text`` with every run of whitespace made one space; what a quote is compared by."""
    return " ".join(text.split())


class BankRules(Struct):
    """What every bank of one course is checked against, and the ids already taken."""

    bodies: Mapping[str, str]  # section id -> its body, collapsed
    question_files: dict[str, str] = field(default_factory=dict)  # question id -> file of its first use
    bank_files: dict[str, str] = field(default_factory=dict)  # bank id -> file

    @classmethod
    def of(cls, sections: Iterable[Section]) -> BankRules:
        return cls(bodies={s.id: collapse(s.body) for s in sections})

    @property
    def section_ids(self) -> KeysView[str]:
        return self.bodies.keys()


def _label(raw: Mapping[str, object], index: int) -> str:
    qid = raw.get("id")
    return f"soal '{shown(qid)}'" if isinstance(qid, str) and qid.strip() else f"soal ke-{index + 1}"


def _question_id(f: Fields, rules: BankRules) -> str:
    qid = f.required("id", TEXT)
    if qid in rules.question_files:
        f.problem("id", f"id soal '{shown(qid)}' ganda (juga di {rules.question_files[qid]})")
    elif qid:
        rules.question_files[qid] = f.doc.path.name
    return qid


def _option_letters(f: Fields, letters: list[str]) -> None:
    expected = [chr(ord("a") + n) for n in range(len(letters))]
    if letters != expected or not all(_OPTION_LETTER.match(x) for x in letters):
        f.fail("options", f"pilihan harus berhuruf berurutan {', '.join(expected)}")


def _options(f: Fields) -> tuple[tuple[str, str], ...]:
    options = f.required("options", OPTIONS)
    if not options:
        return ()
    _option_letters(f, list(options))
    texts: list[tuple[str, str]] = []
    for letter, text in options.items():
        if isinstance(text, str) and text.strip():
            texts.append((letter, text.strip()))
        else:
            f.fail("options", f"pilihan '{shown(letter)}' kosong")
    return tuple(texts)


def _single_key(f: Fields) -> object:
    """The key as written, unwrapped from a one-item list; None when there is not exactly one."""
    if not f.has("key"):
        f.fail(None, "tidak ada kunci jawaban ('key'); setiap soal harus punya tepat satu kunci")
        return None
    key = f.data["key"]
    if not isinstance(key, list):
        return key
    if len(key) != 1:
        f.fail("key", f"{len(key)} kunci jawaban; setiap soal harus punya tepat satu kunci")
        return None
    return key[0]


def _key(f: Fields, letters: tuple[str, ...]) -> str:
    key = _single_key(f)
    if key is None:
        return ""
    if not isinstance(key, str):
        f.fail("key", "kunci jawaban harus satu huruf")
        return ""
    if letters and key not in letters:
        f.fail("key", f"kunci '{shown(key)}' bukan salah satu pilihan ({', '.join(letters)})")
    return key


def _sections(f: Fields, rules: BankRules, check: bool) -> tuple[str, ...]:
    sections = f.required("sections", SECTION_IDS)
    if check and len(sections) > 1:
        f.fail("sections", f"cek pemahaman harus merujuk tepat satu bagian, bukan {len(sections)}")
    for sid in sections:
        if sid not in rules.bodies:
            f.fail("sections", f"merujuk bagian yang tidak ada: '{shown(sid)}'")
    return sections


def _quote(f: Fields, sections: tuple[str, ...], rules: BankRules, check: bool) -> str:
    """The quote, required of a section check: it must stand in one of the question's sections."""
    quote = f.required("quote", TEXT) if check else f.optional("quote", TEXT, "")
    known = [sid for sid in sections if sid in rules.bodies]
    if quote and known and not any(collapse(quote) in rules.bodies[sid] for sid in known):
        where = " atau ".join(f"'{shown(sid)}'" for sid in known)
        f.fail("quote", f"kutipan tidak ditemukan di bagian {where}")
    return quote.strip()


def _question(f: Fields, index: int, rules: BankRules, check: bool) -> Question | None:
    options = _options(f)
    sections = _sections(f, rules, check)
    question = Question(
        id=_question_id(f, rules),
        number=index + 1,
        stem=f.required("stem", TEXT, invalid="pertanyaan (stem) kosong").strip(),
        options=options,
        key=_key(f, tuple(letter for letter, _ in options)),
        sections=sections,
        explanation=f.required("explanation", TEXT, invalid="penjelasan kosong").strip(),
        quote=_quote(f, sections, rules, check),
    )
    return question if f.ok else None


def _bank_meta(doc: Document, rules: BankRules) -> Bank | None:
    """The ``[bank]`` table as a Bank without questions yet."""
    meta = doc.table("bank")
    if meta is None:
        return None
    f = doc.fields(meta, "bank", 0, prefix="[bank]")
    bank = Bank(
        id=f.required("id", TEXT),
        title=f.required("title", TEXT),
        source=f.optional("source", ANY_TEXT, ""),
        instructions=f.optional("instructions", ANY_TEXT, ""),
        questions=(),
    )
    if bank.id in rules.bank_files:
        f.problem("id", f"id bank '{shown(bank.id)}' ganda (juga di {rules.bank_files[bank.id]})")
    elif bank.id:
        rules.bank_files[bank.id] = doc.path.name
    return bank if f.ok else None


def _questions(doc: Document, rules: BankRules, check: bool) -> list[Question | None] | None:
    raw = doc.data.get("questions")
    if not isinstance(raw, list) or not raw:
        doc.problem(1, "bank tidak berisi soal ([[questions]])")
        return None
    entries = doc.tables("questions", lambda i: f"soal ke-{i + 1}")
    found = [_question(doc.fields(q, "questions", i, prefix=_label(q, i)), i, rules, check) for i, q in entries]
    return found if len(entries) == len(raw) else None


def load_bank(report: Report, path: Path, rules: BankRules, check: bool = False) -> Bank | None:
    """The bank at ``path``, or None after reporting every problem in it.

    With ``check``, a bank of section checks: each question cites exactly one section and
    quotes it (``quote``, compared with runs of whitespace collapsed).
    """
    doc = load_document(report, path, BANK_LIMIT)
    if doc is None:
        return None
    bank = _bank_meta(doc, rules)
    questions = _questions(doc, rules, check)
    if bank is None or questions is None or None in questions:
        return None
    return replace(bank, questions=tuple(q for q in questions if q is not None))
