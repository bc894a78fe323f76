"""Finding words in the module: which lines of which sections hold them. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

from msgspec import Struct

from latsar.course.model import Section

MARKUP = re.compile(r"^\s*[-+]\s+|[*_`#>|]+|\[|\]\([^)]*\)")  # Markdown's marks, not words a reader sees
SNIPPET = 70  # characters of a line shown around a match


class Match(Struct, frozen=True):
    section_id: str
    line: int  # 0-based line of the section's body (Markdown's ``source_range``)
    snippet: str  # the line as read, around the words found


def plain(line: str) -> str:
    return " ".join(MARKUP.sub("", line).split())


def find(sections: Iterable[Section], query: str, per_section: int = 20) -> list[Match]:
    """Every line of ``sections`` (in their order) that holds ``query``, case and spacing aside."""
    needle = " ".join(query.split()).casefold()
    if not needle:
        return []
    found: list[Match] = []
    for section in sections:
        hits = 0
        for number, line in enumerate(section.body.splitlines()):
            text = plain(line)
            at = text.casefold().find(needle)
            if at < 0:
                continue
            start = max(0, at - (SNIPPET - len(needle)) // 2)
            snippet = text[start : start + SNIPPET]
            found.append(Match(section.id, number, ("…" if start else "") + snippet + ("…" if start + SNIPPET < len(text) else "")))
            hits += 1
            if hits >= per_section:
                break
    return found
