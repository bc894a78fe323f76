"""Learners' PINs: set, checked slowly and locked after five wrong tries, issued for a cohort.

Only slow salted hashes are stored (scrypt, like the instructor passphrase); the lockout is
counted in the database, so it holds across processes and on every classroom server node.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from latsar.errors import NotFound, UsageError
from latsar.services.context import Context
from latsar.services.learners import LearnerDirectory
from latsar.services.passphrase import guarded_check, new_digest
from latsar.services.values import LearnerInfo
from latsar.storage import secrets as rows
from latsar.storage.models import LearnerPin

PIN_DIGITS = (4, 12)
ISSUED_DIGITS = 6


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise UsageError(f"PIN harus {low}–{high} angka.")
    return pin


@dataclass(frozen=True)
class IssuedPin:
    learner: LearnerInfo
    pin: str


class Pins:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def has(self, learner_id: int) -> bool:
        with self.ctx.db.read() as s:
            return rows.pin(s, learner_id) is not None

    def set(self, learner_id: int, pin: str) -> None:
        LearnerDirectory(self.ctx).get(learner_id)
        salt, digest = new_digest(check_pin_format(pin))
        with self.ctx.db.write() as s:
            rows.save_pin(s, learner_id, salt, digest, self.ctx.clock())

    def check(self, learner_id: int, pin: str) -> bool:
        """True if right; UsageError while locked after five wrong PINs (for five minutes)."""
        with self.ctx.db.read() as s:
            row = rows.pin(s, learner_id)
        if row is None:
            raise NotFound("Peserta ini belum punya PIN; minta pengampu membuatkannya.")
        # Anyone can lock a classmate out by guessing; a new PIN from the instructor lifts the lock.
        remedy = ", atau minta pengampu memberi PIN baru"
        return guarded_check(self.ctx, LearnerPin, learner_id, pin, row.salt, row.digest, row.locked_until, remedy)

    def draw(self, learners: list[LearnerInfo]) -> list[IssuedPin]:
        """A new random PIN for each learner, not stored yet (``store`` makes them the PINs)."""
        return [IssuedPin(learner, "".join(secrets.choice("0123456789") for _ in range(ISSUED_DIGITS))) for learner in learners]

    def store(self, issued: list[IssuedPin]) -> None:
        """Drawn PINs become the learners' PINs in one transaction (their old PINs stop working)."""
        hashed = [(p.learner.id, *new_digest(p.pin)) for p in issued]
        with self.ctx.db.write() as s:
            for learner_id, salt, digest in hashed:
                rows.save_pin(s, learner_id, salt, digest, self.ctx.clock())

