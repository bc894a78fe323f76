"""Learners: register, list, find by NIP or id. Names and other free text are cleaned once, here."""

from __future__ import annotations

import re

from latsar.errors import NotFound, UsageError
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.values import LearnerInfo
from latsar.storage import learners as rows
from latsar.storage.models import Learner

MAX_NAME = 200
MAX_COHORT = 120


# Control characters and lone surrogates: never typed by a person (a damaged file, or an
# escape sequence meant for someone's terminal). Tab, newline and carriage return are spaces.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str | None, what: str, limit: int = MAX_NAME) -> str | None:
    """A name, cohort or agency as stored: every kind of space (tab, newline, no-break space…)
    one space, runs collapsed; invisible format characters (zero-width space, direction marks,
    BOM) dropped; None when nothing is left. A control character is refused (UsageError naming
    the field and the character), so none ever reaches the database, or a terminal from it."""
    if value is None:
        return None
    raw = str(value)
    if raw.isprintable():  # the common case, at C speed
        text = " ".join(raw.split())
    else:
        bad = _CONTROL.search(raw)
        if bad is not None:
            raise UsageError(f"{what} memuat karakter kendali U+{ord(bad.group()):04X}; hapus karakter itu.")
        text = " ".join("".join(ch for ch in raw if ch.isprintable() or ch.isspace()).split())
    if len(text) > limit:
        raise UsageError(f"{what} terlalu panjang (paling banyak {limit} karakter).")
    return text or None


def require_cohort(ctx: Context, name: str | None) -> str | None:
    """The cohort a ``--cohort`` filter names, as first spelt (None: no filter), or a usage
    error that lists the cohorts there are: a cohort that does not exist is a mistake, not an
    empty result."""
    if name is None or not name.strip():
        return None
    with ctx.db.read() as s:
        found = rows.cohort_by_name(s, name)
        if found is not None:
            return found.name
        known = [c.name for c, _ in rows.cohorts(s)]
    raise NotFound(f"Angkatan '{name.strip()}' tidak ada; {known_cohorts(known)}")


def known_cohorts(names: list[str], limit: int = 12) -> str:
    """The sentence that lists the cohorts there are (the first ``limit``)."""
    if not names:
        return "belum ada angkatan di basis data ini."
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    more = f", dan {len(names) - limit} lainnya (lihat `latsar cohort list`)" if len(names) > limit else ""
    return f"angkatan yang ada: {shown}{more}."


def info(learner: Learner, cohort: str | None) -> LearnerInfo:
    assert learner.id is not None
    return LearnerInfo(learner.id, learner.name, learner.nip, cohort, learner.instansi, learner.created_at)


class LearnerDirectory:
    """Who is registered in this database."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(self, name: str, nip: str | None = None, cohort: str | None = None, instansi: str | None = None) -> LearnerInfo:
        clean_name = clean_text(name, "Nama")
        if not clean_name:
            raise UsageError("Nama peserta tidak boleh kosong.")
        clean_nip = normalize_nip(nip) if nip and nip.strip() else None
        clean_cohort = clean_text(cohort, "Angkatan", MAX_COHORT)
        clean_instansi = clean_text(instansi, "Instansi")
        with self.ctx.db.write() as s:
            if clean_nip:
                other = rows.by_nip(s, clean_nip)
                if other is not None:
                    raise UsageError(f"NIP {clean_nip} sudah terdaftar atas nama {other.name}.")
            learner = rows.add(s, clean_name, clean_nip, rows.cohort_id(s, clean_cohort), clean_instansi)
            return info(learner, clean_cohort)

    def namesakes(self, learner: LearnerInfo) -> list[LearnerInfo]:
        """Other learners of the same cohort (or, without one, others without a cohort) whose
        name is this one's as people type it: perhaps the same person registered twice."""
        key = rows.match_key(learner.name)
        with self.ctx.db.read() as s:
            found = rows.with_cohort(s, cohort=learner.cohort) if learner.cohort else rows.with_cohort(s, no_cohort=True)
        return [info(other, cohort) for other, cohort in found if other.id != learner.id and rows.match_key(other.name) == key]

    @staticmethod
    def check_nip(nip: str) -> str | None:
        """The NIP as it would be stored (None when empty), or UsageError with the reason.

        Pure (no database): a form can check a field the moment it is left. Whether the NIP
        is taken is checked when the learner is added.
        """
        return normalize_nip(nip) if nip and nip.strip() else None

    def list(self, cohort: str | None = None) -> list[LearnerInfo]:
        """Every learner, or a cohort's (NotFound, listing the cohorts, if there is no such cohort)."""
        cohort = require_cohort(self.ctx, cohort)
        with self.ctx.db.read() as s:
            return [info(learner, name) for learner, name in rows.with_cohort(s, cohort=cohort)]

    def get(self, learner_id: int) -> LearnerInfo:
        with self.ctx.db.read() as s:
            found = rows.with_cohort(s, learner_id=learner_id)
        if not found:
            raise NotFound(f"Peserta dengan id {learner_id} tidak ada.")
        return info(*found[0])

    def resolve(self, ref: str | None) -> LearnerInfo:
        """A learner by NIP or id; with a single learner on this machine ``ref`` may be None."""
        if ref is None or not str(ref).strip():
            return self._the_only_one()
        ref = "".join(str(ref).split())
        with self.ctx.db.read() as s:
            learner = rows.by_nip(s, ref)
            if learner is None and ref.isdigit() and len(ref) < 18:
                learner = rows.by_id(s, int(ref))
        if learner is None or learner.id is None:
            raise NotFound(f"Tidak ada peserta dengan NIP atau id '{ref}' (lihat `latsar learner list`).")
        return self.get(learner.id)

    def _the_only_one(self) -> LearnerInfo:
        learners = self.list()
        if not learners:
            raise UsageError('Belum ada peserta di basis data ini. Daftarkan dulu: latsar learner add --name "Nama Anda"')
        if len(learners) > 1:
            raise UsageError(f"Ada {len(learners)} peserta di basis data ini; pilih dengan --learner NIP atau id (lihat `latsar learner list`).")
        return learners[0]
