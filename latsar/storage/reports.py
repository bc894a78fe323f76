"""Aggregate queries for instructors, written with SQLAlchemy Core so they stream.

Each yields typed rows (structs): the column order of the SQL is known here and nowhere
else. Timestamps are naive UTC, as stored. Portable SQL only: they run on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from latsar.assessment.records import (
    AnswerRecord,
    AttemptRecord,
    ImportedTrace,
    OpenAttemptRecord,
    PresenceRecord,
    SectionReading,
    SummaryRow,
    TracedAttempt,
    TracedReading,
)
from latsar.assessment.rules import AttemptState
from latsar.storage.database import STREAM, Database, as_utc
from latsar.storage.learners import cohort_key
from latsar.storage.models import Answer, Attempt, Cohort, Learner, SectionProgress, table_of

FINISHED = AttemptState.FINISHED.value
IN_PROGRESS = AttemptState.IN_PROGRESS.value


class seconds_between(FunctionElement[int]):  # a SQL function, named as SQL names them
    """Whole seconds from the first timestamp to the second, in each engine's own arithmetic."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"


@compiles(seconds_between)
def _seconds_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS INTEGER)"


class unindexed(FunctionElement[Any]):  # a SQL function, named as SQL names them
    """A column SQLite must not reach through its index (SQLite's unary ``+``; elsewhere the
    column itself): the state index would be the planner's first choice for a chunk's
    attempts and the worst one, since nearly every attempt is finished."""

    inherit_cache = True
    name = "unindexed"


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return "+" + str(compiler.process(column, **kw))


@compiles(unindexed)
def _unindexed(element: Any, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return str(compiler.process(column, **kw))


# A large SQLite export is read in chunks of whole cohorts (about an eighth of the learners
# each, at least CHUNK_LEARNERS): worker threads have SQLite work out the next chunks while
# this one is written, so the two cores share the work. Below PIPELINE_LEARNERS, one chunk.
PIPELINE_LEARNERS = 8_000
CHUNK_LEARNERS = 2_000
CHUNKS = 8
BATCH = 2_000  # rows fetched at a time from a single statement


def summary(db: Database, evaluation_ids: Sequence[str], cohort: str | None = None, learner_ids: Sequence[int] | None = None) -> Iterator[SummaryRow]:
    """One row per learner, ordered by cohort and name.

    Rows come straight from the driver, without per-cell type processing (the slow part at
    100,000 learners): timestamps arrive as the driver gives them (text on SQLite, datetime
    on PostgreSQL) and ``as_utc`` reads either.
    """
    k = 3 * len(evaluation_ids)
    whole = db.is_sqlite and cohort is None and learner_ids is None
    batches = _pipelined(db, evaluation_ids) if whole else _batches(db, summary_statement(evaluation_ids, cohort, learner_ids))
    for batch in batches:
        for r in batch:
            yield SummaryRow(
                r[0], r[1], r[2], r[3], r[4 : 4 + k : 3], r[5 : 5 + k : 3], tuple(map(as_utc, r[6 : 6 + k : 3])), r[4 + k], as_utc(r[5 + k]), r[6 + k],
                r[7 + k], r[8 + k], r[9 + k],
            )


def _batches(db: Database, stmt: Select[Any]) -> Iterator[Sequence[Any]]:
    """The statement's rows, in batches, from a plain DB-API cursor: rows as the driver gives them."""
    with db.engine.connect() as conn:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_sql(stmt, conn.dialect))
            while batch := cursor.fetchmany(BATCH):
                yield batch
        finally:
            cursor.close()


