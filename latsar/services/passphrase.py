"""The instructor passphrase: scrypt with a salt, five failures lock it for five minutes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.storage import secrets as rows

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSPHRASE = 8


def scrypt_hex(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **SCRYPT).hex()


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
        salt = secrets.token_bytes(16)
        with self.ctx.db.write() as s:
            rows.save(s, salt.hex(), scrypt_hex(passphrase, salt))

    def check(self, passphrase: str) -> bool:
        """True if right. Raises UsageError while locked out after repeated failures."""
        now = self.ctx.clock()
        with self.ctx.db.read() as s:
            row = rows.get(s)
        if row is None:
            raise UsageError("Kata sandi pengampu belum dibuat.")
        if row.locked_until is not None and row.locked_until > now:
            minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
            raise UsageError(f"Terlalu banyak percobaan salah; coba lagi dalam {minutes} menit.")
        ok = hmac.compare_digest(scrypt_hex(passphrase, bytes.fromhex(row.salt)), row.digest)
        with self.ctx.db.write() as s:
            rows.record(s, ok, MAX_FAILURES, now + LOCKOUT)
        return ok
