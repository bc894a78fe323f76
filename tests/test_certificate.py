"""Certificates of completion (issue 20): signed with the instructor's Ed25519 key, sealed behind
the passphrase; any altered field fails verification, offline; the PDF carries the code, the QR
and the key's fingerprint."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from latsar.errors import DataError, UsageError
from latsar.exchange import certificate as codes
from latsar.paths import certificate_key
from tests.helpers import MP1_KEY, MP2_KEY, take

NIP = "199001012020122001"
PASS = "rahasia-pengampu"


@pytest.fixture
def db(svc, tmp_path, monkeypatch):
    """Ani passed both evaluations; Budi failed MP1. The passphrase is set (and given, as a script gives it)."""
    from latsar.errors import Blocked

    ani = svc.learners.add("Ani Rahmawati, S.Kom.", NIP, "Angkatan 7", "BKD Provinsi Kalimantan Timur")
    budi = svc.learners.add("Budi", None, "Angkatan 7")
    me = svc.trainee(ani.id)
    take(me, "mp1", MP1_KEY)
    for s in svc.course.sections:
        with contextlib.suppress(Blocked):
            me.reading.complete(s.id)
    take(me, "mp2", MP2_KEY)
    take(svc.trainee(budi.id), "mp1", "bccbacaaaa")
    svc.passphrase.set(PASS)
    svc.close()
    monkeypatch.setenv("LATSAR_PASSPHRASE", PASS)
    return str(tmp_path / "latsar.db")


def issue(cli, db: str, out: Path, ref: str = NIP) -> dict:
    code, text, err = cli("--db", db, "certificate", ref, "-o", str(out), "--json")
    assert code == 0, err
    return dict(json.loads(text))


def recode(code: str, change) -> str:
    """``code`` with its fields changed by ``change`` and its signature kept."""
    prefix, payload, signature = code.split(".")
    fields = json.loads(codes.unb64(payload))
    change(fields)
    return f"{prefix}.{codes.b64(codes.canonical(fields))}.{signature}"


def test_a_certificate_says_who_passed_and_verifies_offline(cli, db, tmp_path):
    out = tmp_path / "ani.pdf"
    issued = issue(cli, db, out)
    fields, code = issued["fields"], issued["code"]
    assert (fields["name"], fields["nip"], fields["cohort"], fields["instansi"]) == ("Ani Rahmawati, S.Kom.", NIP, "Angkatan 7", "BKD Provinsi Kalimantan Timur")
    assert [(e["id"], e["best"]) for e in fields["evaluations"]] == [("mp1", 100), ("mp2", 100)]
    assert fields["key"] == issued["key"] == codes.fingerprint(codes.public_key(certificate_key()))
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout.split())
        for said in ("SERTIFIKAT", "Ani Rahmawati, S.Kom.", f"NIP {NIP}", "BKD Provinsi Kalimantan Timur", "Berorientasi Pelayanan", "Evaluasi MP1 100%", fields["key"], fields["serial"]):
            assert said in text, said
    # The code, the file, and the QR code all verify.
    code_ok, said, _ = cli("certificate", "verify", code)
    assert code_ok == 0 and "Sertifikat ASLI" in said and "Nama: Ani Rahmawati, S.Kom." in said and "Evaluasi MP2: 100%" in said
    assert cli("certificate", "verify", str(out))[0] == 0
    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "200", str(out), str(tmp_path / "page")], check=True)
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True).stdout.strip()
        assert scanned == code


CHANGES = [
    lambda f: f.update(name="Ani Rahmawati, S.Kom., M.Si."),
    lambda f: f.update(nip="199001012020122002"),
    lambda f: f.update(cohort="Angkatan 8"),
    lambda f: f.update(instansi="BKN"),
    lambda f: f.update(course="Nasionalisme"),
    lambda f: f["evaluations"][0].update(best=99),
    lambda f: f["evaluations"][1].update(passed_on="2026-01-01"),
    lambda f: f.update(completed_on="2025-12-31"),
    lambda f: f.update(issued_on="2025-12-31"),
    lambda f: f.update(serial="0000000000000000"),
    lambda f: f.update(extra="ditambahkan"),
    lambda f: f.pop("instansi"),
]


def test_any_altered_field_fails(cli, db, tmp_path):
    code = issue(cli, db, tmp_path / "ani.pdf")["code"]
    for change in CHANGES:
        altered = recode(code, change)
        assert altered != code
        exit_code, out, err = cli("certificate", "verify", altered)
        assert exit_code == 1 and "TIDAK SAH" in err and "ASLI" not in out
    # The same bytes spelled another way (the signature's last letter differing only in unused
    # bits) is another code, not a second spelling of this one.
    import base64
    import string

    alphabet = string.ascii_letters + string.digits + "-_"
    same = [code[:-1] + ch for ch in alphabet if ch != code[-1]
            and base64.urlsafe_b64decode(code.split(".")[-1][:-1] + ch + "==") == base64.urlsafe_b64decode(code.split(".")[-1] + "==")]
    assert same  # 64 bytes in 86 letters: the last one carries 4 unused bits
    for twin in same:
        exit_code, out, err = cli("certificate", "verify", twin)
        assert exit_code != 0 and "ASLI" not in out and "Traceback" not in err


def test_a_forged_signature_another_key_or_a_doctored_file_fails(cli, db, tmp_path):
    out = tmp_path / "ani.pdf"
    code = issue(cli, db, out)["code"]
    prefix, payload, signature = code.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert cli("certificate", "verify", f"{prefix}.{payload}.{flipped}")[0] == 1
    # The same fields signed by another key (someone else's latsar) do not pass for this instructor's.
    other = tmp_path / "lain.json"
    codes.create_key(other, "kata-sandi-lain")
    forged = codes.sign(codes.private_key(other, "kata-sandi-lain"), json.loads(codes.unb64(payload)))
    assert cli("certificate", "verify", forged)[0] == 1
    # Broken codes are said to be broken, not valid.
    for broken in (code[:-5], "LATSAR1.abc", "bukan kode"):
        exit_code, _, err = cli("certificate", "verify", broken)
        assert exit_code != 0 and "ASLI" not in err
    # A PDF whose code was swapped for an altered one fails; one with two codes is refused.
    pdf = out.read_bytes()
    altered = recode(code, lambda f: f.update(name="Orang Lain"))
    doctored = tmp_path / "diubah.pdf"
    doctored.write_bytes(pdf.replace(code.encode(), altered.encode()))
    assert cli("certificate", "verify", str(doctored))[0] == 1
    doctored.write_bytes(pdf.replace(code.encode(), altered.encode(), 1))
    exit_code, _, err = cli("certificate", "verify", str(doctored))
    assert exit_code != 0 and "lebih dari satu kode" in err


def test_the_key_stays_with_the_instructor(cli, db, tmp_path, monkeypatch):
    first = issue(cli, db, tmp_path / "a.pdf")
    key = certificate_key()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) & 0o077 == 0
    private = codes.private_key(key, PASS)
    stored = key.read_bytes()
    assert private not in stored and codes.b64(private).encode() not in stored  # sealed, never in the clear
    with pytest.raises(UsageError, match="tidak terbuka"):
        codes.private_key(key, "tebakan-salah")
    with pytest.raises(codes.KeyExists, match="sudah ada"):  # never replaced: old certificates would all fail
        codes.create_key(key, PASS)
    assert key.read_bytes() == stored
    # Checking needs neither the passphrase nor the database: on another machine, with the public key.
    public = json.loads(cli("--db", db, "certificate", "key", "--json")[1])
    assert public["fingerprint"] == first["key"]
    monkeypatch.delenv("LATSAR_PASSPHRASE")
    monkeypatch.setenv("LATSAR_HOME", str(tmp_path / "komputer-lain"))
    exit_code, _, err = cli("certificate", "verify", first["code"])
    assert exit_code != 0 and "--key" in err
    assert cli("certificate", "verify", first["code"], "--key", public["public_key"])[0] == 0
    assert not (tmp_path / "komputer-lain").exists() or not any((tmp_path / "komputer-lain").iterdir())
    # A new passphrase seals the same key: old certificates stay valid, new ones are signed alike.
    monkeypatch.setenv("LATSAR_HOME", str(key.parent))
    code, out, err = cli("--db", db, "instructor", "passphrase", input=f"{PASS}\npengampu-baru\npengampu-baru\n")
    assert code == 0 and "Kunci sertifikat kini dikunci dengan kata sandi baru" in out, err
    monkeypatch.setenv("LATSAR_PASSPHRASE", "pengampu-baru")
    assert issue(cli, db, tmp_path / "b.pdf")["key"] == first["key"]
    assert cli("certificate", "verify", first["code"])[0] == 0


def test_a_key_that_has_gone_is_said_never_quietly_replaced(cli, db, tmp_path, monkeypatch):
    """The key file moved away, a removable disk not plugged in, a mistyped LATSAR_CERTIFICATE_KEY:
    a new key made quietly would make every certificate issued so far fail. Refused, with where to
    look; a new key only when asked for, the old one kept beside it."""
    first = issue(cli, db, tmp_path / "a.pdf")
    key = certificate_key()
    away = tmp_path / "dipindah.json"
    key.rename(away)
    code, _, err = cli("--db", db, "certificate", NIP, "-o", str(tmp_path / "b.pdf"))
    assert code == 2 and f"Kunci sertifikat tidak ada di {key}" in err and first["key"] in err, err
    assert "certificate key --new" in err and "Traceback" not in err
    assert not key.exists() and not (tmp_path / "b.pdf").exists()
    code, _, err = cli("--db", db, "certificate", "key")
    assert code == 2 and "Kunci sertifikat tidak ada" in err
    # A mistyped folder: refused, and nothing made there.
    monkeypatch.setenv("LATSAR_CERTIFICATE_KEY", str(tmp_path / "usb-tak-terpasang" / "kunci.json"))
    code, _, err = cli("--db", db, "certificate", NIP, "-o", str(tmp_path / "b.pdf"))
    assert code == 2 and "Kunci sertifikat tidak ada" in err
    assert not (tmp_path / "usb-tak-terpasang").exists()
    # Another key in its place is not this database's key either.
    other = tmp_path / "lain.json"
    codes.create_key(other, PASS)
    monkeypatch.setenv("LATSAR_CERTIFICATE_KEY", str(other))
    code, _, err = cli("--db", db, "certificate", NIP, "-o", str(tmp_path / "b.pdf"))
    assert code == 2 and "bukan kunci yang menandatangani" in err and not (tmp_path / "b.pdf").exists()
    # Put back where it was: signs as before.
    monkeypatch.delenv("LATSAR_CERTIFICATE_KEY")
    away.rename(key)
    assert issue(cli, db, tmp_path / "b.pdf")["key"] == first["key"]
    old_public = json.loads(cli("--db", db, "certificate", "key", "--json")[1])["public_key"]
    # Asked for: a new key, the old file kept, old certificates checked with the old public key.
    code, out, err = cli("--db", db, "certificate", "key", "--new")
    assert code == 0, err
    assert "Kunci sertifikat baru dibuat" in out and first["key"] in out
    kept = [p for p in key.parent.iterdir() if p.name.startswith(f"{key.stem}-lama-")]
    assert len(kept) == 1 and codes.fingerprint(codes.public_key(kept[0])) == first["key"]
    second = issue(cli, db, tmp_path / "c.pdf")
    assert second["key"] != first["key"]
    assert cli("certificate", "verify", second["code"])[0] == 0
    assert cli("certificate", "verify", first["code"])[0] == 1
    assert cli("certificate", "verify", first["code"], "--key", old_public)[0] == 0


def test_a_new_key_on_a_disk_without_hard_links_keeps_the_old_one_too(cli, db, tmp_path, monkeypatch):
    """FAT or exFAT (a removable disk, where the README suggests keeping the key) has no hard
    links: the old key is renamed aside instead, still never over another file."""
    first = issue(cli, db, tmp_path / "a.pdf")

    def no_links(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(codes.os, "link", no_links)
    code, out, err = cli("--db", db, "certificate", "key", "--new")
    assert code == 0, err
    key = certificate_key()
    kept = [p for p in key.parent.iterdir() if p.name.startswith(f"{key.stem}-lama-")]
    assert len(kept) == 1 and codes.fingerprint(codes.public_key(kept[0])) == first["key"]
    assert codes.fingerprint(codes.public_key(key)) != first["key"]


def test_only_for_who_passed_and_only_behind_the_passphrase(cli, db, tmp_path, svc, monkeypatch):
    code, _, err = cli("--db", db, "certificate", "2", "-o", str(tmp_path / "budi.pdf"))
    assert code != 0 and "Budi belum lulus Evaluasi MP1, Evaluasi MP2" in err and not (tmp_path / "budi.pdf").exists()
    fresh = tmp_path / "baru.db"
    from latsar.services import open_services

    other = open_services(fresh)
    me = other.learners.add("Cici", NIP)
    take(other.trainee(me.id), "mp1", MP1_KEY)
    other.close()
    code, _, err = cli("--db", str(fresh), "certificate", NIP, "-o", str(tmp_path / "c.pdf"))
    assert code != 0 and "latsar instructor passphrase" in err
    assert not certificate_key().exists()


def test_codes_in_a_pdf_are_found_and_nothing_else():
    good = "LATSAR1." + "A" * 40 + "." + "B" * 86
    assert codes.codes_in_pdf(b"/Keywords (" + good.encode() + b")") == [good]
    assert codes.codes_in_pdf(b"LATSAR1.abc.def") == []
    with pytest.raises(DataError):
        codes.check("LATSAR1.!!!." + "B" * 86, os.urandom(32))


def test_checking_needs_no_database_and_imports_none_of_it(tmp_path):
    """`certificate verify` opens no database (there may be none where a certificate is checked)
    and, as DESIGN.md asks of a command that does not need them, imports no SQLAlchemy."""
    import sys

    key = tmp_path / "kunci.json"
    codes.create_key(key, PASS)
    code = codes.sign(codes.private_key(key, PASS), {"name": "Ani", "key": codes.fingerprint(codes.public_key(key))})
    probe = (
        "import sys\nfrom latsar.cli import main\nrc = main(['certificate', 'verify', sys.argv[1]])\n"
        "print(rc, sorted(m for m in ('sqlalchemy', 'sqlmodel', 'textual', 'openpyxl', 'alembic', 'typst') if m in sys.modules))"
    )
    env = {**os.environ, "LATSAR_CERTIFICATE_KEY": str(key), "LATSAR_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", probe, code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert not (tmp_path / "home").exists()
