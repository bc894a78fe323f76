"""Key bindings shared by the screens that take an answer (quiz and practice)."""

from __future__ import annotations

from textual.binding import Binding


def answer_bindings(screen_id: str, tooltip: str) -> list[Binding]:
    """a–d and 1–4 choose option 0–3; only "a" shows in the footer, as "a–d"."""
    return [
        Binding("a", "choose(0)", "Jawab", key_display="a–d", id=f"{screen_id}.answer", tooltip=tooltip),
        *[Binding(k, f"choose({i})", show=False) for i, k in enumerate("bcd", start=1)],
        *[Binding(str(i + 1), f"choose({i})", show=False) for i in range(4)],
    ]
