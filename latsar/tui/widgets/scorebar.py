"""A score bar with the pass line marked; readable without colour."""

from __future__ import annotations

from rich.columns import Columns
from rich.text import Text


def score_bar(percent: int, threshold: int, pass_line: str | None, width: int = 40) -> Text:
    """``pass_line`` is what the line means, in the course's words (``Voice.pass_line``); None
    leaves it to the caller (``score_line``)."""
    filled = percent * width // 100
    line = threshold * width // 100
    text = Text()
    for i in range(width):
        if i == line:
            text.append("│", style="bold")
        text.append("█" if i < filled else "░", style="bold" if i < filled else "dim")
    if line >= width:
        text.append("│", style="bold")
    text.append(f"  {percent}%")
    if pass_line is not None:
        text.append(f"  ({pass_line})")
    return text


def score_line(percent: int, threshold: int, pass_line: str, width: int = 40) -> Columns:
    """The bar, then what its line means, which goes whole below it on a narrow screen
    (at 60 columns "(batas lulus 80%)" was cut in two)."""
    return Columns([score_bar(percent, threshold, None, width), Text(f"({pass_line})")], padding=(0, 2))
