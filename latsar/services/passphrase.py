"""Secrets checked slowly, and locked after five wrong guesses for five minutes: the
instructor passphrase, and (for the classroom) each learner's PIN."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlmodel import SQLModel

from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.storage import secrets as rows
from latsar.storage.models import InstructorSecret

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSPHRASE = 8


def scrypt_hex(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **SCRYPT).hex()


def new_digest(secret: str) -> tuple[str, str]:
    """A fresh salt and the slow salted hash of ``secret`` (hex)."""
    salt = secrets.token_bytes(16)
    return salt.hex(), scrypt_hex(secret, salt)


def locked_sentence(until: datetime, now: datetime, remedy: str = "") -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return f"Terlalu banyak percobaan salah; coba lagi dalam {minutes} menit{remedy}."


def guarded_check(
    ctx: Context, model: type[SQLModel], key: int, secret: str, salt: str, digest: str, locked_until: datetime | None, remedy: str = ""
) -> bool:
    """Check ``secret`` against ``salt``/``digest`` under the database-held lockout of row ``key``;
    ``remedy`` ends the locked sentence with what else can be done."""
    now = ctx.clock()
    with ctx.db.write() as s:
        reserved = rows.reserve(s, model, key, now, MAX_FAILURES)
    if not reserved:
        raise UsageError(locked_sentence(locked_until if locked_until and locked_until > now else now + LOCKOUT, now, remedy))
    ok = hmac.compare_digest(scrypt_hex(secret, bytes.fromhex(salt)), digest)
    with ctx.db.write() as s:
        rows.settle(s, model, key, ok, now + LOCKOUT, MAX_FAILURES)
    return ok


class Passphrase:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def exists(self) -> bool:
        with self.ctx.db.read() as s:
            return rows.get(s) is not None

    def set(self, passphrase: str, current: str | None = None) -> None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise UsageError(f"Kata sandi pengampu minimal {MIN_PASSPHRASE} karakter.")
        if self.exists() and (current is None or not self.check(current)):
            raise UsageError("Kata sandi pengampu yang sekarang salah; kata sandi tidak diubah.")
        salt, digest = new_digest(passphrase)
        with self.ctx.db.write() as s:
            rows.save(s, salt, digest)

    def check(self, passphrase: str) -> bool:
        """True if right. Raises UsageError while locked out after repeated failures."""
        with self.ctx.db.read() as s:
            row = rows.get(s)
        if row is None:
            raise UsageError("Kata sandi pengampu belum dibuat.")
        return guarded_check(self.ctx, InstructorSecret, 1, passphrase, row.salt, row.digest, row.locked_until)
