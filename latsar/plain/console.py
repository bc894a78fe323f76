"""The Rich consoles used by the plain terminal commands."""

from __future__ import annotations

from rich.console import Console
from rich.theme import Theme

THEME = Theme({"ok": "bold green", "bad": "bold red", "dim": "dim", "key": "bold cyan", "title": "bold"})


def stdout() -> Console:
    return Console(theme=THEME, highlight=False, soft_wrap=False)


def stderr() -> Console:
    return Console(theme=THEME, highlight=False, stderr=True)
