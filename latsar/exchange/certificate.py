"""Certificate codes: what a certificate says, signed with the instructor's Ed25519 key
(``cryptography``), checked offline with the public key alone. And the key's file.

A code is ``LATSAR1.<payload>.<signature>`` in base64url (no padding): the payload is the
certificate's fields as canonical JSON (sorted keys, no spaces, UTF-8), the signature an
Ed25519 signature of ``DOMAIN + payload`` (so nothing latsar signs for another purpose can ever
pass for a certificate). Changing any byte of the payload (a name, a score, a date) or of the
signature makes verification fail; a code signed by another key fails against this one.

The key file (``paths.certificate_key``) holds the public key in the clear and the private key
sealed with the instructor passphrase: scrypt (n = 2^15, r = 8, p = 1, a random salt) derives a
256-bit key, AES-256-GCM seals the 32-byte private key with the public key as associated data,
so a file whose public half was swapped does not open. It is written like every latsar file
(``exchange.files``: 0600, a private temporary sibling, fsync) and is never replaced: a second
key would make every certificate already given fail, so it is created once, by a hard link that
fails if the name is taken. Imported only when a certificate is made or checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from msgspec import Struct

from latsar.errors import DataError, UsageError

PREFIX = "LATSAR1"
DOMAIN = b"latsar certificate v1\n"
MAX_CODE = 4000  # characters; a real code is about 500
CODE_PATTERN = re.compile(rb"LATSAR1\.[A-Za-z0-9_-]{16,3000}\.[A-Za-z0-9_-]{86}")
KEY_FILE_LIMIT = 16 * 1024
PDF_LIMIT = 20 * 1024 * 1024
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class KeyExists(UsageError):
    """A key is already at that name: it is never replaced."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64(data) != text:  # one spelling only: a last letter differing in unused bits is another code
        raise ValueError("not canonical base64url")
    return data


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def fingerprint(public: bytes) -> str:
    """The public key's fingerprint as people read it aloud: 16 bytes of its SHA-256, in groups."""
    digest = hashlib.sha256(b"latsar ed25519 " + public).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


# -- codes -----------------------------------------------------------------------------------------


def sign(private: bytes, fields: dict[str, Any]) -> str:
    """The code of ``fields`` signed with the raw 32-byte Ed25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    payload = canonical(fields)
    signature = Ed25519PrivateKey.from_private_bytes(private).sign(DOMAIN + payload)
    return f"{PREFIX}.{b64(payload)}.{b64(signature)}"


class Checked(Struct, frozen=True):
    fields: dict[str, Any]
    valid: bool  # the signature is this key's, over exactly these fields


def check(code: str, public: bytes) -> Checked:
    """The fields of ``code`` and whether ``public`` signed exactly them. DataError when the code
    is not a certificate code at all (cut short, mistyped, not latsar's)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    code = "".join(code.split())  # a code copied across lines
    if len(code) > MAX_CODE:
        raise DataError("Kode sertifikat terlalu panjang; ini bukan kode sertifikat latsar.")
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DataError("Ini bukan kode sertifikat latsar (harus diawali LATSAR1. dan terdiri atas tiga bagian).")
    try:
        payload, signature = unb64(parts[1]), unb64(parts[2])
        fields = json.loads(payload.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DataError("Kode sertifikat rusak (terpotong atau salah ketik).") from None
    if not isinstance(fields, dict) or len(signature) != 64:
        raise DataError("Kode sertifikat rusak (terpotong atau salah ketik).")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, DOMAIN + payload)
        valid = True
    except InvalidSignature:
        valid = False
    return Checked(fields, valid)


def codes_in_pdf(pdf: bytes) -> list[str]:
    """The certificate codes a PDF carries (latsar writes its code into the document's keywords)."""
    return sorted({m.decode("ascii") for m in CODE_PATTERN.findall(pdf)})


# -- the key file ----------------------------------------------------------------------------------


def _seal_key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, **SCRYPT).derive(passphrase.encode("utf-8"))


