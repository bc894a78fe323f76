"""Documents to print: a title, facts, sections of blocks (text, tables, charts). Pure.

The services fill them with every word and figure (in Bahasa Indonesia); ``exchange.pdf``
typesets them. A block says what it shows, never how (its ``kind`` names it in the data: a tag of the
struct): the template decides the look. The
document reaches the typesetter as JSON data, never as markup, so no name or answer can be
read as a command.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field, to_builtins


class Paragraph(Struct, frozen=True, tag="paragraph", tag_field="kind"):
    text: str
    tone: str = ""  # "", "note" (small, grey), "good", "bad", "strong"


class Facts(Struct, frozen=True, tag="facts", tag_field="kind"):
    """Label: value lines, two columns."""

    items: list[tuple[str, str]]


class Grid(Struct, frozen=True, tag="grid", tag_field="kind"):
    """A table. ``align`` per column: "left", "right" or "center"; ``widths`` in fractions."""

    headers: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    small: bool = False


class Bar(Struct, frozen=True):
    label: str
    value: float  # on the chart's scale
    text: str  # what is written beside the bar (the figure itself)
    tone: str = ""  # "", "good", "bad", "muted"


class Bars(Struct, frozen=True, tag="bars", tag_field="kind"):
    """Horizontal bars, one per line, on a common scale (0..``scale``); ``marker`` draws a line
    at a value (a pass line)."""

    title: str
    bars: list[Bar]
    scale: float
    marker: float | None = None
    marker_label: str = ""


class Columns(Struct, frozen=True, tag="columns", tag_field="kind"):
    """Vertical columns (a histogram): one per ``labels`` entry, heights on 0..``scale``."""

    title: str
    labels: list[str]
    values: list[float]
    texts: list[str]
    scale: float
    tones: list[str] = field(default_factory=list)
    caption: str = ""


class Segment(Struct, frozen=True):
    label: str  # an option's letter
    value: float  # a share, 0..1
    key: bool  # the right answer


class Split(Struct, frozen=True):
    """One horizontal bar split into segments (the options chosen for one question), with a
    note beside it."""

    label: str
    segments: list[Segment]
    note: str


class Splits(Struct, frozen=True, tag="splits", tag_field="kind"):
    title: str
    rows: list[Split]
    legend: str = ""


Block = Paragraph | Facts | Grid | Bars | Columns | Splits


class Section(Struct, frozen=True):
    title: str
    blocks: list[Block]
    new_page: bool = False


class Document(Struct, frozen=True):
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    footer: str = ""

    def to_data(self) -> dict[str, Any]:
        return dict(to_builtins(self))