def _sql(stmt: Select[Any], dialect: Any) -> str:
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _pipelined(db: Database, evaluation_ids: Sequence[str]) -> Iterator[Sequence[Any]]:
    """Every learner's row, chunk by chunk, read on two connections that share one snapshot
    (a trainee answering meanwhile is in every chunk or in none; on one connection while a
    long write is under way). Worker threads have SQLite work out the next chunks (SQLite
    computes with the interpreter's lock released) while the caller writes this one; the rows
    are fetched here, from a connection whose worker is idle, so no two threads take turns at
    the lock row by row. Stopping early waits for the chunks under way."""
    from concurrent.futures import Future, ThreadPoolExecutor

    with db.snapshot_readers(2) as readers, ThreadPoolExecutor(2, thread_name_prefix="latsar-summary") as workers:
        cursors = [con.cursor() for con in readers]
        chunks = [_sql(summary_statement(evaluation_ids, cohort_ids=chunk), db.engine.dialect) for chunk in _cohort_chunks(cursors[0], db.engine.dialect)]
        under_way: dict[int, Future[Any]] = {}

        def start(i: int) -> None:
            if i < len(chunks):
                under_way[i] = workers.submit(cursors[i % len(cursors)].execute, chunks[i])

        for i in range(len(cursors)):
            start(i)
        try:
            for i in range(len(chunks)):
                under_way.pop(i).result()
                rows = cursors[i % len(cursors)].fetchall()
                start(i + len(cursors))  # that connection is free again
                yield rows
        finally:
            for future in under_way.values():
                future.cancel()


