"""Load and validate a course pack. Pure: standard library (tomllib) and msgspec, no UI, no ORM.

A course pack is a directory holding ``content/<course>/`` (``course.toml`` plus one Markdown
file per section, each opening with TOML front matter between ``+++`` lines) and
``quizzes/<course>/`` (the question banks named by the manifest: one per evaluation, and
optionally a practice bank, ``[practice]``, and a bank of section checks, ``[checks]``, whose
questions each cite one section and quote it).

Every problem is collected, never raised one at a time, so that ``latsar content check`` can
list them all as ``file:line: message``. The work is split in small parsers: ``sections``
(front matter and Markdown), ``banks`` (a bank and its questions) and, here, the pack's folders
and the manifest, one method per table.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from latsar.course.banks import BankRules, load_bank
from latsar.course.fields import ANY_TEXT, FILE_NAME, FLAG, INTEGER, TEXT, TEXTS, Document, Fields, choice, integer, load_document
from latsar.course.model import PRACTICE_MAX_INTERVAL_DAYS, READING_WPM, READING_WPM_RANGE, Bank, Behaviour, Course, Evaluation, Journal, Part, RetakePolicy, Section
from latsar.course.problems import ContentError, Problem, Report, shown
from latsar.course.sections import FRONT, load_sections
from latsar.course.source import MANIFEST_LIMIT, PACK_LIMIT

__all__ = ["FRONT", "RETAKE_POLICIES", "ContentError", "Problem", "check", "load_course"]

RETAKE_POLICIES = ("restudy", "free")
JOURNAL_TITLE = "Jurnal aktualisasi"
MAX_BEHAVIOURS = 12
MAX_TARGET = 20
BEHAVIOUR_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")  # typed on a command line: `--perilaku ramah`


def course_dirs(report: Report, root: Path) -> tuple[Path, Path] | None:
    """``content/<course>/`` and ``quizzes/<course>/`` of the one course in the pack."""
    content = root / "content"
    if not content.is_dir():
        report.add(content, 1, "folder content/ tidak ada di paket materi")
        return None
    try:
        entries = sorted(content.iterdir())
    except OSError:
        report.add(content, 1, "folder content/ tidak dapat dibaca")
        return None
    candidates = [p for p in entries if p.is_dir() and os.path.lexists(p / "course.toml")]
    if not candidates:
        report.add(content, 1, "tidak ada course.toml di content/<kursus>/")
        return None
    if len(candidates) > 1:
        names = ", ".join(p.name for p in candidates)
        report.add(content, 1, f"lebih dari satu kursus dalam satu paket ({names})")
        return None
    return candidates[0], root / "quizzes" / candidates[0].name


class _Meta(Struct, frozen=True):
    id: str
    title: str
    version: str
    language: str
    credit: str


class _SideBank(Struct, frozen=True):
    bank: Bank | None = None
    title: str = ""
    max_interval_days: int = PRACTICE_MAX_INTERVAL_DAYS


class _Manifest:
    """``course.toml`` read table by table, checked against the sections and the banks."""

    def __init__(self, doc: Document, quiz_dir: Path, sections: list[Section]) -> None:
        self.doc = doc
        self.quiz_dir = quiz_dir
        self.sections = sections
        self.rules = BankRules.of(sections)
        self.bank_lines: dict[str, int] = {}  # bank file -> line of the manifest naming it
        self.eval_ids: Counter[str] = Counter()  # evaluation id -> how many evaluations use it

    def bank(self, f: Fields, check: bool = False) -> Bank | None:
        """The bank a table names in ``bank = "..."``; each bank file serves one table only."""
        name = f.required("bank", FILE_NAME)
        if not name:
            return None
        if name in self.bank_lines:
            f.fail("bank", f"berkas bank '{shown(name)}' sudah dipakai di baris {self.bank_lines[name]}")
            return None
        self.bank_lines[name] = f.line("bank")
        return load_bank(self.doc.report, self.quiz_dir / name, self.rules, check)

    # -- [course] ---------------------------------------------------------------------------

    def meta(self) -> _Meta | None:
        raw = self.doc.table("course")
        if raw is None:
            return None
        f = self.doc.fields(raw, "course", 0, prefix="[course]")
        meta = _Meta(
            id=f.required("id", TEXT),
            title=f.required("title", TEXT),
            version=f.required("version", TEXT),
            language=f.optional("language", TEXT, "id"),
            credit=f.required("credit", TEXT),
        )
        return meta if f.ok else None

    # -- [[parts]] --------------------------------------------------------------------------

    def parts(self) -> list[tuple[int, Part]]:
        """Each valid part with its index in ``[[parts]]``; ids must be unique."""
        parts: list[tuple[int, Part]] = []
        for i, raw in self.doc.tables("parts", lambda i: f"[[parts]] ke-{i + 1}"):
            part = self.part(self.doc.fields(raw, "parts", i, prefix="[[parts]]"))
            if part is not None:
                parts.append((i, part))
        counts = Counter(p.id for _, p in parts)
        firsts = {p.id: i for i, p in reversed(parts)}
        for dup in sorted(pid for pid, n in counts.items() if n > 1):
            self.doc.problem(self.doc.lines.of("parts", firsts[dup], "id"), f"id bagian besar (part) '{shown(dup)}' ganda")
        return parts

    @staticmethod
    def part(f: Fields) -> Part | None:
        part = Part(
            id=f.required("id", TEXT),
            title=f.required("title", TEXT),
            requires=f.optional("requires", TEXTS, ()),
            graded=f.optional("graded", FLAG, True),
            label=f.optional("label", ANY_TEXT, ""),
        )
        return part if f.ok else None

    def check_section_parts(self, part_ids: set[str]) -> None:
        for s in self.sections:
            if s.part not in part_ids and s.path is not None:
                self.doc.report.add(s.path, 1, f"front matter: part '{shown(s.part)}' tidak ada di course.toml")

    def check_part_requires(self, parts: list[tuple[int, Part]]) -> None:
        for i, part in parts:
            for req in part.requires:
                if req not in self.eval_ids:
                    self.doc.problem(self.doc.lines.of("parts", i, "requires"), f"prasyarat '{shown(req)}' tidak menamai evaluasi mana pun")

    # -- [[evaluations]] --------------------------------------------------------------------

    def evaluations(self, part_ids: set[str]) -> list[Evaluation]:
        """The evaluations; first, the ids ``requires`` may name are counted in ``eval_ids``."""
        entries = self.doc.tables("evaluations", lambda i: f"[[evaluations]] ke-{i + 1}")
        self.eval_ids = Counter(eid for _, e in entries if isinstance(eid := e.get("id"), str))
        evaluations: list[Evaluation] = []
        for i, raw in entries:
            label = f"evaluasi '{shown(raw['id'])}'" if isinstance(raw.get("id"), str) else f"[[evaluations]] ke-{i + 1}"
            evaluation = self.evaluation(self.doc.fields(raw, "evaluations", i, prefix=label), part_ids)
            if evaluation is not None:
                evaluations.append(evaluation)
        return evaluations

    def evaluation(self, f: Fields, part_ids: set[str]) -> Evaluation | None:
        eid = f.required("id", TEXT)
        title = f.required("title", TEXT)
        part = f.required("part", TEXT)
        order = f.required("order", INTEGER)
        threshold = f.required("threshold", integer(1, 100), invalid="ambang (threshold) harus bilangan bulat 1–100")
        requires = f.optional("requires", TEXTS, ())
        label = f.optional("label", ANY_TEXT, "")
        self.check_evaluation_refs(f, eid, part, requires, part_ids)
        bank = self.bank(f)
        if bank is None or not f.ok:
            return None
        return Evaluation(eid, title, part, order, threshold, requires, bank, label)

    def check_evaluation_refs(self, f: Fields, eid: str, part: str, requires: tuple[str, ...], part_ids: set[str]) -> None:
        if eid and (self.eval_ids[eid] > 1 or eid in self.rules.section_ids):
            f.problem("id", f"id evaluasi '{shown(eid)}' ganda")
        if part and part not in part_ids:
            f.problem("part", f"evaluasi '{shown(eid)}' merujuk part yang tidak ada: '{shown(part)}'")
        for req in requires:
            if req not in self.eval_ids:
                f.problem("requires", f"prasyarat '{shown(req)}' tidak menamai evaluasi mana pun")
            elif req == eid:
                f.problem("requires", f"evaluasi '{shown(req)}' tidak boleh menjadi prasyaratnya sendiri")

    # -- [practice], [checks], [retake] -----------------------------------------------------

    def side_bank(self, f: Fields, check: bool = False) -> _SideBank:
        """A bank beside the evaluations: ``bank`` names its file, ``title`` defaults to the bank's."""
        title = f.optional("title", TEXT, "")
        bank = self.bank(f, check)
        return _SideBank(bank, title or (bank.title if bank else ""))

    def practice(self) -> _SideBank:
        raw = self.doc.table("practice", required=False)
        if raw is None:
            return _SideBank()
        f = self.doc.fields(raw, "practice", 0, prefix="[practice]")
        days = f.optional("max_interval_days", integer(1, 365), PRACTICE_MAX_INTERVAL_DAYS)
        return replace(self.side_bank(f), max_interval_days=days)

    def checks(self) -> _SideBank:
        raw = self.doc.table("checks", required=False)
        if raw is None:
            return _SideBank()
        return self.side_bank(self.doc.fields(raw, "checks", 0, prefix="[checks]"), check=True)

    def retake(self) -> RetakePolicy:
        raw = self.doc.table("retake", required=False)
        if raw is None:
            return RetakePolicy()
        f = self.doc.fields(raw, "retake", 0, prefix="[retake]")
        unknown = f"kebijakan ulang '{shown(raw.get('policy'))}' tidak dikenal (pilih: {', '.join(RETAKE_POLICIES)})"
        policy = f.optional("policy", choice(RETAKE_POLICIES), "restudy", invalid=unknown)
        max_attempts = f.optional("max_attempts", integer(0), 0, invalid="max_attempts harus bilangan bulat ≥ 0")
        return RetakePolicy(policy=policy, max_attempts=max_attempts)

    # -- [journal] and [[journal.behaviours]] ------------------------------------------------

    def journal(self) -> Journal | None:
        """The habituation journal: its behaviours (the module's panduan perilaku, in order) and
        the target of entries reviewed "sesuai" per behaviour. A pack without it has no journal."""
        raw = self.doc.table("journal", required=False)
        if raw is None:
            return None
        f = self.doc.fields(raw, "journal", 0, prefix="[journal]")
        title = f.optional("title", TEXT, JOURNAL_TITLE)
        target = f.optional("target", integer(1, MAX_TARGET), 1, invalid=f"target harus bilangan bulat 1–{MAX_TARGET}")
        behaviours = self.behaviours(raw.get("behaviours"))
        if not f.ok or behaviours is None:
            return None
        return Journal(title, behaviours, target)

    def behaviours(self, value: object) -> tuple[Behaviour, ...] | None:
        where = self.doc.lines.of("journal", 0)
        if not isinstance(value, list) or not value:
            self.doc.problem(where, "[journal]: perlu setidaknya satu [[journal.behaviours]] (perilaku yang dipraktikkan)")
            return None
        if len(value) > MAX_BEHAVIOURS:
            self.doc.problem(where, f"[journal]: paling banyak {MAX_BEHAVIOURS} perilaku")
            return None
        found: list[Behaviour] = []
        ok = True
        for i, raw in enumerate(value):
            line = self.doc.lines.of("journal.behaviours", i)
            if not isinstance(raw, dict):
                self.doc.problem(line, f"[[journal.behaviours]] ke-{i + 1}: bukan tabel")
                ok = False
                continue
            behaviour = self.behaviour(self.doc.fields(raw, "journal.behaviours", i, prefix=f"[[journal.behaviours]] ke-{i + 1}"), {b.id for b in found})
            ok = ok and behaviour is not None
            if behaviour is not None:
                found.append(behaviour)
        return tuple(found) if ok else None

    def behaviour(self, f: Fields, taken: set[str]) -> Behaviour | None:
        bid = f.required("id", TEXT)
        title = f.required("title", TEXT)
        section = f.optional("section", TEXT, "")
        if bid and not BEHAVIOUR_ID.match(bid):
            f.fail("id", f"id perilaku '{shown(bid)}' harus huruf kecil, angka, atau '-' (paling banyak 32)")
        elif bid in taken:
            f.fail("id", f"id perilaku '{shown(bid)}' ganda")
        if len(title) > 160:
            f.fail("title", "judul perilaku terlalu panjang (paling banyak 160 karakter)")
        if section and section not in self.rules.section_ids:
            f.fail("section", f"bagian '{shown(section)}' tidak ada")
        return Behaviour(bid, title, section) if f.ok else None

    def reading(self) -> int:
        """``[reading] words_per_minute``: a section read faster than this does not count."""
        raw = self.doc.table("reading", required=False)
        if raw is None:
            return READING_WPM
        f = self.doc.fields(raw, "reading", 0, prefix="[reading]")
        return f.optional("words_per_minute", integer(*READING_WPM_RANGE), READING_WPM)

    # -- the whole manifest -----------------------------------------------------------------

    def course(self, root: Path) -> Course | None:
        meta = self.meta()
        parts = self.parts()
        part_ids = {p.id for _, p in parts}
        self.check_section_parts(part_ids)
        evaluations = self.evaluations(part_ids)
        self.check_part_requires(parts)
        practice = self.practice()
        checks = self.checks()
        retake = self.retake()
        journal = self.journal()
        wpm = self.reading()
        if meta is None or self.doc.report.problems:
            return None
        return Course(
            id=meta.id,
            title=meta.title,
            version=meta.version,
            language=meta.language,
            credit=meta.credit,
            parts=tuple(p for _, p in parts),
            sections=tuple(self.sections),
            evaluations=tuple(evaluations),
            practice=practice.bank,
            practice_title=practice.title,
            retake=retake,
            checks=checks.bank,
            checks_title=checks.title,
            practice_max_interval_days=practice.max_interval_days,
            journal=journal,
            reading_wpm=wpm,
            root=root,
        )


def _load(report: Report, root: Path) -> Course | None:
    dirs = course_dirs(report, root)
    if dirs is None:
        return None
    course_dir, quiz_dir = dirs
    manifest = load_document(report, course_dir / "course.toml", MANIFEST_LIMIT)
    sections = load_sections(report, course_dir)
    if manifest is None:
        return None
    return _Manifest(manifest, quiz_dir, sections).course(root)


def check(root: Path) -> list[Problem]:
    """Every problem of the pack at ``root``; an empty list means it is sound."""
    report = Report(Path(root), PACK_LIMIT)
    _load(report, Path(root))
    return sorted(report.problems)


def load_course(root: Path) -> Course:
    """The course at ``root``, or ContentError listing every problem."""
    report = Report(Path(root), PACK_LIMIT)
    course = _load(report, Path(root))
    if course is None:
        raise ContentError(report.problems or [Problem(str(root), 1, "paket materi tidak dapat dimuat")])
    return course