def _seal(private: bytes, public: bytes, passphrase: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_seal_key(passphrase, salt)).encrypt(nonce, private, DOMAIN + public)
    return {
        "format": "latsar-certificate-key",
        "version": 1,
        "algorithm": "ed25519",
        "public": b64(public),
        "kdf": {"name": "scrypt", **SCRYPT, "salt": b64(salt)},
        "cipher": {"name": "aes-256-gcm", "nonce": b64(nonce), "sealed": b64(sealed)},
    }


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` at ``path`` (0600, complete, on disk) only if nothing is there."""
    from latsar.exchange.files import private_sibling
    from latsar.paths import fsync_dir

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = private_sibling(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if the name is taken: an existing key is never replaced
        except FileExistsError:
            raise
        except OSError:  # no hard links (FAT or exFAT on a removable disk): created exclusively
            _write_exclusive(path, text)
        fsync_dir(path.parent)
    except FileExistsError:
        raise KeyExists(f"Kunci sertifikat sudah ada di {path}; tidak diganti.") from None
    except OSError as exc:
        from latsar.errors import os_reason

        raise DataError(f"Kunci sertifikat {path} tidak dapat ditulis: {os_reason(exc)}.") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _write_exclusive(path: Path, text: str) -> None:
    """Write ``text`` to a new file at ``path`` (O_EXCL: never over an existing one)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def set_aside(key: Path, kept: Path) -> None:
    """Move the old key to ``kept``, never over another file: a hard link where the file system
    has them, else (FAT or exFAT on a removable disk) a rename once the name is seen free."""
    try:
        os.link(key, kept)
    except FileExistsError:
        raise
    except OSError:
        if kept.exists():
            raise FileExistsError(str(kept)) from None
        os.rename(key, kept)
        return
    key.unlink()


def create_key(path: Path, passphrase: str) -> bytes:
    """A new key at ``path`` (which must not exist), its private half sealed with ``passphrase``.
    Returns the public key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    _write_new(path, json.dumps(_seal(private, public, passphrase), indent=2) + "\n")
    return public


def _read(path: Path) -> dict[str, Any]:
    from latsar.exchange.files import read_bytes

    try:
        data = json.loads(read_bytes(path, KEY_FILE_LIMIT, "Kunci sertifikat").decode("utf-8"))
        if data.get("format") != "latsar-certificate-key" or data.get("version") != 1:
            raise ValueError
        unb64(data["public"])
        return dict(data)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, binascii.Error):
        raise DataError(f"{path} bukan kunci sertifikat latsar yang utuh.") from None


def public_key(path: Path) -> bytes:
    """The public key of the key file at ``path`` (no passphrase needed)."""
    public = unb64(_read(path)["public"])
    if len(public) != 32:
        raise DataError(f"{path} bukan kunci sertifikat latsar yang utuh.")
    return public


def private_key(path: Path, passphrase: str) -> bytes:
    """The private key of the key file at ``path``, opened with ``passphrase``."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    data, public = _read(path), public_key(path)
    try:
        kdf, cipher = data["kdf"], data["cipher"]
        if kdf.get("name") != "scrypt" or cipher.get("name") != "aes-256-gcm":
            raise ValueError
        salt, nonce, sealed = unb64(kdf["salt"]), unb64(cipher["nonce"]), unb64(cipher["sealed"])
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if not (2**14 <= n <= 2**20 and r == 8 and p == 1):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise DataError(f"{path} bukan kunci sertifikat latsar yang utuh.") from None
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    try:
        private = AESGCM(Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))).decrypt(nonce, sealed, DOMAIN + public)
    except InvalidTag:
        raise UsageError("Kunci sertifikat tidak terbuka dengan kata sandi pengampu ini (kata sandi diganti setelah kunci dibuat, atau berkas kunci diubah).") from None
    if Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != public:
        raise DataError(f"{path}: kunci privat dan kunci publiknya tidak sepasang.")
    return private


def reseal(path: Path, old: str, new: str) -> None:
    """Seal the key at ``path`` with a new passphrase (the same key: certificates stay valid)."""
    from latsar.exchange.files import write_text

    private, public = private_key(path, old), public_key(path)
    write_text(path, json.dumps(_seal(private, public, new), indent=2) + "\n")


# -- checking, for anyone ---------------------------------------------------------------------------


class Verified(Struct, frozen=True):
    """What a code says and whether this key signed it."""

    fields: dict[str, Any]
    valid: bool
    fingerprint: str  # of the key it was checked against
    signed_by: str  # the fingerprint the code names

    def lines(self) -> list[str]:
        """The signed fields, in words, to compare with the printed certificate."""
        f = self.fields
        out = [
            f"Nama: {f.get('name', '-')}",
            f"NIP: {f.get('nip') or '-'}",
            f"Angkatan: {f.get('cohort') or '-'}",
            f"Instansi: {f.get('instansi') or '-'}",
            f"Modul: {f.get('course', '-')} (versi {f.get('course_version', '-')})",
        ]
        for ev in f.get("evaluations", []) if isinstance(f.get("evaluations"), list) else []:
            if isinstance(ev, dict):
                out.append(f"{ev.get('name', '-')}: {ev.get('best', '-')}%, lulus {ev.get('passed_on', '-')}")
        out += [f"Selesai: {f.get('completed_on', '-')}", f"Diterbitkan: {f.get('issued_on', '-')}", f"Nomor: {f.get('serial', '-')}"]
        return out


def verify(given: str, given_key: str | None, key: Path) -> Verified:
    """Check a code, or the certificate PDF at ``given``, against the key file ``key`` (or the
    public key ``given_key`` printed by ``latsar certificate key`` on the instructor's). Needs
    neither the passphrase nor a database: anyone may check a certificate."""
    code = given
    path = Path(given)
    if len(given) < 1000 and path.suffix.lower() == ".pdf":
        from latsar.exchange.files import read_bytes

        found = codes_in_pdf(read_bytes(path, PDF_LIMIT, "Sertifikat"))
        if not found:
            raise DataError(f"{path} tidak memuat kode sertifikat latsar.")
        if len(found) > 1:
            raise DataError(f"{path} memuat lebih dari satu kode sertifikat; berkas ini telah diubah.")
        code = found[0]
    if given_key is not None:
        try:
            public = unb64("".join(given_key.split()))
        except ValueError:
            public = b""
        if len(public) != 32:
            raise UsageError("--key: tulis kunci publik seperti yang dicetak `latsar certificate key` (43 huruf).")
    else:
        if not key.exists():
            raise UsageError(f"Tidak ada kunci sertifikat di {key}: periksa di komputer pengampu yang menerbitkannya, atau beri kunci publiknya dengan --key.")
        public = public_key(key)
    checked = check(code, public)
    ours, signed_by = fingerprint(public), str(checked.fields.get("key", "-"))
    return Verified(checked.fields, checked.valid and signed_by == ours, ours, signed_by)
