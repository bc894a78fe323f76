"""`latsar serve`: the classroom server; `latsar session`: one browser session's app (internal)."""

from pathlib import Path
from typing import Annotated, List, Optional

import typer


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengarkan (bawaan: semua alamat mesin ini).")] = "0.0.0.0",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    max_sessions: Annotated[int, typer.Option("--max-sessions", min=1, max=1000, help="Paling banyak sesi browser sekaligus.")] = 40,
    idle_minutes: Annotated[int, typer.Option("--idle-minutes", min=1, max=24 * 60, help="Sesi tanpa ketikan selama ini berakhir sendiri.")] = 30,
    certfile: Annotated[Optional[Path], typer.Option("--certfile", help="Sertifikat TLS (PEM) untuk HTTPS.")] = None,
    keyfile: Annotated[Optional[Path], typer.Option("--keyfile", help="Kunci privat TLS (PEM) untuk HTTPS.")] = None,
    proxy: Annotated[
        Optional[List[str]],
        typer.Option("--proxy", metavar="ALAMAT", help="Alamat reverse proxy (mis. nginx) yang dipercaya untuk X-Forwarded-For dan X-Forwarded-Proto; boleh berulang."),
    ] = None,
    login_seconds: Annotated[int, typer.Option("--login-seconds", min=1, max=3600, hidden=True)] = 120,
) -> None:
    import os

    from latsar.cli import settings
    from latsar.cli.common import services
    from latsar.errors import UsageError

    if (certfile is None) != (keyfile is None):
        raise UsageError("HTTPS perlu --certfile dan --keyfile bersama-sama.")
    for f in (certfile, keyfile):
        if f is not None and not f.is_file():
            raise UsageError(f"Berkas {f} tidak ditemukan.")
    svc = services(ctx)  # opens (and migrates) the database once, before any session starts
    database = svc.db.where
    if not svc.passphrase.exists():
        svc.close()
        raise UsageError("Kelas belum dibuka: buat dulu kata sandi pengampu dengan `latsar instructor passphrase`, lalu jalankan lagi `latsar serve`.")
    target = str(svc.db.path) if svc.db.path is not None else (settings(ctx).db or os.environ.get("LATSAR_DB", ""))
    course_title = svc.course.title
    svc.close()
    proxies = _addresses(proxy or [])
    os.environ["LATSAR_IDLE_MINUTES"] = str(idle_minutes)
    from latsar.server.forks import Zygote, zygote_argv
    from latsar.server.web import ClassroomServer, banner, session_command

    content = settings(ctx).content
    environ = dict(os.environ)
    server = ClassroomServer(
        host,
        port,
        max_sessions,
        Zygote(zygote_argv(target, content), environ) if os.environ.get("LATSAR_FORK", "1") != "0" else None,
        session_command(target, content),
        environ,
        certfile,
        keyfile,
        banner(host, port, certfile is not None, database, max_sessions, idle_minutes),
        proxies,
        login_seconds,
        course_title,
    )
    try:
        server.serve()
    except OSError as exc:
        raise UsageError(cannot_listen(exc, host, port)) from None


def _addresses(values: list[str]) -> list[str]:
    import ipaddress

    from latsar.errors import UsageError

    for value in values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise UsageError(f"--proxy {value}: bukan alamat IP (mis. --proxy 127.0.0.1).") from None
    return values


def cannot_listen(exc: OSError, host: str, port: int) -> str:
    import errno
    import socket

    from latsar.errors import os_reason

    if isinstance(exc, socket.gaierror):
        return f"Alamat {host} tidak dikenal; pakai --host dengan alamat mesin ini, atau biarkan bawaannya."
    return {
        errno.EADDRINUSE: f"Port {port} sudah dipakai program lain (mungkin latsar serve yang lain); pilih port lain dengan --port.",
        errno.EADDRNOTAVAIL: f"{host} bukan alamat mesin ini; pakai --host dengan salah satu alamatnya, atau biarkan bawaannya (semua alamat).",
        errno.EACCES: f"Port {port} hanya boleh dibuka administrator; pakai port di atas 1023, mis. --port 8000.",
    }.get(exc.errno or 0, f"Server tidak dapat dibuka di {host}:{port} ({os_reason(exc)}).")


def session(ctx: typer.Context) -> None:
    """One browser session of the classroom server: the app, starting at the login.

    `latsar [--db X] session` normally never reaches here: `latsar.launch` starts it on the fast
    path (no command tree, the collector held back during start-up, a quick exit)."""
    from latsar.cli import settings
    from latsar.tui.run import leave_at_once, run_tui

    leave_at_once(run_tui(settings(ctx).db, settings(ctx).content, serve=True))
