"""A TCP server on 127.0.0.1 that plays raw bytes, for answers no HTTP server library sends:
a status line dripped a byte at a time, a Location header of raw UTF-8 bytes.

    server = RawServer(drip(b"HTTP/1.1 200 OK\\r\\n", every=0.05))
    server.url("/x")   -> "http://127.0.0.1:PORT/x"
    server.close()

Each connection runs `play(sock, stopping)` on its own thread; `stopping` is set when the
server closes, so a dripping answer ends with the test.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

Play = Callable[[socket.socket, threading.Event], None]


class RawServer:
    def __init__(self, play: Play) -> None:
        self.play = play
        self.stopping = threading.Event()
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(sock,), daemon=True).start()

    def _one(self, sock: socket.socket) -> None:
        with sock:
            try:
                sock.settimeout(5)
                sock.recv(65536)  # the request: its content does not matter here
                self.play(sock, self.stopping)
            except OSError:
                pass  # the client gave up: that is what these tests are about

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()
        self._thread.join(2)


def drip(data: bytes, every: float) -> Play:
    """Send `data` one byte at a time, `every` seconds apart, then keep dripping spaces."""

    def play(sock: socket.socket, stopping: threading.Event) -> None:
        position = 0
        while not stopping.wait(every):
            sock.sendall(data[position:position + 1] if position < len(data) else b" ")
            position += 1

    return play


def answer(raw: bytes) -> Play:
    """Send one whole raw answer and close."""

    def play(sock: socket.socket, stopping: threading.Event) -> None:
        sock.sendall(raw)

    return play


@pytest.fixture
def raw_server() -> Iterator[Callable[[Play], RawServer]]:
    """A factory of RawServers, all closed after the test."""
    servers: list[RawServer] = []

    def start(play: Play) -> RawServer:
        servers.append(RawServer(play))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
