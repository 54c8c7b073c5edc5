"""refmap links end to end against a local server: states, formats, --fix, bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from httpserver import LocalServer, http_server, stall_after  # noqa: F401
from sourcemaps import write_map


@pytest.fixture
def other_host() -> Iterator[LocalServer]:
    """A second server, on another loopback address: a 429 with a long Retry-After holds back
    every later request to its host, so it gets a host of its own."""
    server = LocalServer(host="127.0.0.2")
    yield server
    server.close()


def serve_states(server: LocalServer, other: LocalServer) -> dict[str, dict[str, str]]:
    """One source per link state, in this order."""
    server.route("/ok", body=b"<p>page</p>", headers={"Content-Type": "text/html"})
    server.redirect("/moved", "/hop", 301)
    server.redirect("/hop", "/ok", 308)
    server.redirect("/temp", "/ok", 302)
    server.route("/gone", status=404)
    server.route("/deleted", status=410)
    server.route("/err", status=500)
    server.route("/forbidden", status=403)
    other.route("/busy", status=429, headers={"Retry-After": "3600"})
    server.redirect("/loop", "/loop2", 302)
    server.redirect("/loop2", "/loop", 302)
    server.route("/stall", body=stall_after(b"", 30, server.stopping), delay=30)
    names = ["ok", "moved", "temp", "gone", "deleted", "err", "forbidden", "busy", "loop", "stall"]
    return {name: {"url": (other if name == "busy" else server).url(f"/{name}")} for name in names}


def test_each_state_with_exact_lines(http_server: LocalServer, other_host: LocalServer,
                                     tmp_path: Path, run) -> None:
    path = write_map(tmp_path, serve_states(http_server, other_host), [("ok", "page")])
    before = path.read_bytes()
    base = http_server.url("/")
    result = run(["links", "--allow-private", "--no-cache", "--timeout", "0.5"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == (
        f"claims.yaml:12:10: warning: source 'moved': url has moved permanently (301) to "
        f"'{base}ok' [link-redirected]\n"
        "claims.yaml:20:10: error: source 'gone': url is dead (404) [link-dead]\n"
        "claims.yaml:24:10: error: source 'deleted': url is dead (410) [link-dead]\n"
        "claims.yaml:28:10: warning: source 'err': url answers with an error (500) [link-error]\n"
        "claims.yaml:32:10: warning: source 'forbidden': url could not be verified: access "
        "refused (403) [link-blocked]\n"
        "claims.yaml:36:10: warning: source 'busy': url could not be verified: access refused "
        "(429) [link-blocked]\n"
        "claims.yaml:40:10: warning: source 'loop': url answers with an error (redirect-loop) "
        "[link-error]\n"
        "claims.yaml:44:10: warning: source 'stall': url timed out [link-timeout]\n"
        "10 links checked: 2 ok, 1 redirected, 2 dead, 2 error, 1 timeout, 2 blocked\n")
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert path.read_bytes() == before


def test_json_and_github_formats(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/ok")
    http_server.route("/gone", status=410)
    write_map(tmp_path, {"fine": {"url": http_server.url("/ok"), "archive": http_server.url("/gone")}},
              [("fine", "x")])
    result = run(["links", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["field"], d["state"], d["position"]["line"], d["position"]["col"])
            for d in data] == [
        ("url", "ok", 8, 10), ("archive", "dead", 9, 14)]
    result = run(["links", "--allow-private", "--no-cache", "--format", "github"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (1, (
        "::error file=claims.yaml,line=9,col=14,title=link-dead::source 'fine': archive is dead (410)\n"))


def test_cited_only(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/ok")
    write_map(tmp_path, {"cited": {"url": http_server.url("/ok")},
                         "uncited": {"url": http_server.url("/gone")}}, [("cited", "x")])
    result = run(["links", "--allow-private", "--no-cache", "--cited-only"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "1 link checked: 1 ok\n")
    assert http_server.hits("/gone") == 0


def test_fix_writes_permanent_redirects_only(http_server: LocalServer, other_host: LocalServer,
                                             tmp_path: Path, run) -> None:
    path = write_map(tmp_path, serve_states(http_server, other_host), [("ok", "page")])
    before = path.read_text("utf-8")
    base = http_server.url("/")
    result = run(["links", "--allow-private", "--no-cache", "--timeout", "0.5", "--fix", "--dry-run"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a/claims.yaml\n+++ b/claims.yaml\n@@ -9,7 +9,7 @@\n"
        "   moved:\n     type: online\n     title: Moved\n"
        f'-    url: "{base}moved"\n+    url: "{base}ok"\n'
        "   temp:\n     type: online\n     title: Temp\n")
    assert result.stderr.endswith("10 links checked: 2 ok, 1 redirected, 2 dead, 2 error, "
                                  "1 timeout, 2 blocked\n")
    assert path.read_text("utf-8") == before
    result = run(["links", "--allow-private", "--no-cache", "--timeout", "0.5", "--fix"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"moved: url updated to '{base}ok'\n"
    assert path.read_text("utf-8") == before.replace(f'"{base}moved"', f'"{base}ok"')


def test_fix_with_nothing_to_fix(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/ok")
    path = write_map(tmp_path, {"fine": {"url": http_server.url("/ok")}}, [("fine", "x")])
    before = path.read_bytes()
    result = run(["links", "--allow-private", "--no-cache", "--fix"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "1 link checked: 1 ok\n", "no redirects to fix\n")
    assert path.read_bytes() == before


def test_map_without_urls(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"book": {"isbn": "9780000000002"}}, [("book", "x")])
    result = run(["links", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "no links to check: no source has a url or archive\n")
    result = run(["links", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_unwritable_cache_is_one_line_before_any_request(http_server: LocalServer,
                                                         tmp_path: Path, run) -> None:
    http_server.route("/ok")
    write_map(tmp_path, {"fine": {"url": http_server.url("/ok")}}, [("fine", "x")])
    (tmp_path / "file").write_text("not a folder")
    result = run(["links", "--allow-private", "--cache", "file/cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: file/cache: cache directory is not writable: Not a directory\n")
    assert http_server.requests == []


def test_ctrl_c_during_fix_writes_nothing_and_keeps_the_cache_valid(
        http_server: LocalServer, tmp_path: Path, run, monkeypatch) -> None:
    import refmap.net.links

    sources = {}
    for n in range(6):
        http_server.redirect(f"/{n}", "/ok", 301)
        sources[f"s{n}"] = {"url": http_server.url(f"/{n}")}
    http_server.route("/ok")
    path = write_map(tmp_path, sources, [("s0", "x")])
    before = path.read_bytes()
    real = refmap.net.links.check_url
    calls = []

    def interrupted(*args: object) -> object:
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(refmap.net.links, "check_url", interrupted)
    cache = tmp_path / "cache"
    result = run(["links", "--allow-private", "--cache", str(cache), "--fix", "--workers", "1"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr.splitlines()[-1]) == (130, "", "Aborted!")
    assert path.read_bytes() == before
    monkeypatch.setattr(refmap.net.links, "check_url", real)
    result = run(["links", "--allow-private", "--cache", str(cache), "--fix"], cwd=tmp_path)
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 6
    assert path.read_text("utf-8").count(f'url: "{http_server.url("/ok")}"') == 6


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(http_server: LocalServer, tmp_path: Path, run,
                                         monkeypatch) -> None:
    from refmap.cli import sources

    http_server.route("/ok")
    write_map(tmp_path, {f"s{n}": {"url": http_server.url(f"/ok?{n}")} for n in range(3)},
              [("s0", "x")])
    terminal = FakeTerminal()
    monkeypatch.setattr(sources, "error_stream", lambda: terminal)
    result = run(["links", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "3 links checked: 3 ok\n", "")
    assert "checking links" in terminal.getvalue() and "100%" in terminal.getvalue()


def test_json_follows_its_documented_schema(tmp_path, run, http_server):
    import jsonschema

    from conftest import ROOT

    schema = json.loads((ROOT / "docs" / "json" / "links.schema.json").read_text("utf-8"))
    http_server.route("/fine", body=b"ok")
    http_server.route("/gone", status=404)
    write_map(tmp_path, {"a": {"url": http_server.url("/fine"), "archive": http_server.url("/gone")}},
              [("a", "x")])
    data = json.loads(run(["links", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path).stdout)
    assert [d["state"] for d in data] == ["ok", "dead"]
    jsonschema.Draft202012Validator(schema).validate(data)
