"""Banks between formats: which banks go out (GIFT, Moodle XML), and questions read back from
another format on their way to a latsar bank (TOML)."""

from __future__ import annotations

import json
import re

from msgspec import Struct, field

from latsar.course.model import Bank, Course
from latsar.errors import DataError, NotFound


def exchanged_banks(course: Course, bank_id: str | None = None) -> list[Bank]:
    """The banks that go to other formats (the evaluations' and the practice bank), or the one
    called ``bank_id`` (NotFound names the ids there are)."""
    banks = [e.bank for e in course.evaluations] + ([course.practice] if course.practice else [])
    if bank_id is None:
        return banks
    chosen = [b for b in banks if b.id == bank_id]
    if not chosen:
        raise NotFound(f"Bank soal '{bank_id}' tidak ada (pilih: {', '.join(b.id for b in banks)}).")
    return chosen


# What a course pack refuses in its text (``latsar content check``): C0 controls but tab and
# newline, DEL, the C1 controls; and lone surrogates, which no file can hold.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def control_in(*texts: str) -> str | None:
    """The first control character in ``texts``, as U+XXXX, or None."""
    for text in texts:
        found = CONTROL.search(text)
        if found is not None:
            return f"U+{ord(found.group()):04X}"
    return None


# How to supply what a question lacks, in the words of each format.
HINTS = {
    "gift": ("tambahkan '// sections: id' atau pakai --section", "umpan balik umum '####'"),
    "moodle": ("beri tag id bagian, mis. mp1-1, atau pakai --section", "general feedback"),
}


class Draft(Struct):
    """A question read from another format, before it becomes a latsar bank entry."""

    label: str  # how problems name it
    id: str
    stem: str
    options: list[str] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)  # indexes of the options marked right
    sections: list[str] = field(default_factory=list)
    explanation: str = ""
    unsupported: str = ""  # why the other format's question cannot be one of ours at all
    format: str = "gift"  # whose words the problems use (HINTS)

    def problem(self) -> str | None:
        """What keeps this from being one latsar question, or None."""
        if self.unsupported:
            return f"{self.label}: {self.unsupported}"
        control = control_in(self.id, self.stem, *self.options, *self.sections, self.explanation)
        if control:
            return f"{self.label}: memuat karakter kendali {control}, yang tidak boleh ada di paket materi"
        if len(self.options) < 2 or len(self.options) > 26:
            return f"{self.label}: bukan soal pilihan ganda (pilihan: {len(self.options)})"
        if len(self.keys) != 1:
            return f"{self.label}: {len(self.keys)} jawaban benar; harus tepat satu"
        if not self.sections:
            return f"{self.label}: tidak ada bagian materi ({HINTS[self.format][0]})"
        if not self.explanation:
            return f"{self.label}: tidak ada penjelasan ({HINTS[self.format][1]})"
        return None


def bank_toml(bank_id: str, title: str, drafts: list[Draft], source: str, bank_source: str = "", instructions: str = "") -> str:
    """Drafts as a latsar bank (TOML text); DataError names every draft that cannot be one.
    ``source`` names the format for messages; ``bank_source`` and ``instructions`` are the
    bank's own fields, written when given."""
    problems = [p for d in drafts if (p := d.problem())]
    if problems:
        raise DataError(f"Berkas {source} tidak dapat diimpor: " + "; ".join(problems) + ".")
    if not drafts:
        raise DataError(f"Berkas {source} tidak berisi soal pilihan ganda.")
    control = control_in(bank_id, title, bank_source, instructions)
    if control:
        raise DataError(f"Berkas {source} tidak dapat diimpor: id, judul, atau keterangan bank memuat karakter kendali {control}.")
    out = [f"# Imported from {source} by latsar.", "[bank]", f"id = {json.dumps(bank_id)}", f"title = {json.dumps(title, ensure_ascii=False)}"]
    out += [f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in (("source", bank_source), ("instructions", instructions)) if value]
    out.append("")
    for n, d in enumerate(drafts, start=1):
        letters = [chr(ord("a") + i) for i in range(len(d.options))]
        opts = ", ".join(f"{letter} = {json.dumps(o, ensure_ascii=False)}" for letter, o in zip(letters, d.options))
        out += [
            "[[questions]]",
            f"id = {json.dumps(d.id or f'{bank_id}-q{n:02d}')}",
            f"stem = {json.dumps(d.stem, ensure_ascii=False)}",
            f"options = {{ {opts} }}",
            f'key = "{letters[d.keys[0]]}"',
            f"sections = {json.dumps(d.sections)}",
            f"explanation = {json.dumps(d.explanation, ensure_ascii=False)}",
            "",
        ]
    return "\n".join(out)
