"""The classroom server's doors, tried as a mischievous classmate or a congested network would
(issue 17): only the page's own origin opens a session, a socket that never signs in gives its
place back, headers on every response, each page built from its own request, keys in a burst
land where they were typed; and the sessions are forked from one parent, which is remade when
it dies or grows stale, while a session's crash harms nobody else.

A real `latsar serve`, spoken to over textual.js's protocol (``tests/protocol.py``): many
sessions, exact bursts and distinct source addresses (127.0.0.x), which a browser cannot give.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from latsar.server.web import ENDED_BY_SERVER
from latsar.services import open_services
from tests.browser import PASSPHRASE, Classroom, class_db
from tests.conftest import ROOT
from tests.protocol import Page

pytestmark = pytest.mark.xdist_group("server")  # one classroom server at a time (see tests/test_serve.py)

ANI, BUDI = ("199001012020122001", "123456"), ("199203152019031004", "654321")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pintu")
    path = class_db(home / "kelas.db")
    svc = open_services(path)
    for name, (nip, pin) in (("Ani Lestari", ANI), ("Budi Santoso", BUDI)):
        svc.pins.set(svc.learners.add(name, nip, "Angkatan 7").id, pin)
    svc.close()
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Classroom]:
    classroom = Classroom(db, db.parent, "--max-sessions", "4", "--login-seconds", "4")
    yield classroom
    classroom.stop()


def http(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def sessions_of(server: Classroom) -> list[int]:
    """The session processes: the children of the parent that forks them."""
    parents = [p for p in children(server.process.pid) if b"latsar.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return [c for p in parents for c in children(p)]


def zygote_of(server: Classroom) -> int:
    (parent,) = [p for p in children(server.process.pid) if b"latsar.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return parent


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


async def signed_in(page: Page, who: tuple[str, str]) -> None:
    await page.wait_for("Masuk dengan NIP")
    await page.send(f"{who[0]}\t{who[1]}\r")  # one burst: NIP, Tab, PIN, Enter
    await page.wait_for("Berikutnya (n)")  # the side panel, painted with the data (the footer says "n Berikutnya" at once)


# -- origin, headers, the page --------------------------------------------------------------------


async def test_only_the_pages_own_origin_opens_a_session(server: Classroom) -> None:
    before = len(sessions_of(server))
    for origin in ("http://evil.example", "http://127.0.0.1:1", "null", ""):
        page = Page()
        with pytest.raises(Exception, match="403"):
            await page.open(server.url, origin=origin)
        await page.close()
    assert len(sessions_of(server)) == before  # no session was started for any of them
    async with Page() as page:
        await page.open(server.url)
        await page.wait_for("Masuk dengan NIP")


def test_every_response_carries_the_headers_and_no_directory_is_listed(server: Classroom) -> None:
    base = server.url.rstrip("/")
    responses = {
        "page": http(base + "/"),
        "static": http(base + "/static/js/textual.js"),
        "directory": http(base + "/static/"),
        "missing": http(base + "/tidak-ada"),
        "download": http(base + "/download/bukan-kunci"),
        "icon": http(base + "/favicon.ico"),
    }
    assert responses["page"][0] == 200 and responses["static"][0] == 200 and responses["icon"][0] == 204
    assert responses["directory"][0] in (403, 404) and "textual.js" not in responses["directory"][2]
    assert responses["missing"][0] == 404 and responses["download"][0] == 404
    for name, (_, headers, _) in responses.items():
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("Referrer-Policy") == "no-referrer", name
        csp = headers.get("Content-Security-Policy", "")
        assert f"connect-src 'self' ws://127.0.0.1:{server.port} wss://127.0.0.1:{server.port};" in csp, name
        assert " ws: " not in csp and "ws:;" not in csp, name
        if name != "static":
            assert headers.get("Cache-Control") == "no-store", name


def test_each_page_is_built_from_its_own_request_and_untrusted_forwarded_headers_are_ignored(server: Classroom) -> None:
    def socket_url(headers: dict[str, str]) -> str:
        return http(server.url, headers)[2].split('data-session-websocket-url="', 1)[1].split('"', 1)[0]

    first = socket_url({"Host": "kelas-a.example:8000"})
    second = socket_url({})
    assert first == "ws://kelas-a.example:8000/ws" and second == f"ws://127.0.0.1:{server.port}/ws"
    # Not through a proxy the instructor named: X-Forwarded-Proto changes nothing.
    assert socket_url({"X-Forwarded-Proto": "https"}).startswith("ws://")
    status, _, _ = http(server.url, {"Host": 'a"><script>alert(1)</script>'})
    assert status == 400


# -- the cap, and sockets that never sign in -------------------------------------------------------


def test_a_device_is_its_ipv4_address_however_reported() -> None:
    """The limits per device count sources: an IPv4 browser seen through a dual-stack socket
    (``--host ::``) is still that IPv4 address, so it matches a ``--proxy`` named in IPv4."""
    from aiohttp.test_utils import make_mocked_request

    from latsar.server.web import ClassroomServer, device

    assert device("::ffff:192.168.1.20") == "192.168.1.20" == device("192.168.1.20")
    # IPv6: each address (a classroom's devices share one /64: a prefix would make them one device)
    assert device("2001:db8:1:2::1") != device("2001:db8:1:2::2")
    assert device("::1") == "::1" and device("fe80::1%eth0") == "fe80::1" and device("bukan-alamat") == "bukan-alamat"
    server = ClassroomServer("127.0.0.1", 0, 4, None, [], {}, proxies=["10.0.0.1"])
    for peer in ("10.0.0.1", "::ffff:10.0.0.1"):
        request = make_mocked_request("GET", "/", headers={"Host": "kelas:8000", "X-Forwarded-For": "::ffff:192.168.1.20"})
        request._transport_peername = (peer, 1234)
        assert server.client(request).address == "192.168.1.20", peer
    request = make_mocked_request("GET", "/", headers={"Host": "kelas:8000", "X-Forwarded-For": "192.168.1.99"})
    request._transport_peername = ("::ffff:10.0.0.2", 1234)
    assert server.client(request).address == "10.0.0.2"  # not a proxy named: its header is ignored


async def test_a_socket_that_never_signs_in_gives_its_place_back(server: Classroom) -> None:
    """A script holding sockets at the login (a classmate filling a small class) holds them for
    seconds, not for the lesson: each is closed, and a trainee gets in."""
    idle = [Page() for _ in range(3)]
    for i, page in enumerate(idle):
        await page.open(server.url, source=f"127.0.0.{20 + i}")
        await page.wait_for("Masuk dengan NIP")
    async with Page() as budi:
        await budi.open(server.url, source="127.0.0.30")
        await signed_in(budi, BUDI)  # signed in: no deadline for him
        for page in idle:
            await asyncio.wait_for(page.closed.wait(), 15)
            assert page.ws is not None and page.ws.close_code == ENDED_BY_SERVER  # the page says why
        await asyncio.sleep(1)
        assert "Budi Santoso" in budi.text() and not budi.closed.is_set()
    for page in idle:
        await page.close()


async def test_one_device_cannot_hold_the_login_more_than_three_times(server: Classroom) -> None:
    pages = [Page() for _ in range(3)]
    try:
        for page in pages:
            await page.open(server.url, source="127.0.0.40")
            await page.wait_for("Masuk dengan NIP")
        status, _, body = http(server.url)  # from 127.0.0.1: another device, still welcome
        assert status == 200
        fourth = Page()
        with pytest.raises(AssertionError, match="sesi belum masuk"):
            await fourth.open(server.url, source="127.0.0.40")
        await fourth.close()
    finally:
        for page in pages:
            await page.close()


async def test_one_trainees_pin_holds_one_place_signing_in_again_ends_the_earlier_session(server: Classroom) -> None:
    """A trainee who knows only their own PIN scripts sign-ins to fill a class of 4: each new
    sign-in ends their earlier session (as a second tab or a second device would), so they never
    hold more than one place, and a classmate still gets in. What the earlier session answered
    is kept (its app quits as on q)."""
    pages: list[Page] = []
    try:
        for n in range(6):
            page = Page()
            pages.append(page)
            await page.open(server.url, source=f"127.0.0.{70 + n}")
            await signed_in(page, ANI)
            if n:
                await asyncio.wait_for(pages[n - 1].closed.wait(), 20)  # the earlier one ended
                assert pages[n - 1].ws is not None and pages[n - 1].ws.close_code == ENDED_BY_SERVER  # the page says why
        assert [p.closed.is_set() for p in pages] == [True] * 5 + [False]
        async with Page() as budi:
            await budi.open(server.url, source="127.0.0.80")
            await signed_in(budi, BUDI)  # the class was not full
            assert not pages[-1].closed.is_set()  # another trainee's sign-in ends nobody else's
    finally:
        for page in pages:
            await page.close()


# -- keys in a burst, over the real socket and a congested network -------------------------------


async def test_a_flood_of_keys_is_dropped_and_a_paste_is_not(server: Classroom) -> None:
    """A script sending megabytes of keys would keep a core busy for the whole class: beyond a
    burst (a pasted journal entry fits) and a refill rate, a message is dropped whole."""
    async with Page() as page:
        await page.open(server.url, source="127.0.0.52")
        await page.wait_for("Masuk dengan NIP")
        await page.send("9" * 40_000)  # beyond the burst: nothing of it arrives
        await asyncio.sleep(1.5)
        assert "9999" not in page.text()
        await page.send("8" * 3_000)  # a paste of a few thousand characters arrives
        await page.wait_for("8888888888")
        await page.send("\x15")  # Ctrl+U empties the field
        await signed_in(page, ANI)


async def test_nip_tab_pin_enter_in_one_message_signs_in(server: Classroom) -> None:
    async with Page() as page:
        await page.open(server.url, source="127.0.0.50")
        await signed_in(page, ANI)
        assert "Ani Lestari" in page.text()


async def test_f2_and_the_passphrase_in_one_message_open_the_instructor_view_never_showing_it(server: Classroom) -> None:
    """The instructor at a projector presses F2 and types the passphrase before the dialog is up:
    the keys wait for the dialog's box; the login's NIP field never draws them."""
    async with Page() as page:
        await page.open(server.url, source="127.0.0.51")
        await page.wait_for("Masuk dengan NIP")
        await page.send(f"\x1bOQ{PASSPHRASE}\r")
        await page.wait_for("latsar — Tampilan pengampu")
        assert PASSPHRASE not in page.text()
        await page.send("\x1b")  # back to the login: its NIP field is as it was, empty
        await page.wait_for("Masuk dengan NIP")
        await asyncio.sleep(0.5)
        assert PASSPHRASE[:6] not in page.text()


async def congested_proxy(target_port: int, delays: tuple[float, float]) -> tuple[asyncio.AbstractServer, int]:
    """A TCP proxy that holds every chunk from the browser for a random 50–400 ms, then passes
    on whatever has piled up in one write: keys typed apart arrive together."""
    import random

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: bool) -> None:
        try:
            while data := await reader.read(65536):
                if delay:
                    await asyncio.sleep(random.uniform(*delays))
                    with contextlib_suppress():
                        data += await asyncio.wait_for(reader.read(65536), 0.001)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

    proxy = await asyncio.start_server(handle, "127.0.0.1", 0)
    return proxy, proxy.sockets[0].getsockname()[1]


class contextlib_suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


async def test_keys_held_by_a_congested_network_land_in_the_right_fields(server: Classroom) -> None:
    proxy, port = await congested_proxy(server.port, (0.05, 0.4))
    try:
        for _ in range(3):
            async with Page() as page:
                url = f"http://127.0.0.1:{port}/"
                await page.open(url, headers={"Host": f"127.0.0.1:{port}"})
                await page.wait_for("Masuk dengan NIP")
                await page.type(f"{BUDI[0]}\t{BUDI[1]}\r", pause=0.02)
                await page.wait_for("Berikutnya (n)")  # the side panel, painted with the data (the footer says "n Berikutnya" at once)
                assert BUDI[1] not in page.text()
    finally:
        proxy.close()


# -- sessions forked from one parent ----------------------------------------------------------------


async def test_sessions_are_forked_and_one_crashing_harms_nobody(server: Classroom) -> None:
    async with Page() as ani, Page() as budi:
        await ani.open(server.url, source="127.0.0.60")
        await budi.open(server.url, source="127.0.0.61")
        await signed_in(ani, ANI)
        await signed_in(budi, BUDI)
        forked = sessions_of(server)
        assert len(forked) >= 2  # both sessions are children of the parent, not processes of their own
        zygote = zygote_of(server)
        mine = [p for p in forked if "Ani" in ani.text()]
        # The parent never holds the database: no file descriptor of it points at the database.
        held = [os.path.realpath(f"/proc/{zygote}/fd/{fd}") for fd in os.listdir(f"/proc/{zygote}/fd")]
        assert not [f for f in held if "kelas.db" in f], held
        os.kill(max(forked), signal.SIGKILL)  # the newest session (Budi's) dies
        await asyncio.wait_for(budi.closed.wait(), 10)
        await ani.send("p")  # Ani's goes on
        await ani.wait_for("Kemajuan")
        assert zygote_of(server) == zygote and mine


async def test_a_dead_parent_is_made_again_and_its_sessions_live_on(server: Classroom) -> None:
    async with Page() as ani:
        await ani.open(server.url, source="127.0.0.70")
        await signed_in(ani, ANI)
        old = zygote_of(server)
        os.kill(old, signal.SIGKILL)
        await asyncio.sleep(0.5)
        await ani.send("p")
        await ani.wait_for("Kemajuan")  # a session outlives its parent
        async with Page() as budi:
            await budi.open(server.url, source="127.0.0.71")
            await signed_in(budi, BUDI)  # the next session comes from a new parent
        assert zygote_of(server) != old


def test_a_changed_course_reaches_the_next_session_and_changed_code_a_new_parent(tmp_path: Path) -> None:
    """The pack edited while the class is open: the next trainee sees the edit. latsar upgraded
    under a running server: the parent that imported the old code is replaced."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "content", pack / "content")
    shutil.copytree(ROOT / "quizzes", pack / "quizzes")
    code = tmp_path / "code"
    shutil.copytree(ROOT / "latsar", code / "latsar", ignore=shutil.ignore_patterns("__pycache__"))
    db = class_db(tmp_path / "kelas.db")
    svc = open_services(db)
    svc.pins.set(svc.learners.add("Ani Lestari", ANI[0]).id, ANI[1])
    svc.close()
    os.environ["PYTHONPATH"] = str(code)
    try:
        classroom = Classroom(db, tmp_path, root=["--content", str(pack)])
    finally:
        del os.environ["PYTHONPATH"]

    async def map_text() -> str:
        async with Page() as page:
            await page.open(classroom.url)
            await signed_in(page, ANI)
            return page.text()

    try:
        assert "Pengertian Pelayanan Publik" in asyncio.run(map_text())
        first = zygote_of(classroom)
        section = next((pack / "content").rglob("*mp1-1*.md"))
        section.write_text(section.read_text(encoding="utf-8").replace('title = "1. Pengertian Pelayanan Publik"', 'title = "1. Pengertian Pelayanan (diubah)"'), encoding="utf-8")
        time.sleep(0.1)
        assert "Pengertian Pelayanan (diubah)" in asyncio.run(map_text())
        assert zygote_of(classroom) == first  # the pack is read again by the same parent
        init = code / "latsar" / "__init__.py"
        init.write_text(init.read_text() + "\n# upgraded\n")
        assert "Pengertian Pelayanan (diubah)" in asyncio.run(map_text())
        assert zygote_of(classroom) != first  # new code: a new parent
    finally:
        classroom.stop()


