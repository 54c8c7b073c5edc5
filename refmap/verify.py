"""Does every cited page still say what the citation's excerpt says?

`verify_citations` fetches each page a citation cites (the source's `url`, or its `archive`
copy), reads its text (refmap.pages) and looks for each excerpt in it (refmap.excerpts). Every
citation with an excerpt gets one VerifyState; all but `found` are findings at the excerpt's
place in the map, with codes of their own (VERIFY_CODES, not `check`'s CODES), so they print
through check's reporters and give check's exit codes.

Pages are fetched concurrently by a thread pool (the client keeps to its per-host limit);
extraction and matching are CPU-bound and run on the calling thread as each page arrives,
so they overlap with the waiting. The report keeps both times, for the benchmark.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import date as Date
from enum import StrEnum
from typing import NamedTuple

from refmap.findings import ERROR, INFO, WARNING, Finding, Severity, exit_code, sort_findings
from refmap.model import Citation, ClaimsMap, Source
from refmap.net.http import FetchError, HttpClient
from refmap.net.cache import cached_note, iso_time
from refmap.net.capture import PAGE_ACCEPT
from refmap.net.links import LinkState, cache_summary, classify_failure, classify_response
from refmap.pages import PageText, Unverifiable, page_text
from refmap.spans import Span, span_json

Progress = Callable[[int, int], None]
"""Called as progress(done, total) on the calling thread after each page is read."""

VERIFY_CODES: dict[str, str] = {
    "excerpt-changed": "the cited page has a passage close to the excerpt, but not the excerpt",
    "excerpt-missing": "the cited page no longer has the excerpt or anything close to it",
    "excerpt-unverifiable": "the cited page could not be read (dead, blocked, not text)",
}
"""Every finding code `refmap verify` can report, and what it means."""


class VerifyState(StrEnum):
    """How one citation's excerpt stands on the page it cites."""

    FOUND = "found"
    CHANGED = "changed"
    MISSING = "missing"
    UNVERIFIABLE = "unverifiable"
    """The page is dead, blocked, timed out, or has no text to look in."""

    @property
    def severity(self) -> Severity:
        if self is VerifyState.MISSING:
            return ERROR
        return INFO if self is VerifyState.FOUND else WARNING

    @property
    def code(self) -> str:
        return f"excerpt-{self.value}"


class PageRead(NamedTuple):
    """What fetching and reading one page gave: its text, or why there is none."""

    url: str
    page: str
    """The page's link state ('ok', 'dead', 'blocked', ...), or 'not-text' when it answered
    with no text an excerpt could be looked for in."""
    text: PageText | None
    reason: str | None
    """Why the page is unverifiable, for the user."""
    from_cache: bool = False
    fetched_at: float | None = None


class Fetched(NamedTuple):
    """The network half of reading a page."""

    page: str
    """The page's link state ('ok', 'dead', ...)."""
    reason: str | None
    """Why the page cannot be read, when it answered with no page."""
    body: bytes
    content_type: str | None
    seconds: float
    """How long the request took."""
    from_cache: bool = False
    """Whether the answer came from the cache."""
    fetched_at: float | None = None
    """When the answer was fetched (seconds since the epoch)."""


class CitationCheck(NamedTuple):
    """The verdict on one citation's excerpt."""

    claim: str
    source: str
    url: str
    state: VerifyState
    page: str
    """The page's state, as in PageRead.page."""
    span: Span | None
    """Where the excerpt stands in the map."""
    score: float | None = None
    """Similarity 0-100 when found or changed."""
    current: str | None = None
    """The page's wording, when changed."""
    reason: str | None = None
    """Why the page is unverifiable."""
    from_cache: bool = False
    """Whether the page was read from the cache rather than fetched in this run."""
    fetched_at: float | None = None
    """When the page was fetched (seconds since the epoch)."""

    def message(self) -> str:
        if self.from_cache and self.fetched_at is not None:
            return f"{self._message()} ({cached_note(self.fetched_at)})"
        return self._message()

    def _message(self) -> str:
        where = f"claim '{self.claim}': excerpt from '{self.source}'"
        if self.state is VerifyState.CHANGED:
            return (f"{where} has changed on the page (similarity {self.score:.0f}); "
                    f"the page now says {self.current!r}")
        if self.state is VerifyState.MISSING:
            return f"{where} is not on the page any more"
        if self.state is VerifyState.UNVERIFIABLE:
            return f"{where} could not be verified: {self.reason}"
        return f"{where} is on the page"

    def finding(self) -> Finding:
        return Finding(self.state.code, self.state.severity, self.message(), self.span,
                       claim=self.claim, source=self.source)

    def to_json(self) -> dict[str, object]:
        """A finding's JSON fields, then what verify adds (found citations included)."""
        return {
            "code": self.state.code, "severity": str(self.state.severity),
            "message": self.message(), "position": span_json(self.span), "claim": self.claim,
            "source": self.source, "state": self.state.value, "url": self.url,
            "page": self.page, "score": self.score, "current": self.current,
            "reason": self.reason, "from_cache": self.from_cache,
            "fetched_at": iso_time(self.fetched_at),
        }


