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
    import json

    import jsonschema

    docs = Path(__file__).resolve().parents[2] / "docs" / "json"
    result = run(["links", "--no-cache", "--format", "json"], cwd=tmp_path)
    answers = json.loads(result.stdout)
    jsonschema.validate(answers, json.loads((docs / "links.schema.json").read_text("utf-8")))
    assert [(a["state"], a["code"], a["detail"]) for a in answers] == [
        ("refused", "link-refused", "private")] * 2
    result = run(["verify", "--no-cache", "--format", "json"], cwd=tmp_path)
    answers = json.loads(result.stdout)
    jsonschema.validate(answers, json.loads((docs / "verify.schema.json").read_text("utf-8")))
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


def passing_map(tmp_path: Path, sources: dict[str, dict[str, str]]) -> Path:
    """A map that `check` passes: dated online sources, each cited."""
    full = {key: {"date": "2024-01-01", "accessed": "2024-01-02", **fields}
            for key, fields in sources.items()}
    path = write_map(tmp_path, full, [(key, "The quote") for key in sources])
    return path


def check_passes(run, folder: Path) -> None:
    result = run(["check"], cwd=folder)
    assert (result.exit_code, result.stdout) == (0, "no problems found\n")


def test_links_fix_writes_redirect_targets_as_a_browser_would(http_server: LocalServer,
                                                              tmp_path: Path, run) -> None:
    http_server.redirect("/utf8", "/caf\xc3\xa9", 301)  # raw UTF-8 bytes in the header
    http_server.redirect("/quotes", '/a b"<x>|', 301)
    http_server.redirect("/nowhere", "http://[::1/x", 301)
    http_server.redirect("/script", "javascript:alert(1)", 301)
    for path in ("/caf%C3%A9", "/a%20b%22%3Cx%3E%7C"):
        http_server.route(path, body=b"here")
    names = ["utf8", "quotes", "nowhere", "script"]
    path = passing_map(tmp_path, {name: {"url": http_server.url(f"/{name}")} for name in names})
    check_passes(run, tmp_path)
    result = run(["links", "--allow-private", "--no-cache", "--fix"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stderr == (
        f"utf8: url updated to '{http_server.url('/caf%C3%A9')}'\n"
        f"quotes: url updated to '{http_server.url('/a%20b%22%3Cx%3E%7C')}'\n")
    assert "source 'nowhere': url answers with an error (bad-url) [link-error]" in result.stdout
    assert "source 'script': url answers with an error (bad-url) [link-error]" in result.stdout
    sources = __import__("refmap").load(path).cmap.sources
    assert (sources["utf8"].url, sources["quotes"].url, sources["nowhere"].url) == (
        http_server.url("/caf%C3%A9"), http_server.url("/a%20b%22%3Cx%3E%7C"),
        http_server.url("/nowhere"))
    check_passes(run, tmp_path)


def test_links_fix_leaves_out_a_target_check_would_refuse(http_server: LocalServer,
                                                          tmp_path: Path, run,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # the client never hands over such a target; a result from elsewhere (a cache of an older
    # layout, a library caller) must still not reach the map
    import refmap.net.links as links
    from refmap.net.links import LinkState, _Verdict

    monkeypatch.setattr(links, "check_url", lambda client, url: _Verdict(
        LinkState.REDIRECTED, 200, "301", "https://example.org/\ud800", url))
    path = passing_map(tmp_path, {"s": {"url": "https://example.org/old"},
                                  "t": {"url": "https://example.org/t"}})
    before = path.read_bytes()
    result = run(["links", "--no-cache", "--fix"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "no redirects to fix",
        "claims.yaml:10:10: warning: source 's': url moved to 'https://example.org/\\ud800', which "
        "is not written: it holds a lone surrogate, which is no character [value-left-out]",
        "claims.yaml:16:10: warning: source 't': url moved to 'https://example.org/\\ud800', "
        "which is not written: it holds a lone surrogate, which is no character [value-left-out]"]
    assert path.read_bytes() == before


JSON_TYPE = {"Content-Type": "application/json"}


def closest(address: str, timestamp: str = "20240101120000") -> bytes:
    import json

    return json.dumps({"archived_snapshots": {"closest": {
        "status": "200", "available": True, "timestamp": timestamp, "url": address}}}).encode()


@pytest.mark.parametrize(("answer", "message"), [
    (closest("https://evil.example/web/20240101120000/https://example.org/a"),
     "snapshot address 'https://evil.example/web/20240101120000/https://example.org/a' is not on "
     "the archive's host (web.archive.org)"),
    (closest("https://web.archive.org/web/x", "\u0662\u0660\u0662\u0664" + "0" * 10),
     "timestamp '\u0662\u0660\u0662\u0664" + "0" * 10 + "' is not YYYYMMDDhhmmss"),
    (closest("javascript:alert(1)"), "snapshot address 'javascript:alert(1)' is not an http(s) URL"),
    (closest("http://[::1/web/1/x"), "snapshot address 'http://[::1/web/1/x' is not usable: it "
                                     "is not a valid URL"),
])
def test_archive_refuses_answers_it_may_not_write(http_server: LocalServer, tmp_path: Path, run,
                                                  monkeypatch: pytest.MonkeyPatch, answer: bytes,
                                                  message: str) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    http_server.route("/wayback/available", body=answer, headers=JSON_TYPE)
    passing_map(tmp_path, {"s": {"url": "https://example.org/a"}})
    before = snapshot(tmp_path)
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: malformed answer from the Wayback availability service: {message}\n"
    assert snapshot(tmp_path) == before


def test_archive_writes_a_snapshot_address_in_browser_form(http_server: LocalServer,
                                                           tmp_path: Path, run,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    http_server.route("/wayback/available", headers=JSON_TYPE, body=closest(
        'http://web.archive.org/web/20240101120000/https://example.org/a b"<c>|é'))
    passing_map(tmp_path, {"s": {"url": "https://example.org/a"}})
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    address = ("https://web.archive.org/web/20240101120000/https://example.org/"
               "a%20b%22%3Cc%3E%7C%C3%A9")
    assert (result.exit_code, result.stdout) == (0, f"s: snapshot of 2024-01-01: {address}\n")
    check_passes(run, tmp_path)


CSL_TYPE = {"Content-Type": "application/vnd.citationstyles.csl+json"}
ITEM = ('{"type": "article-journal", "title": "A title", "container-title": "J", '
        '"author": [{"family": "Kim", "given": "A"}], "issued": {"date-parts": [[2019, 6]]}')


@pytest.mark.parametrize(("body", "stdout_lines"), [
    (ITEM + ', "note": "a \\ud800 b"}',
     ["  'note' left out: it holds a lone surrogate ('\\ud800'), which is no character"]),
    (ITEM + ', "URL": "javascript:alert(1)"}',
     ["  url 'javascript:alert(1)' is not an http(s) URL; left out"]),
    (ITEM + ', "URL": "https://example.org/a b"}', []),
    (ITEM + ', "volume": NaN, "issue": Infinity, "page": "NaN"}',
     ["  pages 'NaN' are not page numbers or ranges such as 12-34; left out"]),
    (ITEM + ', "volume": ' + "9" * 5000 + '}', []),
    (ITEM + ', "publisher": "P\\u0007"}',
     ["  'publisher' left out: it holds a control character ('\\x07')"]),
], ids=["surrogate", "javascript", "space", "nan", "huge-int", "control"])
def test_add_leaves_out_what_check_would_refuse(http_server: LocalServer, tmp_path: Path, run,
                                                monkeypatch: pytest.MonkeyPatch, body: str,
                                                stdout_lines: list[str]) -> None:
    monkeypatch.setenv("REFMAP_DOI_URL", http_server.url(""))
    http_server.route("/10.5555/x", body=body.encode(), headers=CSL_TYPE)
    passing_map(tmp_path, {"s": {"url": "https://example.org/a"}})
    result = run(["add", "--allow-private", "--no-cache", "doi:10.5555/x"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[1:-1] == stdout_lines and lines[-1] == "added 'kim2019title': A title"
    result = run(["check"], cwd=tmp_path)
    assert "[bad-url]" not in result.stdout and "error" not in result.stdout.replace(
        "source 'kim2019title' is not cited", "")


@pytest.mark.parametrize(("body", "message"), [
    (b"[" * 100_000 + b"]" * 100_000, "is nested too deeply to be a record"),
    (b'{"title": {"a": ' * 50_000 + b"1" + b"}" * 50_000, "is nested too deeply to be a record"),
    (('{"type": "book", "title": "A \\ud800"}').encode(), None),
])
def test_add_refuses_a_hostile_doi_answer_in_one_line(http_server: LocalServer, tmp_path: Path,
                                                      run, monkeypatch: pytest.MonkeyPatch,
                                                      body: bytes, message: str | None) -> None:
    monkeypatch.setenv("REFMAP_DOI_URL", http_server.url(""))
    http_server.route("/10.5555/x", body=body, headers=CSL_TYPE)
    passing_map(tmp_path, {"s": {"url": "https://example.org/a"}})
    before = snapshot(tmp_path)
    result = run(["add", "--allow-private", "--no-cache", "doi:10.5555/x"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: cannot look up DOI '10.5555/x': ")
    assert result.stderr.count("\n") == 1 and "claims.yaml" not in result.stderr
    if message is not None:
        assert result.stderr.endswith(f"{message}\n")
    else:
        assert result.stderr.endswith("'title' holds a lone surrogate ('\\ud800'), which is no "
                                      "character\n")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("volume", "NaN", "it is not a number"), ("number", "-Infinity", "it is not a number"),
    ("volume", float("nan"), "it is not a number"),
    ("date", "\u0662\u0660\u0661\u0669", "it is not a date YYYY[-MM[-DD]] in ASCII digits"),
    ("url", "file:///etc/passwd", "only http and https URLs are used, not 'file:'"),
    ("note", "x" * 10_001, "it is 10001 characters long (at most 10000)"),
    ("authors", [{"family": "K\u0000"}], "it holds a control character ('\\x00')"),
    ("volume", "12", None), ("url", "https://example.org/a", None),
])
def test_values_from_outside(name: str, value: object, problem: str | None) -> None:
    from refmap.references.intake import value_problem

    assert value_problem(name, value)[1] == problem
