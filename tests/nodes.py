"""Several `latsar serve` nodes on one PostgreSQL behind Debian's nginx, configured as the
README says: sticky ``hash $remote_addr consistent``, the WebSocket upgrade, ``Host $http_host`` and the
``X-Forwarded-*`` headers, each node trusting the proxy with ``--proxy``. Used by
``tests/test_nodes.py`` and ``benchmarks/bench_serve.py --nodes 2``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.browser import Classroom, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

# The README's location block, word for word; around it, what a throwaway nginx needs to run
# from a temporary folder.
LOCATION = """        proxy_pass http://latsar;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 1h;"""

CONFIG = """worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream latsar {{ hash $remote_addr consistent; {servers} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
{location}
        }}
    }}
}}
"""


def nginx_unavailable() -> str | None:
    return None if NGINX else "Debian's nginx is not installed (.ci/run installs it)"


class Nginx:
    """nginx on a free port of 127.0.0.1, in front of the given node ports."""

    def __init__(self, folder: Path, ports: list[int]) -> None:
        assert NGINX is not None
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
        (folder / "nginx.conf").write_text(CONFIG.format(prefix=folder, servers=servers, port=self.port, location=LOCATION))
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        import socket

        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("nginx did not start: " + (self.process.stderr.read().decode() if self.process.stderr else "")) from None
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Nodes:
    """``n`` latsar serve nodes on the database ``url``, behind one nginx."""

    def __init__(self, url: str, home: Path, n: int = 2, *extra: str) -> None:
        self.nodes: list[Classroom] = []
        try:
            for i in range(n):
                folder = home / f"node{i + 1}"
                folder.mkdir(parents=True, exist_ok=True)
                self.nodes.append(Classroom(url, folder, "--proxy", "127.0.0.1", *extra))
            self.nginx = Nginx(home / "nginx", [node.port for node in self.nodes])
        except BaseException:
            self.stop()
            raise
        self.url = self.nginx.url

    def stop(self) -> None:
        if getattr(self, "nginx", None) is not None:
            self.nginx.stop()
        for node in self.nodes:
            node.stop()
