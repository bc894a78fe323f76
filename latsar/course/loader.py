"""Load and validate a course pack. Pure: standard library only (tomllib), no UI, no ORM.

A course pack is a directory holding ``content/<course>/`` (``course.toml`` plus one Markdown
file per section, each opening with TOML front matter between ``+++`` lines) and
``quizzes/<course>/`` (the question banks named by the manifest).

Every problem is collected, never raised one at a time, so that ``latsar content check`` can
list them all as ``file:line: message``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from latsar.errors import DataError
from latsar.course.model import (
    Bank,
    Course,
    Evaluation,
    Part,
    Question,
    RetakePolicy,
    Section,
)

FRONT = "+++"
RETAKE_POLICIES = ("restudy", "free")
_TOML_POS = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column \d+\)$")
_OPTION_LETTER = re.compile(r"^[a-z]$")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(DataError):
    """The course pack has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0]
        more = f" (dan {len(self.problems) - 1} masalah lain)" if len(self.problems) > 1 else ""
        super().__init__(
            f"Materi tidak dapat dimuat: {first}{more}. Jalankan `latsar content check` untuk daftar lengkapnya."
        )


class _Lines:
    """Where each ``key =`` of a TOML text stands, by table and array-table index."""

    def __init__(self, text: str, offset: int = 0) -> None:
        self.where: dict[tuple[str, int, str], int] = {}
        self.tables: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        table, index = "", 0
        for n, raw in enumerate(text.splitlines(), start=1 + offset):
            line = raw.strip()
            if line.startswith("[["):
                table = line.strip("[] ")
                index = counts.get(table, 0)
                counts[table] = index + 1
                self.tables[(table, index)] = n
            elif line.startswith("["):
                table, index = line.strip("[] "), 0
                self.tables[(table, 0)] = n
            else:
                m = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
                if m:
                    self.where.setdefault((table, index, m.group(1)), n)

    def of(self, table: str, index: int, key: str | None = None) -> int:
        if key is not None and (table, index, key) in self.where:
            return self.where[(table, index, key)]
        return self.tables.get((table, index), 1)


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.problems: list[Problem] = []

    def problem(self, path: Path, line: int, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, line, message))

    # -- reading files ---------------------------------------------------------------------

    def read_toml(self, path: Path, text: str | None = None, offset: int = 0) -> dict | None:
        try:
            if text is None:
                text = path.read_text(encoding="utf-8")
            return tomllib.loads(text)
        except FileNotFoundError:
            self.problem(path, 1, "berkas tidak ditemukan")
        except UnicodeDecodeError:
            self.problem(path, 1, "berkas bukan teks UTF-8")
        except tomllib.TOMLDecodeError as exc:
            m = _TOML_POS.match(str(exc))
            if m:
                self.problem(path, int(m.group("line")) + offset, f"TOML tidak sah: {m.group('msg')}")
            else:
                self.problem(path, 1 + offset, f"TOML tidak sah: {exc}")
        return None

    def course_dirs(self) -> tuple[Path, Path] | None:
        content = self.root / "content"
        if not content.is_dir():
            self.problem(content, 1, "folder content/ tidak ada di paket materi")
            return None
        candidates = sorted(p for p in content.iterdir() if (p / "course.toml").is_file())
        if not candidates:
            self.problem(content, 1, "tidak ada course.toml di content/<kursus>/")
            return None
        if len(candidates) > 1:
            names = ", ".join(p.name for p in candidates)
            self.problem(content, 1, f"lebih dari satu kursus dalam satu paket ({names})")
            return None
        course_dir = candidates[0]
        return course_dir, self.root / "quizzes" / course_dir.name

    # -- the parts of a pack ------------------------------------------------------------------

    def load_sections(self, course_dir: Path) -> list[Section]:
        sections: list[Section] = []
        seen: dict[str, str] = {}
        for path in sorted(course_dir.glob("*.md")):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                self.problem(path, 1, "berkas bukan teks UTF-8")
                continue
            lines = text.splitlines()
            if not lines or lines[0].strip() != FRONT:
                self.problem(path, 1, f"front matter tidak ada (baris pertama harus {FRONT})")
                continue
            try:
                end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
            except StopIteration:
                self.problem(path, 1, f"front matter tidak ditutup dengan {FRONT}")
                continue
            front = self.read_toml(path, "\n".join(lines[1:end]), offset=1)
            if front is None:
                continue
            where = _Lines("\n".join(lines[1:end]), offset=1)
            ok = True
            for key, kind in (("id", str), ("title", str), ("part", str), ("order", int)):
                value = front.get(key)
                if value is None:
                    self.problem(path, 1, f"front matter: kolom wajib '{key}' tidak ada")
                    ok = False
                elif not isinstance(value, kind) or isinstance(value, bool) or (kind is str and not value.strip()):
                    self.problem(path, where.of("", 0, key), f"front matter: '{key}' harus {'teks' if kind is str else 'bilangan bulat'} yang tidak kosong")
                    ok = False
            if not ok:
                continue
            sid = front["id"]
            if sid in seen:
                self.problem(path, where.of("", 0, "id"), f"id bagian '{sid}' ganda (juga di {seen[sid]})")
                continue
            seen[sid] = path.name
            body = "\n".join(lines[end + 1 :]).strip("\n") + "\n"
            if not body.strip():
                self.problem(path, end + 2, f"bagian '{sid}' tidak berisi teks")
            sections.append(
                Section(
                    id=sid,
                    title=front["title"],
                    part=front["part"],
                    order=front["order"],
                    body=body,
                    source=str(front.get("source", "")),
                    path=path,
                )
            )
        if not sections and not self.problems:
            self.problem(course_dir, 1, "tidak ada bagian materi (*.md)")
        return sections

    def load_bank(self, path: Path, section_ids: set[str], seen_ids: dict[str, str]) -> Bank | None:
        data = self.read_toml(path)
        if data is None:
            return None
        where = _Lines(path.read_text(encoding="utf-8"))
        meta = data.get("bank")
        if not isinstance(meta, dict):
            self.problem(path, 1, "tabel [bank] tidak ada")
            meta = {}
        for key in ("id", "title"):
            if not isinstance(meta.get(key), str) or not meta.get(key, "").strip():
                self.problem(path, where.of("bank", 0, key), f"[bank]: kolom wajib '{key}' tidak ada atau kosong")
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.problem(path, 1, "bank tidak berisi soal ([[questions]])")
            return None
        questions: list[Question] = []
        for i, raw in enumerate(raw_questions):
            q = self.question(path, where, i, raw, section_ids, seen_ids)
            if q is not None:
                questions.append(q)
        if len(questions) != len(raw_questions):
            return None
        return Bank(
            id=str(meta.get("id", path.stem)),
            title=str(meta.get("title", path.stem)),
            source=str(meta.get("source", "")),
            instructions=str(meta.get("instructions", "")),
            questions=tuple(questions),
        )

    def question(self, path, where, i, raw, section_ids, seen_ids) -> Question | None:
        def at(key=None):
            return where.of("questions", i, key)

        label = f"soal ke-{i + 1}"
        if not isinstance(raw, dict):
            self.problem(path, at(), f"{label}: bukan tabel")
            return None
        ok = True
        for key in ("id", "stem", "options", "sections", "explanation"):
            if key not in raw:
                self.problem(path, at(), f"{label}: kolom wajib '{key}' tidak ada")
                ok = False
        qid = raw.get("id")
        if isinstance(qid, str) and qid.strip():
            label = f"soal '{qid}'"
            if qid in seen_ids:
                self.problem(path, at("id"), f"id soal '{qid}' ganda (juga di {seen_ids[qid]})")
                ok = False
            else:
                seen_ids[qid] = path.name
        elif "id" in raw:
            self.problem(path, at("id"), f"{label}: 'id' harus teks yang tidak kosong")
            ok = False
        stem = raw.get("stem")
        if "stem" in raw and (not isinstance(stem, str) or not stem.strip()):
            self.problem(path, at("stem"), f"{label}: pertanyaan (stem) kosong")
            ok = False
        options = raw.get("options")
        letters: list[str] = []
        if "options" in raw:
            if not isinstance(options, dict) or len(options) < 2:
                self.problem(path, at("options"), f"{label}: 'options' harus tabel berisi sedikitnya dua pilihan")
                ok = False
            else:
                letters = list(options)
                expected = [chr(ord("a") + n) for n in range(len(letters))]
                if letters != expected or not all(_OPTION_LETTER.match(x) for x in letters):
                    self.problem(path, at("options"), f"{label}: pilihan harus berhuruf berurutan {', '.join(expected)}")
                    ok = False
                for letter, text in options.items():
                    if not isinstance(text, str) or not text.strip():
                        self.problem(path, at("options"), f"{label}: pilihan '{letter}' kosong")
                        ok = False
        key = raw.get("key")
        if "key" not in raw:
            self.problem(path, at(), f"{label}: tidak ada kunci jawaban ('key'); setiap soal harus punya tepat satu kunci")
            ok = False
        elif isinstance(key, list):
            if len(key) != 1:
                self.problem(path, at("key"), f"{label}: {len(key)} kunci jawaban; setiap soal harus punya tepat satu kunci")
                ok = False
            else:
                key = key[0]
        if "key" in raw and ok is not False and not isinstance(key, str):
            self.problem(path, at("key"), f"{label}: kunci jawaban harus satu huruf")
            ok = False
        if isinstance(key, str) and letters and key not in letters:
            self.problem(path, at("key"), f"{label}: kunci '{key}' bukan salah satu pilihan ({', '.join(letters)})")
            ok = False
        sections = raw.get("sections")
        if "sections" in raw:
            if not isinstance(sections, list) or not sections or not all(isinstance(s, str) for s in sections):
                self.problem(path, at("sections"), f"{label}: 'sections' harus daftar id bagian yang tidak kosong")
                ok = False
            else:
                for sid in sections:
                    if sid not in section_ids:
                        self.problem(path, at("sections"), f"{label}: merujuk bagian yang tidak ada: '{sid}'")
                        ok = False
        explanation = raw.get("explanation")
        if "explanation" in raw and (not isinstance(explanation, str) or not explanation.strip()):
            self.problem(path, at("explanation"), f"{label}: penjelasan kosong")
            ok = False
        if not ok:
            return None
        return Question(
            id=qid,
            number=i + 1,
            stem=stem.strip(),
            options=tuple((k, v.strip()) for k, v in options.items()),
            key=key,
            sections=tuple(sections),
            explanation=explanation.strip(),
        )

    def load(self) -> Course | None:
        dirs = self.course_dirs()
        if dirs is None:
            return None
        course_dir, quiz_dir = dirs
        manifest_path = course_dir / "course.toml"
        manifest = self.read_toml(manifest_path)
        sections = self.load_sections(course_dir)
        if manifest is None:
            return None
        where = _Lines(manifest_path.read_text(encoding="utf-8"))
        section_ids = {s.id for s in sections}
        meta = manifest.get("course")
        if not isinstance(meta, dict):
            self.problem(manifest_path, 1, "tabel [course] tidak ada")
            meta = {}
        for key in ("id", "title", "version", "credit"):
            if not isinstance(meta.get(key), str) or not meta.get(key, "").strip():
                self.problem(manifest_path, where.of("course", 0, key), f"[course]: kolom wajib '{key}' tidak ada atau kosong")

        parts: list[Part] = []
        raw_parts = manifest.get("parts", [])
        for i, raw in enumerate(raw_parts if isinstance(raw_parts, list) else []):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("title"), str):
                self.problem(manifest_path, where.of("parts", i), "[[parts]]: 'id' dan 'title' wajib diisi")
                continue
            parts.append(
                Part(
                    id=raw["id"],
                    title=raw["title"],
                    requires=tuple(raw.get("requires", ())),
                    graded=bool(raw.get("graded", True)),
                    label=str(raw.get("label", "")),
                )
            )
        part_ids = [p.id for p in parts]
        for dup in {p for p in part_ids if part_ids.count(p) > 1}:
            self.problem(manifest_path, where.of("parts", part_ids.index(dup), "id"), f"id bagian besar (part) '{dup}' ganda")
        for s in sections:
            if s.part not in part_ids:
                self.problem(s.path, 1, f"front matter: part '{s.part}' tidak ada di course.toml")

        evaluations: list[Evaluation] = []
        seen_questions: dict[str, str] = {}
        raw_evals = manifest.get("evaluations", [])
        eval_ids = [e.get("id") for e in raw_evals if isinstance(e, dict)]
        for i, raw in enumerate(raw_evals if isinstance(raw_evals, list) else []):
            ok = True
            for key in ("id", "title", "bank", "part", "order", "threshold"):
                if key not in raw:
                    self.problem(manifest_path, where.of("evaluations", i), f"[[evaluations]]: kolom wajib '{key}' tidak ada")
                    ok = False
            if not ok:
                continue
            if eval_ids.count(raw["id"]) > 1 or raw["id"] in section_ids:
                self.problem(manifest_path, where.of("evaluations", i, "id"), f"id evaluasi '{raw['id']}' ganda")
            threshold = raw["threshold"]
            if not isinstance(threshold, int) or isinstance(threshold, bool) or not 1 <= threshold <= 100:
                self.problem(manifest_path, where.of("evaluations", i, "threshold"), "ambang (threshold) harus bilangan bulat 1–100")
                ok = False
            if raw["part"] not in part_ids:
                self.problem(manifest_path, where.of("evaluations", i, "part"), f"evaluasi '{raw['id']}' merujuk part yang tidak ada: '{raw['part']}'")
            for req in raw.get("requires", []):
                if req not in eval_ids:
                    self.problem(manifest_path, where.of("evaluations", i, "requires"), f"prasyarat '{req}' tidak menamai evaluasi mana pun")
                    ok = False
                elif req == raw["id"]:
                    self.problem(manifest_path, where.of("evaluations", i, "requires"), f"evaluasi '{req}' tidak boleh menjadi prasyaratnya sendiri")
                    ok = False
            bank = self.load_bank(quiz_dir / raw["bank"], section_ids, seen_questions)
            if bank is None or not ok:
                continue
            evaluations.append(
                Evaluation(
                    id=raw["id"],
                    title=raw["title"],
                    part=raw["part"],
                    order=int(raw["order"]),
                    threshold=threshold,
                    requires=tuple(raw.get("requires", ())),
                    bank=bank,
                    label=str(raw.get("label", "")),
                )
            )
        for i, p in enumerate(parts):
            for req in p.requires:
                if req not in eval_ids:
                    self.problem(manifest_path, where.of("parts", i, "requires"), f"prasyarat '{req}' tidak menamai evaluasi mana pun")

        practice = None
        practice_title = ""
        raw_practice = manifest.get("practice")
        if isinstance(raw_practice, dict):
            if not isinstance(raw_practice.get("bank"), str):
                self.problem(manifest_path, where.of("practice", 0), "[practice]: kolom wajib 'bank' tidak ada")
            else:
                practice = self.load_bank(quiz_dir / raw_practice["bank"], section_ids, seen_questions)
                practice_title = str(raw_practice.get("title", practice.title if practice else ""))

        raw_retake = manifest.get("retake", {})
        policy = raw_retake.get("policy", "restudy") if isinstance(raw_retake, dict) else "restudy"
        max_attempts = raw_retake.get("max_attempts", 0) if isinstance(raw_retake, dict) else 0
        if policy not in RETAKE_POLICIES:
            self.problem(manifest_path, where.of("retake", 0, "policy"), f"kebijakan ulang '{policy}' tidak dikenal (pilih: {', '.join(RETAKE_POLICIES)})")
        if not isinstance(max_attempts, int) or max_attempts < 0:
            self.problem(manifest_path, where.of("retake", 0, "max_attempts"), "max_attempts harus bilangan bulat ≥ 0")

        if self.problems:
            return None
        return Course(
            id=meta["id"],
            title=meta["title"],
            version=meta["version"],
            language=str(meta.get("language", "id")),
            credit=meta["credit"],
            parts=tuple(parts),
            sections=tuple(sections),
            evaluations=tuple(evaluations),
            practice=practice,
            practice_title=practice_title,
            retake=RetakePolicy(policy=policy, max_attempts=max_attempts),
            root=self.root,
        )


def check(root: Path) -> list[Problem]:
    """Every problem of the pack at ``root``; an empty list means it is sound."""
    loader = _Loader(root)
    loader.load()
    return sorted(loader.problems)


def load_course(root: Path) -> Course:
    """The course at ``root``, or ContentError listing every problem."""
    loader = _Loader(root)
    course = loader.load()
    if course is None:
        raise ContentError(loader.problems or [Problem(str(root), 1, "paket materi tidak dapat dimuat")])
    return course
