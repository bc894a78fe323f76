"""The sections of a course: one Markdown file each, opening with TOML front matter. Pure."""

from __future__ import annotations

import re
from pathlib import Path

from msgspec import Struct

from latsar.course.fields import ANY_TEXT, INTEGER, TEXT, Document
from latsar.course.model import Section
from latsar.course.problems import Report, shown
from latsar.course.source import MAX_SECTIONS, SECTION_LIMIT, Lines, parse_toml, read_text

FRONT = "+++"
WORD = re.compile(r"[^\W_]+")  # letters and digits: Markdown's marks and punctuation are no words


def count_words(markdown: str) -> int:
    return len(WORD.findall(markdown))


class FrontMatter(Struct, frozen=True):
    """A section file cut in two: the TOML between the ``+++`` lines, and the Markdown after."""

    toml: str
    body: str
    body_line: int  # the line the body starts on


class _Parsed(Struct, frozen=True):
    section: Section
    id_line: int
    body_line: int


def split_front_matter(report: Report, path: Path, text: str) -> FrontMatter | None:
    lines = text.replace("\r\n", "\n").split("\n")  # not splitlines(): U+2028 in a title is no line break
    if not lines or lines[0].strip() != FRONT:
        report.add(path, 1, f"front matter tidak ada (baris pertama harus {FRONT})")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT), None)
    if end is None:
        report.add(path, 1, f"front matter tidak ditutup dengan {FRONT}")
        return None
    body = "\n".join(lines[end + 1 :]).strip("\n") + "\n"
    return FrontMatter("\n".join(lines[1:end]), body, end + 2)


def parse_section(report: Report, path: Path) -> _Parsed | None:
    """One section file, or None after reporting why it cannot be one."""
    text = read_text(report, path, SECTION_LIMIT)
    front = split_front_matter(report, path, text) if text is not None else None
    data = parse_toml(report, path, front.toml, offset=1) if front is not None else None
    if front is None or data is None:
        return None
    doc = Document(report, path, data, Lines(front.toml, offset=1))
    f = doc.fields(data, prefix="front matter")
    section = Section(
        id=f.required("id", TEXT),
        title=f.required("title", TEXT),
        part=f.required("part", TEXT),
        order=f.required("order", INTEGER),
        body=front.body,
        source=f.optional("source", ANY_TEXT, ""),
        path=path,
        words=count_words(front.body),
    )
    return _Parsed(section, f.line("id"), front.body_line) if f.ok else None


def load_sections(report: Report, course_dir: Path) -> list[Section]:
    """Every ``*.md`` of the course folder, in file-name order; ids must be unique."""
    sections: list[Section] = []
    seen: dict[str, str] = {}
    paths = sorted(course_dir.glob("*.md"))
    if len(paths) > MAX_SECTIONS:
        report.add(course_dir, 1, f"terlalu banyak berkas bagian ({len(paths)}; paling banyak {MAX_SECTIONS})")
        paths = paths[:MAX_SECTIONS]
    for path in paths:
        parsed = parse_section(report, path)
        if parsed is None:
            continue
        section = parsed.section
        if section.id in seen:
            report.add(path, parsed.id_line, f"id bagian '{shown(section.id)}' ganda (juga di {seen[section.id]})")
            continue
        seen[section.id] = path.name
        if not section.body.strip():
            report.add(path, parsed.body_line, f"bagian '{shown(section.id)}' tidak berisi teks")
        sections.append(section)
    if not sections and not report.problems:
        report.add(course_dir, 1, "tidak ada bagian materi (*.md)")
    return sections
