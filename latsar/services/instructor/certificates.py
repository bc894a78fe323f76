"""Certificates of completion: made for a trainee who passed every evaluation, signed with the
instructor's key, checked offline (``exchange.certificate``).

The key is made on the first certificate and sealed with the instructor passphrase, so only
someone who knows it can sign; checking needs only the public key, which the key file carries
in the clear (and ``latsar certificate key`` prints, to check on another machine).

The database records the fingerprint of the key its certificates are signed with. A key file
that has gone (moved, deleted, a removable disk not plugged in, a mistyped
``LATSAR_CERTIFICATE_KEY``) or is another key is refused with a sentence: a new key made quietly
would make every certificate issued so far fail verification. A new key is made only when asked
for (``latsar certificate key --new``); the old file is kept beside it.
"""

from __future__ import annotations

import secrets as tokens
from datetime import date, datetime
from pathlib import Path
from typing import Any

from msgspec import Struct

from latsar.errors import DataError, UsageError
from latsar.exchange import certificate as codes
from latsar.paths import certificate_key, certificate_key_elsewhere
from latsar.services import progress as progress_of
from latsar.services.context import Context
from latsar.services.learners import LearnerDirectory
from latsar.storage import secrets

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _local_day(value: datetime) -> date:
    from latsar.exchange.tabular import local

    return local(value).date()


class Issued(Struct, frozen=True):
    code: str
    fields: dict[str, Any]
    fingerprint: str
    path: Path


def key_fingerprint() -> str | None:
    """The fingerprint of this machine's certificate key, None before the first certificate."""
    path = certificate_key()
    return codes.fingerprint(codes.public_key(path)) if path.exists() else None


def reseal_key(current: str, new: str) -> bool:
    """After the passphrase changed: the key sealed with the new one (True), or no key here, or
    a key the old passphrase does not open (False: left as it is)."""
    path = certificate_key()
    if not path.exists():
        return False
    try:
        codes.reseal(path, current, new)
    except UsageError:
        return False
    return True


