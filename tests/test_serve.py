"""The classroom server as trainees and an instructor meet it: a real `latsar serve`, Debian's
Chromium driven by Playwright, the screen read back from what the browser received.

One server serves the whole module (starting one costs seconds); each test signs in its own
people, so the tests do not lean on one another.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from latsar.services import open_services
from latsar.storage.models import utcnow
from tests.browser import CHROMIUM, Classroom, Phone, Terminal, chromium_unavailable, class_db
from tests.conftest import Clock
from tests.helpers import MP1_KEY, read_through

# The classroom's servers run one at a time, on one test worker (pytest -n 2 --dist loadgroup):
# two at once on two cores would time each other out.
pytestmark = [pytest.mark.skipif(chromium_unavailable() is not None, reason=chromium_unavailable() or ""), pytest.mark.xdist_group("server")]

PASSPHRASE = "rahasia-pengampu"
PEOPLE = {  # name, NIP, PIN
    "ani": ("Ani Lestari", "199001012020122001", "123456"),
    "budi": ("Budi Santoso", "199203152019031004", "654321"),
    "citra": ("Citra Dewi", "199405202020122002", "111222"),
    "dodi": ("Dodi Pratama", "199107072019031005", "333444"),
    "eka": ("Eka Putri", "199509092020122003", "555666"),
    "fajar": ("Fajar Nugroho", "199302022019031006", "777888"),
    "gita": ("Gita Maharani", "199610102020122004", "246802"),
    "hana": ("Hana Safitri", "199708082020122005", "135791"),
    "ika": ("Ika Wulandari", "199811112020122006", "192837"),
}
MP2_LOCKED = "Evaluasi Materi Pokok 2  terkunci"  # its row on the module map
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, int]]]:
    home = tmp_path_factory.mktemp("kelas")
    db = home / "kelas.db"
    clock = Clock(utcnow() - timedelta(days=1))  # read yesterday, each section in the time it needs
    svc = open_services(db, clock=clock)
    ids = {}
    for key, (name, nip, pin) in PEOPLE.items():
        learner = svc.learners.add(name, nip, "Angkatan 7")
        svc.pins.set(learner.id, pin)
        ids[key] = learner.id
        if key in ("ani", "budi", "citra", "gita"):  # they have read up to the evaluation: "n" opens it
            me = svc.trainee(learner.id)
            for section in svc.course.sections:
                if section.id == "mp1-umpan-balik":
                    break
                read_through(me, section.id, clock)
    svc.passphrase.set(PASSPHRASE)
    svc.close()
    yield db, ids


@pytest.fixture(scope="module")
def server(place: tuple[Path, dict[str, int]]) -> Iterator[Classroom]:
    db, _ = place
    classroom = Classroom(db, db.parent, "--max-sessions", "6", "--proxy", "127.0.0.1")
    yield classroom
    classroom.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, server: Classroom) -> Iterator[Any]:
    """Pages in contexts of their own (two trainees never share cookies or storage)."""
    contexts = []

    def opener(width: int = 1100, height: int = 720) -> Terminal:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        terminal = Terminal(context.new_page())
        terminal.open(server.url)
        terminal.wait_for("Masuk dengan NIP")
        return terminal

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def phone(browser: Any, server: Classroom) -> Iterator[Phone]:
    """A phone-sized page with a touch screen and no keyboard (390×844 CSS pixels). The device
    pixel ratio stays 1: under emulation Chromium reports the canvas's size in CSS pixels and its
    ratio in device pixels, and xterm draws the glyphs twice the size of their cells."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    term = Phone(context.new_page())
    term.page.goto(server.url)
    term.page.wait_for_selector("body.-first-byte", timeout=30_000)
    term.wait_for("Masuk dengan NIP")
    yield term
    context.close()


def services_of(place: tuple[Path, dict[str, int]]) -> Any:
    return open_services(place[0])


def sign_in(term: Terminal, who: str, pin: str | None = None) -> None:
    _, nip, right = PEOPLE[who]
    term.type(nip)
    term.press("Enter")
    term.type(pin or right)
    term.press("Enter")


