"""NIP (Nomor Induk Pegawai) validation. Pure.

18 digits: birth date (YYYYMMDD), appointment month (YYYYMM), sex (1 or 2), sequence (3).
Spaces are accepted and removed ("19690512 198903 2 009" is how NIPs are often written).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from latsar.errors import UsageError


def normalize_nip(raw: str) -> str:
    """The NIP as 18 digits, or UsageError with the reason. Spaces and invisible format
    characters (a BOM, a zero-width space, a direction mark: Unicode's Cf, which a
    spreadsheet or a copy from a web page leaves in a cell) are dropped."""
    nip = "".join(ch for ch in "".join(raw.split()) if unicodedata.category(ch) != "Cf")
    ascii_digits = nip.isascii() and nip.isdigit()  # "١" is a digit too, but not a NIP's
    if not ascii_digits or len(nip) != 18:
        if not ascii_digits:
            raise UsageError(f"NIP '{nip}' tidak sah: NIP hanya berisi angka (18 angka).")
        raise UsageError(f"NIP '{nip}' tidak sah: NIP harus 18 angka, bukan {len(nip)}.")
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise UsageError(f"NIP '{nip}' tidak sah: 8 angka pertama harus tanggal lahir (TTTTBBHH), bukan {nip[0:8]}.") from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise UsageError(f"NIP '{nip}' tidak sah: angka ke-9 sampai ke-14 harus bulan pengangkatan (TTTTBB), bukan {nip[8:14]}.")
    if (year, month) < (born.year, born.month) or year > date.today().year + 1:
        raise UsageError(f"NIP '{nip}' tidak sah: bulan pengangkatan {nip[8:14]} tidak mungkin untuk tanggal lahir {nip[0:8]}.")
    if born > date.today():
        raise UsageError(f"NIP '{nip}' tidak sah: tanggal lahir {nip[0:8]} ada di masa depan.")
    if nip[14] not in "12":
        raise UsageError(f"NIP '{nip}' tidak sah: angka ke-15 adalah kode jenis kelamin (1 atau 2), bukan {nip[14]}.")
    if nip[15:18] == "000":
        raise UsageError(f"NIP '{nip}' tidak sah: nomor urut (3 angka terakhir) tidak boleh 000.")
    return nip
