"""The course as data: model and loader. Pure: imports no Textual, SQLModel or Rich."""

from latsar.course.loader import ContentError, Problem, check, load_course
from latsar.course.model import (
    PRACTICE_MAX_INTERVAL_DAYS,
    Bank,
    Course,
    Evaluation,
    MapEntry,
    Part,
    Question,
    RetakePolicy,
    Section,
)

__all__ = [
    "PRACTICE_MAX_INTERVAL_DAYS",
    "Bank",
    "ContentError",
    "Course",
    "Evaluation",
    "MapEntry",
    "Part",
    "Problem",
    "Question",
    "RetakePolicy",
    "Section",
    "check",
    "load_course",
]
