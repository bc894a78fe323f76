"""A score bar with the pass line marked; readable without colour."""

from __future__ import annotations

from rich.text import Text


def score_bar(percent: int, threshold: int, pass_line: str, width: int = 40) -> Text:
    """``pass_line`` is what the line means, in the course's words (``Voice.pass_line``)."""
    filled = percent * width // 100
    line = threshold * width // 100
    text = Text()
    for i in range(width):
        if i == line:
            text.append("│", style="bold")
        text.append("█" if i < filled else "░", style="bold" if i < filled else "dim")
    if line >= width:
        text.append("│", style="bold")
    text.append(f"  {percent}%  ({pass_line})")
    return text
