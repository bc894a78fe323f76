"""`latsar serve`: one latsar app per browser session, forked from a parent that has already
imported everything (``latsar.server.forks``), spoken to over textual-serve's protocol.

What latsar adds to textual-serve's server:

- **Its own page**, with no font, script or style from any other host, and headers on every
  response (pages, downloads, errors): a Content-Security-Policy that lets the page connect to
  its own host only, ``no-store`` on everything but the static assets, no directory listings.
- **Only the page's own origin opens a session**: a WebSocket whose ``Origin`` is not the host
  the page was served from is refused, so a page elsewhere on the network cannot open sessions
  in a trainee's browser.
- **A cap that an attacker cannot fill for long**: at most ``max_sessions`` sessions; a session
  that nobody signs into within ``login_seconds`` (of opening, or of signing out) is closed, one
  device may hold at most ``PENDING_PER_ADDRESS`` sessions at the login at once, and a trainee
  has one session: signing in again (another tab, another device) ends the earlier one, whose
  answers are kept. One trainee's PIN holds one place, not the class.
- **The browser's address as the session's source** (for the guessing limits of PINs and the
  passphrase), taken from ``X-Forwarded-For`` only when the request comes through a proxy the
  instructor named (``--proxy``); likewise the scheme (``X-Forwarded-Proto``). Every page is
  built from its own request: nothing one request says is kept for the next.
- HTTPS when given a certificate, a clear page when the class is full, and a start-up banner in
  the room's language with the addresses trainees type.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import re
import socket
import ssl
import sys
import time
import uuid
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from msgspec import Struct, field
from textual_serve.app_service import AppService
from textual_serve.server import Server

from latsar.server.addresses import urls
from latsar.server.forks import SESSION_ENVIRONMENT, Refused, Streams, Zygote, start_session

log = logging.getLogger("latsar.serve")

LOGIN_SECONDS = 120  # a session nobody signs into is closed after this long
READY = "Siap: peserta dapat masuk."
PENDING_PER_ADDRESS = 3  # sessions at the login from one device at once
HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")
TERMINAL_LIMITS = (10, 1000)  # columns or rows a browser may ask for


def textual_serve_static() -> Path:
    """textual-serve's own assets (xterm, textual.js, the Roboto Mono font), from the package."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def csp(host: str) -> str:
    """The page's Content-Security-Policy: everything from this server, sockets to this host only."""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self'; connect-src 'self' ws://{host} wss://{host}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def same_host(origin: str, host: str, scheme: str) -> bool:
    """Whether a WebSocket's ``Origin`` is the page's own host (default ports ignored)."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False

    def plain(netloc: str, scheme: str) -> str:
        netloc = netloc.lower()
        default = ":443" if scheme == "https" else ":80"
        return netloc[: -len(default)] if netloc.endswith(default) else netloc

    return plain(parts.netloc, parts.scheme) == plain(host, scheme)


def device(address: str) -> str:
    """The source a browser's address stands for, for the limits per device: an IPv4 address
    as itself, also when a dual-stack socket reports it as ``::ffff:a.b.c.d``. An IPv6 address
    stays itself: a classroom's devices share one /64, so counting prefixes would make the whole
    class one device (a device can take many addresses in its /64, which the README says)."""
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


TAKEN_OVER = "Anda masuk lagi di tab atau perangkat lain; sesi ini berakhir di sini."
NOBODY_SIGNED_IN = "Tidak ada yang masuk dalam {seconds:.0f} detik; tempatnya diberikan ke peserta lain."
ENDED_BY_SERVER = 4001  # the WebSocket close code of a session the server ended (its reason says why)
KEYS_BURST = 32 * 1024  # characters a browser may send at once (a pasted journal entry is a few thousand)
KEYS_PER_SECOND = 8 * 1024  # and, on average, each second after: a person types a few dozen
LAYOUT_COST = 256  # a resize, focus or blur, counted as this many characters
STOP_SECONDS = 10  # a session asked to end that has not ended by then is killed


async def stop_within(service: AppService, session: Session) -> None:
    """End a session: its app is asked to quit (keeping its trainee's answers); one that does
    not within ``STOP_SECONDS`` (hung) is killed, so its place is given back all the same."""
    import os
    import signal

    try:
        await asyncio.wait_for(asyncio.shield(service.stop()), STOP_SECONDS)
    except TimeoutError:
        log.warning("sesi %s tidak berhenti dalam %d detik: dihentikan paksa", session.id[:8], STOP_SECONDS)
        if session.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(session.pid, signal.SIGKILL)
    except Exception as error:  # already ended, say
        log.info("sesi %s: %s", session.id[:8], error)


class KeyBudget:
    """How many characters a session's browser may still send: ``KEYS_BURST`` at once, refilled
    at ``KEYS_PER_SECOND``. A message beyond it is dropped whole (never cut inside a key)."""

    def __init__(self) -> None:
        self.left, self.at = float(KEYS_BURST), time.monotonic()

    def allows(self, n: int) -> bool:
        now = time.monotonic()
        self.left, self.at = min(float(KEYS_BURST), self.left + (now - self.at) * KEYS_PER_SECOND), now
        if n > self.left:
            return False
        self.left -= n
        return True


class Session(Struct):
    """One browser session, as the server keeps it."""

    address: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    opened: float = field(default_factory=time.monotonic)
    signed_in: bool = False  # a trainee (or the instructor) signed in: no login deadline
    who: str | None = None  # "learner:ID" or "instructor", as the session's app says
    pid: int | None = None
    out: asyncio.Event = field(default_factory=asyncio.Event)  # set when whoever signed in signs out
    ended_because: str = ""  # why the server ended it, for the browser's page (the socket's close reason)


class Client(Struct, frozen=True):
    """Who is asking: their address, and the scheme and host their browser used."""

    address: str
    scheme: str
    host: str


class SessionService(AppService):
    """textual-serve's link to one session's app, with the app forked instead of started, and
    the session's own meta packets (``latsar.tui.driver``) read."""

    def __init__(self, server: ClassroomServer, session: Session, **kwargs: Any) -> None:
        super().__init__(server.command, **kwargs)
        self.server = server
        self.session = session
        self._stopping = asyncio.Lock()

    async def stop(self) -> None:
        """Ended once, whoever asks first (a takeover, the login's limit, the socket closing)."""
        async with self._stopping:
            await super().stop()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        facts = {"width": width, "height": height, "session": self.session.id, "client": self.session.address}
        environ = {
            **self.server.environ, **SESSION_ENVIRONMENT, "COLUMNS": str(width), "ROWS": str(height),
            "LATSAR_SESSION": self.session.id, "LATSAR_CLIENT": self.session.address,
        }
        streams: Streams = await start_session(self.server.zygote, facts, self.server.fallback, environ)
        self.session.pid = streams.pid
        self._stdin = streams.stdin
        self._process = streams  # type: ignore[assignment]  # what run() reads: stdin, stdout, stderr
        return streams

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if isinstance(meta, dict) and meta.get("type") == "latsar":
            who = meta.get("who")
            if meta.get("event") == "signed-in":
                self.server.signed_in(self.session, who if isinstance(who, str) else None)
            elif meta.get("event") == "signed-out":
                self.server.signed_out(self.session)
            return
        await super().on_meta(data)

    async def run(self) -> None:
        await super().run()
        # The app has ended, or died: the browser is told, instead of showing a frozen screen.
        with contextlib.suppress(Exception):
            await self.remote_close()


class ClassroomServer(Server):
    def __init__(
        self,
        host: str,
        port: int,
        max_sessions: int,
        zygote: Zygote | None,
        fallback: list[str],
        environ: dict[str, str],
        certfile: Path | None = None,
        keyfile: Path | None = None,
        banner: list[str] | None = None,
        proxies: Iterable[str] = (),
        login_seconds: float = LOGIN_SECONDS,
        course_title: str = "",
    ) -> None:
        https = certfile is not None
        super().__init__(
            " ".join(fallback),
            host=host,
            port=port,
            title=f"latsar — {course_title}" if course_title else "latsar",
            statics_path=textual_serve_static(),
            templates_path=Path(str(files("latsar.server") / "templates")),
        )
        self.max_sessions = max_sessions
        self.zygote = zygote
        self.fallback = fallback
        self.environ = environ
        self.ssl_context = self._ssl(certfile, keyfile) if https else None
        self.banner = banner or []
        self.https = https
        self.proxies = {ipaddress.ip_address(p) for p in proxies}
        self.login_seconds = login_seconds
        self.sessions: dict[str, Session] = {}
        self.services: dict[str, SessionService] = {}
        self._background: set[asyncio.Future[Any]] = set()  # sessions being ended
        self._tasks: set[asyncio.Task[Any]] = set()  # one per open browser session
        self._preparing: asyncio.Task[None] | None = None

    @staticmethod
    def _ssl(certfile: Path | None, keyfile: Path | None) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
        return context

    # -- who is asking ----------------------------------------------------------------------------

    def client(self, request: web.Request) -> Client:
        """The browser's address, scheme and host: from the proxy's headers when the request came
        through a proxy the instructor named, else from the connection itself."""
        raw = request.remote or "?"
        remote = device(raw)
        scheme = "https" if self.https else "http"
        try:
            ip = ipaddress.ip_address(raw.split("%", 1)[0])
            proxied = ip in self.proxies or (isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped in self.proxies)
        except ValueError:
            proxied = False
        if proxied:
            forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
            remote = device(forwarded[-1]) if forwarded else remote
            proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
            scheme = proto if proto in ("http", "https") else scheme
        return Client(remote, scheme, request.host)

    def signed_in(self, session: Session, who: str | None) -> None:
        """Someone signed into ``session``. A trainee has one session: any other session of
        theirs is ended (its app quits and keeps their answers)."""
        session.signed_in, session.who = True, who
        session.out.clear()
        if who is None or not who.startswith("learner:"):
            return  # the instructor may watch from the projector and their own laptop
        for other in list(self.sessions.values()):
            if other is not session and other.who == who:
                other.who = None
                service = self.services.get(other.id)
                if service is not None:
                    log.info("sesi %s ditutup: %s masuk dari sesi lain", other.id[:8], who)
                    other.ended_because = TAKEN_OVER
                    self._spawn(stop_within(service, other))

    def signed_out(self, session: Session) -> None:
        """Back at the login: the login's time limit and the device's count apply again."""
        session.signed_in, session.who, session.opened = False, None, time.monotonic()
        session.out.set()

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def pending(self, address: str) -> int:
        return sum(1 for s in self.sessions.values() if s.address == address and not s.signed_in)

    # -- pages ------------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.sane_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
            web.get("/favicon.ico", no_icon),  # browsers ask for one: no 404 in their console
        ])
        app.on_response_prepare.append(self.headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def sane_host(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """A Host header that is a host name or address (and a port): it is written into the page."""
        if not HOST.match(request.host or ""):
            raise web.HTTPBadRequest(text="Alamat (Host) tidak sah.")
        response: web.StreamResponse = await handler(request)
        return response

    async def headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """On every response, whatever made it (a page, a download, an error, the WebSocket's)."""
        host = request.host if HOST.match(request.host or "") else "invalid"
        h = response.headers
        h.setdefault("Content-Security-Policy", csp(host))
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "no-referrer")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith("/static/") and response.status == 200:
            h.setdefault("Cache-Control", "public, max-age=3600")  # xterm, textual.js, the font: nobody's data
        else:
            h["Cache-Control"] = "no-store"

    def page(self, request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
        return aiohttp_jinja2.render_template(template, request, {"name": self.title, **context}, status=status)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The app's page, built from this request alone; or a clear page when the class is full
        or this device already has sessions waiting at the login."""
        client = self.client(request)
        if len(self.sessions) >= self.max_sessions:
            return self.page(request, "full.html", {"sessions": len(self.sessions), "cap": self.max_sessions}, status=503)
        if self.pending(client.address) >= PENDING_PER_ADDRESS:
            return self.page(request, "waiting.html", {"pending": PENDING_PER_ADDRESS}, status=429)
        base = f"{client.scheme}://{client.host}"
        socket_url = ("wss" if client.scheme == "https" else "ws") + f"://{client.host}/ws"
        font_size = max(8, min(32, _int(request.query.get("fontsize", "16"), 16)))
        return self.page(request, "app_index.html", {
            "font_size": font_size,
            "app_websocket_url": socket_url,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        })

    # -- sessions ---------------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        client = self.client(request)
        if not same_host(request.headers.get("Origin", ""), client.host, client.scheme):
            log.warning("sesi ditolak: asal %r bukan %s", request.headers.get("Origin", "")[:100], client.host)
            raise web.HTTPForbidden(text="Sesi hanya dapat dibuka dari halaman kelas ini.")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await websocket.prepare(request)
        if len(self.sessions) >= self.max_sessions:
            await websocket.close(code=1013, message=b"kelas penuh")
            return websocket
        if self.pending(client.address) >= PENDING_PER_ADDRESS:
            await websocket.close(code=1008, message=b"terlalu banyak sesi belum masuk dari perangkat ini")
            return websocket
        session = Session(client.address)
        width = _clamp(_int(request.query.get("width", "80"), 80))
        height = _clamp(_int(request.query.get("height", "24"), 24))
        task = asyncio.current_task()
        assert task is not None  # aiohttp runs every handler in a task of its own
        self.sessions[session.id] = session
        self._tasks.add(task)
        async def close() -> None:  # with the reason the page shows, when the server ended it
            if session.ended_because:
                await websocket.close(code=ENDED_BY_SERVER, message=session.ended_because.encode()[:120])
            else:
                await websocket.close()

        service = SessionService(
            self, session, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=close, download_manager=self.download_manager, debug=self.debug,
        )
        self.services[session.id] = service
        deadline = asyncio.create_task(self._login_deadline(session, service))
        try:
            try:
                await service.start(width, height)
            except Refused as exc:
                log.warning("sesi tidak dapat dimulai: %s", exc)
                await websocket.send_bytes(f"\r\nlatsar: {exc}\r\n".encode())
                return websocket
            try:
                await self._messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a session's fault is that session's: logged, the class goes on
            log.error("sesi berakhir karena galat: %s", error)
        finally:
            deadline.cancel()
            self.sessions.pop(session.id, None)
            self.services.pop(session.id, None)
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                await service.stop()
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def _login_deadline(self, session: Session, service: SessionService) -> None:
        """A session nobody signs into (or back into, after signing out) gives its place back."""
        while True:
            await asyncio.sleep(max(0.0, session.opened + self.login_seconds - time.monotonic()))
            if not session.signed_in and time.monotonic() >= session.opened + self.login_seconds:
                session.ended_because = NOBODY_SIGNED_IN.format(seconds=self.login_seconds)
                log.info("sesi %s ditutup: tidak ada yang masuk dalam %d detik", session.id[:8], self.login_seconds)
                await stop_within(service, session)
                return
            if session.signed_in:
                await session.out.wait()  # until they sign out: then the clock starts again

    async def _messages(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """What the browser sends (textual.js): keys, sizes, pings, focus. Anything malformed is
        ignored, never a traceback in the instructor's terminal."""
        keys = KeyBudget()
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if isinstance(envelope, list) and envelope:
                await self._message(websocket, service, keys, envelope[0], envelope[1] if len(envelope) > 1 else None)

    @staticmethod
    async def _message(websocket: web.WebSocketResponse, service: AppService, keys: KeyBudget, kind: Any, data: Any) -> None:
        if kind == "stdin" and isinstance(data, str):
            if keys.allows(len(data)):  # a flood of keys would take a core from the class: dropped
                await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind in ("resize", "focus", "blur") and not keys.allows(LAYOUT_COST):
            return  # each makes the app lay out again: counted against the same budget
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_clamp(_int(data.get("width"), 80)), _clamp(_int(data.get("height"), 24)))
        elif kind == "ping" and isinstance(data, str | int | float):
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping the class (Ctrl+C, systemctl stop): every session is told to quit, keeping what
        its trainee did, instead of the server waiting for the browsers to leave."""
        for task in list(self._tasks):
            task.cancel()

    # -- running ----------------------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        for line in self.banner:
            self.console.print(line, highlight=False)
        self.console.print("Tekan Ctrl+C untuk berhenti. Jawaban yang sudah diberikan tetap tersimpan.")
        self._preparing = asyncio.create_task(self._prepare())

    async def _prepare(self) -> None:
        if self.zygote is not None:
            await self.zygote.prepare()
        self.console.print(READY, highlight=False)

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
        try:
            web.run_app(
                self._make_app(), sock=sock, ssl_context=self.ssl_context,
                handle_signals=False, loop=loop, print=lambda *args: None,
                access_log=None,  # a line per request would bury the instructor's terminal
                shutdown_timeout=10,  # sessions were told to quit (on_shutdown); do not wait a minute
            )
        finally:
            if self.zygote is not None:
                self.zygote.stop()


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _clamp(value: int) -> int:
    low, high = TERMINAL_LIMITS
    return max(low, min(high, value))


async def no_icon(request: web.Request) -> web.Response:
    return web.Response(status=204)


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=1024)


def session_command(db: str | None, content: str | None) -> list[str]:
    """The command that starts one session's app as a process of its own, when no session
    parent can fork it."""
    argv = [sys.executable, "-m", "latsar"]
    if db:
        argv += ["--db", db]
    if content:
        argv += ["--content", content]
    argv.append("session")
    return argv


KSM_RUN = Path("/sys/kernel/mm/ksm/run")  # Linux's same-page merging: "1" when it runs
KSM_PACE = 1000  # pages per round (every 20 ms) that merged 80 and 120 sessions within 5 minutes


def banner(host: str, port: int, https: bool, database: str, max_sessions: int, idle_minutes: int, ksm: Path = KSM_RUN) -> list[str]:
    lines = ["latsar — kelas dibuka.", "Peserta membuka di browser:"]
    lines += [f"  {url}" for url in urls(host, port, https)]
    lines += [f"Basis data: {database}", f"Paling banyak {max_sessions} sesi sekaligus; sesi diam {idle_minutes} menit berakhir sendiri."]
    try:
        merging = ksm.read_text().strip() == "1"
        pace = int((ksm.parent / "pages_to_scan").read_text()) if merging else 0
    except (OSError, ValueError):  # not Linux, or a kernel without it: nothing to advise
        return lines
    if not merging:
        lines.append("Memori: KSM Linux mati, jadi setiap sesi memakai ~45 MB; nyalakan (lihat README, Memori sesi) agar ~25 MB.")
    elif pace < KSM_PACE:
        lines.append(f"Memori: KSM menyala tetapi lambat ({pace} halaman per putaran); dengan {KSM_PACE} sesi kelas tergabung dalam beberapa menit (lihat README).")
    return lines
