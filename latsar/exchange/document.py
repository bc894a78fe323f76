"""Documents to print: a title, facts, sections of blocks (text, tables, charts). Pure.

The services fill them with every word and figure (in Bahasa Indonesia); ``exchange.pdf``
typesets them. A block says what it shows, never how: the template decides the look. The
document reaches the typesetter as JSON data, never as markup, so no name or answer can be
read as a command.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    text: str
    tone: str = ""  # "", "note" (small, grey), "good", "bad", "strong"
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Facts:
    """Label: value lines, two columns."""

    items: list[tuple[str, str]]
    kind: str = field(default="facts", init=False)


@dataclass(frozen=True)
class Grid:
    """A table. ``align`` per column: "left", "right" or "center"; ``widths`` in fractions."""

    headers: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    small: bool = False
    kind: str = field(default="grid", init=False)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # on the chart's scale
    text: str  # what is written beside the bar (the figure itself)
    tone: str = ""  # "", "good", "bad", "muted"


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per line, on a common scale (0..``scale``); ``marker`` draws a line
    at a value (a pass line)."""

    title: str
    bars: list[Bar]
    scale: float
    marker: float | None = None
    marker_label: str = ""
    kind: str = field(default="bars", init=False)


@dataclass(frozen=True)
class Columns:
    """Vertical columns (a histogram): one per ``labels`` entry, heights on 0..``scale``."""

    title: str
    labels: list[str]
    values: list[float]
    texts: list[str]
    scale: float
    tones: list[str] = field(default_factory=list)
    caption: str = ""
    kind: str = field(default="columns", init=False)


@dataclass(frozen=True)
class Segment:
    label: str  # an option's letter
    value: float  # a share, 0..1
    key: bool  # the right answer


@dataclass(frozen=True)
class Split:
    """One horizontal bar split into segments (the options chosen for one question), with a
    note beside it."""

    label: str
    segments: list[Segment]
    note: str


@dataclass(frozen=True)
class Splits:
    title: str
    rows: list[Split]
    legend: str = ""
    kind: str = field(default="splits", init=False)


Block = Paragraph | Facts | Grid | Bars | Columns | Splits


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block]
    new_page: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    footer: str = ""

    def to_data(self) -> dict[str, Any]:
        return asdict(self)
