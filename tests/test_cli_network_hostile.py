"""The network commands against hostile servers and hostile options: bounded time, one line,
exit codes, and the map untouched where nothing may be written."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import snapshot
from httpserver import LocalServer, http_server  # noqa: F401
from rawserver import Play, RawServer, drip, raw_server  # noqa: F401
from sourcemaps import write_map

MARGIN = 3.0
NETWORK_COMMANDS = [["links"], ["verify"], ["archive"], ["add", "doi:10.5555/x"]]


@pytest.mark.parametrize("command", NETWORK_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("option", "value", "message"), [
    ("--timeout", "nan", "'nan' is not a number of seconds from 0.1 to 600"),
    ("--timeout", "inf", "'inf' is not a number of seconds from 0.1 to 600"),
    ("--timeout", "-1", "'-1' is not a number of seconds from 0.1 to 600"),
    ("--timeout", "0", "'0' is not a number of seconds from 0.1 to 600"),
    ("--timeout", "1e400", "'1e400' is not a number of seconds from 0.1 to 600"),
    ("--timeout", "ten", "'ten' is not a number of seconds"),
    ("--max-wait", "NaN", "'NaN' is not a number of seconds from 0 to 3600"),
    ("--max-wait", "-inf", "'-inf' is not a number of seconds from 0 to 3600"),
])
def test_bad_seconds_are_a_usage_error(tmp_path: Path, run, command: list[str], option: str,
                                       value: str, message: str) -> None:
    write_map(tmp_path, {"s": {"url": "https://example.org/a"}}, [("s", "x")])
    before = snapshot(tmp_path)
    result = run([*command, option, value], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: Invalid value for '{option}': {message}\n"
    assert snapshot(tmp_path) == before


def test_links_cuts_a_dripping_server_off(raw_server: Callable[[Play], RawServer], tmp_path: Path,
                                          run) -> None:
    server = raw_server(drip(b"HTTP/1.1 301 Moved\r\nLocation: /elsewhere", every=0.02))
    path = write_map(tmp_path, {"drip": {"url": server.url("/page")}}, [("drip", "x")])
    before = path.read_bytes()
    started = time.monotonic()
    result = run(["links", "--allow-private", "--no-cache", "--timeout", "0.5", "--fix"],
                 cwd=tmp_path)
    assert time.monotonic() - started < 2 * 0.5 + MARGIN  # HEAD and one GET at most
    assert result.exit_code == 0
    assert result.stdout == ("claims.yaml:8:10: warning: source 'drip': url timed out "
                             "[link-timeout]\n1 link checked: 1 timeout\n")
    assert path.read_bytes() == before


def test_compounding_retry_after_is_capped_per_run(http_server: LocalServer, tmp_path: Path,
                                                   run) -> None:
    sources = {f"s{n}": {"url": http_server.url(f"/busy{n}")} for n in range(6)}
    for n in range(6):
        http_server.route(f"/busy{n}", status=429, headers={"Retry-After": "2"})
    write_map(tmp_path, sources, [("s0", "x")])
    started = time.monotonic()
    result = run(["links", "--allow-private", "--no-cache", "--max-wait", "1"], cwd=tmp_path)
    assert time.monotonic() - started < 1 + MARGIN  # without the cap: 2 s per link
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "6 links checked: 6 blocked"
    rate_limited = [line for line in lines if "asked for more waiting (Retry-After) than this "
                    "run allows (--max-wait) [link-blocked]" in line]
    assert len(rate_limited) >= 4
    assert len(http_server.requests) <= 3


def test_private_addresses_are_refused_with_one_line_per_source(http_server: LocalServer,
                                                                  tmp_path: Path, run) -> None:
    http_server.route("/internal", body=b"<p>the metadata service says: secret</p>",
                      headers={"Content-Type": "text/html"})
    write_map(tmp_path, {"a": {"url": http_server.url("/internal")},
                         "b": {"url": "http://169.254.169.254/latest/meta-data/"}},
              [("a", "secret"), ("b", "secret")])
    before = snapshot(tmp_path)
    result = run(["links", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claims.yaml:8:10: warning: source 'a': url leads to a loopback, link-local or private "
        "address: not fetched (--allow-private fetches it) [link-refused]\n"
        "claims.yaml:12:10: warning: source 'b': url leads to a loopback, link-local or private "
        "address: not fetched (--allow-private fetches it) [link-refused]\n"
        "2 links checked: 2 refused\n"))
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert result.exit_code == 0
    assert "secret" not in result.stdout.replace("excerpt from", "")
    assert result.stdout.count("the page is on a loopback, link-local or private address: not "
                               "fetched (--allow-private fetches it) [excerpt-unverifiable]") == 2
    assert http_server.requests == []
    assert snapshot(tmp_path) == before


def test_add_url_refuses_a_private_page(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/p", body=b"<title>Internal</title>", headers={"Content-Type": "text/html"})
    write_map(tmp_path, {"s": {"url": "https://example.org/a"}}, [("s", "x")])
    before = snapshot(tmp_path)
    result = run(["add", f"url:{http_server.url('/p')}", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: cannot fetch '{http_server.url('/p')}': 127.0.0.1 is on a private address "
        "(127.0.0.1); pass --allow-private to fetch it\n")
    assert (http_server.requests, snapshot(tmp_path)) == ([], before)


def test_archive_refuses_a_private_archive_service(http_server: LocalServer, tmp_path: Path,
                                                   run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    write_map(tmp_path, {"s": {"url": "https://example.org/a"}}, [("s", "x")])
    before = snapshot(tmp_path)
    result = run(["archive", "--no-cache"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.endswith("is on a private address (127.0.0.1); pass --allow-private "
                                  "to fetch it\n")
    assert (http_server.requests, snapshot(tmp_path)) == ([], before)
