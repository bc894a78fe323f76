"""Presence in the classroom: each session says who it is and what its trainee is doing, so the
instructor sees the room live. Written by the session's own app process, read by the
instructor's; kept in the database, so it works across processes and server nodes."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from msgspec import Struct

from latsar.services.context import Context
from latsar.storage import presence as rows

ONLINE = timedelta(minutes=2)  # a session not heard from for longer is taken as gone


class Activity(StrEnum):
    LOGIN = "login"
    HOME = "home"
    READING = "reading"
    EVALUATION = "evaluation"
    PRACTICE = "practice"
    RESULT = "result"  # looking at an evaluation's result
    JOURNAL = "journal"  # the habituation journal
    INSTRUCTOR = "instructor"


class Seat(Struct, frozen=True):
    """One trainee online, for the instructor's live view."""

    session_id: str
    learner_id: int | None
    name: str
    nip: str | None
    activity: Activity
    target: str | None
    answered: int | None
    total: int | None
    seen_at: datetime


class Presence:
    """What one session says about itself."""

    def __init__(self, ctx: Context, session_id: str | None = None) -> None:
        self.ctx = ctx
        self.id = session_id or uuid.uuid4().hex
        self.node = f"{socket.gethostname()}:{os.getpid()}"
        self.learner_id: int | None = None

    def report(self, activity: Activity, target: str | None = None, answered: int | None = None, total: int | None = None) -> None:
        with self.ctx.db.write() as s:
            rows.touch(s, self.id, self.node, self.ctx.clock(), learner_id=self.learner_id, activity=activity.value, target=target, answered=answered, total=total)

    def end(self) -> None:
        with self.ctx.db.write() as s:
            rows.end(s, self.id, self.ctx.clock())


def room(ctx: Context) -> list[Seat]:
    """Every session heard from in the last two minutes, most recent first."""
    with ctx.db.read() as s:
        found = rows.online(s, ctx.clock() - ONLINE)
    return [
        Seat(r.id, r.learner_id, learner.name if learner else "(belum masuk)", learner.nip if learner else None,
             Activity(r.activity) if r.activity in Activity._value2member_map_ else Activity.HOME, r.target, r.answered, r.total, r.seen_at)
        for r, learner in found
    ]
