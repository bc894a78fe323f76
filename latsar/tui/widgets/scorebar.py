"""A score bar with the pass line marked; readable without colour."""

from __future__ import annotations

from rich.text import Text


def score_bar(percent: int, threshold: int, width: int = 40) -> Text:
    filled = percent * width // 100
    line = threshold * width // 100
    text = Text()
    for i in range(width):
        if i == line:
            text.append("│", style="bold")
        text.append("█" if i < filled else "░", style="bold" if i < filled else "dim")
    if line >= width:
        text.append("│", style="bold")
    text.append(f"  {percent}%  (batas lulus {threshold}%)")
    return text
