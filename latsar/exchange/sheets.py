"""PIN sheets: to print and cut (HTML), or for a mail merge (CSV). Written privately."""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from latsar.exchange.files import open_text


@dataclass(frozen=True)
class SheetLine:
    name: str
    nip: str | None
    learner_id: int
    cohort: str | None
    pin: str


PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>PIN latsar — {cohort}</title>
<style>
body {{ font-family: sans-serif; margin: 1cm; }}
.card {{ display: inline-block; width: 8.5cm; margin: 0 0.3cm 0.4cm 0; padding: 0.3cm 0.4cm;
        border: 1px dashed #555; vertical-align: top; page-break-inside: avoid; }}
.name {{ font-weight: bold; }} .pin {{ font: bold 18pt monospace; letter-spacing: 0.15em; }}
.note {{ font-size: 9pt; color: #333; }}
</style></head><body>
<h1>PIN latsar — {cohort}</h1>
<p class="note">Gunting per kartu. Masuk dengan NIP (atau nomor id) dan PIN. PIN dapat diganti sendiri setelah masuk.</p>
{cards}
</body></html>
"""

CARD = """<div class="card"><div class="name">{name}</div><div>NIP: {nip}</div><div>Id: {id}</div><div class="pin">PIN {pin}</div></div>"""


def write_sheet(path: Path, cohort: str, lines: Sequence[SheetLine]) -> None:
    """A CSV for ``.csv``, otherwise a printable HTML page; created 0600, atomically."""
    with open_text(path) as out:
        if path.suffix.lower() == ".csv":
            out.write("\ufeff")
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(["nama", "nip", "id", "angkatan", "pin"])
            for line in lines:
                writer.writerow([line.name, line.nip or "", line.learner_id, line.cohort or "", line.pin])
            return
        cards = "\n".join(
            CARD.format(name=html.escape(line.name), nip=html.escape(line.nip or "-"), id=line.learner_id, pin=line.pin) for line in lines
        )
        out.write(PAGE.format(cohort=html.escape(cohort), cards=cards))
