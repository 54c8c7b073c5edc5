"""One HTTP client for everything refmap fetches: redirects, deadlines, size caps, politeness.

Built on http.client rather than a third-party client: refmap needs few requests, and the
things it must control (a total deadline that a stalled body cannot escape, a decompression
cap that refuses a gzip bomb, redirects recorded hop by hop) are easier to get exactly right
by hand than to coax out of a general-purpose library.

Every failure is a FetchError (a RefmapError, so one line and exit 2 in the CLI) whose `kind`
says what went wrong; no raw socket or ssl exception escapes `fetch`.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import quote, urljoin, urlsplit

from refmap import __version__
from refmap.errors import RefmapError
from refmap.net.cache import DEFAULT_TTL, Cache

PERMANENT_REDIRECTS = frozenset({301, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
REDIRECTS = PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS
RETRY_STATUSES = frozenset({429, 503})
CONTACT_VARIABLE = "REFMAP_CONTACT"
"""Environment variable with a URL or address a site owner can reach, put in the User-Agent."""
CHUNK = 64 * 1024
TARGET_SAFE = "/?&=%:@!$'()*+,;~[]"
"""Characters a request target keeps as they are; quote() encodes the rest."""
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class FailureKind(StrEnum):
    """Why a fetch failed; link checking turns these into link states."""

    DNS = "dns"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    RESET = "reset"
    TLS = "tls"
    TIMEOUT = "timeout"
    TOO_LARGE = "too-large"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    REDIRECT_LOOP = "redirect-loop"
    BAD_ANSWER = "bad-answer"
    BAD_URL = "bad-url"
    OFFLINE = "offline"
    """Not in the cache, and the client may not use the network."""


class FetchError(RefmapError):
    """A request that got no usable answer; `kind` is the machine-readable reason."""

    def __init__(self, kind: FailureKind, url: str, detail: str) -> None:
        super().__init__(f"cannot fetch {url!r}: {detail}")
        self.kind = kind
        self.url = url
        self.detail = detail


@dataclass(frozen=True)
class Response:
    """A final answer (after redirects) with its whole, decoded body."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    headers: dict[str, str]
    """Header names lower-cased; repeated headers joined with ', '."""
    body: bytes
    """Decoded (gzip/deflate removed) body; empty for HEAD or when the body was not read."""
    redirects: list[tuple[int, str]] = field(default_factory=list)
    """Each redirect followed: its status and the URL it pointed to, in order."""
    from_cache: bool = False
    fetched_at: float | None = None
    """When the answer was fetched (seconds since the epoch): now, or when it was cached."""

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, lower-cased, if the server named one."""
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip().strip('"'):
                return value.strip().strip('"').lower()
        return None


class _Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes


def default_user_agent(contact: str | None = None) -> str:
    """'refmap/<version> (...)', naming a contact when one is given or set in REFMAP_CONTACT."""
    contact = contact or os.environ.get(CONTACT_VARIABLE)
    about = f"+{contact}" if contact else "claims-map source checker"
    return f"refmap/{__version__} ({about})"


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A Retry-After header in seconds from now: delta-seconds or an HTTP date; None if invalid."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class HostGate:
    """At most `limit` requests in flight per host, and a per-host 'not before' time.

    A 429 or 503 with Retry-After defers every later request to that host, not just the retry.
    """

    def __init__(self, limit: int, sleep: Callable[[float], None],
                 clock: Callable[[], float]) -> None:
        self.limit = max(1, limit)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[float]:
        """Hold one of the host's slots; yields the seconds waited for a deferral."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.limit))
        with semaphore:
            wait = self._not_before.get(host, 0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            yield max(0.0, wait)

    def defer(self, host: str, seconds: float) -> None:
        """No request to host before `seconds` from now."""
        with self._lock:
            until = self._clock() + seconds
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)


class _BodyDecoder:
    """Undo a Content-Encoding chunk by chunk, refusing to produce more than `cap` bytes."""

    def __init__(self, encoding: str | None, cap: int, url: str) -> None:
        self.encoding = (encoding or "identity").strip().lower()
        if self.encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
            raise FetchError(FailureKind.BAD_ANSWER, url,
                             f"unsupported content-encoding {self.encoding!r}")
        self.cap = cap
        self.url = url
        self.produced = 0
        self._inflater: zlib._Decompress | None = None
        if self.encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        if self.encoding in ("identity", ""):
            return self._count(data)
        if self._inflater is None:  # deflate: a zlib stream, or raw deflate from old servers
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        room = self.cap - self.produced
        try:
            out = self._inflater.decompress(data, room + 1)
        except zlib.error:
            raise FetchError(FailureKind.BAD_ANSWER, self.url,
                             f"corrupt {self.encoding} body") from None
        return self._count(out)

    def _count(self, out: bytes) -> bytes:
        self.produced += len(out)
        if self.produced > self.cap:
            raise FetchError(FailureKind.TOO_LARGE, self.url,
                             f"decoded body larger than {self.cap} bytes")
        return out


