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
import io
import math
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
from urllib.parse import quote, urlsplit

from refmap import __version__
from refmap.errors import RefmapError
from refmap.net.addresses import resolve
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
MAX_TIMEOUTS = 3
"""Timeouts in a row after which a host is not asked again in the same run."""
DEFAULT_MAX_WAIT = 60.0
"""Seconds a run may spend in all waiting that servers ask for with Retry-After."""


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
    PRIVATE = "private"
    """The host is on a loopback, link-local or private address, and those are not allowed."""
    RATE_LIMITED = "rate-limited"
    """The host asked for more waiting (Retry-After) than the run allows."""
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
    if text.isascii() and text.isdigit():
        return float(text) if len(text) < 12 else math.inf  # no 4,300-digit int() either
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class HostGate:
    """At most `limit` requests in flight per host, a per-host 'not before' time, and one
    budget of waiting for the whole run.

    A 429 or 503 with Retry-After defers every later request to that host, not just the retry.
    Each deferral is charged to the budget once (however many requests then wait on it), so
    waits cannot compound: a host that asks for more than is left is given up, and every later
    request to it fails at once with kind 'rate-limited'.
    """

    def __init__(self, limit: int, sleep: Callable[[float], None],
                 clock: Callable[[], float], budget: float = DEFAULT_MAX_WAIT) -> None:
        self.limit = max(1, limit)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}
        self._given_up: dict[str, tuple[FailureKind, str]] = {}
        self._timeouts: dict[str, int] = {}
        self.budget = budget
        """Seconds of Retry-After waiting left for the run."""

    @contextmanager
    def slot(self, host: str, url: str) -> Iterator[float]:
        """Hold one of the host's slots; yields the seconds waited for a deferral."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.limit))
        with semaphore:
            given_up = self._given_up.get(host)
            if given_up is not None:
                raise FetchError(given_up[0], url, given_up[1])
            wait = self._not_before.get(host, 0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            yield max(0.0, wait)

    def defer(self, host: str, seconds: float) -> bool:
        """No request to host before `seconds` from now; False (and the host given up) when
        the run's budget of waiting cannot pay for it."""
        with self._lock:
            now = self._clock()
            extra = now + seconds - max(self._not_before.get(host, 0.0), now)
            if extra <= 0:
                return True
            if extra > self.budget:
                self._given_up.setdefault(host, (FailureKind.RATE_LIMITED,
                    f"the host asked to wait {seconds:g} s (Retry-After), more than the "
                          f"{max(self.budget, 0):g} s of waiting left in this run"))
                return False
            self.budget -= extra
            self._not_before[host] = now + seconds
            return True

    def give_up(self, host: str, reason: str,
                kind: FailureKind = FailureKind.RATE_LIMITED) -> None:
        """Send no more requests to host in this run; each fails at once with kind and reason."""
        with self._lock:
            self._given_up.setdefault(host, (kind, reason))

    def answered(self, host: str, timed_out: bool) -> None:
        """Count a host's timeouts in a row: one that keeps every request waiting the whole
        deadline (a server dripping its answers) is given up after MAX_TIMEOUTS of them, so
        its links cost the deadline a few times, not once each."""
        with self._lock:
            count = self._timeouts.get(host, 0) + 1 if timed_out else 0
            self._timeouts[host] = count
            if count >= MAX_TIMEOUTS:
                self._given_up.setdefault(host, (FailureKind.TIMEOUT, (
                    f"the host timed out {count} times in a row in this run; not asked again")))


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side where every read gets only the time left before the deadline,
    so a server dripping its status line, headers or body a byte at a time is cut off."""

    def __init__(self, sock: socket.socket, left: Callable[[], float]) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._left = left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self._sock.settimeout(self._left())
        count: int | None = self._raw.readinto(buffer)
        return count or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """The connected socket as http.client sees it: sends and reads within the deadline."""

    def __init__(self, sock: socket.socket, left: Callable[[], float]) -> None:
        self._sock = sock
        self._left = left

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._left())
        self._sock.sendall(data)

    def makefile(self, mode: str, *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._left))

    def close(self) -> None:
        self._sock.close()  # the socket closes once its reader is closed too


class _Connection(http.client.HTTPConnection):
    """An HTTP connection that resolves its host within the deadline, refuses private
    addresses unless allowed, and reads within the deadline."""

    def __init__(self, host: str, port: int | None, *, left: Callable[[], float],
                 allow_private: bool, url: str, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(host, port, timeout=left())
        self._left = left
        self._allow_private = allow_private
        self._url = url
        self._ssl_context = ssl_context

    def connect(self) -> None:
        try:
            resolved = resolve(self.host, self.port, self._left(), self._allow_private)
        except UnicodeError:
            raise FetchError(FailureKind.BAD_URL, self._url, "the host name is not valid") from None
        if not resolved.allowed:
            if not resolved.refused:
                raise socket.gaierror("no address")
            raise FetchError(FailureKind.PRIVATE, self._url,
                             f"{self.host} is on a private address ({resolved.refused[0]}); "
                             "pass --allow-private to fetch it")
        sock = self._connect_any(resolved.allowed)
        if self._ssl_context is not None:  # ssl bounds the whole handshake by the timeout
            sock.settimeout(self._left())
            sock = self._ssl_context.wrap_socket(sock, server_hostname=self.host)
        self.sock = _DeadlineSocket(sock, self._left)

    def _connect_any(self, addresses: list[tuple[int, str]]) -> socket.socket:
        failure: OSError | None = None
        for _family, address in addresses:
            try:
                sock = socket.create_connection((address, self.port), timeout=self._left())
            except OSError as error:
                failure = error
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        assert failure is not None
        raise failure


class _SecureConnection(_Connection):
    default_port = 443


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
                 max_retry_after: float = 30.0, max_wait: float = DEFAULT_MAX_WAIT,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 ssl_context: ssl.SSLContext | None = None, offline: bool = False,
                 allow_private: bool = False) -> None:
        """offline: answer from the cache only; a miss is a FetchError of kind 'offline'.

        timeout: seconds for a whole fetch (resolving, connecting, the status line, headers,
        every redirect and the body), not per read. max_retry_after: the longest one
        Retry-After honoured; max_wait: all Retry-After waiting of this client's run together.
        allow_private: connect to loopback, link-local and private addresses too.
        """
        self.timeout = timeout
        self.offline = offline
        self.max_bytes = max_bytes
        self.user_agent = user_agent or default_user_agent()
        self.cache = cache
        self.max_redirects = max_redirects
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.allow_private = allow_private
        self.gate = HostGate(per_host, sleep, clock, budget=max_wait)
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
            if not self.allow_private:  # an answer kept by an earlier --allow-private run
                for visited in [url] + [target for _, target in cached.redirects]:
                    _refuse_private_literal(visited, url)
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
            target = _redirect_target(current, location, url)
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
            with self.gate.slot(host, url) as wait:
                waited += wait
                try:
                    answer = self._exchange(url, method, accept, deadline + waited, read_body)
                except FetchError as error:
                    self.gate.answered(host, timed_out=error.kind is FailureKind.TIMEOUT)
                    raise
                self.gate.answered(host, timed_out=False)
            delay = retry_after_seconds(answer.headers.get("retry-after"), time.time())
            if answer.status not in RETRY_STATUSES or delay is None:
                break
            if delay > self.max_retry_after:  # come back tomorrow: not in this run
                self.gate.give_up(host, f"the host asked to wait {delay:g} s (Retry-After), "
                                        f"more than the {self.max_retry_after:g} s refmap waits")
                break
            if not self.gate.defer(host, delay) or attempt == self.retries:
                break
        return answer, waited

    def _time_left(self, deadline: float) -> Callable[[], float]:
        """Seconds left before the deadline, asked afresh before every socket operation."""

        def left() -> float:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise TimeoutError("deadline passed")
            return remaining

        return left

    def _connection(self, url: str, deadline: float) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
        left = self._time_left(deadline)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            if self._ssl_context is None:  # loading the CA store is slow: once per client
                self._ssl_context = ssl.create_default_context()
            connection = _SecureConnection(host, port, left=left, url=url,
                                           allow_private=self.allow_private,
                                           ssl_context=self._ssl_context)
        else:
            connection = _Connection(host, port, left=left, url=url,
                                     allow_private=self.allow_private)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # as browsers do: spaces and non-ASCII characters percent-encoded, escapes kept
        return connection, quote(target, safe=TARGET_SAFE)

    def _exchange(self, url: str, method: str, accept: str, deadline: float,
                  read_body: bool) -> _Answer:
        """One request and its answer, with every low-level failure turned into a FetchError."""
        headers = {"User-Agent": self.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate", "Connection": "close"}
        connection: http.client.HTTPConnection | None = None
        try:
            connection, target = self._connection(url, deadline)
            connection.connect()
            connection.request(method, target, headers=headers)
            reply = connection.getresponse()
            answer_headers = _header_dict(reply.getheaders())
            body = b""
            if read_body and method != "HEAD" and reply.status not in REDIRECTS:
                body = self._read_body(reply, answer_headers, url)
            reply.close()
            return _Answer(reply.status, answer_headers, body)
        except FetchError:
            raise
        except Exception as exc:
            raise _failure(exc, url, self.timeout) from None
        finally:
            if connection is not None:
                connection.close()

    def _read_body(self, reply: http.client.HTTPResponse, headers: dict[str, str],
                   url: str) -> bytes:
        """Read and decode the body chunk by chunk, within the size cap (the connection's
        reader keeps the deadline)."""
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(FailureKind.TOO_LARGE, url,
                             f"body of {length} bytes is larger than {self.max_bytes}")
        decoder = _BodyDecoder(headers.get("content-encoding"), self.max_bytes, url)
        parts: list[bytes] = []
        received = 0
        while True:
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


def _redirect_target(current: str, location: str, url: str) -> str:
    """Where a Location header points, read as a browser reads it (raw bytes as UTF-8, then
    the WHATWG URL rules); a FetchError when it points nowhere refmap may go."""
    from refmap.net.urls import UnusableURL, browser_url, header_text, short

    try:
        target = browser_url(header_text(location), base=current)
    except UnusableURL as problem:
        raise FetchError(FailureKind.BAD_URL, url,
                         f"redirect to {short(location)}, which is not usable: {problem}") from None
    host_of(target)
    return target


def _refuse_private_literal(visited: str, url: str) -> None:
    """A PRIVATE FetchError when visited names a non-public address outright (an IP address
    or localhost); names that need resolving are checked when connecting."""
    from refmap.net.addresses import is_public, literal_address

    host = (urlsplit(visited).hostname or "").rstrip(".")
    address = literal_address(host)
    if host == "localhost" or host.endswith(".localhost") or (
            address is not None and not is_public(address)):
        raise FetchError(FailureKind.PRIVATE, url, f"{host} is on a private address; pass "
                                                   "--allow-private to fetch it")


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
                max_wait: float = DEFAULT_MAX_WAIT, allow_private: bool = False,
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
                      offline=offline, max_wait=max_wait, allow_private=allow_private)
