"""Link checking against a local server: one state per URL, HEAD/GET, the pool, the output."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from pathlib import Path

import pytest
from httpserver import LocalServer, http_server, repeat_bytes  # noqa: F401

from refmap.net.http import HttpClient
from refmap.net.links import (
    LinkResult,
    LinkState,
    LinkTarget,
    check_links,
    exit_code,
    link_targets,
    run_by_host,
)
from refmap.render.network import render_links_github, render_links_json, render_links_text
from refmap.mapfile.schema import load_map
from refmap.spans import Span


def client(**options: object) -> HttpClient:
    settings: dict[str, object] = {"timeout": 1.0, "max_bytes": 1 << 20, "sleep": lambda s: None,
                                   "allow_private": True}
    settings.update(options)
    return HttpClient(**settings)  # type: ignore[arg-type]


def check_one(server: LocalServer, path: str, **options: object) -> LinkResult:
    target = LinkTarget(server.url(path), "key", "url")
    [result] = check_links([target], client(**options))
    return result


@pytest.mark.parametrize("status,state", [
    (200, LinkState.OK), (204, LinkState.OK),
    (404, LinkState.DEAD), (410, LinkState.DEAD),
    (500, LinkState.ERROR), (502, LinkState.ERROR), (400, LinkState.ERROR),
    (401, LinkState.BLOCKED), (403, LinkState.BLOCKED), (429, LinkState.BLOCKED),
    (999, LinkState.BLOCKED),
])
def test_status_gives_state(http_server: LocalServer, status: int, state: LinkState) -> None:
    http_server.route("/p", status=status)
    result = check_one(http_server, "/p")
    assert (result.state, result.status, result.detail) == (state, status, str(status))


def test_bot_wall_is_blocked_not_ok(http_server: LocalServer) -> None:
    http_server.route("/wall", status=200, headers={"cf-mitigated": "challenge"})
    assert check_one(http_server, "/wall").state is LinkState.BLOCKED


def test_head_first_and_no_get_when_head_answers(http_server: LocalServer) -> None:
    http_server.route("/p", body=b"page")
    assert check_one(http_server, "/p").state is LinkState.OK
    assert [r.method for r in http_server.requests] == ["HEAD"]


@pytest.mark.parametrize("head_status", [405, 501, 404, 403])
def test_get_where_head_is_refused(http_server: LocalServer, head_status: int) -> None:
    http_server.route("/p", method="HEAD", status=head_status)
    http_server.route("/p", method="GET", body=repeat_bytes(50 << 20))  # only headers are read
    result = check_one(http_server, "/p")
    assert (result.state, result.status) == (LinkState.OK, 200)
    assert [r.method for r in http_server.requests] == ["HEAD", "GET"]


def test_rate_limited_head_is_not_insisted_on(http_server: LocalServer) -> None:
    http_server.route("/p", status=429, headers={"Retry-After": "1"})
    assert check_one(http_server, "/p").state is LinkState.BLOCKED
    assert [r.method for r in http_server.requests] == ["HEAD", "HEAD"]  # one polite retry


def test_permanent_redirect_gives_the_new_url(http_server: LocalServer) -> None:
    http_server.redirect("/old", "/new", 301)
    http_server.route("/new")
    result = check_one(http_server, "/old")
    assert (result.state, result.detail, result.new_url) == (
        LinkState.REDIRECTED, "301", http_server.url("/new"))


def test_temporary_redirect_is_ok(http_server: LocalServer) -> None:
    http_server.redirect("/old", "/new", 302)
    http_server.route("/new")
    result = check_one(http_server, "/old")
    assert (result.state, result.new_url, result.final_url) == (LinkState.OK, None, http_server.url("/new"))


def test_permanent_then_temporary_redirect_moves_to_the_last_permanent_hop(http_server: LocalServer) -> None:
    http_server.redirect("/a", "/b", 308)
    http_server.redirect("/b", "/login", 307)
    http_server.route("/login")
    result = check_one(http_server, "/a")
    assert (result.state, result.new_url) == (LinkState.REDIRECTED, http_server.url("/b"))


def test_redirect_to_a_dead_page_is_dead(http_server: LocalServer) -> None:
    http_server.redirect("/old", "/gone", 301)
    http_server.route("/gone", status=410)
    assert check_one(http_server, "/old").state is LinkState.DEAD


def test_redirect_loop_is_an_error(http_server: LocalServer) -> None:
    http_server.redirect("/x", "/y")
    http_server.redirect("/y", "/x")
    result = check_one(http_server, "/x")
    assert (result.state, result.status, result.detail) == (LinkState.ERROR, None, "redirect-loop")


def test_stalling_server_times_out(http_server: LocalServer) -> None:
    http_server.route("/slow", delay=30)
    result = check_one(http_server, "/slow", timeout=0.3)
    assert (result.state, result.detail) == (LinkState.TIMEOUT, "timeout")
    assert [r.method for r in http_server.requests] == ["HEAD"]  # a timeout is not tried twice


def test_unknown_host_is_dead_and_bad_url_is_an_error() -> None:
    targets = [LinkTarget("http://gone.invalid/", "a", "url"), LinkTarget("ftp://x.org/", "b", "url")]
    results = check_links(targets, client())
    assert [(r.state, r.detail) for r in results] == [(LinkState.DEAD, "dns"), (LinkState.ERROR, "bad-url")]


def test_results_in_input_order_and_shared_urls_fetched_once(http_server: LocalServer) -> None:
    for n in range(10):
        http_server.route(f"/{n}", status=404 if n % 3 == 0 else 200, delay=0.01 * (10 - n))
    targets = [LinkTarget(http_server.url(f"/{n}"), f"s{n}", "url") for n in range(10)]
    targets.append(LinkTarget(http_server.url("/1"), "again", "archive"))
    seen: list[tuple[int, int]] = []
    results = check_links(targets, client(), workers=4, progress=lambda d, t: seen.append((d, t)))
    assert [r.target for r in results] == targets
    assert [r.state.value for r in results] == ["dead", "ok", "ok", "dead", "ok", "ok", "dead", "ok", "ok", "dead", "ok"]
    assert http_server.hits("/1") == 1
    assert seen == [(n, 10) for n in range(1, 11)]


def test_pool_respects_per_host_limit(http_server: LocalServer) -> None:
    active, peak, lock = [0], [0], threading.Lock()
    http = client()
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
    for n in range(8):
        http_server.route(f"/{n}", delay=0.05)
    targets = [LinkTarget(http_server.url(f"/{n}"), f"s{n}", "url") for n in range(8)]
    results = check_links(targets, http, workers=8, per_host=1)
    assert {r.state for r in results} == {LinkState.OK}
    assert peak[0] == 1


def test_exit_code_only_for_dead_links() -> None:
    def result(state: LinkState) -> LinkResult:
        return LinkResult(LinkTarget("http://a/", "k", "url"), state, None, "x")

    assert exit_code([result(s) for s in LinkState if s is not LinkState.DEAD]) == 0
    assert exit_code([result(LinkState.OK), result(LinkState.DEAD)]) == 1
    assert exit_code([]) == 0


MAP = """\
version: 1
essay:
  path: essay.txt
