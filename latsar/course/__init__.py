"""The course as data: model and loader. Pure: imports no Textual, SQLModel or Rich.

The loader (TOML, Markdown, validation) is imported only when a pack is actually parsed: a start
whose course comes from the cache (``latsar.course.cache``) never needs it.
"""

from typing import TYPE_CHECKING, Any

from latsar.course.model import (
    PRACTICE_MAX_INTERVAL_DAYS,
    Bank,
    Behaviour,
    Course,
    Evaluation,
    Journal,
    MapEntry,
    Part,
    Question,
    RetakePolicy,
    Section,
)

if TYPE_CHECKING:
    from latsar.course.loader import ContentError, Problem, check, load_course

_LOADER = ("ContentError", "Problem", "check", "load_course")

__all__ = [
    "PRACTICE_MAX_INTERVAL_DAYS",
    "Bank",
    "Behaviour",
    "ContentError",
    "Course",
    "Evaluation",
    "Journal",
    "MapEntry",
    "Part",
    "Problem",
    "Question",
    "RetakePolicy",
    "Section",
    "check",
    "load_course",
]


def __getattr__(name: str) -> Any:
    if name in _LOADER:
        from latsar.course import loader

        return getattr(loader, name)
    raise AttributeError(name)
