"""The course as typed, immutable data. Pure: no UI, no ORM."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from msgspec import Struct

PRACTICE_MAX_INTERVAL_DAYS = 21  # default cap on the practice scheduler's wait, in days
# A section counts as read when its end is reached no sooner than its words could be read at
# this many words per minute: a ceiling generous to fast readers (``[reading]`` of the manifest).
READING_WPM = 600
READING_WPM_RANGE = (100, 3000)


class Section(Struct, frozen=True):
    id: str
    title: str
    part: str
    order: int
    body: str
    source: str = ""
    path: Path | None = None
    words: int = 0  # words of its text (``sections.count_words``), for the time it takes to read


class Question(Struct, frozen=True):
    id: str
    number: int
    stem: str
    options: tuple[tuple[str, str], ...]
    key: str
    sections: tuple[str, ...]
    explanation: str
    quote: str = ""  # for a section check: the module's sentence(s) that answer it, verbatim

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(letter for letter, _ in self.options)

    def option_text(self, letter: str) -> str:
        return dict(self.options)[letter]


class Bank(Struct, frozen=True):
    id: str
    title: str
    source: str
    instructions: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


class Evaluation(Struct, frozen=True):
    id: str
    title: str
    part: str
    order: int
    threshold: int
    requires: tuple[str, ...]
    bank: Bank
    label: str = ""  # short name for messages, e.g. "Evaluasi MP1"

    @property
    def name(self) -> str:
        return self.label or self.title


class Part(Struct, frozen=True):
    id: str
    title: str
    requires: tuple[str, ...] = ()
    graded: bool = True
    label: str = ""  # short name for messages, e.g. "Materi Pokok 2"

    @property
    def name(self) -> str:
        return self.label or self.title


class RetakePolicy(Struct, frozen=True):
    policy: str = "restudy"  # "restudy" or "free"
    max_attempts: int = 0  # 0: no limit


class Behaviour(Struct, frozen=True):
    """One behaviour the journal practises: one of the module's panduan perilaku."""

    id: str
    title: str  # the module's own name for it
    section: str = ""  # the section that teaches it, when the pack names one


class Journal(Struct, frozen=True):
    """The habituation journal ("Jurnal aktualisasi"): the behaviours an entry may practise, and
    the target: at least ``target`` entries reviewed "sesuai" for every behaviour."""

    title: str
    behaviours: tuple[Behaviour, ...]
    target: int = 1

    def behaviour(self, behaviour_id: str) -> Behaviour:
        for b in self.behaviours:
            if b.id == behaviour_id:
                return b
        raise KeyError(behaviour_id)

    def has(self, behaviour_id: str) -> bool:
        return any(b.id == behaviour_id for b in self.behaviours)

    def letter(self, behaviour_id: str) -> str:
        """The behaviour's place as the module lists them: "a", "b", "c"."""
        return "abcdefghijkl"[[b.id for b in self.behaviours].index(behaviour_id)]


class MapEntry(Struct, frozen=True):
    """One line of the module map: a section or an evaluation."""

    kind: str  # "section" | "evaluation"
    id: str
    title: str
    part: str
    order: int


class Course(Struct, frozen=True):
    id: str
    title: str
    version: str
    language: str
    credit: str
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    evaluations: tuple[Evaluation, ...]
    practice: Bank | None
    practice_title: str
    retake: RetakePolicy
    checks: Bank | None = None  # section checks ("Cek pemahaman"), each citing one section
    checks_title: str = ""
    practice_max_interval_days: int = PRACTICE_MAX_INTERVAL_DAYS
    journal: Journal | None = None  # the habituation journal, when the pack has one
    reading_wpm: int = READING_WPM  # the fastest reading that counts, in words per minute
    root: Path | None = None

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def has_section(self, section_id: str) -> bool:
        return any(s.id == section_id for s in self.sections)

    def evaluation(self, evaluation_id: str) -> Evaluation:
        for e in self.evaluations:
            if e.id == evaluation_id:
                return e
        raise KeyError(evaluation_id)

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def bank(self, bank_id: str) -> Bank:
        """The practice or checks bank of that id, else the bank of the evaluation of that id."""
        for extra in (self.practice, self.checks):
            if extra is not None and extra.id == bank_id:
                return extra
        return self.evaluation(bank_id).bank

    def checks_for(self, section_id: str) -> tuple[Question, ...]:
        """The section checks of one section, in bank order."""
        if self.checks is None:
            return ()
        return tuple(q for q in self.checks.questions if q.sections == (section_id,))

    def module_map(self) -> list[MapEntry]:
        """Sections and evaluations in reading order, grouped by part order."""
        part_rank = {p.id: i for i, p in enumerate(self.parts)}
        entries = [MapEntry("section", s.id, s.title, s.part, s.order) for s in self.sections]
        entries += [MapEntry("evaluation", e.id, e.title, e.part, e.order) for e in self.evaluations]
        entries.sort(key=lambda e: (part_rank.get(e.part, len(part_rank)), e.order, e.kind))
        return entries

    def reading_order(self) -> list[Section]:
        ids = [e.id for e in self.module_map() if e.kind == "section"]
        return [self.section(i) for i in ids]

    def in_order(self, section_ids: Iterable[str]) -> tuple[str, ...]:
        """``section_ids`` in the module's reading order, each once (ids it lacks last)."""
        rank = {s.id: i for i, s in enumerate(self.reading_order())}
        return tuple(sorted(dict.fromkeys(section_ids), key=lambda sid: rank.get(sid, len(rank))))

    def keys_digest(self) -> str:
        """A digest of every graded question's id and key: two machines agree on grading iff equal."""
        h = hashlib.sha256()
        for e in self.evaluations:
            for q in e.bank.questions:
                h.update(f"{e.id}/{q.id}={q.key};".encode())
        return h.hexdigest()