class Certificates:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def fields(self, ref: str) -> dict[str, Any]:
        """What the certificate of ``ref`` says; a usage error unless every evaluation is passed."""
        learner = LearnerDirectory(self.ctx).resolve(ref)
        p = progress_of.build(self.ctx, learner.id)
        course = self.ctx.course
        missing = [ev.name for ev in course.evaluations if not p.evaluations[ev.id].passed]
        if missing:
            raise UsageError(f"{learner.name} belum lulus {', '.join(missing)}; sertifikat diberikan setelah lulus semua evaluasi.")
        evaluations: list[dict[str, Any]] = []
        for ev in course.evaluations:
            status = p.evaluations[ev.id]
            assert status.best is not None and status.passed_at is not None
            evaluations.append({"id": ev.id, "name": ev.name, "best": status.best.percent, "threshold": status.threshold, "passed_on": _local_day(status.passed_at).isoformat()})
        return {
            "v": 1,
            "serial": tokens.token_hex(8).upper(),
            "learner_id": learner.id,
            "name": learner.name,
            "nip": learner.nip,
            "cohort": learner.cohort,
            "instansi": learner.instansi,
            "course": course.title,
            "course_version": course.version,
            "evaluations": evaluations,
            "completed_on": max(str(e["passed_on"]) for e in evaluations),
            "issued_on": _local_day(self.ctx.clock()).isoformat(),
        }

    def issue(self, ref: str, path: Path, passphrase: str) -> Issued:
        """The certificate of ``ref`` as a PDF at ``path``, signed with this machine's key (made,
        sealed with ``passphrase``, on the first certificate)."""
        from latsar.exchange.pdf import check_pdf_path, typeset, write_pdf
        from latsar.exchange.sheets import qr_svg

        check_pdf_path(path)
        fields = self.fields(ref)
        key = certificate_key()
        fingerprint = self._signing_key(key, passphrase)
        fields["key"] = fingerprint
        code = codes.sign(codes.private_key(key, passphrase), fields)
        data = {
            **fields,
            "completed_long": long_date(date.fromisoformat(fields["completed_on"])),
            "issued_long": long_date(date.fromisoformat(fields["issued_on"])),
            "code": code,
            "code_lines": [code[i : i + 96] for i in range(0, len(code), 96)],
            "qr": qr_svg(code),
        }
        write_pdf(path, typeset("certificate.typ", data))
        return Issued(code, fields, fingerprint, path)

    def recorded(self) -> str | None:
        """The fingerprint of the key this database's certificates are signed with, None before the first."""
        with self.ctx.db.read() as s:
            return secrets.certificate_key(s)

    def _signing_key(self, key: Path, passphrase: str) -> str:
        """The fingerprint of the key at ``key``, made (and recorded) if this database never had one;
        a usage error if the key recorded is not there."""
        recorded = self.recorded()
        if key.exists():
            fingerprint = codes.fingerprint(codes.public_key(key))
        elif recorded is not None:
            raise UsageError(_missing(key, recorded))
        elif certificate_key_elsewhere() and not key.parent.is_dir():
            raise UsageError(_no_folder(key))
        else:
            try:
                fingerprint = codes.fingerprint(codes.create_key(key, passphrase))
            except codes.KeyExists:  # made a moment ago by another latsar: that one is the key
                fingerprint = codes.fingerprint(codes.public_key(key))
        if recorded is not None and recorded != fingerprint:
            raise UsageError(
                f"Kunci sertifikat di {key} (sidik jari {fingerprint}) bukan kunci yang menandatangani sertifikat "
                f"basis data ini ({recorded}). Pakai berkas kunci itu, atau ganti kunci dengan sengaja: "
                "latsar certificate key --new."
            )
        if recorded is None:
            with self.ctx.db.write() as s:
                secrets.record_certificate_key(s, fingerprint)
        return fingerprint

    def public_key(self) -> tuple[str, str] | None:
        """This machine's public key (base64url) and its fingerprint, None before the first certificate."""
        key = certificate_key()
        if not key.exists():
            recorded = self.recorded()
            if recorded is not None:
                raise UsageError(_missing(key, recorded))
            return None
        public = codes.public_key(key)
        return codes.b64(public), codes.fingerprint(public)

    def new_key(self, passphrase: str) -> tuple[str, str, Path | None]:
        """A new signing key, asked for (the old one lost, or known to others): the old file, if
        any, kept beside it under a dated name. The new fingerprint, the old one recorded (or ""),
        and where the old file went."""
        key = certificate_key()
        old = self.recorded() or ""
        kept: Path | None = None
        if key.exists():
            stamp = self.ctx.clock().strftime("%Y%m%d-%H%M%S")
            kept = key.with_name(f"{key.stem}-lama-{stamp}{key.suffix}")
            try:
                codes.set_aside(key, kept)
            except OSError as exc:
                from latsar.errors import os_reason

                raise DataError(f"Kunci sertifikat lama {key} tidak dapat disisihkan: {os_reason(exc)}.") from exc
        elif certificate_key_elsewhere() and not key.parent.is_dir():
            raise UsageError(_no_folder(key))
        fingerprint = codes.fingerprint(codes.create_key(key, passphrase))
        with self.ctx.db.write() as s:
            secrets.record_certificate_key(s, fingerprint)
        return fingerprint, old, kept


def _no_folder(key: Path) -> str:
    return f"Folder kunci sertifikat {key.parent} tidak ada (diska lepas belum dipasang, atau LATSAR_CERTIFICATE_KEY salah tulis?)."


def _missing(key: Path, recorded: str) -> str:
    return (
        f"Kunci sertifikat tidak ada di {key}; sertifikat basis data ini ditandatangani kunci {recorded}. "
        "Kembalikan berkasnya (dari cadangan atau diska lepas; LATSAR_CERTIFICATE_KEY menunjuk tempat lain), "
        "atau bila kunci itu hilang, buat kunci baru dengan sengaja: latsar certificate key --new."
    )
