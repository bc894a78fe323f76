"""PIN sheets: cards to print on A4 and cut (HTML), or rows for a mail merge (CSV).

Each card names the learner, their PIN, the address of the classroom and a QR code of it, so
a trainee can sign in from their card alone. The page is self-contained: the QR codes are
inline SVG, the styles inline, no script, no font, image or link from anywhere (the room has
no internet). Rendering is pure; the caller writes the text privately (``latsar.exchange.files``).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from msgspec import Struct

from latsar.errors import UsageError
from latsar.exchange.tabular import is_dangerous

CARDS_PER_PAGE = 10  # one A4 page: 2 columns × 5 rows of 95 × 55 mm (STYLE)
FORMATS = {".html": "html", ".htm": "html", ".csv": "csv"}
MAX_ADDRESS = 200  # characters: a URL a trainee can still type, and a QR code a phone reads at a glance
HOW_TO_SIGN_IN = "Masuk dengan NIP atau nomor id + PIN. PIN dapat diganti sendiri setelah masuk (Ctrl+P › Ganti PIN)."


class SheetLine(Struct, frozen=True):
    name: str
    nip: str | None
    learner_id: int
    cohort: str | None
    pin: str


def sheet_format(suffix: str) -> str:
    """``html`` or ``csv`` for a sheet's file name suffix; a usage error for anything else."""
    try:
        return FORMATS[suffix.lower()]
    except KeyError:
        raise UsageError(f"Lembar PIN ditulis sebagai .html (kartu untuk dicetak) atau .csv, bukan '{suffix or 'tanpa akhiran'}'.") from None


def check_address(text: str) -> str:
    """The address printed on the cards: an http(s) URL with a host, ``/`` added when it has no path."""
    text = text.strip()
    example = "mis. --alamat http://192.168.1.20:8000/"
    reason = _address_problem(text)
    if reason:
        raise UsageError(f"Alamat '{text}' tidak dapat dipakai di kartu: {reason}; tulis alamat yang dibuka peserta, {example}.")
    parts = urlsplit(text)
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, parts.fragment))


def _address_problem(text: str) -> str | None:
    if not text:
        return "kosong"
    if len(text) > MAX_ADDRESS:
        return f"terlalu panjang (paling panjang {MAX_ADDRESS} karakter)"
    if any(c.isspace() or not c.isprintable() for c in text):
        return "berisi spasi atau karakter kendali"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return "harus diawali http:// atau https://"
    if not parts.hostname:
        return "nama mesin atau alamat IP-nya tidak ada"
    if parts.username is not None or parts.password is not None:
        return "tidak boleh berisi nama pengguna atau kata sandi"
    try:
        port = parts.port
    except ValueError:
        return "port-nya harus angka 1–65535"
    if port == 0:
        return "port-nya harus angka 1–65535"
    return None


def render_sheet(fmt: str, title: str, lines: Sequence[SheetLine], address: str) -> str:
    """The whole sheet as text: CSV (with a BOM, for Excel) or a printable HTML page."""
    address = check_address(address)
    if fmt == "csv":
        return _csv(lines, address)
    return _html(title, lines, address)


def _csv(lines: Sequence[SheetLine], address: str) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["nama", "nip", "id", "angkatan", "pin", "alamat"])
    for line in lines:
        writer.writerow([_cell(line.name), line.nip or "", line.learner_id, _cell(line.cohort or ""), line.pin, address])
    return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if is_dangerous(text) else text


def qr_svg(address: str) -> str:
    """A QR code of ``address`` as inline SVG that scales to its box (never a Micro QR: phones
    do not read those)."""
    import segno  # only when a sheet is made

    code = segno.make_qr(address, error="m")
    return str(code.svg_inline(omitsize=True, border=4, svgclass="qr", lineclass=None, title=address))


STYLE = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000; background: #d9d9d9; }
header { width: 210mm; margin: 8mm auto 4mm; font-size: 11pt; }
header h1 { font-size: 15pt; margin: 0 0 2mm; }
header p { margin: 0; }
.page { width: 210mm; min-height: 297mm; margin: 0 auto 8mm; padding: 10mm; background: #fff;
        box-shadow: 0 1mm 3mm rgba(0, 0, 0, 0.3); }
.grid { display: grid; grid-template-columns: repeat(2, 95mm); grid-template-rows: repeat(5, 55mm); }
.card { position: relative; overflow: hidden; padding: 3.5mm 4mm; outline: 0.3mm dashed #777;
        outline-offset: -0.15mm; break-inside: avoid; page-break-inside: avoid;
        display: grid; grid-template-columns: 1fr 27mm; grid-template-rows: auto auto 1fr auto;
        column-gap: 3mm; grid-template-areas: "name qr" "who qr" "pin qr" "where where"; }
.name { grid-area: name; font-size: 11pt; font-weight: bold; line-height: 1.2; overflow-wrap: anywhere; }
.name.long { font-size: 9.5pt; } .name.longer { font-size: 8.5pt; }
.who { grid-area: who; font-size: 8.5pt; line-height: 1.3; margin-top: 1mm; overflow-wrap: anywhere; }
.pin { grid-area: pin; align-self: center; font: bold 17pt "DejaVu Sans Mono", "Courier New", monospace;
       letter-spacing: 0.12em; white-space: nowrap; }
.qr { grid-area: qr; width: 27mm; height: 27mm; }
.where { grid-area: where; font-size: 8pt; line-height: 1.3; }
.url { font: bold 9.5pt "DejaVu Sans Mono", "Courier New", monospace; overflow-wrap: anywhere; }
.how { margin-top: 0.5mm; color: #222; }
@media print {
  body { background: none; }
  header { display: none; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; break-after: page; page-break-after: always; }
  .page:last-child { break-after: auto; page-break-after: auto; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style></head><body>
<header><h1>{title}</h1>
<p>{count} kartu, {pages} halaman A4 ({per_page} kartu per halaman). Cetak dengan skala 100% (bukan "sesuaikan dengan halaman"),
lalu gunting di garis putus-putus. Alamat kelas di setiap kartu: <span class="url">{address}</span></p></header>
{body}
</body></html>
"""

CARD = """<article class="card">
<div class="{name_class}">{name}</div>
<div class="who">NIP: {nip}<br>Id: {id}<br>Angkatan: {cohort}</div>
<div class="pin">PIN {pin}</div>
{qr}
<div class="where">Buka di browser: <span class="url">{address}</span><div class="how">{how}</div></div>
</article>"""


def _name_class(name: str) -> str:
    """A smaller type for a long name, so that the whole of it fits in three lines."""
    return "name" if len(name) <= 36 else "name long" if len(name) <= 60 else "name longer"


def _html(title: str, lines: Sequence[SheetLine], address: str) -> str:
    qr = qr_svg(address)
    url = html.escape(address)
    cards = [
        CARD.format(
            name=html.escape(line.name), name_class=_name_class(line.name), nip=html.escape(line.nip or "-"), id=line.learner_id,
            cohort=html.escape(line.cohort or "-"), pin=html.escape(line.pin), qr=qr, address=url,
            how=html.escape(HOW_TO_SIGN_IN),
        )
        for line in lines
    ]
    pages = [cards[i:i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    body = "\n".join('<section class="page"><div class="grid">\n' + "\n".join(page) + "\n</div></section>" for page in pages)
    return PAGE.format(
        title=html.escape(title), style=STYLE, count=len(cards), pages=len(pages), per_page=CARDS_PER_PAGE,
        address=url, body=body,
    )
