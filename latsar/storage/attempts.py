"""Named queries about attempts and their answers.

Answers are upserted (``INSERT … ON CONFLICT DO UPDATE``), so two processes answering the same
question never collide; an attempt is finished by ``UPDATE … WHERE state = 'in_progress'``,
which touches exactly one row however many processes race.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from msgspec import Struct
from sqlalchemy import select as core_select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from latsar.assessment.rules import AttemptState
from latsar.storage.models import Answer, Attempt, table_of

OPEN, FINISHED, ABANDONED = AttemptState.IN_PROGRESS.value, AttemptState.FINISHED.value, AttemptState.ABANDONED.value


def get(s: Session, attempt_id: int) -> Attempt | None:
    return s.get(Attempt, attempt_id)


def open_attempt(s: Session, learner_id: int, quiz_id: str) -> Attempt | None:
    query = select(Attempt).where(Attempt.learner_id == learner_id, Attempt.quiz_id == quiz_id, Attempt.state == OPEN)
    return s.exec(query).first()


def open_attempts(s: Session, learner_id: int) -> list[Attempt]:
    query = select(Attempt).where(Attempt.learner_id == learner_id, Attempt.state == OPEN)
    return list(s.exec(query.order_by(col(Attempt.id))).all())


def finished(s: Session, learner_id: int, quiz_id: str | None = None) -> list[Attempt]:
    """Finished attempts, oldest first."""
    query = select(Attempt).where(Attempt.learner_id == learner_id, Attempt.state == FINISHED)
    if quiz_id:
        query = query.where(Attempt.quiz_id == quiz_id)
    return list(s.exec(query.order_by(col(Attempt.finished_at), col(Attempt.id))).all())


def all_of(s: Session, learner_id: int, quiz_id: str | None = None) -> list[Attempt]:
    """Every attempt of a learner, in the order they were started."""
    query = select(Attempt).where(Attempt.learner_id == learner_id)
    if quiz_id:
        query = query.where(Attempt.quiz_id == quiz_id)
    return list(s.exec(query.order_by(col(Attempt.started_at), col(Attempt.id))).all())


def answers(s: Session, attempt_id: int) -> list[Answer]:
    return answers_by_attempt(s, [attempt_id]).get(attempt_id, [])


def answers_by_attempt(s: Session, attempt_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """The answers of many attempts in one query, by attempt id, by question id."""
    ids = list(attempt_ids)
    out: dict[int, list[Answer]] = defaultdict(list)
    if not ids:
        return out
    query = select(Answer).where(col(Answer.attempt_id).in_(ids)).order_by(col(Answer.attempt_id), col(Answer.question_id))
    for row in s.exec(query):
        out[row.attempt_id].append(row)
    return out


def add(s: Session, **fields: Any) -> Attempt:
    attempt = Attempt(**fields)
    s.add(attempt)
    s.flush()
    return attempt


def add_open(s: Session, **fields: Any) -> Attempt:
    """Start an attempt, or return the one a racing process started a moment ago.

    The partial unique index ``ux_attempt_open`` lets only one open attempt per learner and
    evaluation exist; the loser of a race meets it, and takes the winner's attempt.
    """
    try:
        with s.begin_nested():
            return add(s, **fields)
    except IntegrityError:
        existing = open_attempt(s, fields["learner_id"], fields["quiz_id"])
        if existing is None:
            raise
        return existing


def finish(s: Session, attempt_id: int, correct: int, total: int, passed: bool, now: datetime) -> bool:
    """Finish an open attempt; False when it was already finished (by this or another process)."""
    done = s.connection().execute(
        update(Attempt)
        .where(col(Attempt.id) == attempt_id, col(Attempt.state) == OPEN)
        .values(state=FINISHED, finished_at=now, correct=correct, total=total, passed=passed)
    )
    return bool(done.rowcount == 1)


def _upsert(s: Session, values: dict[str, Any], update_columns: tuple[str, ...]) -> None:
    """Insert an answer row or update the given columns of the existing one, atomically.

    ``INSERT … ON CONFLICT DO UPDATE`` reads the same on SQLite and PostgreSQL.
    """
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(Answer).values(**values)
    else:  # a trainee on SQLite never loads the PostgreSQL dialect
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(Answer).values(**values)
    upsert = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={name: stmt.excluded[name] for name in update_columns},
    )
    s.connection().execute(upsert)


def save_choice(s: Session, attempt_id: int, question_id: str, choice: str, now: datetime) -> None:
    values = {"attempt_id": attempt_id, "question_id": question_id, "choice": choice, "flagged": False, "answered_at": now}
    _upsert(s, values, ("choice", "answered_at"))


def save_flag(s: Session, attempt_id: int, question_id: str, flagged: bool, now: datetime) -> None:
    values = {"attempt_id": attempt_id, "question_id": question_id, "choice": None, "flagged": flagged, "answered_at": now}
    _upsert(s, values, ("flagged",))


def fold_open_attempt(conn: Connection, keep: int, other: int) -> int:
    """Two open attempts at one evaluation by one person become one: ``keep`` receives the
    answers of ``other`` to every question it has no answer for, and ``other`` becomes
    ``abandoned`` (kept, never graded). How many answers were copied.

    Written in Core on a bare connection, so a schema migration can run it as well as a merge
    of two learners (the rule is the v1 -> v2 migration's ``_one_open_attempt``).
    """
    answer, attempt = table_of(Answer), table_of(Attempt)
    have = set(conn.execute(core_select(answer.c.question_id).where(answer.c.attempt_id == keep)).scalars())
    theirs = conn.execute(
        core_select(answer.c.question_id, answer.c.choice, answer.c.flagged, answer.c.answered_at).where(answer.c.attempt_id == other)
    ).all()
    copied = 0
    for qid, choice, flagged, at in theirs:
        if qid not in have:
            conn.execute(answer.insert().values(attempt_id=keep, question_id=qid, choice=choice, flagged=flagged, answered_at=at))
            copied += 1
    conn.execute(attempt.update().where(attempt.c.id == other).values(state=ABANDONED))
    return copied


def move_all(s: Session, source: int, target: int) -> tuple[int, int, int]:
    """Every attempt of learner ``source`` becomes learner ``target``'s. Where both have an open
    attempt at one evaluation, ``target``'s stays open and takes the other's missing answers
    (``fold_open_attempt``). Returns (attempts moved, open attempts folded, answers copied)."""
    conn = s.connection()
    theirs = {a.quiz_id: a.id for a in open_attempts(s, source)}
    folded = copied = 0
    for mine in open_attempts(s, target):
        other = theirs.get(mine.quiz_id)
        if other is not None and mine.id is not None:
            copied += fold_open_attempt(conn, mine.id, other)
            folded += 1
    attempt = table_of(Attempt)
    moved = conn.execute(attempt.update().where(attempt.c.learner_id == source).values(learner_id=target)).rowcount
    s.expire_all()
    return int(moved), folded, copied


def counts(s: Session, learner_id: int) -> tuple[int, int]:
    """How many attempts (any state) and answers a learner has."""
    from sqlalchemy import func

    attempt, answer = table_of(Attempt), table_of(Answer)
    conn = s.connection()
    n_attempts = conn.execute(core_select(func.count()).select_from(attempt).where(attempt.c.learner_id == learner_id)).scalar_one()
    n_answers = conn.execute(
        core_select(func.count()).select_from(answer.join(attempt, answer.c.attempt_id == attempt.c.id)).where(attempt.c.learner_id == learner_id)
    ).scalar_one()
    return int(n_attempts), int(n_answers)


def delete_all_of(s: Session, learner_id: int) -> int:
    """Delete a learner's attempts and their answers; how many attempts."""
    attempt, answer = table_of(Attempt), table_of(Answer)
    conn = s.connection()
    mine = core_select(attempt.c.id).where(attempt.c.learner_id == learner_id)
    conn.execute(answer.delete().where(answer.c.attempt_id.in_(mine)))
    return int(conn.execute(attempt.delete().where(attempt.c.learner_id == learner_id)).rowcount)


# -- many attempts at once (results files): Core, a few statements per batch of files ---------------

CHUNK = 900  # values in one IN (...)


class KnownAttempt(Struct, frozen=True):
    """An attempt already here, as an imported one is compared with it."""

    id: int
    uid: str
    learner_id: int
    quiz_id: str
    state: str
    answers: dict[str, str]  # question id -> choice (answered questions only)


def known_by_uids(s: Session, uids: Iterable[str]) -> dict[str, KnownAttempt]:
    """The attempts holding any of ``uids``, with their answers: two queries per chunk."""
    a, x = table_of(Attempt), table_of(Answer)
    wanted = sorted(set(uids))
    conn = s.connection()
    rows: dict[int, tuple[str, int, str, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        query = core_select(a.c.id, a.c.uid, a.c.learner_id, a.c.quiz_id, a.c.state).where(a.c.uid.in_(wanted[start : start + CHUNK]))
        for r in conn.execute(query):
            rows[r[0]] = (r[1], r[2], r[3], r[4])
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    ids = list(rows)
    for start in range(0, len(ids), CHUNK):
        chosen = core_select(x.c.attempt_id, x.c.question_id, x.c.choice).where(x.c.attempt_id.in_(ids[start : start + CHUNK]), x.c.choice.is_not(None))
        for c in conn.execute(chosen):
            answers[c[0]][c[1]] = c[2]
    return {uid: KnownAttempt(i, uid, lid, quiz, state, dict(answers.get(i, {}))) for i, (uid, lid, quiz, state) in rows.items()}


def insert_finished(s: Session, attempts: Sequence[dict[str, Any]], answers: dict[str, list[tuple[str, str, datetime]]]) -> dict[str, int]:
    """Insert finished attempts (one dict of columns each) and their answers (by uid:
    question, choice, time); the new ids by uid."""
    if not attempts:
        return {}
    a, x = table_of(Attempt), table_of(Answer)
    conn = s.connection()
    ids = {uid: i for i, uid in conn.execute(a.insert().returning(a.c.id, a.c.uid, sort_by_parameter_order=True), list(attempts))}
    rows = [{"attempt_id": ids[uid], "question_id": q, "choice": c, "flagged": False, "answered_at": at} for uid, given in answers.items() for q, c, at in given]
    if rows:
        conn.execute(x.insert(), rows)
    return ids
