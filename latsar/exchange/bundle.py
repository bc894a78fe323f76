"""The results file a trainee hands to an instructor: versioned JSON with a SHA-256 digest.

The digest covers everything but itself (canonical JSON), so a damaged or hand-edited file
is detected and refused whole. It is a check against accidents and casual edits, not a
signature: the instructor re-grades every attempt from its answers anyway, and every file is
checked against a strict schema (types, sizes, ranges, dates, duplicates) before anything is
written. What only the course can tell (known evaluations and questions, the gate's order) is
checked by the import service.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from latsar.assessment.journal import MAX_ENTRIES, MAX_TEXT, MAX_VERSIONS
from latsar.assessment.rules import AttemptState
from latsar.errors import DataError
from latsar.exchange.files import read_bytes

FORMAT = "latsar-results"
VERSION = 2  # 2: the habituation journal travels too (latsar 0.3)
VERSIONS = (1, 2)  # what this latsar reads
MAX_BYTES = 2 * 1024 * 1024  # a trainee's whole record is a few tens of KB
MAX_ATTEMPTS = 400
MAX_ANSWERS = 200
MAX_SECTIONS = 500
CLOCK_SKEW = timedelta(days=1)  # a laptop clock a little ahead is forgiven; 2099 is not
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Uid = Annotated[str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, StringConstraints(max_length=200)]


def _moment(value: Any) -> datetime:
    """An ISO 8601 time with its zone, between 2020 and tomorrow."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("bukan waktu ISO 8601")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' bukan waktu ISO 8601") from None
    if moment.tzinfo is None:
        raise ValueError("waktu tanpa zona waktu")
    if moment < EARLIEST:
        raise ValueError(f"waktu {value} terlalu lampau")
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError(f"waktu {value} ada di masa depan (jam laptop salah?)")
    return moment.astimezone(UTC)


Moment = Annotated[datetime, Field(strict=False)]


# What a results file carries: finished attempts and the one open per evaluation, never an
# abandoned one (``services.results`` writes the enum's values).
FILED_STATES = (AttemptState.FINISHED, AttemptState.IN_PROGRESS)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CourseRef(Strict):
    id: Id
    version: Text
    keys: Annotated[str, StringConstraints(max_length=128)] | None = None


