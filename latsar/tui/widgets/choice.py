"""An answer option as a trainee reads it: its mark and letter, then its text, and every wrapped
line of the text starting under the text (a hanging indent), not under the letter."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from latsar.tui.wrap import held, release


class Hanging:
    """``lead`` then ``body``, the body wrapped to the width the lead leaves (never inside a unit
    written with no-break spaces, ``latsar.tui.wrap.keep``), its wrapped lines under the body. A map has dozens of these, drawn again at every width: a rich ``Table``
    measured and laid out each one at several times the cost (a tenth of the first screen)."""

    def __init__(self, lead: Text, body: Text) -> None:
        self.lead = lead
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.lead.cell_len
        width = max(1, options.max_width - indent)
        lines = [release(line) for line in held(self.body, width).wrap(console, width, justify="left", overflow="fold")]
        pad = Text(" " * indent)
        rows = []
        for i, line in enumerate(lines):
            row = Text.assemble(self.lead if i == 0 else pad, line)
            row.pad_right(options.max_width - row.cell_len)  # the row's background spans the width
            rows.append(row)
        yield Text("\n").join(rows)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.lead.cell_len
        longest = max((len(word) for word in self.body.plain.split()), default=0)
        return Measurement(indent + min(longest, 1), indent + self.body.cell_len).clamp(None, options.max_width)


def choice(lead: str, text: str, style: str = "") -> Hanging:
    return Hanging(Text(lead, style=style), Text(text, style=style))


def hanging(lead: Text, body: Text) -> Hanging:
    """A row whose wrapped lines stay under ``body``, not under ``lead`` (a map row's mark)."""
    return Hanging(lead, body)
