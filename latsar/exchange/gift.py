"""GIFT (Moodle) export and import of question banks: multiple choice, one right answer."""

from __future__ import annotations

import re

from latsar.course.model import Bank, Course
from latsar.exchange.drafts import Draft, bank_toml
from latsar.exchange.moodle import category_path

__all__ = ["Draft", "bank_toml", "export_bank", "import_gift"]

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
        # The same category as the Moodle XML export: importing both files makes one tree, not two.
        f"$CATEGORY: {category_path(course, bank)}",
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


def _draft(m: re.Match[str], number: int, default_sections: list[str]) -> Draft:
    comments, qid = m.group(1), unescape(m.group(2)).strip()
    draft = Draft(qid or f"soal ke-{number}", qid, unescape(m.group(3)).strip(), sections=list(default_sections))
    for kind, value in _items(m.group(4)):
        if kind == "####":
            draft.explanation = unescape(value).strip()
            continue
        if kind == "=":
            draft.keys.append(len(draft.options))
        draft.options.append(unescape(re.split(r"(?<!\\)#", value, maxsplit=1)[0]).strip())  # drop per-answer feedback
    sm = re.search(r"//\s*sections:\s*([^\n]*)", comments or "")
    if sm:
        draft.sections = [s.strip() for s in sm.group(1).split(",") if s.strip()]
    return draft


def import_gift(text: str, bank_id: str, title: str, default_sections: list[str] | None = None) -> str:
    """Multiple-choice GIFT questions as a latsar bank (TOML text). DataError names each problem."""
    drafts = [_draft(m, n, default_sections or []) for n, m in enumerate(_BLOCK.finditer(text), start=1)]
    return bank_toml(bank_id, title, drafts, "GIFT")