class VerifyReport(NamedTuple):
    """Every checked citation, in map order, and how the time was spent."""

    checks: list[CitationCheck]
    skipped: int
    """Citations with an excerpt whose source has no URL (or archive) to fetch."""
    waiting: float
    """Seconds the calling thread sat idle waiting for pages (wall clock)."""
    reading: float
    """Seconds spent extracting text and matching excerpts."""
    fetching: float = 0.0
    """Seconds the requests took, summed over all of them (they overlap)."""
    archive: bool = False
    """Whether the archived copies were read instead of the live pages."""

    @property
    def findings(self) -> list[Finding]:
        return sort_findings(c.finding() for c in self.checks if c.state is not VerifyState.FOUND)

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings)

    def counts(self) -> dict[VerifyState, int]:
        return {s: sum(1 for c in self.checks if c.state is s) for s in VerifyState}

    def fully_found(self) -> list[str]:
        """Citekeys of sources whose every checked excerpt was found, in map order."""
        keys = dict.fromkeys(c.source for c in self.checks)
        bad = {c.source for c in self.checks if c.state is not VerifyState.FOUND}
        return [k for k in keys if k not in bad]


class VerifyTarget(NamedTuple):
    """One citation to verify and the page it is looked for in."""

    claim: str
    citation: Citation
    url: str


def _page_url(source: Source, archive: bool) -> str | None:
    return source.archive if archive else source.url


def verify_targets(cmap: ClaimsMap, archive: bool = False) -> tuple[list[VerifyTarget], int]:
    """The citations to verify (with an excerpt and a page to fetch) and how many were left
    out for want of a URL."""
    targets, skipped = [], 0
    for claim in cmap.claims:
        for cit in claim.citations:
            source = cmap.sources.get(cit.source)
            if source is None or not cit.excerpt:
                continue
            url = _page_url(source, archive)
            if url:
                targets.append(VerifyTarget(claim.id, cit, url))
            else:
                skipped += 1
    return targets, skipped


def fetch_page(client: HttpClient, url: str) -> Fetched:
    """The network half of a read: the page's state, and its body when it answered 2xx."""
    started = time.perf_counter()
    try:
        response = client.fetch(url, accept=PAGE_ACCEPT)
    except FetchError as error:
        verdict = classify_failure(error)
        return Fetched(verdict.state.value, _unreadable(verdict.state, verdict.detail), b"", None,
                       time.perf_counter() - started, fetched_at=verdict.fetched_at)
    verdict = classify_response(response)
    seconds = time.perf_counter() - started
    if not 200 <= response.status < 300:
        return Fetched(verdict.state.value, _unreadable(verdict.state, verdict.detail), b"", None,
                       seconds, response.from_cache, response.fetched_at)
    return Fetched(LinkState.OK.value, None, response.body, response.headers.get("content-type"),
                   seconds, response.from_cache, response.fetched_at)


def _unreadable(state: LinkState, detail: str) -> str:
    if state is LinkState.DEAD:
        return f"the page is dead ({'host name not found' if detail == 'dns' else detail})"
    if state is LinkState.BLOCKED:
        return f"access to the page was refused ({detail})"
    if state is LinkState.TIMEOUT:
        return "the page timed out"
    if detail.isdigit():
        return f"the page answered with an error ({detail})"
    return f"the page could not be read ({detail})"


def read_page(url: str, fetched: Fetched) -> PageRead:
    """The text half of a read: the body of a page that answered, as text or why not."""
    cached = (fetched.from_cache, fetched.fetched_at)
    if fetched.reason is not None:
        return PageRead(url, fetched.page, None, fetched.reason, *cached)
    text = page_text(fetched.body, fetched.content_type)
    if isinstance(text, Unverifiable):
        return PageRead(url, "not-text", None, text.reason, *cached)
    return PageRead(url, fetched.page, text, None, *cached)


