"""The results file a trainee hands to an instructor: versioned JSON with a SHA-256 digest.

The digest covers everything but itself (canonical JSON), so a damaged or hand-edited file
is detected and refused whole. It is a check against accidents and casual edits, not a
signature: the instructor re-grades every attempt from its answers anyway.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from latsar.errors import DataError

FORMAT = "latsar-results"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal(payload: dict) -> dict:
    body = {k: v for k, v in payload.items() if k != "digest"}
    return {**body, "digest": "sha256:" + hashlib.sha256(canonical(body)).hexdigest()}


def _bad(path: Path, why: str) -> DataError:
    return DataError(f"Berkas hasil {path} ditolak seluruhnya: {why}; basis data tidak diubah.")


def _require(cond: bool, path: Path, why: str) -> None:
    if not cond:
        raise _bad(path, why)


def _time(value: Any, path: Path, what: str) -> datetime:
    _require(isinstance(value, str), path, f"{what} bukan waktu")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(path, f"{what} bukan waktu ISO 8601") from None
    _require(parsed.tzinfo is not None, path, f"{what} tanpa zona waktu")
    return parsed


def _parse(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"Berkas hasil {path} tidak dapat dibaca: {exc.strerror}.") from exc
    _require(len(raw) <= MAX_BYTES, path, "berkas terlalu besar")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad(path, "bukan JSON yang utuh (terpotong atau rusak)") from None
    _require(isinstance(data, dict) and data.get("format") == FORMAT, path, "bukan berkas hasil latsar")
    _require(data.get("version") == VERSION, path, f"versi format {data.get('version')!r} tidak dikenal")
    digest = data.get("digest")
    body = {k: v for k, v in data.items() if k != "digest"}
    _require(isinstance(digest, str) and digest == "sha256:" + hashlib.sha256(canonical(body)).hexdigest(), path, "isinya tidak cocok dengan digest (berkas diubah atau rusak)")
    return data


def _check_learner(data: dict[str, Any], path: Path) -> None:
    course = data.get("course")
    _require(isinstance(course, dict) and isinstance(course.get("id"), str), path, "data kursus tidak ada")
    learner = data.get("learner")
    _require(isinstance(learner, dict) and isinstance(learner.get("name"), str) and learner["name"].strip(), path, "data peserta tidak ada")
    for key in ("nip", "cohort", "instansi"):
        _require(learner.get(key) is None or isinstance(learner.get(key), str), path, f"kolom peserta '{key}' tidak sah")


def _check_attempt(a: Any, path: Path) -> None:
    _require(isinstance(a, dict), path, "percobaan tidak sah")
    _require(isinstance(a.get("uid"), str) and 8 <= len(a["uid"]) <= 64, path, "percobaan tanpa uid")
    _require(isinstance(a.get("quiz"), str), path, "percobaan tanpa evaluasi")
    _require(a.get("state") in ("finished", "in_progress"), path, "status percobaan tidak sah")
    _require(a.get("seed") is None or isinstance(a.get("seed"), int), path, "seed tidak sah")
    _time(a.get("started_at"), path, "waktu mulai")
    if a["state"] == "finished":
        _time(a.get("finished_at"), path, "waktu selesai")
    _require(isinstance(a.get("answers"), list), path, "jawaban tidak ada")
    for ans in a["answers"]:
        _require(isinstance(ans, dict) and isinstance(ans.get("question"), str), path, "jawaban tidak sah")
        _require(ans.get("choice") is None or (isinstance(ans.get("choice"), str) and len(ans["choice"]) == 1), path, "pilihan jawaban tidak sah")


def _check_section(s: Any, path: Path) -> None:
    _require(isinstance(s, dict) and isinstance(s.get("id"), str), path, "bagian tidak sah")
    _time(s.get("last_read_at"), path, "waktu baca")
    _require(isinstance(s.get("seconds", 0), int) and s.get("seconds", 0) >= 0, path, "lama baca tidak sah")


def read_bundle(path: Path) -> dict[str, Any]:
    """Parse and check a results file; DataError (one sentence) when anything is wrong."""
    path = Path(path)
    data = _parse(path)
    _check_learner(data, path)
    attempts = data.get("attempts")
    _require(isinstance(attempts, list), path, "daftar percobaan tidak ada")
    for a in attempts:
        _check_attempt(a, path)
    sections = data.get("sections", [])
    _require(isinstance(sections, list), path, "daftar bagian tidak sah")
    for s in sections:
        _check_section(s, path)
    return data