class Person(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    nip: Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")] | None = None
    cohort: Annotated[str, StringConstraints(max_length=120)] | None = None
    instansi: Text | None = None


class AnswerIn(Strict):
    question: Id
    choice: Annotated[str, StringConstraints(pattern=r"^[a-z]$")] | None = None
    answered_at: Moment | None = None

    @field_validator("answered_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime | None:
        return None if v is None else _moment(v)


class AttemptIn(Strict):
    uid: Uid
    quiz: Id
    state: Annotated[AttemptState, Field(strict=False)]  # its value, as latsar writes it (``rules.AttemptState``)
    seed: Annotated[int, Field(ge=0, lt=2**31)] | None = None
    started_at: Moment
    finished_at: Moment | None = None
    course_version: Text = ""
    answers: Annotated[list[AnswerIn], Field(max_length=MAX_ANSWERS)]

    @field_validator("started_at", "finished_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime | None:
        return None if v is None else _moment(v)

    @model_validator(mode="after")
    def _consistent(self) -> AttemptIn:
        if self.state not in FILED_STATES:
            raise ValueError(f"keadaan percobaan '{self.state.value}' tidak dikenal dalam berkas hasil")
        if self.state is AttemptState.FINISHED and self.finished_at is None:
            raise ValueError("percobaan selesai tanpa waktu selesai")
        if self.finished_at is not None and self.finished_at < self.started_at:
            raise ValueError("waktu selesai sebelum waktu mulai")
        questions = [a.question for a in self.answers]
        if len(set(questions)) != len(questions):
            raise ValueError("soal yang sama dijawab dua kali")
        end = (self.finished_at or datetime.now(UTC)) + timedelta(minutes=1)
        if any(a.answered_at and not (self.started_at - timedelta(minutes=1) <= a.answered_at <= end) for a in self.answers):
            raise ValueError("waktu jawaban di luar waktu percobaan")
        return self


class SectionIn(Strict):
    id: Id
    first_read_at: Moment | None = None
    last_read_at: Moment
    completed_at: Moment | None = None  # the end reached (latsar ≥ 0.2)
    read_count: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    seconds: Annotated[int, Field(ge=0, le=10_000_000)] = 0

    @field_validator("first_read_at", "last_read_at", "completed_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime | None:
        return None if v is None else _moment(v)

    @model_validator(mode="after")
    def _ordered(self) -> SectionIn:
        if self.first_read_at is not None and self.first_read_at > self.last_read_at:
            raise ValueError("waktu baca pertama setelah waktu baca terakhir")
        return self


Passage = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Day = date  # the field below is called "date", as the file says it


class JournalVersionIn(Strict):
    """One version of a journal entry's text (checked against the course on import)."""

    version: Annotated[int, Field(ge=1, le=MAX_VERSIONS)]
    behaviour: Id
    date: Annotated[Day, Field(strict=False)]
    situation: Passage
    action: Passage
    result: Passage
    improvement: Passage
    written_at: Moment

    @field_validator("date", mode="before")
    @classmethod
    def day(cls, v: Any) -> Day:
        if not isinstance(v, str) or len(v) != 10:
            raise ValueError("tanggal harus ditulis YYYY-MM-DD")
        try:
            return Day.fromisoformat(v)
        except ValueError:
            raise ValueError(f"'{v}' bukan tanggal") from None

    @field_validator("written_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime:
        return _moment(v)


class JournalEntryIn(Strict):
    """A journal entry with every version of it, oldest first; a review never travels (the
    coach reviews where the coach is)."""

    uid: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    created_at: Moment
    shared: bool = False
    shared_at: Moment | None = None
    versions: Annotated[list[JournalVersionIn], Field(min_length=1, max_length=MAX_VERSIONS)]

    @field_validator("created_at", "shared_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime | None:
        return None if v is None else _moment(v)

    @model_validator(mode="after")
    def _numbered(self) -> JournalEntryIn:
        if [v.version for v in self.versions] != list(range(1, len(self.versions) + 1)):
            raise ValueError("versi entri harus 1, 2, 3, … berurutan")
        return self


class Results(Strict):
    format: Literal["latsar-results"]
    version: Literal[1, 2]
    exported_at: Moment
    course: CourseRef
    learner: Person
    attempts: Annotated[list[AttemptIn], Field(max_length=MAX_ATTEMPTS)]
    sections: Annotated[list[SectionIn], Field(max_length=MAX_SECTIONS)] = []
    journal: Annotated[list[JournalEntryIn], Field(max_length=MAX_ENTRIES)] = []
    digest: str

    @field_validator("exported_at", mode="before")
    @classmethod
    def times(cls, v: Any) -> datetime:
        return _moment(v)

    @model_validator(mode="after")
    def _unique(self) -> Results:
        uids = [a.uid for a in self.attempts]
        if len(set(uids)) != len(uids):
            raise ValueError("percobaan yang sama tercatat dua kali")
        ids = [s.id for s in self.sections]
        if len(set(ids)) != len(ids):
            raise ValueError("bagian yang sama tercatat dua kali")
        entries = [e.uid for e in self.journal]
        if len(set(entries)) != len(entries):
            raise ValueError("entri jurnal yang sama tercatat dua kali")
        open_quizzes = [a.quiz for a in self.attempts if a.state is AttemptState.IN_PROGRESS]
        if len(set(open_quizzes)) != len(open_quizzes):
            raise ValueError("dua percobaan terbuka untuk evaluasi yang sama")
        return self


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal(payload: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in payload.items() if k != "digest"}
    return {**body, "digest": "sha256:" + hashlib.sha256(canonical(body)).hexdigest()}


def refused(path: Path, why: str) -> DataError:
    return DataError(f"Berkas hasil {path} ditolak seluruhnya: {why}; basis data tidak diubah.")


PLACES = {"attempts": "percobaan", "answers": "jawaban", "sections": "bagian", "journal": "entri jurnal", "versions": "versi", "learner": "data peserta", "course": "data kursus"}


def _where(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location in words: "percobaan ke-2, jawaban ke-5, choice"."""
    words: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        word = PLACES.get(part, part)
        if i + 1 < len(loc) and isinstance(loc[i + 1], int):
            word = f"{word} ke-{int(loc[i + 1]) + 1}"
        words.append(word)
    return ", ".join(words)


def _why(error: Any) -> str:
    kind, place = error["type"], _where(tuple(error["loc"]))
    if kind == "missing":
        return f"{place} tidak ada"
    if kind == "extra_forbidden":
        return f"kolom tak dikenal: {place}"
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{place}: {message}" if place else message
    if kind == "too_long":
        return f"{place}: terlalu banyak"
    return f"{place} tidak sah"


def _json(raw: bytes, path: Path) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise refused(path, "bukan teks UTF-8") from None
    except RecursionError:
        raise refused(path, "JSON bersarang terlalu dalam") from None
    except ValueError:  # JSONDecodeError, and integers too long to read
        raise refused(path, "bukan JSON yang utuh (terpotong atau rusak)") from None


def read_bundle(path: Path) -> Results:
    """Read, verify and check a results file; DataError (one sentence) when anything is wrong."""
    path = Path(path)
    data = _json(read_bytes(path, MAX_BYTES, "Berkas hasil"), path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refused(path, "bukan berkas hasil latsar")
    if data.get("version") not in VERSIONS or isinstance(data.get("version"), bool):
        raise refused(path, f"versi format {str(data.get('version'))[:20]!r} tidak dikenal")
    body = {k: v for k, v in data.items() if k != "digest"}
    try:
        digest = "sha256:" + hashlib.sha256(canonical(body)).hexdigest()
    except UnicodeEncodeError:  # "\ud800" is valid JSON, but no Unicode text: a lone surrogate
        raise refused(path, "memuat teks yang bukan Unicode sah (surrogate tunggal seperti \\ud800)") from None
    if data.get("digest") != digest:
        raise refused(path, "isinya tidak cocok dengan digest (berkas diubah atau rusak)")
    try:
        return Results.model_validate(data)
    except ValidationError as exc:
        raise refused(path, _why(exc.errors()[0])) from None
    except (RecursionError, OverflowError, ValueError) as exc:
        raise refused(path, f"isi tidak sah ({type(exc).__name__})") from None
