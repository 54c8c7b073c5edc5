"""refmap.net.verify as a library: states, findings, messages, JSON, accessed dates."""

from __future__ import annotations

import datetime

from httpserver import LocalServer, http_server  # noqa: F401

from refmap.findings import CODES, ERROR, INFO, WARNING
from refmap.mapfile.model import Citation, Claim, ClaimKind, ClaimsMap, EssayRecord, Source, SourceType, Status
from refmap.net.http import HttpClient
from refmap.net.pages import PageText
from refmap.spans import Span
from refmap.net.verify import (
    VERIFY_CODES,
    CitationCheck,
    PageRead,
    VerifyReport,
    VerifyState,
    accessed_today,
    check_excerpts,
    fetch_page,
    verify_targets,
)
from refmap.render.network import render_verify_text


def test_states_carry_severity_and_code() -> None:
    assert [(s.code, s.severity) for s in VerifyState] == [
        ("excerpt-found", INFO), ("excerpt-changed", WARNING), ("excerpt-missing", ERROR),
        ("excerpt-unverifiable", WARNING)]
    assert set(VERIFY_CODES) == {s.code for s in VerifyState if s is not VerifyState.FOUND} | {
        "excerpt-on-copy", "excerpt-passage-changed"}  # what captures and archives add
    assert not set(VERIFY_CODES) & set(CODES)  # verify's codes are its own


def check(source: str, state: VerifyState, **extra: object) -> CitationCheck:
    return CitationCheck("c1", source, "http://a/", state, "ok", Span("m.yaml", 3, 4), **extra)  # type: ignore[arg-type]


def test_messages_stay_one_inert_line() -> None:
    changed = check("s", VerifyState.CHANGED, score=88.4, current="new\nwords\x1b[31m")
    assert str(changed.finding()) == (
        "m.yaml:3:4: warning: claim 'c1': excerpt from 's' has changed on the page (similarity "
        "88); the page now says 'new\\nwords\\x1b[31m' [excerpt-changed]")


def report(*checks: CitationCheck) -> VerifyReport:
    return VerifyReport(list(checks), 0, 0.0, 0.0)


def test_found_is_not_a_finding_and_missing_is_an_error() -> None:
    found = report(check("a", VerifyState.FOUND), check("b", VerifyState.CHANGED, score=90.0, current="x"))
    assert ([f.code for f in found.findings], found.exit_code) == (["excerpt-changed"], 0)
    assert report(check("a", VerifyState.MISSING)).exit_code == 1


def test_accessed_only_for_sources_whose_every_excerpt_was_found() -> None:
    result = report(check("a", VerifyState.FOUND), check("b", VerifyState.FOUND),
                    check("b", VerifyState.UNVERIFIABLE, reason="the page timed out"),
                    check("c", VerifyState.FOUND))
    assert accessed_today(result, datetime.date(2026, 11, 26)) == {
        "a": "2026-11-26", "c": "2026-11-26"}


def test_an_unreadable_page_makes_every_citation_on_it_unverifiable() -> None:
    from refmap.net.verify import VerifyTarget

    targets = [VerifyTarget("c1", Citation("s", excerpt="x"), "http://a/"),
               VerifyTarget("c2", Citation("s", excerpt="y"), "http://a/")]
    checks = check_excerpts(PageRead("http://a/", "blocked", None, "access refused (403)"), targets)
    assert [(c.claim, c.state, c.reason) for c in checks] == [
        ("c1", VerifyState.UNVERIFIABLE, "access refused (403)"),
        ("c2", VerifyState.UNVERIFIABLE, "access refused (403)")]
    page = PageText("Alpha beta gamma delta epsilon.", "text", "utf-8")
    [found] = check_excerpts(PageRead("http://a/", "ok", page, None),
                             [VerifyTarget("c1", Citation("s", excerpt="beta gamma delta"), "http://a/")])
    assert (found.state, found.score) == (VerifyState.FOUND, 100.0)


def test_targets_skip_sources_without_a_url_and_citations_without_an_excerpt() -> None:
    sources = {"web": Source("web", SourceType("online"), url="http://a/", archive="http://b/"),
               "book": Source("book", SourceType("book"))}
    claim = Claim("c1", "q", ClaimKind("event"), Status("sourced"), citations=(
        Citation("web", excerpt="x"), Citation("web"), Citation("book", excerpt="y"),
        Citation("unknown", excerpt="z")))
    cmap = ClaimsMap("m.yaml", 1, EssayRecord("e.txt"), sources, (claim,))
    targets, skipped = verify_targets(cmap)
    assert ([t.url for t in targets], skipped) == (["http://a/"], 1)
    assert [t.url for t in verify_targets(cmap, archive=True)[0]] == ["http://b/"]


def test_fetch_page_keeps_the_body_only_of_a_2xx_answer(http_server: LocalServer) -> None:
    http_server.route("/p", body=b"<p>hello</p>", headers={"Content-Type": "text/html"})
    http_server.route("/gone", status=404, body=b"<p>not here</p>")
    client = HttpClient(timeout=2.0, allow_private=True)
    ok = fetch_page(client, http_server.url("/p"))
    assert (ok.page, ok.reason, ok.body, ok.content_type) == ("ok", None, b"<p>hello</p>", "text/html")
    gone = fetch_page(client, http_server.url("/gone"))
    assert (gone.page, gone.reason, gone.body) == ("dead", "the page is dead (404)", b"")
    assert "text/html" in http_server.requests[0].headers["Accept"]


def test_text_summary() -> None:
    assert render_verify_text(VerifyReport([], 2, 0.0, 0.0)) == (
        "no cited pages to verify (2 citations of sources without a URL skipped)\n")
    assert render_verify_text(report(check("a", VerifyState.FOUND))) == (
        "no problems found\n1 excerpt verified: 1 found\n")
