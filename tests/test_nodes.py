"""Two `latsar serve` nodes on one PostgreSQL behind nginx, configured as the README says (issue
17.6): trainees from different devices sign in through nginx and land on both nodes, each
stays on its node (hash $remote_addr: the whole address, so one classroom's /24 spreads), and the instructor's live view, opened in Chromium on one node,
shows the trainees of both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from latsar.services import open_services
from tests.browser import CHROMIUM, PASSPHRASE, Terminal, chromium_unavailable
from tests.conftest import PG_UNAVAILABLE
from tests.nodes import Nodes, nginx_unavailable
from tests.protocol import Page
from tests.test_serve import ARGS

pytestmark = [
    pytest.mark.xdist_group("server"),  # one classroom server at a time (see tests/test_serve.py)
    pytest.mark.skipif(PG_UNAVAILABLE is not None, reason=PG_UNAVAILABLE or ""),
    pytest.mark.skipif(nginx_unavailable() is not None, reason=nginx_unavailable() or ""),
]

TRAINEES = [(f"Peserta {i}", f"19900101202012{2100 + i:04d}", f"{310000 + i}") for i in range(1, 9)]


@pytest.fixture(scope="module")
def nodes(pg_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nodes]:
    url = pg_server.create()
    svc = open_services(url)
    svc.passphrase.set(PASSPHRASE)
    for name, nip, pin in TRAINEES:
        svc.pins.set(svc.learners.add(name, nip, "Angkatan 9").id, pin)
    svc.close()
    two = Nodes(url, tmp_path_factory.mktemp("dua-mesin"), 2)
    yield two
    two.stop()


def node_of(nodes: Nodes, pid: int) -> int | None:
    """Which node (0, 1) a session process belongs to: its parent is that node's session parent."""
    for index, node in enumerate(nodes.nodes):
        if pid in descendants(node.process.pid):
            return index
    return None


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
            except OSError:
                continue
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def sessions_per_node(nodes: Nodes) -> list[int]:
    return [len(descendants(node.process.pid)) - 1 for node in nodes.nodes]  # minus each node's session parent


async def sign_in_all(nodes: Nodes) -> tuple[list[Page], list[int]]:
    pages, counts = [], []
    for i, (name, nip, pin) in enumerate(TRAINEES):
        page = Page()
        await page.open(nodes.url, source=f"127.0.10.{2 + i}")  # a device each, all in one classroom's /24
        await page.wait_for("Masuk dengan NIP")
        await page.send(f"{nip}\t{pin}\r")
        await page.wait_for(name)
        pages.append(page)
        counts.append(sum(sessions_per_node(nodes)))
    return pages, counts


@pytest.mark.skipif(chromium_unavailable() is not None, reason=chromium_unavailable() or "")
def test_trainees_land_on_both_nodes_and_the_live_view_on_one_shows_them_all(nodes: Nodes, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    loop = asyncio.new_event_loop()
    pages, _ = loop.run_until_complete(sign_in_all(nodes))
    try:
        per_node = sessions_per_node(nodes)
        assert all(count >= 1 for count in per_node), per_node  # both nodes serve trainees
        assert sum(per_node) == len(TRAINEES)
        # A trainee's page and socket stayed on one node: each got on with the map, from there.
        for page, (name, _, _) in zip(pages, TRAINEES):
            loop.run_until_complete(page.send("p"))
            loop.run_until_complete(page.wait_for("Kemajuan"))
            assert name in page.text()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                term = Terminal(browser.new_context(viewport={"width": 1300, "height": 900}).new_page())
                term.open(nodes.url)
                term.wait_for("Masuk dengan NIP")
                term.press("F2")
                term.wait_for("Masukkan kata sandi pengampu")
                term.page.wait_for_timeout(300)
                term.type(PASSPHRASE)
                term.press("Enter")
                term.wait_for("latsar — Tampilan pengampu")  # in a classroom session it opens on the live view
                term.wait_for(*(name for name, _, _ in TRAINEES), timeout=40)  # the trainees of both nodes
            finally:
                browser.close()
    finally:
        for page in pages:
            loop.run_until_complete(page.close())
        loop.close()


def test_the_configuration_tested_is_the_one_the_readme_gives() -> None:
    from tests.conftest import ROOT
    from tests.nodes import LOCATION

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```nginx", 1)[1].split("```", 1)[0]
    assert "hash $remote_addr consistent;" in block and "ip_hash" not in block
    for line in LOCATION.splitlines():
        assert line.strip() in block, line
