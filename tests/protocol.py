"""A browser session without a browser: textual.js's WebSocket protocol, spoken by a script.

What it sends is what textual.js sends (``["stdin", keys]``, ``["resize", …]``); what it
receives is fed to a terminal emulator (pyte), so ``text()`` is what the page would show. Used
by the server tests that need many sessions, exact bursts or a given source address, and by
``benchmarks/bench_serve.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from typing import Any

import aiohttp
import pyte


class Page:
    """One trainee's page: the session's socket and what it shows."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = asyncio.Event()
        self.frame_times: list[float] = []
        self.closed = asyncio.Event()
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    def feed(self, data: bytes) -> None:
        self.frame_times.append(time.perf_counter())
        self.stream.feed(data)
        self.changed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def open(self, url: str, source: str | None = None, origin: str | None = None, headers: dict[str, str] | None = None) -> None:
        """Load the page at ``url`` and open its session, from the local address ``source``
        (e.g. 127.0.0.7: a device of its own), with the page's own Origin unless told otherwise."""
        connector = aiohttp.TCPConnector(local_addr=(source, 0)) if source else None
        self.http = aiohttp.ClientSession(connector=connector)
        try:
            async with self.http.get(url, headers=headers) as page:
                html = await page.text()
            found = re.search(r'data-session-websocket-url="([^"]+)"', html)
            if found is None:
                raise AssertionError(f"the page carries no session URL: {html[:400]}")
            origin = url.rstrip("/") if origin is None else origin
            self.ws = await self.http.ws_connect(found.group(1) + "?width=80&height=24", max_msg_size=0, headers={"Origin": origin, **(headers or {})})
        except BaseException:
            await self.http.close()
            raise
        self._reader = asyncio.create_task(self._receive())
        await self.ws.send_str(json.dumps(["resize", {"width": self.screen.columns, "height": self.screen.lines}]))

    async def _receive(self) -> None:
        assert self.ws is not None
        try:
            async for message in self.ws:
                if message.type is aiohttp.WSMsgType.BINARY:
                    self.feed(message.data)
        finally:
            self.closed.set()
            self.changed.set()

    async def send(self, keys: str) -> None:
        """Keys as one WebSocket message: a burst, the way a congested network delivers them."""
        assert self.ws is not None
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def type(self, keys: str, pause: float = 0.04) -> None:
        for key in keys:
            await self.send(key)
            await asyncio.sleep(pause)

    async def wait_for(self, words: str | re.Pattern[str], timeout: float = 30) -> float:
        """Seconds until ``words`` are on screen; TimeoutError (with the screen) otherwise."""
        t0 = time.perf_counter()
        deadline = t0 + timeout
        while True:
            text = self.text()
            if words.search(text) if isinstance(words, re.Pattern) else words in text:
                return time.perf_counter() - t0
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (self.closed.is_set() and not self.changed.is_set()):
                raise TimeoutError(f"{words!r} never showed; the screen:\n{text}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self.http is not None:
            await self.http.close()

    async def __aenter__(self) -> Page:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
