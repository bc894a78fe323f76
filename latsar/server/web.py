"""`latsar serve`: textual-serve runs one latsar app process per browser session.

What latsar adds to textual-serve's server: its own page (no font, script or style from any
other host, and a Content-Security-Policy that says so), a session cap with a clear page
rather than a hang, HTTPS when given a certificate, and a start-up banner in the room's
language with the addresses trainees type.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import socket
import ssl
import sys
from collections.abc import Awaitable, Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from latsar.server.addresses import urls

log = logging.getLogger("latsar.serve")

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'"
)


def textual_serve_static() -> Path:
    """textual-serve's own assets (xterm, textual.js, the Roboto Mono font), from the package."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


@web.middleware
async def security_headers(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


class ClassroomServer(Server):
    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        max_sessions: int,
        certfile: Path | None = None,
        keyfile: Path | None = None,
        banner: list[str] | None = None,
    ) -> None:
        https = certfile is not None
        shown = "localhost" if host in ("0.0.0.0", "::") else host
        super().__init__(
            command,
            host=host,
            port=port,
            title="latsar — Berorientasi Pelayanan",
            public_url=f"{'https' if https else 'http'}://{shown}:{port}",
            statics_path=textual_serve_static(),
            templates_path=Path(str(files("latsar.server") / "templates")),
        )
        self.max_sessions = max_sessions
        self.ssl_context = self._ssl(certfile, keyfile) if https else None
        self.banner = banner or []
        self.https = https
        self._session_tasks: set[asyncio.Task[Any]] = set()  # one per open browser session

    @staticmethod
    def _ssl(certfile: Path | None, keyfile: Path | None) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
        return context

    # -- pages -----------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(security_headers)
        app.router.add_get("/favicon.ico", no_icon)  # browsers ask for one: no 404 in their console
        return app

    @property
    def sessions(self) -> int:
        return len(self._session_tasks)

    async def handle_index(self, request: web.Request) -> Any:
        """The app's page, or a clear "full" page (503) when every session is taken."""
        if self.sessions >= self.max_sessions:
            return aiohttp_jinja2.render_template(
                "full.html", request, {"name": self.title, "sessions": self.sessions, "cap": self.max_sessions}, status=503
            )
        # The address the browser used, so a trainee on another machine gets a websocket URL it can
        # reach; behind a reverse proxy that ends TLS, the scheme the browser used (wss:// for https).
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        scheme = forwarded if forwarded in ("http", "https") else "https" if self.https else "http"
        self.public_url = f"{scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=1013, message=b"kelas penuh")
            return websocket
        task = asyncio.current_task()
        assert task is not None  # aiohttp runs every handler in a task of its own
        self._session_tasks.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self._session_tasks.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping the class (Ctrl+C, systemctl stop): every session is told to quit, keeping what
        its trainee did, instead of the server waiting for the browsers to leave."""
        for task in list(self._session_tasks):
            task.cancel()

    # -- running ---------------------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        for line in self.banner:
            self.console.print(line, highlight=False)
        self.console.print("Tekan Ctrl+C untuk berhenti. Jawaban yang sudah diberikan tetap tersimpan.")

    def serve(self, debug: bool = False) -> None:
        import signal

        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, self.request_exit)
        # Bound here, before anything is printed: a port in use or a wrong address is an OSError
        # for the command to say, never a "kelas dibuka" banner followed by a failure.
        sock = listening_socket(self.host, self.port)
        web.run_app(
            self._make_app(), sock=sock, ssl_context=self.ssl_context,
            handle_signals=False, loop=loop, print=lambda *args: None,
            access_log=None,  # a line per request would bury the instructor's terminal
            shutdown_timeout=10,  # sessions were told to quit (on_shutdown); do not wait a minute
        )


async def no_icon(request: web.Request) -> web.Response:
    return web.Response(status=204)


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=128)


def session_command(db: str | None, content: str | None) -> str:
    """The command that starts one session's app process. textual-serve runs it through a shell:
    ``exec`` makes the app the server's own child, so the app sees when its server is gone."""
    argv = [sys.executable, "-m", "latsar"]
    if db:
        argv += ["--db", db]
    if content:
        argv += ["--content", content]
    argv.append("session")
    return "exec " + " ".join(shlex.quote(a) for a in argv)


def banner(host: str, port: int, https: bool, database: str, max_sessions: int, idle_minutes: int) -> list[str]:
    lines = ["latsar — kelas dibuka.", "Peserta membuka di browser:"]
    lines += [f"  {url}" for url in urls(host, port, https)]
    lines += [f"Basis data: {database}", f"Paling banyak {max_sessions} sesi sekaligus; sesi diam {idle_minutes} menit berakhir sendiri."]
    return lines
