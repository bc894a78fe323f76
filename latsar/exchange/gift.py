"""GIFT (Moodle) export and import of question banks: multiple choice, one right answer."""

from __future__ import annotations

import json
import re

from latsar.course.model import Bank, Course
from latsar.errors import DataError

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in SPECIAL else ch for ch in text)
    return out.replace("\n", "\\n")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def export_bank(course: Course, bank: Bank) -> str:
    lines = [
        f"// {bank.title}",
        f"// {bank.source or course.credit}",
        f"// latsar: {course.id} {course.version}",
        f"$CATEGORY: $course$/latsar/{course.id}/{bank.id}",
        "",
    ]
    for q in bank.questions:
        lines.append(f"// sections: {', '.join(q.sections)}")
        lines.append(f"::{escape(q.id)}::{escape(q.stem)}{{")
        for letter, text in q.options:
            lines.append(("=" if letter == q.key else "~") + escape(text))
        lines.append("####" + escape(q.explanation))
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


_BLOCK = re.compile(r"((?://[^\n]*\n)*)\s*::((?:\\.|[^:\\])*)::((?:\\.|[^{\\])*)\{((?:\\.|[^}\\])*)\}", re.S)


def _items(body: str) -> list[tuple[str, str]]:
    """Split an answer block into ("=" | "~" | "####", raw text) items; escapes are kept."""
    items: list[tuple[str, str]] = []
    kind, buf, i = None, [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            buf.append(body[i : i + 2])
            i += 2
            continue
        if body.startswith("####", i):
            if kind:
                items.append((kind, "".join(buf)))
            kind, buf, i = "####", [], i + 4
            continue
        if ch in "=~" and kind != "####":
            if kind:
                items.append((kind, "".join(buf)))
            kind, buf, i = ch, [], i + 1
            continue
        buf.append(ch)
        i += 1
    if kind:
        items.append((kind, "".join(buf)))
    return items


def import_gift(text: str, bank_id: str, title: str, default_sections: list[str] | None = None) -> str:
    """Multiple-choice GIFT questions as a latsar bank (TOML text). DataError names each problem."""
    problems: list[str] = []
    out = [
        "# Imported from GIFT by latsar.",
        "[bank]",
        f"id = {json.dumps(bank_id)}",
        f"title = {json.dumps(title, ensure_ascii=False)}",
        "",
    ]
    count = 0
    for m in _BLOCK.finditer(text):
        comments, qid, stem, body = m.group(1), unescape(m.group(2)).strip(), unescape(m.group(3)).strip(), m.group(4)
        label = qid or f"soal ke-{count + 1}"
        options, key, explanation = [], [], ""
        for kind, value in _items(body):
            if kind != "####":
                value = re.split(r"(?<!\\)#", value, maxsplit=1)[0]  # drop per-answer feedback
            value = unescape(value).strip()
            if kind == "####":
                explanation = value
            else:
                if kind == "=":
                    key.append(len(options))
                options.append(value)
        sections = default_sections or []
        sm = re.search(r"//\s*sections:\s*([^\n]*)", comments or "")
        if sm:
            sections = [s.strip() for s in sm.group(1).split(",") if s.strip()]
        if len(options) < 2 or len(options) > 26:
            problems.append(f"{label}: bukan soal pilihan ganda (pilihan: {len(options)})")
            continue
        if len(key) != 1:
            problems.append(f"{label}: {len(key)} jawaban benar; harus tepat satu")
            continue
        if not sections:
            problems.append(f"{label}: tidak ada bagian materi (tambahkan '// sections: id' atau pakai --section)")
            continue
        if not explanation:
            problems.append(f"{label}: tidak ada penjelasan (umpan balik umum '####')")
            continue
        count += 1
        letters = [chr(ord("a") + i) for i in range(len(options))]
        opts = ", ".join(f"{l} = {json.dumps(o, ensure_ascii=False)}" for l, o in zip(letters, options))
        out += [
            "[[questions]]",
            f"id = {json.dumps(qid or f'{bank_id}-q{count:02d}')}",
            f"stem = {json.dumps(stem, ensure_ascii=False)}",
            f"options = {{ {opts} }}",
            f"key = \"{letters[key[0]]}\"",
            f"sections = {json.dumps(sections)}",
            f"explanation = {json.dumps(explanation, ensure_ascii=False)}",
            "",
        ]
    if problems:
        raise DataError("Berkas GIFT tidak dapat diimpor: " + "; ".join(problems) + ".")
    if count == 0:
        raise DataError("Berkas GIFT tidak berisi soal pilihan ganda.")
    return "\n".join(out)
