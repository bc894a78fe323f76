"""Learners' PINs: set, checked slowly under the guessing limits (``guard``), issued for a cohort.

Only slow salted hashes are stored (scrypt, like the instructor passphrase); wrong guesses
are counted in the database, so the limits hold across processes and on every classroom
server node.
"""

from __future__ import annotations

import secrets

from msgspec import Struct

from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.services.guard import Guard, decoy, matches, new_digest
from latsar.services.learners import LearnerDirectory
from latsar.services.values import LearnerInfo
from latsar.storage import secrets as rows

PIN_DIGITS = (4, 12)
ISSUED_DIGITS = 6


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise UsageError(f"PIN harus {low}–{high} angka.")
    return pin


class IssuedPin(Struct, frozen=True):
    learner: LearnerInfo
    pin: str


class Pins:
    def __init__(self, ctx: Context, guard: Guard) -> None:
        self.ctx = ctx
        self.guard = guard

    def has(self, learner_id: int) -> bool:
        with self.ctx.db.read() as s:
            return rows.pin(s, learner_id) is not None

    def set(self, learner_id: int, pin: str) -> None:
        LearnerDirectory(self.ctx).get(learner_id)
        salt, digest = new_digest(check_pin_format(pin))
        with self.ctx.db.write() as s:
            rows.save_pin(s, learner_id, salt, digest, self.ctx.clock())

    def check(self, learner_id: int, pin: str) -> bool:
        """True if right; False for a learner without a PIN (checked as slowly, and counted,
        as a wrong one). SecretRequired while guesses from here must wait."""
        with self.ctx.db.read() as s:
            row = rows.pin(s, learner_id)
        if row is None:
            return self.guard.check(f"pin:{learner_id}", lambda: decoy(pin))
        return self.guard.check(f"pin:{learner_id}", lambda: bool(pin) and matches(pin, row.salt, row.digest))

    def check_unknown(self, ref: str, pin: str) -> bool:
        """A sign-in for an NIP or id nobody has: counted and timed like any wrong PIN, so the
        answer tells nobody which NIPs exist. Always False."""
        key = "".join(ch for ch in ref if ch.isalnum())[:40]
        return self.guard.check(f"pin:?{key}", lambda: decoy(pin))

    def draw(self, learners: list[LearnerInfo]) -> list[IssuedPin]:
        """A new random PIN for each learner, not stored yet (``store`` makes them the PINs)."""
        return [IssuedPin(learner, "".join(secrets.choice("0123456789") for _ in range(ISSUED_DIGITS))) for learner in learners]

    def store(self, issued: list[IssuedPin]) -> None:
        """Drawn PINs become the learners' PINs in one transaction (their old PINs stop working)."""
        hashed = [(p.learner.id, *new_digest(p.pin)) for p in issued]
        with self.ctx.db.write() as s:
            for learner_id, salt, digest in hashed:
                rows.save_pin(s, learner_id, salt, digest, self.ctx.clock())

