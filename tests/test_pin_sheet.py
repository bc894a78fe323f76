"""The PIN sheet a room can use: cards to print on A4 and cut, each saying where to open the
class (in text and as a QR code), for a cohort or for one late arrival; and its CSV twin."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import pytest

from latsar.services import open_services
from tests.browser import CHROMIUM, chromium_unavailable

ANI, BUDI, CITRA = "199001012020122001", "199203152019031004", "199507232020122002"
ADDRESS = "http://192.168.1.20:8000/"


def register(cli, people) -> None:
    for name, nip in people:
        args = ["learner", "add", "--name", name, "--cohort", "Angkatan 7"]
        assert cli(*args, *(["--nip", nip] if nip else []))[0] == 0


def cards(page: str) -> list[str]:
    return re.findall(r'<article class="card">.*?</article>', page, re.S)


def pin_of(card: str) -> str:
    found = re.findall(r'<div class="pin">PIN (\d{6})</div>', card)
    assert len(found) == 1
    return found[0]


def svg_modules(card: str) -> tuple[int, set[tuple[int, int]]]:
    """The dark modules an inline segno SVG draws: horizontal runs along each row's middle."""
    (svg,) = re.findall(r"<svg\b.*?</svg>", card, re.S)
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    (d,) = re.findall(r'<path[^>]* d="([^"]+)"', svg)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    tokens = re.findall(r"[Mmh]|-?\d+(?:\.\d+)?", d)
    i = 0
    while i < len(tokens):
        op = tokens[i]
        if op == "M":
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            i += 3
        elif op == "m":
            x, y = x + float(tokens[i + 1]), y + float(tokens[i + 2])
            i += 3
        else:
            run = float(tokens[i + 1])
            dark |= {(int(y), int(x) + k) for k in range(int(run))}
            x += run
            i += 2
    return size, dark


def qr_modules(address: str) -> tuple[int, set[tuple[int, int]]]:
    """The QR code of ``address`` as segno makes it (version and error level chosen alike)."""
    import segno

    rows = list(segno.make_qr(address, error="m").matrix_iter(border=4))
    return len(rows), {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v}


def test_a_cohort_sheet_prints_ten_cards_to_an_a4_page_and_every_pin_works(cli, tmp_path):
    people = [(f"Peserta {i}", None) for i in range(1, 24)]
    register(cli, people)
    sheet = tmp_path / "pin.html"
    code, out, _ = cli("learner", "pins", "--cohort", "angkatan 7", "--alamat", ADDRESS, "-o", str(sheet))
    assert code == 0 and "23 PIN baru" in out and ADDRESS in out
    page = sheet.read_text(encoding="utf-8")
    assert sheet.stat().st_mode & 0o777 == 0o600
    assert re.search(r"@page\s*\{\s*size:\s*A4", page)
    assert "grid-template-columns: repeat(2, 95mm)" in page and "grid-template-rows: repeat(5, 55mm)" in page
    assert re.search(r"\.card \{[^}]*break-inside: avoid", page)  # a card never splits across pages
    assert "dashed" in page  # cut lines
    pages = re.findall(r'<section class="page">(.*?)</section>', page, re.S)
    assert [len(cards(p)) for p in pages] == [10, 10, 3]
    svc = open_services()
    for i, card in enumerate(cards(page), start=1):
        assert f"Id: {i}<br>" in card and "Angkatan: Angkatan 7" in card
        assert svc.login(str(i), pin_of(card)).id == i
    with svc.db.read() as s:
        from latsar.storage.models import LearnerPin

        assert all(pin_of(c) not in s.get(LearnerPin, 1).digest for c in cards(page))  # only hashes are kept


def test_each_card_says_where_to_open_the_class_and_its_qr_code_is_that_address(cli, tmp_path):
    register(cli, [("Ani Lestari", ANI), ("Budi Santoso", BUDI)])
    sheet = tmp_path / "pin.html"
    assert cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", "https://Kelas.example:8443", "-o", str(sheet))[0] == 0
    address = "https://Kelas.example:8443/"  # the path a browser would add
    found = cards(sheet.read_text(encoding="utf-8"))
    assert len(found) == 2
    for card, (name, nip) in zip(found, [("Ani Lestari", ANI), ("Budi Santoso", BUDI)]):
        assert name in card and f"NIP: {nip}" in card
        assert f'Buka di browser: <span class="url">{address}</span>' in card
        assert "Masuk dengan NIP atau nomor id + PIN. PIN dapat diganti sendiri setelah masuk" in card
        assert svg_modules(card) == qr_modules(address)


