"""refmap verify with captures: then and now, the dead page, --offline, --capture, no network."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from conftest import snapshot
from httpserver import LocalServer, http_server  # noqa: F401
from sourcemaps import write_map

@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is on 127.0.0.1, which refmap refuses unless allowed."""
    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")


HTML = {"Content-Type": "text/html; charset=utf-8"}
FIRST = "The harbour board met on Tuesday and agreed to dredge the outer channel before winter."
SECOND = "Critics noted that the figures had not yet been audited by the port authority."
EXCERPT = "The harbour board met on Tuesday and agreed to dredge the outer channel"


def page(first: str = FIRST, second: str = SECOND) -> bytes:
    return (f"<html><body><article><h1>Harbour news</h1><p>{first}</p><p>{second}</p>"
            "</article></body></html>").encode()


def captured_map(server: LocalServer, folder: Path, run, excerpt: str = EXCERPT) -> str:
    """A map citing the page, captured; returns the capture's date."""
    server.route("/a", body=page(), headers=HTML)
    write_map(folder, {"gazette": {"url": server.url("/a")}}, [("gazette", excerpt)])
    assert run(["capture"], cwd=folder).exit_code == 0
    text = (folder / "claims.yaml").read_text()
    return text.split("captured: ", 1)[1][:10]


def test_live_page_unchanged(http_server: LocalServer, tmp_path: Path, run) -> None:
    captured_map(http_server, tmp_path, run)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "no problems found\n1 excerpt verified: 1 found\n")
    data = json.loads(run(["verify", "--no-cache", "--format", "json"], cwd=tmp_path).stdout)
    assert (data[0]["basis"], data[0]["on_capture"], data[0]["page_changed"]) == ("live", "found", False)


def test_changed_around_the_excerpt_shows_then_now_and_a_word_diff(
        http_server: LocalServer, tmp_path: Path, run) -> None:
    day = captured_map(http_server, tmp_path, run)
    http_server.replace("/a", body=page(FIRST.replace("Tuesday", "Friday")), headers=HTML)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claims.yaml:16:18: warning: claim 'c1': excerpt from 'gazette' has changed on the page "
        "(similarity 95); the page now says 'The harbour board met on Friday and agreed to "
        f"dredge the outer channel' (it was on the capture of {day}) [excerpt-changed]\n"
        f"    then ({day}): {FIRST}\n"
        f"    now: {FIRST.replace('Tuesday', 'Friday')}\n"
        "    diff: The harbour board met on [-Tuesday-] {+Friday+} and agreed to dredge the "
        "outer channel before winter.\n"
        "1 warning\n"
        "1 excerpt verified: 1 changed; 1 page changed since its capture\n"))


def test_the_passage_around_a_found_excerpt_changed(http_server: LocalServer, tmp_path: Path,
                                                    run) -> None:
    day = captured_map(http_server, tmp_path, run)
    http_server.replace("/a", body=page(FIRST.replace("before winter", "next year")), headers=HTML)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claims.yaml:16:18: info: claim 'c1': excerpt from 'gazette' is on the page, but the "
        f"passage around it has changed since the capture of {day} [excerpt-passage-changed]\n"
        f"    then ({day}): {FIRST}\n"
        f"    now: {FIRST.replace('before winter', 'next year')}\n"
        "    diff: The harbour board met on Tuesday and agreed to dredge the outer channel "
        "[-before winter.-] {+next year.+}\n"
        "1 info\n"
        "1 excerpt verified: 1 found; 1 page changed since its capture\n"))


def test_changed_elsewhere_is_found_and_the_change_noted(http_server: LocalServer,
                                                        tmp_path: Path, run) -> None:
    captured_map(http_server, tmp_path, run)
    http_server.replace("/a", body=page(second="An entirely new paragraph about the weather."),
                        headers=HTML)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "no problems found\n1 excerpt verified: 1 found; 1 page changed since its capture\n"))


def test_the_excerpt_gone_from_the_live_page(http_server: LocalServer, tmp_path: Path, run) -> None:
    day = captured_map(http_server, tmp_path, run)
    http_server.replace("/a", body=page(first="The paragraph was rewritten entirely by a new "
                                              "editor who removed the old report."), headers=HTML)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (1, (
        "claims.yaml:16:18: error: claim 'c1': excerpt from 'gazette' is not on the page any "
        f"more (it was on the capture of {day}) [excerpt-missing]\n"
        f"    then ({day}): {FIRST}\n"
        "    now: (the passage is gone from the page)\n"
        "1 error\n"
        "1 excerpt verified: 1 missing; 1 page changed since its capture\n"))


def test_a_dead_page_falls_back_to_the_capture(http_server: LocalServer, tmp_path: Path, run) -> None:
    day = captured_map(http_server, tmp_path, run)
    http_server.replace("/a", status=404)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        f"claims.yaml:16:18: warning: claim 'c1': excerpt from 'gazette' is on the capture of "
        f"{day}; the live page could not be read: the page is dead (404) [excerpt-on-copy]\n"
        "1 warning\n1 excerpt verified: 1 found\n"))
    data = json.loads(run(["verify", "--no-cache", "--format", "json"], cwd=tmp_path).stdout)
    assert (data[0]["basis"], data[0]["page"], data[0]["state"]) == ("capture", "dead", "found")


