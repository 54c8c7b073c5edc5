"""The Wayback client against a local server: availability answers and Save Page Now."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from httpserver import LocalServer, http_server  # noqa: F401

from refmap.errors import RefmapError
from refmap.net.archive import ArchiveError, Snapshot, closest_snapshot, save_page
from refmap.net.http import HttpClient

PAGE = "https://news.example.org/2018/06/12/summit?a=1&b=2"
JSON = {"Content-Type": "application/json"}


def client() -> HttpClient:
    return HttpClient(timeout=2.0, max_bytes=1 << 20, allow_private=True)


def available(server: LocalServer, answer: object) -> None:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    server.route("/wayback/available", body=body, headers=JSON)


def ask(server: LocalServer, near: str | None = "2026-11-25") -> Snapshot | None:
    return closest_snapshot(client(), PAGE, near, base=server.url("/wayback/available"))


def test_closest_snapshot(http_server: LocalServer) -> None:
    available(http_server, {"url": PAGE, "archived_snapshots": {"closest": {
        "status": "200", "available": True, "timestamp": "20261124093015",
        "url": f"http://web.archive.org/web/20261124093015/{PAGE}"}}})
    assert ask(http_server) == Snapshot(f"https://web.archive.org/web/20261124093015/{PAGE}",
                                        "2026-11-24", "20261124093015")
    query = parse_qs(urlsplit(http_server.requests[0].path).query)
    assert query == {"url": [PAGE], "timestamp": ["20261125"]}


def test_no_date_asks_for_the_latest(http_server: LocalServer) -> None:
    available(http_server, {"url": PAGE, "archived_snapshots": {}})
    assert ask(http_server, near=None) is None
    assert parse_qs(urlsplit(http_server.requests[0].path).query) == {"url": [PAGE]}


def test_partial_date_is_sent_as_given(http_server: LocalServer) -> None:
    available(http_server, {"archived_snapshots": {}})
    ask(http_server, near="2019-06")
    assert parse_qs(urlsplit(http_server.requests[0].path).query)["timestamp"] == ["201906"]


@pytest.mark.parametrize("closest", [
    {"status": "404", "available": True, "timestamp": "20200101000000", "url": "http://web.archive.org/web/x"},
    {"status": "200", "available": False, "timestamp": "20200101000000", "url": "http://web.archive.org/web/x"},
])
def test_unusable_capture_is_no_snapshot(http_server: LocalServer, closest: dict[str, object]) -> None:
    available(http_server, {"archived_snapshots": {"closest": closest}})
    assert ask(http_server) is None


@pytest.mark.parametrize("answer,message", [
    (b"<html>Down\nfor maintenance</html>",
     "malformed answer from the Wayback availability service: not JSON: "
     "'<html>Down\\nfor maintenance</html>'"),
    ([1, 2], "malformed answer from the Wayback availability service: a JSON list, not an object"),
    ({"url": PAGE}, "malformed answer from the Wayback availability service: no 'archived_snapshots' object"),
    ({"archived_snapshots": {"closest": "yes"}},
     "malformed answer from the Wayback availability service: 'closest' is not an object"),
    ({"archived_snapshots": {"closest": {"status": "200", "timestamp": "20200101000000"}}},
     "malformed answer from the Wayback availability service: a snapshot without a url or timestamp"),
    ({"archived_snapshots": {"closest": {"status": "200", "timestamp": "2020\x1b[31m",
                                         "url": "http://web.archive.org/web/1/x"}}},
     "malformed answer from the Wayback availability service: timestamp '2020\\x1b[31m' is not YYYYMMDDhhmmss"),
    ({"archived_snapshots": {"closest": {"status": "200", "timestamp": "20201340000000",
                                         "url": "http://web.archive.org/web/1/x"}}},
     "malformed answer from the Wayback availability service: timestamp '20201340000000' is not a date"),
    ({"archived_snapshots": {"closest": {"status": "200", "timestamp": "20200101000000",
                                         "url": "javascript:alert(1)"}}},
     "malformed answer from the Wayback availability service: snapshot address 'javascript:alert(1)' "
     "is not an http(s) URL"),
])
def test_malformed_answer_is_one_line_error(http_server: LocalServer, answer: object, message: str) -> None:
    available(http_server, answer)
    with pytest.raises(ArchiveError) as caught:
        ask(http_server)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_service_error_and_bad_date(http_server: LocalServer) -> None:
    http_server.route("/wayback/available", status=503)
    with pytest.raises(ArchiveError, match="^the Wayback availability service answered 503$"):
        ask(http_server)
    with pytest.raises(ArchiveError, match="^not a date \\(YYYY-MM-DD\\): 'last week'$"):
        ask(http_server, near="last week")


def test_base_url_from_environment(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/mirror/available/"))
    http_server.route("/mirror/available", body=b'{"archived_snapshots": {}}', headers=JSON)
    assert closest_snapshot(client(), PAGE) is None
    assert http_server.hits("/mirror/available") == 1


def test_environment_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", "file:///tmp/x")
    with pytest.raises(RefmapError, match="^REFMAP_WAYBACK_URL is not an http\\(s\\) URL: 'file:///tmp/x'$"):
        closest_snapshot(client(), PAGE)


def test_save_page_content_location(http_server: LocalServer) -> None:
    http_server.route(f"/save/{PAGE}", body=b"<html>saved</html>",
                      headers={"Content-Location": f"/web/20261126020304/{PAGE}"})
    snapshot = save_page(client(), PAGE, base=http_server.url("/save"))
    assert snapshot == Snapshot(http_server.url(f"/web/20261126020304/{PAGE}"), "2026-11-26", "20261126020304")
    assert http_server.requests[0].path == f"/save/{PAGE}"


def test_save_page_redirect(http_server: LocalServer) -> None:
    http_server.redirect(f"/save/{PAGE}", f"/web/20261126020304/{PAGE}")
    http_server.route(f"/web/20261126020304/{PAGE}", body=b"<html>copy</html>")
    snapshot = save_page(client(), PAGE, base=http_server.url("/save"))
    assert (snapshot.url, snapshot.date) == (http_server.url(f"/web/20261126020304/{PAGE}"), "2026-11-26")


@pytest.mark.parametrize("status,headers,message", [
    (200, {}, "malformed answer from Save Page Now: no capture address in the answer"),
    (429, {}, "Save Page Now refused the request: too many requests (429); try later"),
    (520, {}, "Save Page Now answered 520"),
    (200, {"Content-Location": "/web/20261399000000/x"},
     "malformed answer from Save Page Now: timestamp '20261399000000' is not a date"),
])
def test_save_page_failures(http_server: LocalServer, status: int, headers: dict[str, str], message: str) -> None:
    http_server.route(f"/save/{PAGE}", status=status, headers=headers)
    with pytest.raises(ArchiveError) as caught:
        save_page(client(), PAGE, base=http_server.url("/save"))
    assert str(caught.value) == message
