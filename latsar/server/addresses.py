"""The addresses trainees type: this machine's LAN addresses, found without the internet."""

from __future__ import annotations

import socket


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine other than loopback, best first."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    return [a for i, a in enumerate(found) if a not in found[:i] and not a.startswith("127.")]


def urls(host: str, port: int, https: bool) -> list[str]:
    scheme = "https" if https else "http"
    if host in ("0.0.0.0", "::", ""):
        hosts = lan_addresses() or ["localhost"]
    else:
        hosts = [host]
    suffix = "" if port == (443 if https else 80) else f":{port}"
    return [f"{scheme}://{h}{suffix}/" for h in hosts]