def restudied(place: tuple[Path, dict[str, int]], who: str, section: str) -> bool:
    svc = services_of(place)
    try:
        return not svc.trainee(place[1][who]).progress().sections[section].restudy
    finally:
        svc.close()


def opened_long_ago(place: tuple[Path, dict[str, int]], who: str, section: str) -> None:
    """Move the time the section was opened ten minutes back: the reading took that long."""
    with sqlite3.connect(place[0]) as con:
        ten = (utcnow() - timedelta(minutes=10)).replace(tzinfo=None).isoformat(sep=" ")
        con.execute("UPDATE section_progress SET last_read_at = ? WHERE learner_id = ? AND section_id = ?", (ten, place[1][who], section))


def wait_until_read(place: tuple[Path, dict[str, int]], who: str, section: str, timeout: float = 20) -> None:
    """Poll the database (a browser under load may take a while) until the restudied section counts."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        svc = services_of(place)
        try:
            if not svc.trainee(place[1][who]).progress().sections[section].restudy:
                return
        finally:
            svc.close()
        time.sleep(0.2)


def answer(term: Terminal, letters: str) -> None:
    for letter in letters:
        term.press(letter)


def submit(term: Terminal) -> str:
    term.press("s")
    term.wait_for("Kumpulkan (y)")
    term.press("y")
    return term.wait_for("benar", "LULUS")


def test_two_trainees_side_by_side_the_gate_holds_one_and_opens_for_the_other(open_page: Any, place: Any) -> None:
    ani, budi = open_page(), open_page()
    sign_in(ani, "ani")
    sign_in(budi, "budi")
    ani.wait_for(MP2_LOCKED, "Ani Lestari")  # each sees their own name, never the other's
    budi.wait_for(MP2_LOCKED, "Budi Santoso")
    assert "Budi" not in ani.text() and "Ani" not in budi.text()
    for term in (ani, budi):
        term.press("n")  # the next step is the evaluation
        term.wait_for("soal 1 dari 10")
    wrong = "".join("a" if k != "a" else "b" for k in MP1_KEY)  # every answer wrong
    answer(ani, MP1_KEY)
    answer(budi, MP1_KEY[:5] + wrong[5:])  # 50%
    ani_result, budi_result = submit(ani), submit(budi)
    assert "LULUS" in ani_result and "BELUM" not in ani_result and "10 dari 10 benar" in ani_result
    assert "BELUM LULUS" in budi_result and "5 dari 10 benar" in budi_result
    ani.press("Escape")
    budi.press("Escape")
    assert MP2_LOCKED not in ani.wait_for("Evaluasi Materi Pokok 2  belum dikerjakan")
    budi.wait_for(MP2_LOCKED, "erikutnya")
    # Budi restudies what he missed: the next step is a section of MP1, read to its end in the browser.
    svc = services_of(place)
    try:
        before = svc.trainee(place[1]["budi"]).progress()
    finally:
        svc.close()
    restudy = [s.id for s in before.sections.values() if s.restudy]
    assert restudy and before.next_step.target is not None and before.next_step.target.id == restudy[0]
    budi.press("n")
    budi.wait_for("Esc")
    budi.press("End")  # at once: skimmed, said so, not counted
    budi.wait_for("Dibaca sekilas")
    assert restudied(place, "budi", restudy[0]) is False
    opened_long_ago(place, "budi", restudy[0])  # as if he had been reading it for ten minutes
    budi.press("Home")
    budi.press("End")
    wait_until_read(place, "budi", restudy[0])

    svc = services_of(place)
    try:
        ids = place[1]
        (a,) = svc.trainee(ids["ani"]).attempts.history()
        (b,) = svc.trainee(ids["budi"]).attempts.history()
        assert (a.quiz_id, a.score and a.score.percent, a.passed) == ("mp1", 100, True)
        assert (b.quiz_id, b.score and b.score.percent, b.passed) == ("mp1", 50, False)
        budi_now = svc.trainee(ids["budi"]).progress()
        assert budi_now.evaluations["mp2"].lock is not None
        assert not budi_now.sections[restudy[0]].restudy, "the restudied section, read to its end, counts"
        assert svc.trainee(ids["ani"]).progress().evaluations["mp2"].lock is None
    finally:
        svc.close()


def test_a_classmate_guessing_in_one_tab_never_keeps_the_trainee_out_of_another(open_page: Any) -> None:
    """The probe's attack, in the browser: five wrong PINs for Dodi from tab A; Dodi, in tab B,
    signs in at once with his own PIN. Tab A itself must wait."""
    attacker = open_page()
    sign_in(attacker, "dodi", pin="999999")
    for attempt in range(5):
        attacker.wait_for("NIP/id atau PIN salah")
        attacker.page.wait_for_timeout(200)
        # The PIN field is emptied and has the focus: type again (the last time, the right PIN).
        attacker.type("99999" + str(attempt) if attempt < 4 else PEOPLE["dodi"][2])
        attacker.press("Enter")
    text = attacker.wait_for("Terlalu banyak percobaan salah")
    assert "Dodi Pratama" not in text
    dodi = open_page()
    sign_in(dodi, "dodi")
    dodi.wait_for("Dodi Pratama", "erikutnya")


def test_signing_in_in_a_second_tab_ends_the_first_and_it_says_why(open_page: Any) -> None:
    """A trainee has one session: the second tab's sign-in ends the first, whose page says so in
    words, with its answers kept and a way back in."""
    first = open_page()
    sign_in(first, "fajar")
    first.wait_for("Fajar Nugroho", "erikutnya")
    second = open_page()
    sign_in(second, "fajar")
    second.wait_for("Fajar Nugroho", "erikutnya")
    first.page.wait_for_selector("body.-closed .ended", timeout=20_000)
    said = first.page.inner_text(".ended")
    assert "Semua jawaban sudah tersimpan" in said and "Anda masuk lagi di tab atau perangkat lain" in said, said
    assert first.page.locator(".ended button", has_text="Masuk lagi").is_visible()
    second.page.wait_for_timeout(1000)
    assert not second.closed and "Fajar Nugroho" in second.text()


def test_f2_and_enter_together_never_open_the_instructor_view(open_page: Any) -> None:
    """F2 then Enter, in one burst and in quick succession: the passphrase is asked for, and an
    empty one opens nothing."""
    term = open_page()
    term.page.keyboard.press("F2")
    term.page.keyboard.press("Enter")
    term.page.keyboard.press("Enter")
    term.wait_for("Tampilan pengampu", "Masukkan kata sandi pengampu")
    term.page.wait_for_timeout(500)
    shown = term.text()
    assert "latsar — Masuk" in shown and "latsar — Tampilan pengampu" not in shown, shown  # asked, not opened
    term.press("Enter")
    term.wait_for("Ketik kata sandi pengampu dulu")
    term.press("Escape")
    term.press("F2", "Enter")
    term.wait_for("Ketik kata sandi pengampu dulu")
    term.type(PASSPHRASE)
    term.press("Enter")
    term.wait_for("latsar — Tampilan pengampu")  # the right passphrase opens it


def test_a_closed_tab_mid_evaluation_resumes_at_the_next_sign_in(open_page: Any, place: Any) -> None:
    first = open_page()
    sign_in(first, "citra")
    first.wait_for("erikutnya")
    first.press("n")
    first.wait_for("soal 1 dari 10")
    answer(first, MP1_KEY[:4])
    first.wait_for("soal 5 dari 10")
    first.page.wait_for_timeout(500)
    first.page.close()  # the tab is closed: no Esc, no submit

    again = open_page()
    sign_in(again, "citra")
    again.wait_for("Evaluasi Materi Pokok 1  sedang dikerjakan, 4/10 dijawab")
    again.press("n")
    again.wait_for("soal 5 dari 10")
    answer(again, MP1_KEY[4:])
    assert "LULUS" in submit(again)
    svc = services_of(place)
    try:
        (attempt,) = svc.trainee(place[1]["citra"]).attempts.history()
        assert attempt.score is not None and attempt.score.percent == 100
    finally:
        svc.close()


def test_the_instructor_sees_live_who_reads_who_answers_and_who_passes(open_page: Any) -> None:
    """Two trainees in their browsers, the instructor in a third: the live view follows them."""
    reader, taker = open_page(), open_page()
    sign_in(reader, "eka")
    reader.wait_for("erikutnya", "Eka Putri")
    reader.press("n")
    reader.wait_for("Esc")  # reading the first section
    sign_in(taker, "gita")
    taker.wait_for(MP2_LOCKED, "Gita Maharani")
    taker.press("n")  # she has read up to the evaluation
    taker.wait_for("soal 1 dari 10")
    answer(taker, MP1_KEY[:4])
    taker.wait_for("soal 5 dari 10")

    desk = open_page()
    desk.press("F2")
    desk.wait_for("Masukkan kata sandi pengampu")
    desk.type("bukan-ini")
    desk.press("Enter")
    desk.wait_for("salah")
    assert "Kelas (langsung)" not in desk.text()
    desk.type(PASSPHRASE)
    desk.press("Enter")
    desk.wait_for("Kelas (langsung)", "peserta sedang masuk")
    desk.wait_for("Eka Putri", "membaca", timeout=30)
    assert re.search(r"Gita Maharani.*mengerjakan Evaluasi MP1 4/10.*belum", desk.wait_for("4/10", timeout=30))

    answer(taker, MP1_KEY[4:])
    assert "LULUS" in submit(taker)
    # Her row now carries her best score, 100, and MP2 open for her: without the instructor
    # pressing anything (the view refreshes by itself).
    row = re.compile(r"Gita Maharani.*\b100\b.*\bya\b")
    deadline = time.time() + 30
    while not row.search(desk.text()) and time.time() < deadline:
        desk.page.wait_for_timeout(250)
    assert row.search(desk.text()), desk.text()


def test_a_journal_entry_written_in_the_browser_reaches_berbagi_pengalaman_once_shared(open_page: Any, place: Any) -> None:
    """The instructor's live view on "Berbagi pengalaman"; a trainee writes an entry in her
    browser: nothing shows until she chooses to share it, then it does, by itself."""
    desk = open_page()
    desk.press("F2")
    desk.wait_for("Masukkan kata sandi pengampu")
    desk.type(PASSPHRASE)
    desk.press("Enter")
    desk.wait_for("Kelas (langsung)", "peserta sedang masuk")
    desk.press("ArrowRight")  # the focus is on the tabs: the next one
    desk.wait_for("Belum ada entri yang dibagikan peserta")

    hana = open_page()
    sign_in(hana, "hana")
    hana.wait_for("Hana Safitri", "Aktualisasi 0/3")
    hana.press("j")
    hana.wait_for("Jangan menulis data pribadi warga")
    hana.press("t")  # for the highlighted behaviour, the first
    hana.wait_for("Entri baru")
    for part in ("Lansia bingung antre", "Saya antar ke loket", "Urusannya selesai", "Pasang papan petunjuk"):
        hana.type(part)
        hana.press("Enter")  # the next part; in the last, save
    hana.wait_for("1 menunggu tinjauan", "Lansia bingung antre")
    desk.page.wait_for_timeout(2500)  # a refresh of the live view has passed
    assert "Lansia bingung antre" not in desk.text()  # written, not shared: the class sees nothing

    hana.press("ArrowDown", "b")  # the entry under its behaviour; share it
    hana.wait_for("dibagikan")
    shown = desk.wait_for("1 entri dibagikan oleh 1 peserta", "Hana Safitri", "Lansia bingung antre", timeout=30)
    assert "Memenuhi Kebutuhan Masyarakat" in shown
    svc = services_of(place)
    try:
        (entry,) = svc.trainee(place[1]["hana"]).journal.entries()
        assert (entry.content.behaviour, entry.content.situation, entry.shared) == ("kebutuhan", "Lansia bingung antre", True)
    finally:
        svc.close()


def test_on_a_phone_the_login_and_the_map_fit_without_sideways_scrolling(open_page: Any) -> None:
    term = open_page(390, 844)
    page = term.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sign_in(term, "fajar")
    term.wait_for("erikutnya", "Fajar")  # fails unless the map, with its name, fits and shows
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert term.screen.columns >= 40, "the phone's terminal is too narrow to read"


def test_a_trainee_with_only_a_phone_signs_in_reads_answers_and_goes_back_by_touch(phone: Phone, place: Any) -> None:
    page = phone.page
    assert int(page.evaluate("document.getElementById('terminal').dataset.fontSize")) >= 12  # xterm's font, in CSS px
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    keys = page.locator(".keys")
    assert keys.is_visible()
    terminal, row = page.locator("#terminal").bounding_box(), keys.bounding_box()
    assert terminal["y"] + terminal["height"] <= row["y"] + 1, "the row of keys covers the app"
    _, nip, pin = PEOPLE["ika"]
    phone.tap("NIP atau id")  # the phone's keyboard opens on the field
    phone.write(nip)
    phone.key("⏎")
    phone.write(pin)
    phone.key("⏎")
    phone.wait_for("Ika Wulandari", "erikutnya")
    assert phone.screen.columns >= 50

    phone.tap("· Kata Pengantar")
    phone.wait_for("latsar — Kata Pengantar")
    assert "Adi Suryanto" not in phone.text()  # the section's last lines are below the fold
    for _ in range(10):  # swiping up scrolls the reader down to the end
        phone.swipe(400)
        if "Kembali ke peta modul" in phone.text():
            break
    phone.wait_for("Adi Suryanto", "Kembali ke peta modul")
    phone.swipe(-2000)  # and back up
    phone.wait_for("Kata Pengantar")
    assert "Adi Suryanto" not in phone.text()
    phone.key("Esc")
    phone.wait_for("erikutnya (n)", "Kata Pengantar  dibaca sekilas")

    phone.tap("C. Evaluasi Materi Pokok 1")
    for number, letter in enumerate(MP1_KEY, start=1):
        phone.wait_for(f"soal {number} dari 10")
        phone.tap(f"○ {letter}.")  # a tap answers and moves on
    phone.wait_for("Semua soal sudah dijawab")
    phone.tap("s Kumpulkan")  # the footer's keys are touch targets too
    phone.tap("Kumpulkan (y)")
    phone.wait_for("10 dari 10 benar")
    phone.key("Esc")
    phone.wait_for("Evaluasi Materi Pokok 2  belum dikerjakan")
    svc = services_of(place)
    try:
        best = svc.trainee(place[1]["ika"]).progress().evaluations["mp1"].best
        assert best is not None and best.correct == 10
    finally:
        svc.close()


def test_the_row_of_keys_sends_what_its_label_says(phone: Phone) -> None:
    phone.tap("NIP atau id")
    phone.write("1234")
    phone.key("Tab")  # to the PIN field: what is written next lands there, hidden
    phone.write("9")
    text = phone.wait_for("•")
    assert "12349" not in text
    phone.key("F1")
    phone.wait_for("Bantuan")
    phone.key("Esc")
    phone.wait_for("Masuk dengan NIP")


def test_a_desktop_page_has_no_row_of_keys(open_page: Any) -> None:
    term = open_page()
    assert not term.page.locator(".keys").is_visible()
    box = term.page.locator("#terminal").bounding_box()
    assert box["height"] >= 719  # the whole window is the terminal


def test_the_page_asks_nothing_of_the_internet(browser: Any, server: Classroom) -> None:
    context = browser.new_context()
    requests: list[str] = []
    failed: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    term = Terminal(page)
    term.open(server.url)
    term.wait_for("Masuk dengan NIP")
    context.close()
    assert requests
    outside = [u for u in requests if not re.match(rf"(http|ws)://127\.0\.0\.1:{server.port}/", u)]
    assert outside == []
    assert failed == []  # every asset the page asks for is served


def test_behind_a_proxy_that_ends_tls_the_page_points_the_browser_at_wss(server: Classroom) -> None:
    import urllib.request

    def socket_url(headers: dict[str, str]) -> str:
        with urllib.request.urlopen(urllib.request.Request(server.url, headers=headers), timeout=20) as page:
            found = re.search(r'data-session-websocket-url="([^"]+)"', page.read().decode())
        assert found
        return found.group(1)

    assert socket_url({}).startswith(f"ws://127.0.0.1:{server.port}/")
    assert socket_url({"X-Forwarded-Proto": "https", "Host": "kelas.example"}).startswith("wss://kelas.example/")
    with urllib.request.urlopen(server.url + "favicon.ico", timeout=20) as icon:  # browsers ask: no 404
        assert icon.status == 204


def test_a_full_class_gets_a_clear_page(browser: Any, tmp_path: Path) -> None:
    db = class_db(tmp_path / "kecil.db")
    classroom = Classroom(db, tmp_path, "--max-sessions", "1")
    context = browser.new_context()
    try:
        first = Terminal(context.new_page())
        first.open(classroom.url)
        first.wait_for("Masuk dengan NIP")
        second = context.new_page()
        response = second.goto(classroom.url)
        assert response is not None and response.status == 503
        assert "Kelas sedang penuh" in second.inner_text("body")
    finally:
        context.close()
        classroom.stop()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_with_a_certificate_the_class_is_served_over_https(browser: Any, tmp_path: Path) -> None:
    """A self-signed certificate (as a training centre would make one): the page and its WebSocket
    are encrypted, and a trainee signs in through them."""
    import ssl
    import subprocess
    import urllib.request

    cert, key = tmp_path / "kelas.pem", tmp_path / "kelas.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    db = class_db(tmp_path / "aman.db")
    svc = open_services(db)
    svc.pins.set(svc.learners.add("Hana Safitri", "199707072020122005", "Angkatan 7").id, "135790")
    svc.close()
    classroom = Classroom(db, tmp_path, "--certfile", str(cert), "--keyfile", str(key))
    url = classroom.url.replace("http://", "https://")
    context = browser.new_context(ignore_https_errors=True)
    try:
        unverified = ssl.create_default_context()
        unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
        with urllib.request.urlopen(url, context=unverified, timeout=20) as page:
            assert 'data-session-websocket-url="wss://' in page.read().decode()
        term = Terminal(context.new_page())
        term.open(url)
        term.wait_for("Masuk dengan NIP")
        term.type("199707072020122005")
        term.press("Enter")
        term.type("135790")
        term.press("Enter")
        term.wait_for("Hana Safitri", "erikutnya")
    finally:
        context.close()
        classroom.stop()


def _children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (the sessions of a server), from /proc."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[0] != "Z":
                kids.setdefault(int(stat[1]), []).append(int(entry.name))
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _gone(pids: list[int], timeout: float = 15) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not any(Path(f"/proc/{p}").exists() and (Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split() or ["Z"])[0] != "Z" for p in pids):
            return True
        time.sleep(0.25)
    return False


@pytest.mark.parametrize("how", ["stopped", "killed"])
def test_no_session_outlives_its_server(browser: Any, tmp_path: Path, how: str) -> None:
    """Stopping the class (Ctrl+C, systemctl stop) ends every session at once; a server killed
    outright leaves no session running either: each notices within seconds and ends."""
    import signal

    db = class_db(tmp_path / "akhir.db")
    classroom = Classroom(db, tmp_path)
    context = browser.new_context()
    try:
        Terminal(context.new_page()).open(classroom.url)
        term_sessions = _children(classroom.process.pid)
        assert term_sessions, "the browser's session did not start"
        classroom.process.send_signal(signal.SIGTERM if how == "stopped" else signal.SIGKILL)
        classroom.process.wait(timeout=20)
        assert _gone(term_sessions), f"sessions still running after the server was {how}"
    finally:
        context.close()
        classroom.stop()
