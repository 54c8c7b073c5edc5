"""The desk's guards: the URL token on every request, the Host a request names (against DNS
rebinding), the same origin and a per-page anti-forgery token for writes, and the headers
every response carries (a strict CSP: only the package's own script and style)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
TOKEN_HEADER = "x-refmap-token"
CSRF_HEADER = "x-refmap-csrf"


class Keys:
    """The desk's secrets: the URL token and the key that signs per-page write tokens."""

    def __init__(self, token: str | None = None):
        self.token = token or secrets.token_urlsafe(24)
        self._key = secrets.token_bytes(32)

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def page_token(self) -> str:
        """A fresh anti-forgery token for one page: a nonce and its signature."""
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._sign(nonce)}"

    def page_token_ok(self, given: str | None) -> bool:
        if not given or "." not in given:
            return False
        nonce, signature = given.rsplit(".", 1)
        return hmac.compare_digest(signature.encode(), self._sign(nonce).encode())

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()


def header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", ()):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return None


def request_token(scope: Scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    values = query.get("token")
    return values[0] if values else header(scope, TOKEN_HEADER)


class Hosts:
    """The Host headers the desk answers. Bound to one address: that address and port (and
    localhost for the loopback address). Bound to every address (--host 0.0.0.0 or ::): any
    IP address with the port, and localhost, never a DNS name, so a page that rebinds its own
    name to the desk's address is still refused."""

    def __init__(self, host: str, port: int):
        self.port = port
        self.wildcard = host in ("0.0.0.0", "::")
        shown = f"[{host}]" if ":" in host else host
        self.exact = {f"{shown}:{port}"}
        if host in ("127.0.0.1", "::1") or self.wildcard:
            self.exact.add(f"localhost:{port}")

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        if value in self.exact:
            return True
        if not self.wildcard:
            return False
        name, _, port = value.rpartition(":")
        if port != str(self.port):
            return False
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return True


class Guard:
    """ASGI middleware: 403 for a request without the token or naming a host the desk does
    not serve; security headers on every response."""

    def __init__(self, app: ASGIApp, keys: Keys, hosts: Hosts):
        self.app = app
        self.keys = keys
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        host = header(scope, "host")
        if host not in self.hosts:
            await _deny(with_headers, "unknown host")
        elif not self.keys.token_ok(request_token(scope)):
            await _deny(with_headers, "missing or wrong token: open the URL refmap serve printed")
        else:
            await self.app(scope, receive, with_headers)


async def _deny(send: Send, why: str) -> None:
    body = f"403 Forbidden: {why}\n".encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def write_refusal(scope: Scope, keys: Keys) -> str | None:
    """Why a write request is refused (None when it may go on): it must come from a page of
    this desk (its Origin is the Host the Guard let in) and carry that page's anti-forgery
    token."""
    origin = header(scope, "origin")
    if origin is None or origin != f"http://{header(scope, 'host')}":
        return "cross-origin write refused"
    site = header(scope, "sec-fetch-site")
    if site is not None and site != "same-origin":
        return "cross-site write refused"
    if not keys.page_token_ok(header(scope, CSRF_HEADER)):
        return "missing or wrong page token: reload the page"
    return None