sources:
  first:
    type: online
    title: First
    url: {base}/gone
    archive: {base}/moved
  second:
    type: online
    title: Second
    url: {base}/fine
claims:
  - id: c1
    quote: The quote
    kind: event
    citations:
      - source: second
        excerpt: words
"""


def test_map_targets_positions_and_rendering(http_server: LocalServer, tmp_path: Path) -> None:
    base = http_server.url("").rstrip("/")
    (tmp_path / "claims.yaml").write_text(MAP.format(base=base))
    (tmp_path / "essay.txt").write_text("The quote.\n")
    cmap = load_map(tmp_path / "claims.yaml")
    path = str(tmp_path / "claims.yaml")
    targets = link_targets(cmap)
    assert targets == [LinkTarget(f"{base}/gone", "first", "url", Span(path, 8, 10)),
                       LinkTarget(f"{base}/moved", "first", "archive", Span(path, 9, 14)),
                       LinkTarget(f"{base}/fine", "second", "url", Span(path, 13, 10))]
    assert [t.source for t in link_targets(cmap, cited_only=True)] == ["second"]
    http_server.route("/gone", status=404)
    http_server.redirect("/moved", "/new/place", 301)
    http_server.route("/new/place")
    http_server.route("/fine")
    results = check_links(targets, client())
    assert render_links_text(results) == (
        f"{path}:8:10: error: source 'first': url is dead (404) [link-dead]\n"
        f"{path}:9:14: warning: source 'first': archive has moved permanently (301) to "
        f"'{base}/new/place' [link-redirected]\n"
        "3 links checked: 1 ok, 1 redirected, 1 dead\n")
    assert render_links_github(results).splitlines()[0] == (
        f"::error file={path},line=8,col=10,title=link-dead::source 'first': url is dead (404)")
    data = json.loads(render_links_json(results))
    assert data[1].pop("fetched_at") is not None
    assert data[1] == {"from_cache": False, "position": {"file": path, "line": 9, "col": 14}, "source": "first",
                       "field": "archive",
                       "url": f"{base}/moved", "state": "redirected", "code": "link-redirected",
                       "severity": "warning", "status": 200, "detail": "301",
                       "new_url": f"{base}/new/place", "final_url": f"{base}/new/place"}
    assert [d["state"] for d in data] == ["dead", "redirected", "ok"]


def test_no_links() -> None:
    assert render_links_text([]) == "no links to check\n"
    assert render_links_json([]) == "[]\n"
    assert render_links_github([]) == ""


def test_messages_stay_one_inert_line() -> None:
    target = LinkTarget("http://a/", "k", "url", Span("m.yaml", 1, 2))
    result = LinkResult(target, LinkState.REDIRECTED, 200, "301", "http://a/\x1b[31m\nx")
    assert render_links_text([result]).splitlines()[0] == (
        "m.yaml:1:2: warning: source 'k': url has moved permanently (301) to "
        "'http://a/\\x1b[31m\\nx' [link-redirected]")


def test_ctrl_c_stops_the_run_and_leaves_the_cache_valid(http_server: LocalServer, tmp_path: Path) -> None:
    from refmap.net.cache import Cache

    for n in range(20):
        http_server.route(f"/{n}", delay=0.02)
    cache = Cache(tmp_path)
    targets = [LinkTarget(http_server.url(f"/{n}"), f"s{n}", "url") for n in range(20)]

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check_links(targets, client(cache=cache), workers=2, progress=interrupt)
    assert http_server.hits("/19") == 0  # what had not started was never sent
    entries = list(tmp_path.glob("*.entry"))
    assert len(entries) >= 3
    results = check_links(targets, client(cache=cache), workers=2)
    assert {r.state for r in results} == {LinkState.OK}


def test_run_by_host_keeps_to_its_limits() -> None:
    """At most per_host URLs of one host and `workers` in all at once; every result handed to
    finished() on the calling thread."""
    lock = threading.Lock()
    active: dict[str, int] = {}
    peaks: dict[str, int] = {}
    calls: list[tuple[str, bool]] = []

    def task(url: str) -> str:
        host = url.split("/")[2]
        with lock:
            for key in (host, "all"):
                active[key] = active.get(key, 0) + 1
                peaks[key] = max(peaks.get(key, 0), active[key])
        time.sleep(0.2 if host == "slow" else 0.001)  # rounds go on while "slow" is busy
        with lock:
            active[host] -= 1
            active["all"] -= 1
        return url

    hosts = {"slow": 3, "a": 8, "b": 8}
    urls = [f"http://{host}/{n}" for host, count in hosts.items() for n in range(count)]
    queues = {host: deque(u for u in urls if u.split("/")[2] == host) for host in hosts}
    run_by_host(queues, task, 4, 1, lambda url, result: calls.append(
        (result, threading.current_thread() is threading.main_thread())), "test")
    assert sorted(calls) == sorted((url, True) for url in urls)
    assert peaks["all"] <= 4 and peaks["slow"] == peaks["a"] == peaks["b"] == 1


def test_run_by_host_hands_out_the_next_url_before_finished_works() -> None:
    """finished() runs after the worker it freed was given the next URL, so that URL is
    fetched while finished() works (capture reads and writes each page there)."""
    started = {n: threading.Event() for n in range(4)}
    seen: list[bool] = []

    def task(url: str) -> str:
        started[int(url.rsplit("/", 1)[1])].set()
        return url

    def finished(url: str, result: str) -> None:
        if not seen:  # the first result: the second URL was handed out before it
            seen.append(started[1].wait(10))

    run_by_host({"a": deque(f"http://a/{n}" for n in range(4))}, task, 2, 1, finished, "test")
    assert seen == [True]