def test_the_address_by_default_is_the_one_latsar_serve_prints(cli, tmp_path, monkeypatch):
    from latsar.server import addresses
    from latsar.server.web import banner

    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["10.1.2.3", "172.16.0.9"])
    register(cli, [("Ani Lestari", ANI)])
    sheet = tmp_path / "pin.html"
    code, out, err = cli("learner", "pins", "--cohort", "Angkatan 7", "-o", str(sheet))
    served = banner("0.0.0.0", 8000, False, "-", 40, 30)[2].strip()  # the first address the server announces
    assert code == 0 and served == "http://10.1.2.3:8000/" and f"Alamat di kartu: {served}" in out and not err
    (card,) = cards(sheet.read_text(encoding="utf-8"))
    assert f'<span class="url">{served}</span>' in card and svg_modules(card) == qr_modules(served)
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])  # no network at all: say so
    code, out, err = cli("learner", "pins", "--cohort", "Angkatan 7", "-o", str(sheet))
    assert code == 0 and "http://localhost:8000/" in out and "--alamat" in err and "hanya terbuka di mesin ini" in err


def test_a_late_arrival_gets_a_card_and_everyone_else_keeps_their_pin(cli, tmp_path):
    register(cli, [("Ani Lestari", ANI), ("Budi Santoso", BUDI), ("Citra Dewi", CITRA), ("Dodi", None)])
    sheet, late = tmp_path / "pin.html", tmp_path / "kartu.html"
    assert cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(sheet))[0] == 0
    before = [pin_of(c) for c in cards(sheet.read_text(encoding="utf-8"))]
    code, out, err = cli("learner", "pins", "--learner", BUDI, "--learner", "2", "--learner", "4", "--alamat", ADDRESS, "-o", str(late))
    assert code == 0 and not err and "PIN peserta lain tidak berubah" in out
    assert late.stat().st_mode & 0o777 == 0o600
    page = late.read_text(encoding="utf-8")
    budi, dodi = cards(page)  # Budi named twice (NIP and id): one card
    assert "Budi Santoso" in budi and f"NIP: {BUDI}" in budi and "Id: 4<br>" in dodi and ADDRESS in budi
    assert svg_modules(budi) == qr_modules(ADDRESS)
    svc = open_services()
    assert svc.login(ANI, before[0]).id == 1 and svc.login(CITRA, before[2]).id == 3  # untouched
    assert svc.login(BUDI, pin_of(budi)).id == 2 and svc.login("4", pin_of(dodi)).id == 4
    assert not svc.pins.check(2, before[1]) and not svc.pins.check(4, before[3])  # their old PINs are gone


@pytest.mark.parametrize(
    "args",
    [
        ["--cohort", "Angkatan 7", "--learner", ANI],  # both
        [],  # neither
    ],
)
def test_cohort_or_learner_exactly_one(cli, tmp_path, args):
    register(cli, [("Ani Lestari", ANI)])
    open_services().pins.set(1, "123456")
    sheet = tmp_path / "pin.html"
    code, _, err = cli("learner", "pins", *args, "--alamat", ADDRESS, "-o", str(sheet))
    assert code == 2 and "Pilih satu: --cohort ANGKATAN" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not sheet.exists() and open_services().pins.check(1, "123456")


@pytest.mark.parametrize(
    "alamat, said",
    [
        ("ftp://192.168.1.20/", "harus diawali http:// atau https://"),
        ("192.168.1.20:8000", "harus diawali http:// atau https://"),
        ("http://", "nama mesin atau alamat IP-nya tidak ada"),
        ("http://:8000/", "nama mesin atau alamat IP-nya tidak ada"),
        ("http://192.168.1.20:99999/", "port-nya harus angka 1–65535"),
        ("http://192.168.1.20:abc/", "port-nya harus angka 1–65535"),
        ("http://kelas lantai2/", "berisi spasi"),
        ("http://guru:rahasia@192.168.1.20/", "tidak boleh berisi nama pengguna atau kata sandi"),
        ("http://192.168.1.20/" + "a" * 200, "terlalu panjang"),
        ("", "kosong"),
    ],
)
def test_a_bad_address_is_refused_before_any_pin_changes(cli, tmp_path, alamat, said):
    register(cli, [("Ani Lestari", ANI)])
    open_services().pins.set(1, "123456")
    sheet = tmp_path / "pin.html"
    code, out, err = cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", alamat, "-o", str(sheet))
    assert code == 2 and said in err and "mis. --alamat http://192.168.1.20:8000/" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and not out
    assert not sheet.exists() and open_services().pins.check(1, "123456")