def check_excerpts(read: PageRead, targets: Iterable[VerifyTarget]) -> list[CitationCheck]:
    """Each target's excerpt looked for in one page."""
    from refmap.excerpts import ExcerptFinder

    targets = list(targets)
    if read.text is None:
        return [CitationCheck(t.claim, t.citation.source, t.url, VerifyState.UNVERIFIABLE,
                              read.page, _span(t.citation), reason=read.reason,
                              from_cache=read.from_cache, fetched_at=read.fetched_at)
                for t in targets]
    finder = ExcerptFinder(read.text)
    checks = []
    for t in targets:
        match = finder.find(t.citation.excerpt or "")
        state = VerifyState(match.state.value)  # found, changed or missing: the same words
        checks.append(CitationCheck(t.claim, t.citation.source, t.url, state, read.page,
                                    _span(t.citation), match.score, match.current,
                                    from_cache=read.from_cache, fetched_at=read.fetched_at))
    return checks


def _span(citation: Citation) -> Span | None:
    return citation.excerpt_span or citation.span


def verify_citations(cmap: ClaimsMap, client: HttpClient, archive: bool = False,
                     workers: int = 16, progress: Progress | None = None) -> VerifyReport:
    """Fetch every cited page once (concurrently) and check each citation's excerpt in it.

    Ctrl-C cancels the fetches not yet started and re-raises at once; nothing is written.
    """
    targets, skipped = verify_targets(cmap, archive)
    by_url: dict[str, list[VerifyTarget]] = {}
    for t in targets:
        by_url.setdefault(t.url, []).append(t)
    checks: dict[str, list[CitationCheck]] = {}
    waiting = reading = fetching = 0.0
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="refmap-verify")
    try:
        running: dict[Future[Fetched], str] = {
            pool.submit(fetch_page, client, url): url for url in by_url}
        while running:
            started = time.perf_counter()
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            waiting += time.perf_counter() - started
            for future in finished:
                url, fetched = running.pop(future), future.result()
                fetching += fetched.seconds
                started = time.perf_counter()
                checks[url] = check_excerpts(read_page(url, fetched), by_url[url])
                reading += time.perf_counter() - started
                if progress is not None:
                    progress(len(checks), len(by_url))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    ordered = _in_map_order(targets, checks)
    return VerifyReport(ordered, skipped, waiting, reading, fetching, archive)


def _in_map_order(targets: list[VerifyTarget], checks: dict[str, list[CitationCheck]]) -> list[CitationCheck]:
    taken = {url: iter(found) for url, found in checks.items()}
    return [next(taken[t.url]) for t in targets]


def accessed_today(report: VerifyReport, today: Date | None = None) -> dict[str, str]:
    """citekey -> today's date, for each source whose every excerpt was found on its page."""
    day = (today or Date.today()).isoformat()
    return {key: day for key in report.fully_found()}


def render_verify_text(report: VerifyReport) -> str:
    """check's text output, then a count of each state."""
    from refmap.reporters import render_text

    if not report.checks:
        return f"no cited pages to verify{_skipped(report)}\n"
    counts = report.counts()
    summary = ", ".join(f"{n} {state.value}" for state, n in counts.items() if n)
    n = len(report.checks)
    pages = {c.url: (c.from_cache, c.fetched_at) for c in report.checks}
    return (render_text(report.findings)
            + f"{n} excerpt{'s' if n != 1 else ''} verified: {summary}{_skipped(report)}"
            + cache_summary(list(pages.values())) + "\n")


def _skipped(report: VerifyReport) -> str:
    if not report.skipped:
        return ""
    n, what = report.skipped, "an archive" if report.archive else "a URL"
    return f" ({n} citation{'s' if n != 1 else ''} of sources without {what} skipped)"


def render_verify_json(report: VerifyReport) -> str:
    """Every checked citation (found ones too), as `refmap report --verify-results` reads it."""
    import json

    return json.dumps([c.to_json() for c in report.checks], indent=2, ensure_ascii=False) + "\n"


def render_verify_github(report: VerifyReport) -> str:
    from refmap.reporters import render_github

    return render_github(report.findings)


VERIFY_RENDERERS: dict[str, Callable[[VerifyReport], str]] = {
    "text": render_verify_text, "json": render_verify_json, "github": render_verify_github,
}
