"""Guessing a PIN or the instructor passphrase is slowed without handing anyone a weapon.

Nothing is ever locked. Each wrong guess is counted in two scopes, and a guess is checked
only when neither asks it to wait:

- **one target from one session** (``ONE_TARGET``): a learner's PIN, an NIP or id nobody has,
  or the passphrase, guessed from one browser session (or one terminal command). Five wrong
  guesses are free; then the next one waits 1 s after the last failure, then 2, 4, … up to
  15 minutes. A right guess clears it.
- **one address, every target** (``ONE_ADDRESS``): the device the guesses come from (the
  browser's address in the classroom, the terminal at this machine). Thirty wrong guesses a
  day are free; then 1 s, 2, 4, … up to 15 minutes. A right guess does not clear it (an
  attacker signing into their own account would): it is forgotten a day after the last
  failure.

So a classmate guessing someone's PIN slows only their own device: the trainee signs in at
once from theirs, with the right PIN, and from a new session even on the same device until
that device has guessed thirty times; the instructor's commands at the server's terminal are
never slowed by guesses in the browsers.

What that allows from one device, against 6-digit PINs (10^6 values): about 135 guesses a
day over the whole class: its chance of finding any one PIN in a day is about 1 in 7,500, and
finding one takes about ten years of guessing on average (README, "Kelas di browser").

Waits follow from the count and the time of the last failure alone (one stored row each,
changed by one statement), so every wait ends: no crash between two writes can leave a lock
that never does. The failure is counted before the slow hash is computed, so parallel
guesses cannot slip past the count; a right guess takes it back.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from msgspec import Struct

from latsar.errors import SecretRequired
from latsar.services.context import Context
from latsar.storage import secrets as rows

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
ZERO = timedelta(0)


def scrypt_hex(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8", "surrogatepass"), salt=salt, **SCRYPT).hex()


def new_digest(secret: str) -> tuple[str, str]:
    """A fresh salt and the slow salted hash of ``secret`` (hex)."""
    salt = secrets.token_bytes(16)
    return salt.hex(), scrypt_hex(secret, salt)


def matches(secret: str, salt: str, digest: str) -> bool:
    return hmac.compare_digest(scrypt_hex(secret, bytes.fromhex(salt)), digest)


@functools.cache
def _decoy() -> tuple[str, str]:
    """A salt and digest of nothing anybody knows, made when first needed (not at every start:
    a scrypt hash costs ~50 ms)."""
    return new_digest(secrets.token_hex(8))


def decoy(secret: str) -> bool:
    """Checked when there is nothing to check against (an NIP nobody has), so that it takes as long."""
    matches(secret, *_decoy())
    return False


class Limit(Struct, frozen=True):
    free: int  # wrong guesses before any wait
    cap: timedelta  # the longest wait
    forget: timedelta  # no failure for this long: the count starts again

    def wait(self, failures: int, last: datetime, now: datetime) -> timedelta:
        """How long a guess must still wait after ``failures`` wrong ones, the last at ``last``."""
        last = last if last.tzinfo else last.replace(tzinfo=UTC)
        if failures < self.free or now - last >= self.forget:
            return ZERO
        delay = min(timedelta(seconds=2 ** min(failures - self.free, 20)), self.cap)
        return max(ZERO, last + delay - now)


ONE_TARGET = Limit(free=5, cap=timedelta(minutes=15), forget=timedelta(hours=24))
ONE_ADDRESS = Limit(free=30, cap=timedelta(minutes=15), forget=timedelta(hours=24))


class Source(Struct, frozen=True):
    """Where guesses come from: a device (``address``) and one session on it."""

    address: str
    session: str

    @classmethod
    def browser(cls, address: str, session: str) -> Source:
        """A classroom session: the browser's address, as the server saw it."""
        return cls(f"web:{address[:64]}", f"web:{session[:64]}")

    @classmethod
    def terminal(cls) -> Source:
        """A command or the full-screen app at a terminal of this machine."""
        return cls(f"terminal:{socket.gethostname()[:64]}", f"pid:{os.getpid()}:{secrets.token_hex(4)}")


def wait_sentence(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    when = f"{seconds} detik" if seconds < 60 else f"{(seconds + 59) // 60} menit"
    return f"Terlalu banyak percobaan salah dari perangkat ini; coba lagi dalam {when}."


class Guard:
    """Checks a secret under the guessing limits of its target and the caller's source."""

    def __init__(self, ctx: Context, source: Source) -> None:
        self.ctx = ctx
        self.source = source

    def _scopes(self, target: str) -> tuple[str, str]:
        return f"{target}@{self.source.session}", f"*@{self.source.address}"

    def check(self, target: str, verify: Callable[[], bool]) -> bool:
        """``verify()`` (the slow hash) once neither scope asks to wait; whether it was right.
        SecretRequired, saying how long to wait, while one does."""
        pair, source = self._scopes(target)
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            found = rows.guesses(s, (pair, source))
            waits = [limit.wait(*found[scope], now) for scope, limit in ((pair, ONE_TARGET), (source, ONE_ADDRESS)) if scope in found]
            wait = max(waits, default=ZERO)
            if wait > ZERO:
                raise SecretRequired(wait_sentence(wait))
            # Counted before the slow hash: parallel guesses cannot slip past the count.
            rows.count_failure(s, pair, now, now - ONE_TARGET.forget)
            rows.count_failure(s, source, now, now - ONE_ADDRESS.forget)
        ok = verify()
        if ok:
            with self.ctx.db.write() as s:
                rows.forgive(s, (pair,))
                rows.uncount(s, source)
        return ok