def test_a_dead_page_without_capture_falls_back_to_the_archive(http_server: LocalServer,
                                                             tmp_path: Path, run) -> None:
    http_server.route("/a", status=410)
    http_server.route("/web/2020/a", body=page(), headers=HTML)
    write_map(tmp_path, {"gazette": {"url": http_server.url("/a"),
                                     "archive": http_server.url("/web/2020/a")}},
              [("gazette", EXCERPT)])
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claims.yaml:16:18: warning: claim 'c1': excerpt from 'gazette' is on the archived copy; "
        "the live page could not be read: the page is dead (410) [excerpt-on-copy]\n"
        "1 warning\n1 excerpt verified: 1 found\n"))


def test_offline_checks_the_captures_with_the_server_stopped(tmp_path: Path, run) -> None:
    server = LocalServer()
    try:
        captured_map(server, tmp_path, run)
        write_map  # the map names the server's URL, which answers nothing from now on
    finally:
        server.close()
    result = run(["verify", "--offline"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "no problems found\n1 excerpt verified against the captures: 1 found\n", "")
    (tmp_path / "claims.yaml").write_text((tmp_path / "claims.yaml").read_text().replace(
        "agreed to dredge", "agreed to deepen"))
    result = run(["verify", "--offline"], cwd=tmp_path)
    assert result.exit_code == 0 and "has changed on the capture of" in result.stdout


def test_offline_without_a_capture_is_unverifiable(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"a": {"url": "http://127.0.0.1:9/x"}}, [("a", "anything")])
    result = run(["verify", "--offline"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claims.yaml:15:18: warning: claim 'c1': excerpt from 'a' could not be verified: no "
        "capture to check against (refmap capture keeps one) [excerpt-unverifiable]\n"
        "1 warning\n1 excerpt verified against the captures: 1 unverifiable\n"))


def test_a_damaged_capture_is_reported_offline(http_server: LocalServer, tmp_path: Path, run) -> None:
    captured_map(http_server, tmp_path, run)
    [warc] = (tmp_path / ".refmap" / "captures").iterdir()
    warc.write_bytes(b"junk")
    result = run(["verify", "--offline"], cwd=tmp_path)
    assert result.exit_code == 0
    assert (f"could not be verified: the capture cannot be used: {warc.relative_to(tmp_path)}: "
            "not an intact refmap capture (WARC): ") in result.stdout


def test_verify_capture_keeps_what_it_fetches(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/a", body=page(), headers=HTML)
    path = write_map(tmp_path, {"gazette": {"url": http_server.url("/a")}}, [("gazette", EXCERPT)])
    result = run(["verify", "--no-cache", "--capture"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stderr.startswith("gazette: captured http://")
    assert "captured: " in path.read_text()
    assert len(list((tmp_path / ".refmap" / "captures").iterdir())) == 1
    http_server.close()
    assert run(["verify", "--offline"], cwd=tmp_path).stdout.endswith("1 found\n")


def unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No name resolves and no address answers: the machine is offline."""
    def fail(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", fail)


@pytest.mark.parametrize("command", [["links"], ["verify"], ["capture"], ["links", "--fix"]])
def test_every_host_unreachable_is_offline_not_dead(tmp_path: Path, run, command: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_map(tmp_path, {"a": {"url": "https://news.example.org/a"},
                         "b": {"url": "https://other.example.net/b", "archive": "https://web.example/b"}},
              [("a", "x"), ("b", "y")])
    before = snapshot(tmp_path)
    unreachable(monkeypatch)
    result = run([*command, "--no-cache"] if command[0] != "capture" else command, cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        "Error: offline: nothing checked (no host could be reached: name lookup or connection "
        "failed for every URL)\n"))
    assert snapshot(tmp_path) == before


def test_offline_hint_when_captures_exist(http_server: LocalServer, tmp_path: Path, run,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    captured_map(http_server, tmp_path, run)
    unreachable(monkeypatch)
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, (
        "Error: offline: nothing checked (no host could be reached: name lookup or connection "
        "failed for every URL); 'refmap verify --offline' checks the captures\n"))


def test_a_damaged_capture_is_named_in_a_live_run(http_server: LocalServer, tmp_path: Path,
                                                  run) -> None:
    captured_map(http_server, tmp_path, run)
    [warc] = (tmp_path / ".refmap" / "captures").iterdir()
    warc.write_bytes(b"junk")
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout == (
        "no problems found\n1 excerpt verified: 1 found\n"
        f"warning: capture not used: {warc.relative_to(tmp_path)}: not an intact refmap capture "
        "(WARC): " + result.stdout.split("(WARC): ", 1)[1])
    assert result.stdout.count("\n") == 3
