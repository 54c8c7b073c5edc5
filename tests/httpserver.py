"""A programmable HTTP server on 127.0.0.1 for tests that must never reach the network.

    server = LocalServer()                      # or the `http_server` fixture
    server.route("/page", body=b"<p>hi</p>", headers={"Content-Type": "text/html"})
    server.route("/slow", delay=5)              # answers after 5 s (or when the server stops)
    server.route("/old", status=301, headers={"Location": "/page"})
    server.route("/busy", status=429, headers={"Retry-After": "1"})
    server.route("/busy", body=b"ok")           # a second answer for the same path: queued
    server.route("/page", method="HEAD", status=405)   # only for HEAD
    server.url("/page")  -> "http://127.0.0.1:PORT/page"
    server.requests      -> [Request(method, path, headers), ...] in arrival order

Answers for one path queue up: each request takes the next, and the last one repeats. A body
may be bytes or an iterable of chunks (streamed, close-delimited unless a Content-Length header
is given), so a 50 MB answer never sits in memory; `stall_after` and `repeat_bytes` build such
bodies. `latency` delays every answer (the link-checking benchmark uses it).
"""

from __future__ import annotations

import functools
import ssl
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest


@dataclass
class Answer:
    """What the server sends for a route."""

    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    """Bytes, or a function returning the chunks (called anew for every request)."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering."""


class Request(NamedTuple):
    method: str
    path: str
    """Path with query string, as sent."""
    headers: dict[str, str]


class LocalServer:
    """A ThreadingHTTPServer on a loopback address and port 0, with routes set by the test."""

    def __init__(self, host: str = "127.0.0.1", latency: float = 0.0,
                 tls: ssl.SSLContext | None = None) -> None:
        """tls: a server-side context (see `tls_pair`) to serve https instead of http."""
        self.latency = latency
        self.scheme = "https" if tls else "http"
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._routes: dict[tuple[str | None, str], list[Answer]] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def route(self, path: str, status: int = 200, body: bytes | Callable[[], Iterable[bytes]] = b"",
              headers: dict[str, str] | None = None, delay: float = 0.0,
              method: str | None = None) -> None:
        """Add an answer for path (for one method, or all when method is None); a query is ignored."""
        answer = Answer(status, body, dict(headers or {}), delay)
        with self._lock:
            self._routes.setdefault((method, urlsplit(path).path), []).append(answer)

    def replace(self, path: str, status: int = 200, body: bytes = b"",
                headers: dict[str, str] | None = None) -> None:
        """Answer path (every method) with this from now on: the page has changed."""
        with self._lock:
            for key in [k for k in self._routes if k[1] == urlsplit(path).path]:
                del self._routes[key]
        self.route(path, status, body, headers)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.route(path, status=status, headers={"Location": to})

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def answer_for(self, method: str, path: str) -> Answer:
        key = urlsplit(path).path
        with self._lock:
            queue = self._routes.get((method, key)) or self._routes.get((None, key))
            if not queue:
                return Answer(404, b"not found", {"Content-Type": "text/plain"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def hits(self, path: str, method: str | None = None) -> int:
        """How many requests asked for path (query ignored), of one method or any."""
        return sum(1 for r in self.requests if urlsplit(r.path).path == path
                   and (method is None or r.method == method))

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def handle_one(self) -> None:
            with server._lock:
                server.requests.append(Request(self.command, self.path, dict(self.headers)))
            answer = server.answer_for(self.command, self.path)
            if server.stopping.wait(server.latency + answer.delay):
                return
            try:
                self._send(answer)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout or a size cap): that is the test's point

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            headers = dict(answer.headers)
            body = answer.body
            if isinstance(body, bytes) and "Content-Length" not in headers:
                headers["Content-Length"] = str(len(body))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            chunks: Iterable[bytes] = [body] if isinstance(body, bytes) else body()
            for chunk in chunks:
                if server.stopping.is_set():
                    return
                self.wfile.write(chunk)

        do_GET = do_HEAD = do_POST = handle_one

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def repeat_bytes(total: int, chunk: bytes = b"x" * 65536) -> Callable[[], Iterator[bytes]]:
    """A streamed body of `total` bytes, made of one reused chunk."""

    def chunks() -> Iterator[bytes]:
        left = total
        while left > 0:
            piece = chunk[:left]
            left -= len(piece)
            yield piece

    return chunks


def stall_after(first: bytes, seconds: float, stop: threading.Event) -> Callable[[], Iterator[bytes]]:
    """A body that sends `first`, then stalls for `seconds` (or until the server stops)."""

    def chunks() -> Iterator[bytes]:
        yield first
        stop.wait(seconds)
        yield b"too late"

    return chunks


@functools.lru_cache(maxsize=4)
def gzip_bomb(decoded_size: int) -> bytes:
    """A small gzip stream (about 1/1000 of the size) that expands to `decoded_size` zeros."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    whole, rest = divmod(decoded_size, len(block))
    parts = [deflater.compress(block) for _ in range(whole)]
    parts += [deflater.compress(block[:rest]), deflater.flush()]
    return b"".join(parts)


def tls_pair() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for 127.0.0.1 and a client context that trusts it.

    trustme makes a throwaway certificate authority; nothing is written outside memory
    but the temporary files ssl needs.
    """
    import trustme

    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    client = ssl.create_default_context()
    authority.configure_trust(client)
    return server, client


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A fresh LocalServer for one test, stopped afterwards."""
    server = LocalServer()
    yield server
    server.close()