def test_a_course_broken_while_the_class_is_open_is_said_to_the_next_browser(tmp_path: Path) -> None:
    """An author breaks the pack while the class runs: the sessions already open go on; the next
    browser is told, in the loader's words, instead of getting a frozen page."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "content", pack / "content")
    shutil.copytree(ROOT / "quizzes", pack / "quizzes")
    db = class_db(tmp_path / "kelas.db")
    classroom = Classroom(db, tmp_path, root=["--content", str(pack)])

    async def first_words() -> str:
        async with Page() as page:
            await page.open(classroom.url)
            await page.wait_for("latsar")
            await asyncio.sleep(0.5)
            return page.text()

    try:
        assert "Masuk dengan NIP" in asyncio.run(first_words())
        manifest = pack / "content" / "berorientasi-pelayanan" / "course.toml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace('id = "berorientasi-pelayanan"', 'id = '), encoding="utf-8")
        said = asyncio.run(first_words())
        assert "latsar:" in said and "course.toml" in said, said
    finally:
        classroom.stop()


def test_without_a_parent_sessions_start_the_slow_way(tmp_path: Path) -> None:
    db = class_db(tmp_path / "kelas.db")
    svc = open_services(db)
    svc.pins.set(svc.learners.add("Ani Lestari", ANI[0]).id, ANI[1])
    svc.close()
    os.environ["LATSAR_FORK"] = "0"
    try:
        classroom = Classroom(db, tmp_path)
    finally:
        del os.environ["LATSAR_FORK"]

    async def sign_in() -> None:
        async with Page() as page:
            await page.open(classroom.url)
            await signed_in(page, ANI)

    try:
        asyncio.run(sign_in())
        assert not sessions_of(classroom)
    finally:
        classroom.stop()


if sys.platform != "linux":  # /proc, fork and SCM_RIGHTS are what this file is about
    pytestmark = [pytest.mark.skip(reason="Linux only"), pytest.mark.xdist_group("server")]


def test_the_banner_advises_same_page_merging_only_where_it_is_off(tmp_path: Path) -> None:
    from latsar.server.web import banner

    switch, pace = tmp_path / "run", tmp_path / "pages_to_scan"
    said = {}
    for state, pages in (("0", "100"), ("1", "100"), ("1", "1000"), (None, None)):
        if state is None:
            switch.unlink()
        else:
            switch.write_text(state + "\n")
            pace.write_text(f"{pages}\n")
        said[state, pages] = [line for line in banner("0.0.0.0", 8000, False, "-", 40, 30, ksm=switch) if "KSM" in line]
    assert said["0", "100"] and "mati" in said["0", "100"][0] and "README" in said["0", "100"][0]
    assert said["1", "100"] and "lambat" in said["1", "100"][0]  # the kernel's default pace: minutes per session
    assert said["1", "1000"] == [] and said[None, None] == []  # running at pace, or a kernel without it


@pytest.mark.skipif(not Path("/sys/kernel/mm/ksm/run").exists(), reason="a kernel without same-page merging")
def test_the_session_parent_offers_its_memory_for_merging() -> None:
    """What sessions copy only by touching it can be merged again by the kernel: the parent's
    anonymous memory carries the mergeable mark ("mg" in smaps) that its forks inherit."""
    import subprocess

    code = (
        "import os\nfrom latsar.zygote import offer_to_merge\nmarked = offer_to_merge()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    flags = [l for l in open('/proc/self/smaps') if l.startswith('VmFlags')]\n"
        "    os._exit(0 if sum(' mg' in f for f in flags) >= marked > 0 else 1)\n"
        "print(os.waitpid(pid, 0)[1] == 0, marked)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    assert out[0] == "True" and int(out[1]) > 0, out
