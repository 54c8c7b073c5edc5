"""The cache says when it answers, and how old the answer is; --refresh, --no-cache, --max-age."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import snapshot
from httpserver import LocalServer, http_server  # noqa: F401
from sourcemaps import write_map

from refmap.net.cache import Cache, cached_note, describe_age, iso_time, parse_duration
from refmap.net.http import open_client
from refmap.net.links import LinkState, LinkTarget, check_links

@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is on 127.0.0.1, which refmap refuses unless allowed."""
    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")


HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"<html><body><article><p>The harbour board met on Tuesday.</p></article></body></html>"
EDITED = b"<html><body><article><p>The harbour board met on Friday.</p></article></body></html>"


def later(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    """Make the clock read `hours` later than now (the cache's own expiry clock is unmoved)."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + hours * 3600)


def test_a_deleted_page_answered_from_the_cache_says_so_with_its_age(
        http_server: LocalServer, tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    http_server.route("/page", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/page")}}, [("a", "x")])
    cache = str(tmp_path / "cache")
    assert run(["links", "--cache", cache], cwd=tmp_path).stdout == "1 link checked: 1 ok\n"
    http_server.replace("/page", status=404)
    later(monkeypatch, 3)
    result = run(["links", "--cache", cache], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "1 link checked: 1 ok; 1 answer from the cache (fetched 3 h ago; --refresh asks again)\n"))
    data = json.loads(run(["links", "--cache", cache, "--format", "json"], cwd=tmp_path).stdout)
    assert (data[0]["state"], data[0]["from_cache"]) == ("ok", True)
    assert data[0]["fetched_at"] == iso_time(time.time() - 3 * 3600)


def test_refresh_sees_the_change_and_updates_the_cache(
        http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/page", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/page")}}, [("a", "x")])
    cache = str(tmp_path / "cache")
    run(["links", "--cache", cache], cwd=tmp_path)
    http_server.replace("/page", status=404)
    result = run(["links", "--cache", cache, "--refresh"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (1, (
        "claims.yaml:8:10: error: source 'a': url is dead (404) [link-dead]\n"
        "1 link checked: 1 dead\n"))
    result = run(["links", "--cache", cache], cwd=tmp_path)  # the cache now holds the 404
    assert (result.exit_code, result.stdout) == (1, (
        "claims.yaml:8:10: error: source 'a': url is dead (404) (cached less than a minute ago) "
        "[link-dead]\n1 link checked: 1 dead; 1 answer from the cache (fetched less than a "
        "minute ago; --refresh asks again)\n"))


def test_no_cache_neither_reads_nor_writes_the_cache(
        http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/page", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/page")}}, [("a", "The harbour board met on Tuesday.")])
    cache = tmp_path / "cache"
    run(["verify", "--cache", str(cache)], cwd=tmp_path)
    before = snapshot(cache)
    http_server.replace("/page", body=EDITED, headers=HTML)
    result = run(["verify", "--cache", str(cache), "--no-cache"], cwd=tmp_path)
    assert "has changed on the page" in result.stdout and "cache" not in result.stdout
    assert snapshot(cache) == before
    result = run(["verify", "--cache", str(cache)], cwd=tmp_path)
    assert result.stdout.startswith("no problems found\n1 excerpt verified: 1 found; 1 answer "
                                    "from the cache")


def test_max_age_sets_the_expiry(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/page", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/page")}}, [("a", "x")])
    cache = str(tmp_path / "cache")
    run(["links", "--cache", cache], cwd=tmp_path)
    hits = http_server.hits("/page")
    assert run(["links", "--cache", cache, "--max-age", "2d"], cwd=tmp_path).stdout.endswith(
        "--refresh asks again)\n")
    assert http_server.hits("/page") == hits
    assert run(["links", "--cache", cache, "--max-age", "0"], cwd=tmp_path).stdout == (
        "1 link checked: 1 ok\n")
    assert http_server.hits("/page") == hits + 1


@pytest.mark.parametrize("args", [["--max-age", "soon"], ["--max-age", "-1h"]])
def test_a_bad_max_age_is_one_line(tmp_path: Path, run, args: list[str]) -> None:
    write_map(tmp_path, {"a": {"url": "http://127.0.0.1:9/"}}, [("a", "x")])
    result = run(["links", *args], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--max-age': ")
    assert len(result.stderr.splitlines()) == 1


def test_refresh_and_no_cache_together_is_a_usage_error(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"a": {"url": "http://127.0.0.1:9/"}}, [("a", "x")])
    result = run(["links", "--refresh", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --refresh updates the cache and --no-cache leaves it alone: give one of them\n")


def test_the_python_api_says_the_same(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/page", body=PAGE, headers=HTML)
    target = [LinkTarget(http_server.url("/page"), "a", "url")]
    cache = str(tmp_path / "cache")
    first = check_links(target, open_client(allow_private=True, cache_dir=cache))[0]
    assert (first.state, first.from_cache) == (LinkState.OK, False)
    http_server.replace("/page", status=410)
    second = check_links(target, open_client(allow_private=True, cache_dir=cache))[0]
    assert (second.state, second.from_cache, second.fetched_at) == (
        LinkState.OK, True, pytest.approx(first.fetched_at, abs=1))
    fresh = check_links(target, open_client(allow_private=True, cache_dir=cache, refresh=True))[0]
    assert (fresh.state, fresh.from_cache) == (LinkState.DEAD, False)
    assert check_links(target, open_client(allow_private=True, cache_dir=cache))[0].state is LinkState.DEAD


def test_a_refreshing_cache_stores_but_never_answers(tmp_path: Path) -> None:
    Cache(tmp_path, refresh=True).put("k", {}, b"body")
    assert Cache(tmp_path, refresh=True).get("k") is None
    entry = Cache(tmp_path).get("k")
    assert entry is not None and entry.body == b"body"


@pytest.mark.parametrize(("seconds", "said"), [
    (5, "less than a minute"), (59 * 60, "59 min"), (3 * 3600 + 5, "3 h"), (47 * 3600, "47 h"),
    (3 * 86400, "3 d")])
def test_ages_read_as_people_say_them(seconds: float, said: str) -> None:
    assert describe_age(seconds) == said
    assert cached_note(1000.0, now=1000.0 + seconds) == f"cached {said} ago"


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90.0), ("90s", 90.0), ("30m", 1800.0), ("6h", 21600.0), ("2d", 172800.0),
    ("1.5h", 5400.0), ("soon", None), ("-1h", None), ("", None)])
def test_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds
