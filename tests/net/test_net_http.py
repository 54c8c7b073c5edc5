"""The HTTP client against a local server: redirects, failures, caps, politeness, caching."""

from __future__ import annotations

import gzip
import socket
import zlib
from email.utils import formatdate

import pytest
from httpserver import LocalServer, gzip_bomb, http_server, repeat_bytes, stall_after  # noqa: F401

from refmap import __version__
from refmap.net.cache import Cache
from refmap.net.http import (
    FailureKind,
    FetchError,
    HttpClient,
    default_user_agent,
    retry_after_seconds,
)

HTML = {"Content-Type": "text/html; charset=utf-8"}


def client(**options: object) -> HttpClient:
    settings: dict[object, object] = {"timeout": 2.0, "max_bytes": 1 << 20, "allow_private": True}
    settings.update(options)
    return HttpClient(**settings)  # type: ignore[arg-type]


def failure(http: HttpClient, url: str, **options: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        http.fetch(url, **options)  # type: ignore[arg-type]
    return caught.value


def test_page_body_headers_and_user_agent(http_server: LocalServer) -> None:
    http_server.route("/page", body=b"<p>hello</p>", headers=HTML)
    response = client().fetch(http_server.url("/page"), accept="text/html")
    assert (response.status, response.body, response.content_type) == (200, b"<p>hello</p>", "text/html")
    assert response.final_url == response.url == http_server.url("/page")
    assert response.redirects == []
    sent = http_server.requests[0].headers
    assert sent["User-Agent"] == f"refmap/{__version__} (claims-map source checker)"
    assert sent["Accept"] == "text/html"


def test_user_agent_names_the_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_CONTACT", "mailto:editor@example.org")
    assert default_user_agent() == f"refmap/{__version__} (+mailto:editor@example.org)"


def test_redirect_chain_records_each_hop(http_server: LocalServer) -> None:
    http_server.redirect("/a", "/b", 301)
    http_server.redirect("/b", http_server.url("/c"), 302)
    http_server.redirect("/c", "/d", 308)
    http_server.route("/d", body=b"end")
    response = client().fetch(http_server.url("/a"))
    assert response.final_url == http_server.url("/d")
    assert response.redirects == [(301, http_server.url("/b")), (302, http_server.url("/c")),
                                  (308, http_server.url("/d"))]
    assert response.body == b"end"


def test_redirect_loop(http_server: LocalServer) -> None:
    http_server.redirect("/x", "/y")
    http_server.redirect("/y", "/x")
    error = failure(client(), http_server.url("/x"))
    assert error.kind is FailureKind.REDIRECT_LOOP
    assert str(error) == f"cannot fetch {http_server.url('/x')!r}: redirect loop at {http_server.url('/x')!r}"


def test_too_many_redirects(http_server: LocalServer) -> None:
    for n in range(5):
        http_server.redirect(f"/r{n}", f"/r{n + 1}")
    http_server.route("/r5", body=b"ok")
    assert client(max_redirects=5).fetch(http_server.url("/r0")).body == b"ok"
    error = failure(client(max_redirects=4), http_server.url("/r0"))
    assert (error.kind, error.detail) == (FailureKind.TOO_MANY_REDIRECTS, "more than 4 redirects")


def test_redirect_to_another_scheme_is_refused(http_server: LocalServer) -> None:
    http_server.redirect("/ftp", "ftp://example.org/file")
    error = failure(client(), http_server.url("/ftp"))
    assert (error.kind, error.url, error.detail) == (
        FailureKind.BAD_URL, http_server.url("/ftp"), "redirect to 'ftp://example.org/file', "
        "which is not usable: only http and https URLs are used, not 'ftp:'")


@pytest.mark.parametrize("url", ["ftp://example.org/", "file:///etc/passwd", "http://", "notaurl",
                                 "http://host:99999/"])
def test_only_http_urls(url: str) -> None:
    assert failure(client(), url).kind is FailureKind.BAD_URL


def test_error_statuses_are_answers_not_failures(http_server: LocalServer) -> None:
    http_server.route("/gone", status=410, body=b"gone")
    http_server.route("/boom", status=500)
    assert client().fetch(http_server.url("/gone")).status == 410
    assert client().fetch(http_server.url("/boom")).status == 500


def test_stall_before_answer_times_out(http_server: LocalServer) -> None:
    http_server.route("/slow", delay=30)
    error = failure(client(timeout=0.3), http_server.url("/slow"))
    assert (error.kind, error.detail) == (FailureKind.TIMEOUT, "no complete answer within 0.3 s")


def test_stall_mid_body_times_out(http_server: LocalServer) -> None:
    http_server.route("/half", body=stall_after(b"<p>start", 30, http_server.stopping),
                      headers={"Content-Length": "1000"})
    assert failure(client(timeout=0.3), http_server.url("/half")).kind is FailureKind.TIMEOUT


def test_trickling_body_hits_the_total_deadline(http_server: LocalServer) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        import time

        for _ in range(40):
            time.sleep(0.05)
            yield b"x"

    http_server.route("/drip", body=chunks)
    assert failure(client(timeout=0.5), http_server.url("/drip")).kind is FailureKind.TIMEOUT


def test_fifty_megabytes_are_refused_without_reading_them(http_server: LocalServer) -> None:
    http_server.route("/big", body=repeat_bytes(50 << 20), headers={"Content-Length": str(50 << 20)})
    error = failure(client(), http_server.url("/big"))
    assert (error.kind, error.detail) == (FailureKind.TOO_LARGE,
                                          f"body of {50 << 20} bytes is larger than {1 << 20}")


def test_fifty_megabytes_without_length_stop_at_the_cap(http_server: LocalServer) -> None:
    http_server.route("/big", body=repeat_bytes(50 << 20))
    error = failure(client(), http_server.url("/big"))
    assert (error.kind, error.detail) == (FailureKind.TOO_LARGE, f"body larger than {1 << 20} bytes")


def test_gzip_bomb_is_refused(http_server: LocalServer) -> None:
    bomb = gzip_bomb(16 << 20)
    assert len(bomb) < 1 << 20  # small on the wire: only the decoded size is over the cap
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    error = failure(client(), http_server.url("/bomb"))
    assert (error.kind, error.detail) == (FailureKind.TOO_LARGE,
                                          f"decoded body larger than {1 << 20} bytes")


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
])
def test_compressed_bodies_are_decoded(http_server: LocalServer, encoding: str, encode) -> None:  # type: ignore[no-untyped-def]
    text = "Ünïcode page ".encode() * 1000
    http_server.route("/z", body=encode(text), headers={"Content-Encoding": encoding})
    assert client().fetch(http_server.url("/z")).body == text
    assert http_server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_corrupt_gzip_and_unknown_encoding_are_bad_answers(http_server: LocalServer) -> None:
    http_server.route("/bad", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    http_server.route("/br", body=b"x", headers={"Content-Encoding": "br"})
    error = failure(client(), http_server.url("/bad"))
    assert (error.kind, error.detail) == (FailureKind.BAD_ANSWER, "corrupt gzip body")
    error = failure(client(), http_server.url("/br"))
    assert (error.kind, error.detail) == (FailureKind.BAD_ANSWER, "unsupported content-encoding 'br'")


def test_non_text_answer_is_returned_as_bytes(http_server: LocalServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    http_server.route("/img", body=png, headers={"Content-Type": "image/png"})
    response = client().fetch(http_server.url("/img"))
    assert (response.body, response.content_type) == (png, "image/png")


def test_head_reads_no_body_and_read_body_false_stops_at_headers(http_server: LocalServer) -> None:
    http_server.route("/big", body=repeat_bytes(50 << 20))
    assert client().fetch(http_server.url("/big"), method="HEAD").body == b""
    response = client().fetch(http_server.url("/big"), read_body=False)
    assert (response.status, response.body) == (200, b"")
    assert [r.method for r in http_server.requests] == ["HEAD", "GET"]


def test_refused_connection() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    error = failure(client(), f"http://127.0.0.1:{port}/")
    assert (error.kind, error.detail) == (FailureKind.REFUSED, "connection refused")


def test_unknown_host_is_a_dns_failure() -> None:
    # .invalid never resolves (RFC 6761); the resolver answers locally, nothing is sent out
    assert failure(client(), "http://no-such-host.invalid/").kind is FailureKind.DNS


def test_reset_and_garbage_answers() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        url = f"http://127.0.0.1:{port}/"
        import threading

        def serve(replies: list[bytes]) -> None:
            for reply in replies:
                conn, _ = listener.accept()
                conn.recv(65536)
                if reply:
                    conn.sendall(reply)
                conn.close()

        worker = threading.Thread(target=serve, args=([b"", b"NONSENSE\r\n\r\n",
                                                        b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc"],))
        worker.start()
        kinds = [failure(client(), url).kind for _ in range(3)]
        worker.join()
    assert kinds == [FailureKind.RESET, FailureKind.BAD_ANSWER, FailureKind.RESET]


def test_tls_failure(http_server: LocalServer) -> None:
    # a plain-HTTP server answering a TLS handshake
    url = http_server.url("/").replace("http://", "https://")
    assert failure(client(), url).kind is FailureKind.TLS


def test_retry_after_seconds_then_success(http_server: LocalServer) -> None:
    http_server.route("/busy", status=429, headers={"Retry-After": "3"})
    http_server.route("/busy", body=b"ok")
    waits: list[float] = []
    http = client(sleep=waits.append)
    response = http.fetch(http_server.url("/busy"))
    assert (response.status, response.body) == (200, b"ok")
    assert http_server.hits("/busy") == 2
    assert len(waits) == 1 and 2.9 < waits[0] <= 3.0


def test_retry_after_longer_than_the_cap_gives_up(http_server: LocalServer) -> None:
    http_server.route("/busy", status=503, headers={"Retry-After": "3600"})
    waits: list[float] = []
    response = client(sleep=waits.append, max_retry_after=10).fetch(http_server.url("/busy"))
    assert (response.status, http_server.hits("/busy"), waits) == (503, 1, [])


def test_retry_after_as_http_date() -> None:
    assert retry_after_seconds(formatdate(1_000_120, usegmt=True), now=1_000_000) == 120.0
    assert retry_after_seconds(formatdate(1_000_000, usegmt=True), now=1_000_500) == 0.0
    assert retry_after_seconds("7", now=0) == 7.0
    assert retry_after_seconds("soon", now=0) is None
    assert retry_after_seconds(None, now=0) is None


def test_at_most_n_requests_per_host(http_server: LocalServer) -> None:
    import threading

    active, peak, lock = [0], [0], threading.Lock()
    http_server.route("/p", delay=0.1)
    http = client(per_host=2)
    original = http._exchange

    def counting(*args):  # type: ignore[no-untyped-def]
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return original(*args)
        finally:
            with lock:
                active[0] -= 1

    http._exchange = counting  # type: ignore[method-assign]
    threads = [threading.Thread(target=http.fetch, args=(http_server.url("/p"),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (peak[0], http_server.hits("/p")) == (2, 6)


def test_cached_answer_is_not_fetched_again(http_server: LocalServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    http_server.redirect("/old", "/new", 301)
    http_server.route("/new", body=b"page", headers=HTML)
    cache = Cache(tmp_path / "cache")
    first = client(cache=cache).fetch(http_server.url("/old"))
    second = client(cache=cache).fetch(http_server.url("/old"))
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.status, second.body, second.final_url, second.redirects, second.content_type) == (
        200, b"page", http_server.url("/new"), [(301, http_server.url("/new"))], "text/html")
    assert http_server.hits("/old") == 1
    client(cache=cache).fetch(http_server.url("/old"), method="HEAD")
    assert http_server.hits("/old") == 2  # a HEAD is not answered by a cached GET


def test_server_errors_are_not_cached(http_server: LocalServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    http_server.route("/flaky", status=500)
    http_server.route("/flaky", body=b"fine")
    cache = Cache(tmp_path)
    assert client(cache=cache).fetch(http_server.url("/flaky")).status == 500
    assert client(cache=cache).fetch(http_server.url("/flaky")).body == b"fine"


def test_open_client_opens_the_cache_first(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from refmap.errors import WriteError
    from refmap.net.http import open_client

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    http = open_client(timeout=3)
    assert http.cache is not None and http.cache.directory == tmp_path / "xdg" / "refmap"
    assert (tmp_path / "xdg" / "refmap").is_dir()
    assert open_client(use_cache=False).cache is None
    (tmp_path / "plain").write_text("x")
    with pytest.raises(WriteError, match="cache directory is not writable: Not a directory$"):
        open_client(cache_dir=str(tmp_path / "plain" / "c"))


@pytest.fixture
def https_server():  # type: ignore[no-untyped-def]
    from httpserver import tls_pair

    server_context, client_context = tls_pair()
    server = LocalServer(tls=server_context)
    yield server, client_context
    server.close()


def test_https_page(https_server) -> None:  # type: ignore[no-untyped-def]
    server, trusting = https_server
    server.route("/page", body=gzip.compress(b"secure"), headers={"Content-Encoding": "gzip"})
    response = client(ssl_context=trusting).fetch(server.url("/page"))
    assert (server.url("/page")[:8], response.status, response.body) == ("https://", 200, b"secure")


def test_https_untrusted_certificate_is_a_tls_failure(https_server) -> None:  # type: ignore[no-untyped-def]
    server, _ = https_server
    error = failure(client(), server.url("/page"))
    assert error.kind is FailureKind.TLS
    assert error.detail.startswith("TLS failure: ")


def test_https_stall_mid_body_times_out(https_server) -> None:  # type: ignore[no-untyped-def]
    server, trusting = https_server
    server.route("/half", body=stall_after(b"<p>start", 30, server.stopping),
                 headers={"Content-Length": "1000"})
    assert failure(client(timeout=0.5, ssl_context=trusting), server.url("/half")).kind is FailureKind.TIMEOUT


def test_offline_client_answers_from_the_cache_only(http_server: LocalServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    http_server.route("/doi", body=b'{"title": "T"}', headers={"Content-Type": "application/json"})
    cache = Cache(tmp_path)
    client(cache=cache).fetch(http_server.url("/doi"), accept="application/json")
    offline = client(cache=cache, offline=True)
    assert offline.fetch(http_server.url("/doi"), accept="application/json").body == b'{"title": "T"}'
    error = failure(offline, http_server.url("/other"))
    assert (error.kind, str(error)) == (
        FailureKind.OFFLINE,
        f"cannot fetch {http_server.url('/other')!r}: not in the cache, and network access is off")
    assert http_server.hits("/doi") == 1 and http_server.hits("/other") == 0


@pytest.mark.parametrize("content_type,charset", [
    ("text/html; charset=UTF-8", "utf-8"), ('text/html;charset="windows-1252"', "windows-1252"),
    ("text/html", None), ("", None), ("text/plain; format=flowed; charset=iso-8859-1", "iso-8859-1"),
])
def test_charset(content_type: str, charset: str | None) -> None:
    from refmap.net.http import Response

    assert Response("u", "u", 200, {"content-type": content_type}, b"").charset == charset


def test_non_ascii_and_spaces_are_percent_encoded(http_server: LocalServer) -> None:
    http_server.route("/caf%C3%A9%20menu", body=b"ok")
    response = client().fetch(http_server.url("/café menu?q=a%2Fb&x=1"))
    assert response.body == b"ok"
    assert http_server.requests[0].path == "/caf%C3%A9%20menu?q=a%2Fb&x=1"