def test_names_are_escaped_and_the_csv_gains_the_address(cli, tmp_path):
    name = """Ani "Si <script>alert('x')</script>" & Co"""
    register(cli, [(name, ANI), ("=HYPERLINK(\"http://x\")", None)])
    sheet = tmp_path / "pin.html"
    assert cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(sheet))[0] == 0
    page = sheet.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Ani &quot;Si" in page and "&amp; Co" in page
    table = tmp_path / "pin.csv"
    assert cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(table))[0] == 0
    assert table.stat().st_mode & 0o777 == 0o600
    rows = list(csv.reader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["nama", "nip", "id", "angkatan", "pin", "alamat"]
    assert rows[1][0] == name and rows[1][5] == ADDRESS and rows[2][0].startswith("'=")  # no live formula
    svc = open_services()
    assert svc.login(ANI, rows[1][4]).id == 1 and svc.login("2", rows[2][4]).id == 2


def test_an_unknown_sheet_format_is_refused(cli, tmp_path):
    register(cli, [("Ani Lestari", ANI)])
    code, _, err = cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(tmp_path / "pin.pdf"))
    assert code == 2 and ".html" in err and ".csv" in err and not (tmp_path / "pin.pdf").exists()


def test_a_sheet_that_cannot_be_written_leaves_every_old_pin_working(cli, tmp_path, monkeypatch):
    import errno

    from latsar.exchange import files

    register(cli, [("Ani Lestari", ANI), ("Budi Santoso", BUDI)])
    svc = open_services()
    svc.pins.set(1, "123456")
    svc.pins.set(2, "654321")
    sheet = tmp_path / "pin.html"

    def no_room(path):  # the folder takes no new file: full, or not writable
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "private_sibling", no_room)
    code, _, err = cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(sheet))
    assert code == 4 and "tidak dapat ditulis" in err and "Traceback" not in err and not sheet.exists()
    assert svc.pins.check(1, "123456") and svc.pins.check(2, "654321")  # no PIN issued that nobody can read


# -- The printed page, in Chromium -----------------------------------------------------------------

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def _print_tools_missing() -> str | None:
    for tool, package in (("zbarimg", "zbar-tools"), ("pdftoppm", "poppler-utils")):
        if shutil.which(tool) is None:
            return f"Debian's {package} is not installed ({tool}; .ci/run installs it)"
    return chromium_unavailable()


@pytest.mark.skipif(_print_tools_missing() is not None, reason=_print_tools_missing() or "")
def test_the_printed_sheet_has_ten_cards_a_page_whose_qr_codes_open_the_class_and_asks_nothing_of_the_network(cli, tmp_path):
    from playwright.sync_api import sync_playwright

    register(cli, [(f"Peserta {i}", None) for i in range(1, 13)])
    sheet = tmp_path / "pin.html"
    assert cli("learner", "pins", "--cohort", "Angkatan 7", "--alamat", ADDRESS, "-o", str(sheet))[0] == 0
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.goto(sheet.as_uri(), wait_until="networkidle")
            page.emulate_media(media="print")
            boxes = page.eval_on_selector_all(".card", "cs => cs.map(c => [c.scrollHeight <= c.clientHeight, c.scrollWidth <= c.clientWidth])")
            pdf = page.pdf(prefer_css_page_size=True, print_background=False)
        finally:
            browser.close()
    assert requested == [sheet.as_uri()]  # the page alone: no font, image, script or style from anywhere
    assert len(boxes) == 12 and all(fits for box in boxes for fits in box)  # nothing overflows its card
    (tmp_path / "pin.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(tmp_path / "pin.pdf"), str(tmp_path / "halaman")], check=True)
    pages = sorted(tmp_path.glob("halaman-*.png"))
    assert len(pages) == 2  # 12 cards: 10 on the first A4 page, 2 on the second
    info = subprocess.run(["pdfinfo", str(tmp_path / "pin.pdf")], capture_output=True, text=True).stdout
    assert "(A4)" in info
    for png, expected in zip(pages, (10, 2)):
        seen = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.split()
        assert seen == [ADDRESS] * expected, png.name

