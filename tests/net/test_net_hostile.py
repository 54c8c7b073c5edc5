"""The HTTP client against servers that misbehave on purpose: dripping answers, compounding
Retry-After, private addresses. Times are only bounded ("before the deadline plus a margin")."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from httpserver import LocalServer, http_server  # noqa: F401
from rawserver import Play, RawServer, answer, drip, raw_server  # noqa: F401

from refmap.net.addresses import is_public, literal_address, resolve
from refmap.net.http import FailureKind, FetchError, HttpClient, retry_after_seconds
from refmap.net.links import LinkState, LinkTarget, check_links

MARGIN = 2.0
"""Seconds a deadline may be overrun by thread scheduling on a busy machine."""
Start = Callable[[Play], RawServer]


def client(**options: object) -> HttpClient:
    settings: dict[str, object] = {"timeout": 1.0, "max_bytes": 1 << 20, "allow_private": True}
    settings.update(options)
    return HttpClient(**settings)  # type: ignore[arg-type]


def timed_failure(http: HttpClient, url: str, **options: object) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        http.fetch(url, **options)  # type: ignore[arg-type]
    return caught.value, time.monotonic() - started


@pytest.mark.parametrize("prefix", [
    b"HTTP/1.1 200 OK\r\n",  # the status line itself, byte by byte
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ",  # a header that never ends
    b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n",  # the body
], ids=["status-line", "headers", "body"])
def test_a_dripping_answer_is_cut_off_at_the_deadline(raw_server: Start, prefix: bytes) -> None:
    server = raw_server(drip(prefix, every=0.02))
    error, took = timed_failure(client(timeout=1.0), server.url("/drip"))
    assert (error.kind, error.detail) == (FailureKind.TIMEOUT, "no complete answer within 1 s")
    assert took < 1.0 + MARGIN


def test_a_dripping_answer_to_a_link_check_is_a_timeout(raw_server: Start) -> None:
    server = raw_server(drip(b"HTTP/1.1 200 OK\r\n", every=0.02))
    started = time.monotonic()
    [result] = check_links([LinkTarget(server.url("/x"), "s", "url")], client(timeout=0.5))
    assert (result.state, result.detail) == (LinkState.TIMEOUT, "timeout")
    assert time.monotonic() - started < 2 * 0.5 + MARGIN  # HEAD, then at most one GET


class FakeTime:
    """A clock that only moves when the client sleeps, recording each sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_retry_after_waits_do_not_compound_past_the_run_budget(http_server: LocalServer) -> None:
    paths = [f"/busy{n}" for n in range(8)]
    for path in paths:
        http_server.route(path, status=429, headers={"Retry-After": "2"})
    fake = FakeTime()
    http = client(max_wait=3.0, sleep=fake.sleep, clock=fake.clock)
    results = check_links([LinkTarget(http_server.url(p), p, "url") for p in paths], http)
    assert {r.state for r in results} == {LinkState.BLOCKED}
    assert sum(fake.sleeps) <= 3.0  # without the budget: 2 s for every link, 16 s in all
    assert sum(1 for r in results if r.detail == "rate-limited") >= 6
    assert len(http_server.requests) <= 4  # the host is left alone once given up


def test_a_retry_after_longer_than_refmap_waits_gives_the_host_up(http_server: LocalServer) -> None:
    http_server.route("/a", status=429, headers={"Retry-After": "3600"})
    http_server.route("/b", body=b"never asked")
    fake = FakeTime()
    http = client(sleep=fake.sleep, clock=fake.clock)
    assert http.fetch(http_server.url("/a")).status == 429
    with pytest.raises(FetchError) as caught:
        http.fetch(http_server.url("/b"))
    assert (caught.value.kind, caught.value.detail) == (
        FailureKind.RATE_LIMITED,
        "the host asked to wait 3600 s (Retry-After), more than the 30 s refmap waits")
    assert (fake.sleeps, http_server.hits("/b")) == ([], 0)


@pytest.mark.parametrize("value", ["9" * 5000, "\u0663", "1e9", "-5", "Fri, 99 Foo 9999"])
def test_retry_after_values_that_are_no_number_of_seconds(value: str) -> None:
    seconds = retry_after_seconds(value, now=0)
    assert seconds is None or seconds > 1e10  # never a traceback, never a few seconds


def test_a_huge_retry_after_is_no_traceback_and_no_wait(http_server: LocalServer) -> None:
    http_server.route("/a", status=503, headers={"Retry-After": "9" * 5000})
    fake = FakeTime()
    assert client(sleep=fake.sleep, clock=fake.clock).fetch(http_server.url("/a")).status == 503
    assert fake.sleeps == []


def test_loopback_is_refused_unless_allowed(http_server: LocalServer) -> None:
    http_server.route("/p", body=b"internal")
    error, _ = timed_failure(client(allow_private=False), http_server.url("/p"))
    assert (error.kind, error.detail) == (
        FailureKind.PRIVATE,
        "127.0.0.1 is on a private address (127.0.0.1); pass --allow-private to fetch it")
    assert http_server.requests == []  # not even connected to
    assert client().fetch(http_server.url("/p")).body == b"internal"


def test_a_name_that_resolves_to_loopback_is_refused(http_server: LocalServer) -> None:
    url = http_server.url("/p").replace("127.0.0.1", "localhost")
    error, _ = timed_failure(client(allow_private=False), url)
    assert error.kind is FailureKind.PRIVATE
    assert http_server.requests == []