def _cohort_chunks(cursor: Any, dialect: Any) -> list[list[int | None] | None]:
    """Runs of cohorts in the summary's order (no cohort first, then by name), each about an
    eighth of the learners; ``[None]`` (everything at once) for a small register."""
    l, c = table_of(Learner), table_of(Cohort)
    stmt = select(l.c.cohort_id, func.count()).select_from(l.outerjoin(c, l.c.cohort_id == c.c.id)).group_by(l.c.cohort_id, c.c.name).order_by(c.c.name)
    cursor.execute(_sql(stmt, dialect))
    counts: list[tuple[int | None, int]] = [(row[0], row[1]) for row in cursor.fetchall()]
    total = sum(n for _, n in counts)
    if total < PIPELINE_LEARNERS:
        return [None]
    size = max(CHUNK_LEARNERS, total // CHUNKS)
    chunks: list[list[int | None] | None] = []
    run: list[int | None] = []
    filled = 0
    for cohort_id, n in counts:
        run.append(cohort_id)
        filled += n
        if filled >= size:
            chunks.append(run)
            run, filled = [], 0
    if run:
        chunks.append(run)
    return chunks


def summary_statement(
    evaluation_ids: Sequence[str], cohort: str | None = None, learner_ids: Sequence[int] | None = None, cohort_ids: Sequence[int | None] | None = None
) -> Select[Any]:
    """Per learner, per evaluation: the best whole percent of a finished attempt, the number of
    finished attempts, and the first pass. The best percent agrees with ``rules.best`` (the
    highest ratio): rounding down never reorders two ratios (``tests/test_reports.py``).

    ``cohort_ids``: only the learners of these cohorts (``None`` among them: of no cohort),
    every aggregate computed for them alone (a chunk of ``summary``)."""
    a = table_of(Attempt)
    l, c = table_of(Learner), table_of(Cohort)
    mine_only: ColumnElement[bool] | None = None
    members: Select[Any] | None = None
    if cohort_ids is not None:
        ids = [i for i in cohort_ids if i is not None]

        def in_chunk(learners: Any) -> ColumnElement[bool]:
            inside = learners.c.cohort_id.in_(ids)
            return or_(inside, learners.c.cohort_id.is_(None)) if None in cohort_ids else inside

        chunk = l.alias("chunk")
        mine_only, members = in_chunk(l), select(chunk.c.id).where(in_chunk(chunk))
    cols: list[ColumnElement[Any]] = [a.c.learner_id]
    for eid in evaluation_ids:
        mine = a.c.quiz_id == eid
        cols += [
            func.max(case((mine, (100 * a.c.correct) // a.c.total))).label(f"{eid}_best"),
            func.sum(case((mine, 1), else_=0)).label(f"{eid}_n"),
            func.min(case((and_(mine, a.c.passed.is_(True)), a.c.finished_at))).label(f"{eid}_passed"),
        ]
    cols.append(func.max(a.c.finished_at).label("last_attempt"))
    cols.append(func.sum(seconds_between(a.c.started_at, a.c.finished_at)).label("evaluating"))
    if members is None:
        att = select(*cols).where(a.c.state == FINISHED).group_by(a.c.learner_id).subquery("att")
    else:
        att = select(*cols).where(unindexed(a.c.state) == FINISHED, a.c.learner_id.in_(members)).group_by(a.c.learner_id).subquery("att")
    open_ones = select(a.c.learner_id, func.count().label("n_open")).where(a.c.state == IN_PROGRESS)
    sp = table_of(SectionProgress)
    # Read means read to the end (completed); opening a section is reading activity all the same.
    read_ones = select(sp.c.learner_id, func.count(sp.c.completed_at).label("n_read"), func.max(sp.c.last_read_at).label("last_read"), func.sum(sp.c.seconds).label("reading"))
    if members is not None:
        open_ones = open_ones.where(a.c.learner_id.in_(members))
        read_ones = read_ones.where(sp.c.learner_id.in_(members))
    still_open = open_ones.group_by(a.c.learner_id).subquery("still_open")
    reads = read_ones.group_by(sp.c.learner_id).subquery("reads")
    picked: list[ColumnElement[Any]] = [l.c.name, l.c.nip, c.c.name.label("cohort"), l.c.instansi]
    for eid in evaluation_ids:
        picked += [att.c[f"{eid}_best"], func.coalesce(att.c[f"{eid}_n"], 0), att.c[f"{eid}_passed"]]
    last_read, last_attempt = reads.c.last_read, att.c.last_attempt
    latest = case((or_(last_attempt.is_(None), last_read > last_attempt), last_read), else_=last_attempt)
    picked += [func.coalesce(reads.c.n_read, 0), latest.label("last_activity"), l.c.id]
    picked += [func.coalesce(reads.c.reading, 0), func.coalesce(att.c.evaluating, 0), func.coalesce(still_open.c.n_open, 0)]
    joined = (
        l.outerjoin(c, l.c.cohort_id == c.c.id).outerjoin(att, att.c.learner_id == l.c.id).outerjoin(reads, reads.c.learner_id == l.c.id)
        .outerjoin(still_open, still_open.c.learner_id == l.c.id)
    )
    stmt = (
        select(*picked)
        .select_from(joined)
        .order_by(c.c.name, l.c.name, l.c.id)
    )
    if mine_only is not None:
        stmt = stmt.where(mine_only)
    if cohort:
        stmt = stmt.where(c.c.key == cohort_key(cohort))
    if learner_ids is not None:
        stmt = stmt.where(l.c.id.in_([int(i) for i in learner_ids]))
    return stmt


def attempts(db: Database, cohort: str | None = None) -> Iterator[AttemptRecord]:
    """Every finished attempt, and every attempt started and not finished (after the finished
    ones of its evaluation: its number, score and pass are None, its answers counted)."""
    a, l, c, x = table_of(Attempt), table_of(Learner), table_of(Cohort), table_of(Answer)
    number = func.row_number().over(partition_by=(a.c.learner_id, a.c.quiz_id, a.c.state), order_by=(a.c.finished_at, a.c.id))
    answered = select(func.count(x.c.choice)).where(x.c.attempt_id == a.c.id).scalar_subquery()
    is_open = a.c.state == IN_PROGRESS
    stmt = (
        select(
            l.c.name, l.c.nip, c.c.name, l.c.instansi, a.c.quiz_id, number, a.c.started_at, a.c.finished_at,
            a.c.correct, a.c.total, (100 * a.c.correct) // a.c.total, a.c.passed, a.c.origin, a.c.uid, a.c.state,
            case((is_open, answered), else_=None),
        )
        .select_from(a.join(l, a.c.learner_id == l.c.id).outerjoin(c, l.c.cohort_id == c.c.id))
        .where(a.c.state.in_((FINISHED, IN_PROGRESS)))
        .order_by(c.c.name, l.c.name, l.c.id, a.c.quiz_id, case((is_open, 1), else_=0), a.c.finished_at, a.c.id)
    )
    if cohort:
        stmt = stmt.where(c.c.key == cohort_key(cohort))
    with db.engine.connect() as conn:
        for r in conn.execution_options(**STREAM).execute(stmt):
            done = r[14] == FINISHED
            yield AttemptRecord(
                r[0], r[1], r[2], r[3], r[4], r[5] if done else None, as_utc(r[6]), as_utc(r[7]), r[8], r[9], r[10],
                bool(r[11]) if done else None, r[12], r[13], done, None if done else int(r[15] or 0),
            )


def answers(db: Database, cohort: str | None = None) -> Iterator[AnswerRecord]:
    a, l, c, x = table_of(Attempt), table_of(Learner), table_of(Cohort), table_of(Answer)
    stmt = (
        select(l.c.name, l.c.nip, c.c.name, a.c.quiz_id, a.c.uid, a.c.finished_at, x.c.question_id, x.c.choice, x.c.answered_at)
        .select_from(x.join(a, x.c.attempt_id == a.c.id).join(l, a.c.learner_id == l.c.id).outerjoin(c, l.c.cohort_id == c.c.id))
        .where(a.c.state == FINISHED)
        .order_by(c.c.name, l.c.name, l.c.id, a.c.finished_at, a.c.id, x.c.question_id)
    )
    if cohort:
        stmt = stmt.where(c.c.key == cohort_key(cohort))
    with db.engine.connect() as conn:
        for r in conn.execution_options(**STREAM).execute(stmt):
            yield AnswerRecord(r[0], r[1], r[2], r[3], r[4], as_utc(r[5]), r[6], r[7], as_utc(r[8]))


def first_attempt_answers(db: Database, quiz_id: str, cohort: str | None = None, without_cohort: bool = False) -> list[dict[str, str | None]]:
    """Canonical answers of each learner's first finished attempt at ``quiz_id``."""
    a, l, c, x = table_of(Attempt), table_of(Learner), table_of(Cohort), table_of(Answer)
    ranked = (
        select(a.c.id, func.row_number().over(partition_by=a.c.learner_id, order_by=(a.c.finished_at, a.c.id)).label("rank"))
        .select_from(a.join(l, a.c.learner_id == l.c.id).outerjoin(c, l.c.cohort_id == c.c.id))
        .where(a.c.state == FINISHED, a.c.quiz_id == quiz_id)
    )
    if without_cohort:
        ranked = ranked.where(l.c.cohort_id.is_(None))
    elif cohort:
        ranked = ranked.where(c.c.key == cohort_key(cohort))
    firsts = ranked.subquery()
    stmt = select(x.c.attempt_id, x.c.question_id, x.c.choice).join(firsts, firsts.c.id == x.c.attempt_id).where(firsts.c.rank == 1)
    ids = select(firsts.c.id).where(firsts.c.rank == 1)
    out: dict[int, dict[str, str | None]] = {}
    with db.engine.connect() as conn:
        for attempt_id in conn.execute(ids).scalars():
            out[attempt_id] = {}
        for attempt_id, qid, choice in conn.execute(stmt):
            out[attempt_id][qid] = choice
    return list(out.values())


# -- what the plausibility rules read, for learners whose results came in files -------------------

IMPORTED = "imported"


def imported_traces(db: Database, cohort: str | None = None) -> list[ImportedTrace]:
    """Four queries however many learners: who, their attempts, the answers, the reading."""
    a, l, c, x, sp = table_of(Attempt), table_of(Learner), table_of(Cohort), table_of(Answer), table_of(SectionProgress)
    who = (
        select(l.c.id, l.c.name, l.c.nip, c.c.name)
        .select_from(l.outerjoin(c, l.c.cohort_id == c.c.id))
        .where(l.c.id.in_(select(a.c.learner_id).where(a.c.origin == IMPORTED, a.c.state == FINISHED)))
        .order_by(c.c.name, l.c.name, l.c.id)
    )
    if cohort:
        who = who.where(c.c.key == cohort_key(cohort))
    ids = who.with_only_columns(l.c.id).order_by(None).scalar_subquery()
    with db.engine.connect() as conn:
        people = conn.execute(who).all()
        if not people:
            return []
        attempts: dict[int, list[Any]] = {}
        for r in conn.execute(
            select(a.c.id, a.c.learner_id, a.c.uid, a.c.quiz_id, a.c.started_at, a.c.finished_at, a.c.origin)
            .where(a.c.learner_id.in_(ids), a.c.state == FINISHED, a.c.finished_at.is_not(None))
            .order_by(a.c.started_at, a.c.id)
        ):
            attempts.setdefault(r[1], []).append(r)
        answers: dict[int, dict[str, str]] = {}
        times: dict[int, list[datetime]] = {}
        mine = select(a.c.id).where(a.c.learner_id.in_(ids), a.c.state == FINISHED)
        for attempt_id, qid, choice, at in conn.execute(select(x.c.attempt_id, x.c.question_id, x.c.choice, x.c.answered_at).where(x.c.attempt_id.in_(mine), x.c.choice.is_not(None))):
            answers.setdefault(attempt_id, {})[qid] = choice
            times.setdefault(attempt_id, []).append(as_utc(at) or datetime.min)
        reading: dict[int, list[TracedReading]] = {}
        for g in conn.execute(select(sp.c.learner_id, sp.c.section_id, sp.c.first_read_at, sp.c.last_read_at, sp.c.completed_at, sp.c.read_count).where(sp.c.learner_id.in_(ids))):
            reading.setdefault(g[0], []).append(TracedReading(g[1], as_utc(g[2]), as_utc(g[3]), as_utc(g[4]), int(g[5])))
    out = []
    for lid, name, nip, cohort_name in people:
        traced = tuple(
            TracedAttempt(r[2], r[3], as_utc(r[4]) or datetime.min, as_utc(r[5]) or datetime.min, r[6] == IMPORTED, answers.get(r[0], {}), tuple(times.get(r[0], ())))
            for r in attempts.get(lid, [])
        )
        out.append(ImportedTrace(lid, name, nip, cohort_name, traced, tuple(reading.get(lid, []))))
    return out


# -- what the cohort report reads beyond the summary ------------------------------------------------


def _in_cohort(stmt: Select[Any], learner_id: ColumnElement[Any], cohort: str | None, without_cohort: bool = False) -> Select[Any]:
    """Only the learners of ``cohort`` (or, ``without_cohort``, those of none; else everyone)."""
    l, c = table_of(Learner), table_of(Cohort)
    if without_cohort:
        return stmt.where(learner_id.in_(select(l.c.id).where(l.c.cohort_id.is_(None))))
    if not cohort:
        return stmt
    members = select(l.c.id).join(c, l.c.cohort_id == c.c.id).where(c.c.key == cohort_key(cohort))
    return stmt.where(learner_id.in_(members))


def reading_by_section(db: Database, cohort: str | None = None, without_cohort: bool = False) -> list[SectionReading]:
    """Per section: how many learners opened it, how many read it to its end."""
    sp = table_of(SectionProgress)
    stmt = _in_cohort(select(sp.c.section_id, func.count(), func.count(sp.c.completed_at)).group_by(sp.c.section_id), sp.c.learner_id, cohort, without_cohort)
    with db.engine.connect() as conn:
        return [SectionReading(sid, int(opened), int(done)) for sid, opened, done in conn.execute(stmt)]


def open_attempts(db: Database, cohort: str | None = None, without_cohort: bool = False) -> list[OpenAttemptRecord]:
    """Every attempt started and not finished, with how many questions it has answered."""
    a, l, x = table_of(Attempt), table_of(Learner), table_of(Answer)
    answered = select(func.count(x.c.choice)).where(x.c.attempt_id == a.c.id).scalar_subquery()
    stmt = (
        select(a.c.learner_id, l.c.name, l.c.nip, a.c.quiz_id, a.c.started_at, answered)
        .join(l, a.c.learner_id == l.c.id)
        .where(a.c.state == IN_PROGRESS)
        .order_by(l.c.name, l.c.id, a.c.quiz_id)
    )
    with db.engine.connect() as conn:
        return [OpenAttemptRecord(r[0], r[1], r[2], r[3], as_utc(r[4]), int(r[5])) for r in conn.execute(_in_cohort(stmt, a.c.learner_id, cohort, without_cohort))]


def presence(db: Database, cohort: str | None = None, without_cohort: bool = False) -> list[PresenceRecord]:
    """Every classroom session a learner signed in to (``live_session``), oldest first."""
    from latsar.storage.models import LiveSession

    ls = table_of(LiveSession)
    stmt = select(ls.c.learner_id, ls.c.started_at, ls.c.seen_at).where(ls.c.learner_id.is_not(None)).order_by(ls.c.started_at)
    with db.engine.connect() as conn:
        return [PresenceRecord(r[0], as_utc(r[1]) or datetime.min, as_utc(r[2]) or datetime.min) for r in conn.execute(_in_cohort(stmt, ls.c.learner_id, cohort, without_cohort))]
