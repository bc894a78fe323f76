"""Driving the classroom server from a real browser (Debian's Chromium, through Playwright).

textual.js draws the terminal on a canvas, so the text a trainee sees is read back from the
same bytes the browser receives over the WebSocket, through a terminal emulator (pyte): what
is asserted is what the page shows.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyte

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_unavailable() -> str | None:
    if CHROMIUM is None:
        return "Debian's chromium is not installed (.ci/run installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


PASSPHRASE = "rahasia-pengampu"


def class_db(path: Path) -> Path:
    """A database a class can open on: it has an instructor passphrase (``PASSPHRASE``)."""
    from latsar.services import open_services

    svc = open_services(path)
    if not svc.passphrase.exists():
        svc.passphrase.set(PASSPHRASE)
    svc.close()
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Classroom:
    """A `latsar serve` process on a free port of 127.0.0.1."""

    def __init__(self, db: Path | str, home: Path, *extra: str, root: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "LATSAR_HOME": str(home), "LATSAR_DB": str(db), "NO_COLOR": ""}
        env.pop("NO_COLOR")
        self.log = open(home / "serve.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "latsar", *(root or []), "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=home,
        )
        self.home = home
        deadline = time.time() + 90
        while time.time() < deadline:  # sessions can start: the parent that forks them is ready
            if "Siap: peserta dapat masuk." in (home / "serve.log").read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("latsar serve did not start: " + (home / "serve.log").read_text())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Terminal:
    """One browser page showing latsar: its screen as text, and a keyboard."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = False
        page.on("websocket", self._attach)

    def _attach(self, ws: Any) -> None:
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)
        ws.on("close", lambda _: setattr(self, "closed", True))

    def _received(self, payload: Any) -> None:
        if isinstance(payload, bytes | bytearray):
            self.stream.feed(bytes(payload))

    def _sent(self, payload: Any) -> None:
        import json

        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, *words: str, timeout: float = 20) -> str:
        """Wait until every word shows on the screen; the screen's text."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.page.wait_for_timeout(100)
            text = self.text()
            if all(w in text for w in words):
                return text
        raise AssertionError(f"{words} never showed; the screen was:\n{self.text()}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=15)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(60)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)
        # The keyboard goes to xterm's input; a click would also move the app's focus.
        self.page.focus(".xterm-helper-textarea")


class Phone(Terminal):
    """A trainee with only a phone: taps and swipes on the page, text from the phone's own
    keyboard (an input event, no key presses), and latsar's row of keys for the rest."""

    def where(self, text: str) -> tuple[float, float]:
        """The page coordinates of the middle of ``text``'s first appearance on the screen."""
        for row, line in enumerate(self.screen.display):
            col = line.find(text)
            if col >= 0:
                box = self.page.locator(".xterm-screen").bounding_box()
                cell_w, cell_h = box["width"] / self.screen.columns, box["height"] / self.screen.lines
                return box["x"] + (col + len(text) / 2) * cell_w, box["y"] + (row + 0.5) * cell_h
        raise AssertionError(f"{text!r} is not on the screen:\n{self.text()}")

    def tap(self, text: str) -> None:
        """Tap ``text`` once it shows, as a person looks before they touch."""
        self.wait_for(text)
        self.page.touchscreen.tap(*self.where(text))
        self.page.wait_for_timeout(150)

    def key(self, label: str) -> None:
        """Tap one of latsar's on-screen keys, by its label (``Esc``, ``Tab``, ``⏎``, ``F1``…)."""
        self.page.locator(".keys button", has_text=label).first.tap()
        self.page.wait_for_timeout(150)

    def write(self, text: str) -> None:
        """What a phone's keyboard does: the text arrives as input, not as key presses."""
        self.page.keyboard.insert_text(text)
        self.page.wait_for_timeout(150)

    def swipe(self, dy: float, steps: int = 12) -> None:
        """A finger drawn ``dy`` pixels up the middle of the terminal (negative: down)."""
        box = self.page.locator(".xterm-screen").bounding_box()
        x, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] * (0.75 if dy > 0 else 0.25)
        cdp = self.page.context.new_cdp_session(self.page)
        try:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
            for i in range(1, steps + 1):
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y0 - dy * i / steps}]})
                self.page.wait_for_timeout(16)
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        finally:
            cdp.detach()
        self.page.wait_for_timeout(150)