def test_a_redirect_into_a_private_range_is_refused(http_server: LocalServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # 127.0.0.1 plays a public host here; the redirect goes to another loopback address
    import refmap.net.addresses

    inner = LocalServer(host="127.0.0.2")
    try:
        monkeypatch.setattr(refmap.net.addresses, "is_public", lambda a: str(a) == "127.0.0.1")
        http_server.redirect("/out", inner.url("/metadata"), 302)
        inner.route("/metadata", body=b"secret")
        error, _ = timed_failure(client(allow_private=False), http_server.url("/out"))
        assert error.kind is FailureKind.PRIVATE
        assert inner.requests == []
    finally:
        inner.close()


@pytest.mark.parametrize(("address", "public"), [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1", False), ("fd00::1", False), ("::ffff:127.0.0.1", False),
    ("93.184.215.14", True), ("2606:4700::1111", True),
])
def test_public_and_private_addresses(address: str, public: bool) -> None:
    parsed = literal_address(address)
    assert parsed is not None and is_public(parsed) is public


def test_resolving_keeps_only_public_addresses() -> None:
    assert resolve("127.0.0.1", 80, 1.0, allow_private=False).allowed == []
    assert resolve("127.0.0.1", 80, 1.0, allow_private=True).allowed != []


@pytest.mark.parametrize(("location", "path"), [
    ("/caf\xc3\xa9", "/caf%C3%A9"),  # raw UTF-8 bytes (http.client hands them over as Latin-1)
    ("/caf\xe9", "/caf%E9"),  # bytes that are no UTF-8 stay as they were, percent-encoded
    ('/a b"<x>', "/a%20b%22%3Cx%3E"),
    ("/pipe|caret^{brace}`tick", "/pipe%7Ccaret%5E%7Bbrace%7D%60tick"),
    ("/ctl\x01here", "/ctl%01here"),
    ("  /padded\t/path ", "/padded/path"),  # as a browser: ends trimmed, tabs dropped
    ("/./dots/../x?q=a b", "/x?q=a%20b"),
], ids=["utf-8", "latin-1", "quotes", "check-unsafe", "control", "blanks", "dots"])
def test_a_location_is_read_as_a_browser_reads_it(http_server: LocalServer, location: str,
                                                   path: str) -> None:
    http_server.redirect("/from", location, 301)
    http_server.route(path.split("?")[0], body=b"here")
    response = client().fetch(http_server.url("/from"))
    assert response.redirects == [(301, http_server.url(path))]
    assert (response.status, response.body) == (200, b"here")


@pytest.mark.parametrize(("location", "detail"), [
    ("http://[::1/x", "redirect to 'http://[::1/x', which is not usable: it is not a valid URL"),
    ("javascript:alert(1)", "redirect to 'javascript:alert(1)', which is not usable: only http "
                            "and https URLs are used, not 'javascript:'"),
    ("http://exa mple.org/", "redirect to 'http://exa mple.org/', which is not usable: it is "
                             "not a valid URL"),
    ("http://" + "a" * 300 + ".org/", None),
])
def test_a_location_that_leads_nowhere_is_a_bad_url(http_server: LocalServer, location: str,
                                                    detail: str | None) -> None:
    http_server.redirect("/from", location, 302)
    error, _ = timed_failure(client(), http_server.url("/from"))
    assert error.kind in (FailureKind.BAD_URL, FailureKind.DNS)
    if detail is not None:
        assert (error.kind, error.detail) == (FailureKind.BAD_URL, detail)


def test_a_redirect_loop_spelt_differently_each_time_is_still_a_loop(http_server: LocalServer) -> None:
    http_server.redirect("/a", "/b", 302)
    http_server.redirect("/b", "/./c/../a", 302)
    error, _ = timed_failure(client(), http_server.url("/a"))
    assert (error.kind, error.detail) == (FailureKind.REDIRECT_LOOP,
                                          f"redirect loop at {http_server.url('/a')!r}")


def test_a_dripping_tls_handshake_is_cut_off_at_the_deadline(raw_server: Start) -> None:
    # a TLS record header announcing 16 KB of handshake, then a byte every 20 ms
    server = raw_server(drip(b"\x16\x03\x03\x40\x00" + b"\x02" * 20_000, every=0.02))
    url = server.url("/").replace("http://", "https://")
    error, took = timed_failure(client(timeout=1.0), url)
    assert error.kind is FailureKind.TIMEOUT
    assert took < 1.0 + MARGIN


def test_a_host_that_keeps_timing_out_is_given_up(raw_server: Start) -> None:
    server = raw_server(drip(b"HTTP/1.1 200 OK\r\n", every=0.02))
    targets = [LinkTarget(server.url(f"/p{n}"), f"s{n}", "url") for n in range(20)]
    started = time.monotonic()
    results = check_links(targets, client(timeout=0.5))
    assert {(r.state, r.detail) for r in results} == {(LinkState.TIMEOUT, "timeout")}
    assert server.connections <= 4  # three timeouts in a row, and one already under way
    assert time.monotonic() - started < 3 * 0.5 + MARGIN  # not 20 deadlines, 2 at a time


def test_a_cached_private_answer_is_refused_too(http_server: LocalServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from refmap.net.cache import Cache

    http_server.route("/p", body=b"internal")
    cache = Cache(str(tmp_path / "cache"))
    assert client(cache=cache).fetch(http_server.url("/p")).body == b"internal"
    error, _ = timed_failure(client(cache=cache, allow_private=False), http_server.url("/p"))
    assert (error.kind, error.detail) == (
        FailureKind.PRIVATE, "127.0.0.1 is on a private address; pass --allow-private to fetch it")
    assert len(http_server.requests) == 1
