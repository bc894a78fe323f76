"""The instructor passphrase: a slow salted hash (scrypt), its guessing slowed by ``guard``.

There is no empty passphrase: none is accepted, none can be set, and while none is set the
instructor's door in the app stays closed (``Services.instructor``).
"""

from __future__ import annotations

from latsar.errors import SecretRequired, UsageError
from latsar.services.context import Context
from latsar.services.guard import Guard, matches, new_digest
from latsar.storage import secrets as rows

MIN_PASSPHRASE = 8
TARGET = "instructor"


class Passphrase:
    def __init__(self, ctx: Context, guard: Guard) -> None:
        self.ctx = ctx
        self.guard = guard

    def exists(self) -> bool:
        with self.ctx.db.read() as s:
            return rows.get(s) is not None

    def set(self, passphrase: str, current: str | None = None) -> None:
        if len(passphrase) < MIN_PASSPHRASE or not passphrase.strip():
            raise UsageError(f"Kata sandi pengampu minimal {MIN_PASSPHRASE} karakter.")
        if self.exists() and (not current or not self.check(current)):
            raise UsageError("Kata sandi pengampu yang sekarang salah; kata sandi tidak diubah.")
        salt, digest = new_digest(passphrase)
        with self.ctx.db.write() as s:
            rows.save(s, salt, digest)

    def check(self, passphrase: str) -> bool:
        """True if right. SecretRequired while guesses from here must wait, or when no
        passphrase is set (nothing is ever right then)."""
        with self.ctx.db.read() as s:
            row = rows.get(s)
        if row is None:
            raise SecretRequired("Kata sandi pengampu belum dibuat; buat dulu dengan `latsar instructor passphrase`.")
        if not passphrase:
            return False
        return self.guard.check(TARGET, lambda: matches(passphrase, row.salt, row.digest))
