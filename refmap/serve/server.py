"""Running the desk: bind the port (one line and exit 2 when it is taken), print the URL with
its token, open a browser, serve with uvicorn until interrupted."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from refmap.errors import UsageError
from refmap.serve.app import create_app
from refmap.serve.desk import Desk
from refmap.serve.security import Hosts, Keys

if TYPE_CHECKING:
    from refmap.net.http import HttpClient

Network = Callable[[], "HttpClient"] | None

LOOPBACK = "127.0.0.1"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; UsageError when the port is in use or the host is not ours."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UsageError(f"--host: cannot use '{host}': {exc.strerror or exc}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise UsageError(f"--port: port {port} on {host} is already in use; pick another "
                             "with --port (0 picks a free one)") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


@dataclass
class Running:
    """A desk serving in this process (tests and the benchmark): its URL and how to stop it."""

    url: str
    keys: Keys
    stop: Callable[[], None]


def url_for(host: str, port: int, keys: Keys) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={keys.token}"


def make_server(desk: Desk, sock: socket.socket, keys: Keys, host: str,
                poll_ms: int = 1500, network: Network = None,
                cached: Network = None) -> tuple[object, str]:
    import uvicorn

    port = sock.getsockname()[1]
    app = create_app(desk, keys, Hosts(host, port), poll_ms, network, cached)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=1)
    return uvicorn.Server(config), url_for(host, port, keys)


def start_in_thread(desk: Desk, port: int = 0, poll_ms: int = 1500,
                    network: Network = None, cached: Network = None) -> Running:
    """Serve the desk from a background thread on 127.0.0.1 (for tests and benchmarks)."""
    import uvicorn

    sock = bind(LOOPBACK, port)
    keys = Keys()
    server, url = make_server(desk, sock, keys, LOOPBACK, poll_ms, network, cached)
    assert isinstance(server, uvicorn.Server)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(5)
        sock.close()

    return Running(url, keys, stop)


def serve(desk: Desk, host: str, port: int, announce: Callable[[str], None],
          open_browser: bool, poll_ms: int = 1500, network: Network = None,
          cached: Network = None) -> None:
    """Bind, announce the URL (the first line of output), open a browser, serve until
    interrupted."""
    import uvicorn

    sock = bind(host, port)
    keys = Keys()
    server, url = make_server(desk, sock, keys, host, poll_ms, network, cached)
    assert isinstance(server, uvicorn.Server)
    announce(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