class HttpClient:
    """Fetches http(s) URLs politely, within a deadline and a size cap, through a cache.

    Thread-safe: link checking shares one client between its workers.
    """

    def __init__(self, timeout: float = 10.0, max_bytes: int = DEFAULT_MAX_BYTES,
                 user_agent: str | None = None, cache: Cache | None = None, *,
                 max_redirects: int = 10, per_host: int = 2, retries: int = 1,
                 max_retry_after: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 ssl_context: ssl.SSLContext | None = None, offline: bool = False) -> None:
        """offline: answer from the cache only; a miss is a FetchError of kind 'offline'."""
        self.timeout = timeout
        self.offline = offline
        self.max_bytes = max_bytes
        self.user_agent = user_agent or default_user_agent()
        self.cache = cache
        self.max_redirects = max_redirects
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.gate = HostGate(per_host, sleep, clock)
        self._sleep = sleep
        self._clock = clock
        self._ssl_context = ssl_context

    def fetch(self, url: str, method: str = "GET", accept: str = "*/*",
              read_body: bool = True) -> Response:
        """Fetch url, following redirects; raise FetchError when there is no usable answer.

        read_body=False stops after the headers (a link check needs no 50 MB body).
        """
        host_of(url)
        key = f"{method} {accept} {'body' if read_body else 'headers'} {url}"
        cached = self._from_cache(key, url)
        if cached is not None:
            return cached
        if self.offline:
            raise FetchError(FailureKind.OFFLINE, url, "not in the cache, and network access is off")
        deadline = self._clock() + self.timeout
        redirects: list[tuple[int, str]] = []
        seen, current = {url}, url
        while True:
            answer, waited = self._polite_exchange(current, method, accept, deadline, read_body)
            deadline += waited
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                break
            target = urljoin(current, location.strip())
            host_of(target)
            if target in seen:
                raise FetchError(FailureKind.REDIRECT_LOOP, url, f"redirect loop at {target!r}")
            if len(redirects) >= self.max_redirects:
                raise FetchError(FailureKind.TOO_MANY_REDIRECTS, url,
                                 f"more than {self.max_redirects} redirects")
            redirects.append((answer.status, target))
            seen.add(target)
            current = target
            if answer.status == 303 and method != "HEAD":
                method = "GET"
        response = Response(url, current, answer.status, answer.headers, answer.body, redirects,
                            fetched_at=time.time())
        self._to_cache(key, response)
        return response

    def _polite_exchange(self, url: str, method: str, accept: str, deadline: float,
                         read_body: bool) -> tuple[_Answer, float]:
        """One request through the host gate, retried after Retry-After on 429/503."""
        host = host_of(url)
        waited = 0.0
        for attempt in range(self.retries + 1):
            with self.gate.slot(host) as wait:
                waited += wait
                answer = self._exchange(url, method, accept, deadline + waited, read_body)
            delay = retry_after_seconds(answer.headers.get("retry-after"), time.time())
            if answer.status not in RETRY_STATUSES or delay is None:
                break
            self.gate.defer(host, min(delay, self.max_retry_after))
            if attempt == self.retries or delay > self.max_retry_after:
                break
        return answer, waited

    def _remaining(self, deadline: float, url: str) -> float:
        left = deadline - self._clock()
        if left <= 0:
            raise FetchError(FailureKind.TIMEOUT, url, f"no complete answer within {self.timeout:g} s")
        return left

    def _connection(self, url: str, deadline: float) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
        timeout = self._remaining(deadline, url)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            if self._ssl_context is None:  # loading the CA store is slow: once per client
                self._ssl_context = ssl.create_default_context()
            connection = http.client.HTTPSConnection(host, port, timeout=timeout,
                                                     context=self._ssl_context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # as browsers do: spaces and non-ASCII characters percent-encoded, escapes kept
        return connection, quote(target, safe=TARGET_SAFE)

    def _exchange(self, url: str, method: str, accept: str, deadline: float,
                  read_body: bool) -> _Answer:
        """One request and its answer, with every low-level failure turned into a FetchError."""
        connection, target = self._connection(url, deadline)
        headers = {"User-Agent": self.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate", "Connection": "close"}
        try:
            connection.connect()
            sock = connection.sock
            connection.request(method, target, headers=headers)
            reply = connection.getresponse()
            answer_headers = _header_dict(reply.getheaders())
            body = b""
            if read_body and method != "HEAD" and reply.status not in REDIRECTS:
                body = self._read_body(reply, sock, answer_headers, deadline, url)
            return _Answer(reply.status, answer_headers, body)
        except FetchError:
            raise
        except Exception as exc:
            raise _failure(exc, url, self.timeout) from None
        finally:
            connection.close()

    def _read_body(self, reply: http.client.HTTPResponse, sock: socket.socket,
                   headers: dict[str, str], deadline: float, url: str) -> bytes:
        """Read and decode the body chunk by chunk, within the deadline and the size cap."""
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(FailureKind.TOO_LARGE, url,
                             f"body of {length} bytes is larger than {self.max_bytes}")
        decoder = _BodyDecoder(headers.get("content-encoding"), self.max_bytes, url)
        parts: list[bytes] = []
        received = 0
        while True:
            sock.settimeout(self._remaining(deadline, url))
            chunk = reply.read1(CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > self.max_bytes:
                raise FetchError(FailureKind.TOO_LARGE, url, f"body larger than {self.max_bytes} bytes")
            parts.append(decoder.feed(chunk))
        if length.isdigit() and received < int(length):
            raise FetchError(FailureKind.RESET, url,
                             f"connection closed after {received} of {length} bytes")
        return b"".join(parts)

    def _from_cache(self, key: str, url: str) -> Response | None:
        entry = self.cache.get(key) if self.cache is not None else None
        if entry is None:
            return None
        meta = entry.meta
        try:
            return Response(url, str(meta["final_url"]), int(meta["status"]),
                            {str(k): str(v) for k, v in dict(meta["headers"]).items()},
                            entry.body, [(int(s), str(u)) for s, u in meta["redirects"]],
                            from_cache=True, fetched_at=float(meta["stored"]))
        except (KeyError, TypeError, ValueError):
            return None  # an entry from an older layout: ask again

    def _to_cache(self, key: str, response: Response) -> None:
        if self.cache is None or response.status >= 500 or response.status in RETRY_STATUSES:
            return
        meta = {"final_url": response.final_url, "status": response.status,
                "headers": response.headers, "redirects": response.redirects}
        self.cache.put(key, meta, response.body)


def _header_dict(pairs: list[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def host_of(url: str) -> str:
    """The host:port a URL talks to; a FetchError for anything but an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(FailureKind.BAD_URL, url, "not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(FailureKind.BAD_URL, url, "only absolute http and https URLs are fetched")
    return f"{parts.hostname}:{port or (443 if parts.scheme == 'https' else 80)}"


def _failure(exc: BaseException, url: str, timeout: float) -> FetchError:
    """The FetchError for a low-level exception raised while talking to a server."""
    if isinstance(exc, TimeoutError):
        return FetchError(FailureKind.TIMEOUT, url, f"no complete answer within {timeout:g} s")
    if isinstance(exc, socket.gaierror):
        return FetchError(FailureKind.DNS, url, "host name not found")
    if isinstance(exc, ConnectionRefusedError):
        return FetchError(FailureKind.REFUSED, url, "connection refused")
    if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return FetchError(FailureKind.TLS, url, f"TLS failure: {_reason(exc)}")
    if isinstance(exc, (ConnectionError, http.client.IncompleteRead)):
        return FetchError(FailureKind.RESET, url, "connection closed before a complete answer")
    if isinstance(exc, (http.client.HTTPException, UnicodeError)):
        return FetchError(FailureKind.BAD_ANSWER, url, f"malformed HTTP answer ({type(exc).__name__})")
    if isinstance(exc, OSError):
        return FetchError(FailureKind.UNREACHABLE, url, f"cannot connect: {_reason(exc)}")
    raise exc


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
    return repr(str(text))[1:-1]


def open_client(timeout: float = 10.0, cache_dir: str | None = None, use_cache: bool = True,
                cache_ttl: float = DEFAULT_TTL, max_bytes: int = DEFAULT_MAX_BYTES,
                user_agent: str | None = None, offline: bool = False,
                refresh: bool = False) -> HttpClient:
    """A client as the CLI's --timeout, --cache DIR, --no-cache, --refresh and --max-age
    options describe it.

    use_cache=False neither reads nor writes the cache; refresh=True writes it without
    reading it; cache_ttl is the age past which a cached answer is not used.
    The cache directory (default $XDG_CACHE_HOME/refmap) is opened and proved writable
    here, so an unusable one is a one-line error before any request is sent.
    """
    cache = Cache(cache_dir, ttl=cache_ttl, refresh=refresh) if use_cache else None
    return HttpClient(timeout=timeout, max_bytes=max_bytes, user_agent=user_agent, cache=cache,
                      offline=offline)
