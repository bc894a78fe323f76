"""Schema migrations, one step per version, written with Alembic's operations (batch mode).

A step runs inside the one transaction that also stamps the new version: on SQLite and on
PostgreSQL alike, a step that fails leaves the database as it was. SQLite files are backed up
next to themselves first (``database._migrate``).

v1 → v2 (latsar 0.2):
- ``cohort.key``: cohorts match as people type them ("Angkatan 7", "angkatan  7"); cohorts
  that already differed only so are merged into the first (their learners move with them).
- ``section_progress.completed_at``: a section counts as read once its end was reached.
  v1 counted opening as reading, so every section a v1 learner opened stays read.
- one open attempt per learner and evaluation, as a partial unique index. Extra open
  attempts (left by the v1 race on PostgreSQL) give their answers to the oldest one, where it
  has none for that question, and become ``abandoned``: kept, never graded.
- practice: v1's Leitner boxes become FSRS cards that keep their history (seen, right, last
  review, due); ``practice_review`` logs every review from now on.
- ``learner_pin`` and ``live_session`` for the classroom server.

v2 → v3 (latsar 0.3):
- ``guess`` counts wrong guesses of PINs and the passphrase per scope (``services.guard``);
  the lockout columns of ``learner_pin`` and ``instructor_secret`` go. A v2 lock was a count
  and an end time that a crash could leave unset: nothing of it is carried over.
- learner ids are never given again (SQLite: ``learner`` rebuilt with ``AUTOINCREMENT``; the
  ids there are stay as they are). Ids are printed on PIN cards: a removed learner's id used
  to go to the next learner added.
- ``section_progress.skimmed_at``: when a section's end was last reached too soon to have been
  read (it does not count as read). v2's completions stay read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, column, select, table
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from latsar.assessment.practice import from_leitner
from latsar.assessment.rules import AttemptState
from latsar.storage import models
from latsar.storage.attempts import fold_open_attempt
from latsar.storage.learners import cohort_key


def alembic_operations(conn: Connection) -> Any:
    """Alembic's Operations bound to ``conn`` (imported only when migrating)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    return Operations(MigrationContext.configure(conn, opts={"render_as_batch": True}))


def _utc(value: datetime) -> datetime:
    """v1 stored UTC without saying so."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _cohort_keys(conn: Connection, ops: Any) -> None:
    with ops.batch_alter_table("cohort") as batch:
        batch.add_column(Column("key", String(120), nullable=True))
    cohort = table("cohort", column("id", Integer), column("name", String), column("key", String))
    learner = table("learner", column("cohort_id", Integer))
    first: dict[str, int] = {}
    for cid, name in conn.execute(select(cohort.c.id, cohort.c.name).order_by(cohort.c.id)).all():
        key = cohort_key(name)
        if key in first:  # the same cohort typed another way: its learners join the first spelling
            conn.execute(learner.update().where(learner.c.cohort_id == cid).values(cohort_id=first[key]))
            conn.execute(cohort.delete().where(cohort.c.id == cid))
        else:
            first[key] = cid
            conn.execute(cohort.update().where(cohort.c.id == cid).values(key=key))
    with ops.batch_alter_table("cohort") as batch:
        batch.alter_column("key", existing_type=String(120), nullable=False)
        batch.create_unique_constraint("uq_cohort_key", ["key"])


def _completed_sections(conn: Connection, ops: Any) -> None:
    ops.add_column("section_progress", Column("completed_at", DateTime(), nullable=True))
    progress = table("section_progress", column("completed_at", DateTime()), column("last_read_at", DateTime()))
    conn.execute(progress.update().values(completed_at=progress.c.last_read_at))


def _one_open_attempt(conn: Connection, ops: Any) -> None:
    attempt = table("attempt", column("id", Integer), column("learner_id", Integer), column("quiz_id", String), column("state", String))
    keeper: dict[tuple[int, str], int] = {}
    rows = conn.execute(select(attempt.c.id, attempt.c.learner_id, attempt.c.quiz_id).where(attempt.c.state == AttemptState.IN_PROGRESS.value).order_by(attempt.c.id))
    for aid, learner_id, quiz_id in rows.all():
        keep = keeper.setdefault((learner_id, quiz_id), aid)
        if keep != aid:
            fold_open_attempt(conn, keep, aid)
    conn.execute(models.OPEN_ATTEMPT_INDEX)


def _practice_cards(conn: Connection, ops: Any) -> None:
    for name in ("practice_card", "practice_review", "learner_pin", "live_session"):
        SQLModel.metadata.tables[name].create(conn)
    item = table(
        "practice_item", column("learner_id", Integer), column("question_id", String), column("box", Integer),
        column("due_at", DateTime()), column("seen", Integer), column("right", Integer), column("last_at", DateTime()),
    )
    card = models.table_of(models.PracticeCard)
    for learner_id, qid, box, due, seen, right, last in conn.execute(select(*item.c)).all():
        c = from_leitner(qid, box, _utc(due), _utc(last), seen, right)
        conn.execute(card.insert().values(
            learner_id=learner_id, question_id=qid, state=c.state, step=c.step, stability=c.stability,
            difficulty=c.difficulty, due=c.due, last_review=c.last_review, seen=c.seen, right=c.right,
        ))
    ops.drop_table("practice_item")


def v1_to_v2(conn: Connection) -> None:
    ops = alembic_operations(conn)
    _cohort_keys(conn, ops)
    _completed_sections(conn, ops)
    _one_open_attempt(conn, ops)
    _practice_cards(conn, ops)


def v2_to_v3(conn: Connection) -> None:
    from sqlalchemy import inspect

    ops = alembic_operations(conn)
    SQLModel.metadata.tables["guess"].create(conn)
    ops.add_column("section_progress", Column("skimmed_at", DateTime(), nullable=True))
    for name in ("learner_pin", "instructor_secret"):
        # v1 -> v2 creates learner_pin as the tables are now: it may have no lock to drop.
        old = {c["name"] for c in inspect(conn).get_columns(name)} & {"failures", "locked_until"}
        if old:
            with ops.batch_alter_table(name) as batch:
                for column_name in sorted(old):
                    batch.drop_column(column_name)
    _learner_ids_never_reused(conn, ops)  # before the journal's tables, which refer to it
    _journal(conn)


def _learner_ids_never_reused(conn: Connection, ops: Any) -> None:
    """SQLite gives a new row max(id) + 1 unless the table says AUTOINCREMENT: rebuild
    ``learner`` so (batch mode copies every row, ids included). PostgreSQL's sequence already
    never goes back."""
    if conn.dialect.name != "sqlite":
        return
    with ops.batch_alter_table("learner", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


JOURNAL_TABLES = ("journal_entry", "journal_version", "journal_review")


def _journal(conn: Connection) -> None:
    """The habituation journal's tables, as a new database has them (v2 had no journal)."""
    for name in JOURNAL_TABLES:
        SQLModel.metadata.tables[name].create(conn)


# Migration from version N to N+1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: v1_to_v2, 2: v2_to_v3}
