"""An answer option as a trainee reads it: its mark and letter, then its text, and every wrapped
line of the text starting under the text (a hanging indent), not under the letter."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def choice(lead: str, text: str, style: str = "") -> Table:
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(lead, style=style), Text(text, style=style))
    return grid


def hanging(lead: Text, body: Text) -> Table:
    """A row whose wrapped lines stay under ``body``, not under ``lead`` (a map row's mark)."""
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(lead, body)
    return grid
