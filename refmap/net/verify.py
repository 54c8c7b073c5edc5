"""Does every cited page still say what the citation's excerpt says?

`verify_citations` fetches each page a citation cites (the source's `url`, or its `archive`
copy), reads its text (refmap.net.pages) and looks for each excerpt in it (refmap.net.excerpts). Every
citation with an excerpt gets one VerifyState; all but `found` are findings at the excerpt's
place in the map, with codes of their own (VERIFY_CODES, not `check`'s CODES), so they print
through check's reporters and give check's exit codes.

With captures (refmap.net.capture: a source's `captured` field), each excerpt is also looked
for on the page as it was captured: a check says whether the excerpt is on the capture and on
the live page, and when the live page no longer has it, or the passage around it changed, it
keeps what the page said then and says now, with a word diff. A live page that cannot be read
falls back to the capture, else to the `archive` copy, and the check says which it used
(`basis`). `offline=True` reads the captures alone and needs no network. When no host can be
reached at all, nothing is judged: an OfflineError.

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
from typing import TYPE_CHECKING, NamedTuple

from refmap.findings import ERROR, INFO, WARNING, Finding, Severity, exit_code, sort_findings
from refmap.mapfile.model import Citation, ClaimsMap, Source
from refmap.net.http import FetchError, HttpClient, Response
from refmap.net.cache import cached_note, iso_time
from refmap.net.capture import PAGE_ACCEPT
from refmap.net.links import LinkState, classify_failure, classify_response
from refmap.net.pages import PageText, Unverifiable, page_text
from refmap.spans import Span, span_json

if TYPE_CHECKING:
    from refmap.net.excerpts import ExcerptFinder, ExcerptMatch
    from refmap.net.capture import CapturedPage, CaptureStamp, CaptureStore, Saved
    from refmap.net.capturing import CaptureResult

Progress = Callable[[int, int], None]
"""Called as progress(done, total) on the calling thread after each page is read."""

VERIFY_CODES: dict[str, str] = {
    "excerpt-changed": "the cited page has a passage close to the excerpt, but not the excerpt",
    "excerpt-missing": "the cited page no longer has the excerpt or anything close to it",
    "excerpt-unverifiable": "the cited page could not be read (dead, blocked, not text)",
    "excerpt-on-copy": "the live page could not be read; the excerpt was checked against the "
                       "capture or the archived copy instead",
    "excerpt-passage-changed": "the excerpt is still on the page, but the passage around it "
                               "has changed since the capture",
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


class Basis(StrEnum):
    """What an excerpt was checked against."""

    LIVE = "live"
    CAPTURE = "capture"
    ARCHIVE = "archive"


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
    failure: str | None = None
    """The failure kind ('dns', 'timeout' ...) when there was no answer at all."""
    response: Response | None = None
    """The 2xx answer itself, for `verify --capture`."""


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
    basis: Basis = Basis.LIVE
    """What `state` was judged on: the live page, the capture, or the archived copy."""
    on_capture: str | None = None
    """found, changed or missing on the captured page; None without a usable capture."""
    captured: str | None = None
    """The capture's date, when there is one."""
    then: str | None = None
    """The passage around the excerpt on the captured page, when the live page differs."""
    now: str | None = None
    """The same passage on the live page now (None when it is gone from the page)."""
    diff: str | None = None
    """then -> now word by word: [-removed-] {+added+}."""
    page_changed: bool = False
    """The live page's text differs from the capture's (anywhere)."""
    offline: bool = False
    """Checked in an offline run: captures only, by design."""
    capture_problem: str | None = None
    """Why the capture the map names could not be used (missing, damaged, foreign)."""

    @property
    def code(self) -> str:
        if self.state is VerifyState.FOUND:
            if self.basis is not Basis.LIVE and not self.offline:
                return "excerpt-on-copy"
            if self.then is not None:
                return "excerpt-passage-changed"
        return self.state.code

    @property
    def severity(self) -> Severity:
        code = self.code
        if code == "excerpt-on-copy":
            return WARNING
        return INFO if code == "excerpt-passage-changed" else self.state.severity

    @property
    def noteworthy(self) -> bool:
        """Whether the check is a finding (everything but a plain 'found')."""
        return self.code != VerifyState.FOUND.code

    def message(self) -> str:
        if self.from_cache and self.fetched_at is not None:
            return f"{self._message()} ({cached_note(self.fetched_at)})"
        return self._message()

    def _copy(self) -> str:
        if self.basis is Basis.CAPTURE:
            return f"the capture of {self.captured}" if self.captured else "the capture"
        return "the archived copy" if self.basis is Basis.ARCHIVE else "the page"

    def _message(self) -> str:
        where = f"claim '{self.claim}': excerpt from '{self.source}'"
        copy = self._copy()
        if self.state is VerifyState.CHANGED:
            said = "the page now says" if self.basis is Basis.LIVE else "it says"
            text = (f"{where} has changed on {copy} (similarity {self.score:.0f}); "
                    f"{said} {self.current!r}")
        elif self.state is VerifyState.MISSING:
            text = f"{where} is not on {copy}" + (" any more" if self.basis is Basis.LIVE else "")
        elif self.state is VerifyState.UNVERIFIABLE:
            return f"{where} could not be verified: {self.reason}"
        elif self.then is not None and self.basis is Basis.LIVE:
            return (f"{where} is on the page, but the passage around it has changed since "
                    f"the capture of {self.captured}")
        else:
            text = f"{where} is on {copy}"
        if self.basis is not Basis.LIVE and not self.offline and self.reason:
            return f"{text}; the live page could not be read: {self.reason}"
        if self.basis is Basis.LIVE and self.on_capture == "found" and self.state is not VerifyState.FOUND:
            return f"{text} (it was on the capture of {self.captured})"
        return text

    def finding(self) -> Finding:
        return Finding(self.code, self.severity, self.message(), self.span,
                       claim=self.claim, source=self.source)

    def to_json(self) -> dict[str, object]:
        """A finding's JSON fields, then what verify adds (found citations included)."""
        return {
            "code": self.code, "severity": str(self.severity),
            "message": self.message(), "position": span_json(self.span), "claim": self.claim,
            "source": self.source, "state": self.state.value, "url": self.url,
            "page": self.page, "score": self.score, "current": self.current,
            "reason": self.reason, "from_cache": self.from_cache,
            "fetched_at": iso_time(self.fetched_at), "basis": self.basis.value,
            "on_capture": self.on_capture, "captured": self.captured, "then": self.then,
            "now": self.now, "diff": self.diff, "page_changed": self.page_changed,
            "capture_problem": self.capture_problem,
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
    offline: bool = False
    """Whether the captures alone were read (no network)."""
    captures: tuple[CaptureResult, ...] = ()
    """The pages `verify --capture` kept, one per source fetched."""

    @property
    def findings(self) -> list[Finding]:
        return sort_findings(c.finding() for c in self.checks if c.noteworthy)

    def noteworthy(self) -> list[CitationCheck]:
        """The checks that are findings, in the findings' order."""
        return sorted((c for c in self.checks if c.noteworthy), key=_position)

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


def _position(check: CitationCheck) -> tuple[str, int, int, str]:
    span = check.span
    return (span.path, span.line, span.col, check.code) if span else ("", 0, 0, check.code)


class VerifyTarget(NamedTuple):
    """One citation to verify and the page it is looked for in."""

    claim: str
    citation: Citation
    url: str
    """The page to fetch ('' in an offline run for a source with a capture and no url)."""
    stamp: CaptureStamp | None = None
    """The source's capture, from its `captured` field."""
    archive: str | None = None
    """The source's archived copy, to fall back on when the live page cannot be read."""


def _page_url(source: Source, archive: bool) -> str | None:
    return source.archive if archive else source.url


def verify_targets(cmap: ClaimsMap, archive: bool = False,
                   offline: bool = False) -> tuple[list[VerifyTarget], int]:
    """The citations to verify (with an excerpt and a page to fetch, or in an offline run a
    capture) and how many were left out for want of either."""
    from refmap.net.capture import parse_stamp

    targets, skipped = [], 0
    for claim in cmap.claims:
        for cit in claim.citations:
            source = cmap.source(cit.source)
            if source is None or not cit.excerpt:
                continue
            url = _page_url(source, archive)
            stamp = parse_stamp(source.captured) if source.captured and not archive else None
            if url or (offline and stamp):
                targets.append(VerifyTarget(claim.id, cit, url or "", stamp,
                                            None if archive else source.archive))
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
                       time.perf_counter() - started, fetched_at=verdict.fetched_at,
                       failure=error.kind.value)
    verdict = classify_response(response)
    seconds = time.perf_counter() - started
    if not 200 <= response.status < 300:
        return Fetched(verdict.state.value, _unreadable(verdict.state, verdict.detail), b"", None,
                       seconds, response.from_cache, response.fetched_at)
    return Fetched(LinkState.OK.value, None, response.body, response.headers.get("content-type"),
                   seconds, response.from_cache, response.fetched_at, response=response)


def _unreadable(state: LinkState, detail: str) -> str:
    if state is LinkState.DEAD:
        return f"the page is dead ({'host name not found' if detail == 'dns' else detail})"
    if state is LinkState.BLOCKED:
        return f"access to the page was refused ({detail})"
    if state is LinkState.TIMEOUT:
        return "the page timed out"
    if state is LinkState.REFUSED:
        return ("the page is on a loopback, link-local or private address: not fetched "
                "(--allow-private fetches it)")
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
    from refmap.net.excerpts import ExcerptFinder

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


class _Run:
    """One verify run's pages: live reads, captures and archived copies, each read once."""

    def __init__(self, client: HttpClient | None, store: CaptureStore | None,
                 workers: int, keep: bool) -> None:
        self.client = client
        self.store = store
        self.workers = max(1, workers)
        self.keep = keep
        self.reads: dict[str, PageRead] = {}
        self.failures: dict[str, str | None] = {}
        self.kept: dict[str, tuple[Saved | None, str | None, str | None]] = {}
        self.captures: dict[str, CapturedPage | str] = {}
        self.finders: dict[int, ExcerptFinder] = {}
        self.waiting = self.reading = self.fetching = 0.0

    def fetch_all(self, urls: Iterable[str], progress: Progress | None = None) -> None:
        """Fetch and read each URL once (concurrently); Ctrl-C cancels what has not started."""
        assert self.client is not None
        client = self.client
        todo = [u for u in dict.fromkeys(urls) if u not in self.reads]
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="refmap-verify")
        try:
            running: dict[Future[Fetched], str] = {
                pool.submit(fetch_page, client, url): url for url in todo}
            while running:
                started = time.perf_counter()
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                self.waiting += time.perf_counter() - started
                for future in finished:
                    url, fetched = running.pop(future), future.result()
                    self.fetching += fetched.seconds
                    started = time.perf_counter()
                    self._read(url, fetched)
                    self.reading += time.perf_counter() - started
                    if progress is not None:
                        progress(len(todo) - len(running), len(todo))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    def _read(self, url: str, fetched: Fetched) -> None:
        read = read_page(url, fetched)
        self.reads[url] = read
        self.failures[url] = fetched.failure
        if self.keep and self.store is not None and self.client is not None:
            answer = fetched.response
            if answer is not None:
                text = read.text if read.text is not None else Unverifiable(read.reason or "")
                self.kept[url] = (self.store.save(answer, PAGE_ACCEPT, self.client.user_agent, text),
                                  None, None)
            else:
                self.kept[url] = (None, fetched.reason, fetched.failure)

    def capture(self, stamp: CaptureStamp | None) -> CapturedPage | str | None:
        """The capture a stamp names, read once; a string says why it cannot be used."""
        if stamp is None or self.store is None:
            return None
        if stamp.digest not in self.captures:
            from refmap.net.capture import CaptureError

            try:
                self.captures[stamp.digest] = self.store.load(stamp.digest)
            except CaptureError as exc:
                self.captures[stamp.digest] = str(exc)
        return self.captures[stamp.digest]

    def capture_text(self, stamp: CaptureStamp | None) -> PageText | None:
        """The text of the capture a stamp names, when it is there and has text."""
        captured = self.capture(stamp)
        if captured is None or isinstance(captured, str):
            return None
        return captured.text if isinstance(captured.text, PageText) else None

    def finder(self, text: PageText) -> ExcerptFinder:
        from refmap.net.excerpts import ExcerptFinder

        if id(text) not in self.finders:
            self.finders[id(text)] = ExcerptFinder(text)
        return self.finders[id(text)]


def verify_citations(cmap: ClaimsMap, client: HttpClient | None, archive: bool = False,
                     workers: int = 16, progress: Progress | None = None, *,
                     captures: CaptureStore | None = None, offline: bool = False,
                     capture: bool = False) -> VerifyReport:
    """Fetch every cited page once (concurrently) and check each citation's excerpt in it,
    and in its capture when `captures` (the capture folder) is given.

    offline: read the captures alone, no network (client may be None). capture: keep each
    live page fetched in the capture folder too (report.captures says what was kept).
    Raises OfflineError when no host could be reached at all. Ctrl-C cancels the fetches not
    yet started and re-raises at once; nothing is written.
    """
    from refmap.net.links import OfflineError, nothing_reached

    targets, skipped = verify_targets(cmap, archive, offline)
    run = _Run(client, captures, workers, capture and not offline and not archive)
    if not offline:
        run.fetch_all((t.url for t in targets), progress)
        if nothing_reached(run.failures[u] for u in dict.fromkeys(t.url for t in targets)
                           if run.failures[u] != "bad-url"):
            has = any(t.stamp for t in targets)
            raise OfflineError("; 'refmap verify --offline' checks the captures" if has else "")
        fallback = [t.archive for t in targets if t.archive and run.reads[t.url].text is None
                    and run.capture_text(t.stamp) is None]
        if fallback:
            run.fetch_all(fallback)
    started = time.perf_counter()
    checks = [_judge(t, run, offline) for t in targets]
    run.reading += time.perf_counter() - started
    kept = tuple(_kept(targets, run))
    return VerifyReport(checks, skipped, run.waiting, run.reading, run.fetching, archive,
                        offline, kept)


def _kept(targets: list[VerifyTarget], run: _Run) -> Iterable[CaptureResult]:
    from refmap.net.capturing import CaptureResult, CaptureTarget

    seen: set[str] = set()
    for t in targets:
        if t.url in run.kept and t.citation.source not in seen:
            seen.add(t.citation.source)
            yield CaptureResult(CaptureTarget(t.citation.source, t.url, t.stamp), *run.kept[t.url])


def _judge(target: VerifyTarget, run: _Run, offline: bool) -> CitationCheck:
    """One citation's check: on the live page, its capture, or the archived copy."""
    captured = run.capture(target.stamp)
    cap_text = captured.text if not isinstance(captured, (str, type(None))) else None
    cap_page = run.capture_text(target.stamp)
    date = target.stamp.date if target.stamp else None
    on_capture = None
    cap_match = None
    excerpt = target.citation.excerpt or ""
    if cap_page is not None:
        cap_match = run.finder(cap_page).find(excerpt)
        on_capture = cap_match.state.value
    base = CitationCheck(target.claim, target.citation.source, target.url,
                         VerifyState.UNVERIFIABLE, "capture" if offline else "ok",
                         _span(target.citation), on_capture=on_capture, captured=date,
                         offline=offline,
                         capture_problem=captured if isinstance(captured, str) else None)
    if offline:
        return _on_copy(base, Basis.CAPTURE, cap_match, _capture_problem(captured, cap_text))
    read = run.reads[target.url]
    base = base._replace(page=read.page, from_cache=read.from_cache, fetched_at=read.fetched_at)
    if read.text is None:
        base = base._replace(reason=read.reason)
        if cap_match is not None:
            return _on_copy(base, Basis.CAPTURE, cap_match, None)
        archived = run.reads.get(target.archive or "")
        if archived is not None and archived.text is not None:
            return _on_copy(base, Basis.ARCHIVE, run.finder(archived.text).find(excerpt), None)
        return base
    match = run.finder(read.text).find(excerpt)
    check = base._replace(state=VerifyState(match.state.value), score=match.score,
                          current=match.current)
    if cap_page is None or cap_match is None:
        return check
    return _then_and_now(check, cap_page, cap_match, read.text, match)


def _capture_problem(captured: CapturedPage | str | None, text: object) -> str:
    if captured is None:
        return "no capture to check against (refmap capture keeps one)"
    if isinstance(captured, str):
        return f"the capture cannot be used: {captured}"
    return f"the capture holds no text ({text.reason})" if isinstance(text, Unverifiable) else ""


def _on_copy(base: CitationCheck, basis: Basis, match: ExcerptMatch | None,
             problem: str | None) -> CitationCheck:
    """A check judged on the capture or the archived copy."""
    if match is None:
        reason = "; ".join(r for r in (base.reason, problem) if r)
        return base._replace(basis=basis, reason=reason or None)
    return base._replace(basis=basis, state=VerifyState(match.state.value), score=match.score,
                         current=match.current)


def _then_and_now(check: CitationCheck, cap_page: PageText, cap_match: ExcerptMatch,
                  live: PageText, match: ExcerptMatch) -> CitationCheck:
    """Add what the passage said on the capture and says on the live page, when they differ."""
    from refmap.net.excerpts import locate_passage, passage_around, word_diff
    from refmap.net.pages import matching_text

    live_text, cap_text = matching_text(live.text), matching_text(cap_page.text)
    page_changed = " ".join(live_text.split()) != " ".join(cap_text.split())
    check = check._replace(page_changed=page_changed)
    if not page_changed or cap_match.offset is None or cap_match.end is None:
        return check
    then_start, then_end = passage_around(cap_text, cap_match.offset, cap_match.end)
    then = cap_text[then_start:then_end]
    if match.offset is not None and match.end is not None:
        now_span: tuple[int, int] | None = passage_around(live_text, match.offset, match.end)
    else:
        now_span = locate_passage(then, live_text)
    now = live_text[now_span[0]:now_span[1]] if now_span else None
    if now is not None and " ".join(now.split()) == " ".join(then.split()):
        return check  # the page changed elsewhere: the passage is as it was
    diff = word_diff(then, now) if now is not None else None
    return check._replace(then=then, now=now, diff=diff)


def accessed_today(report: VerifyReport, today: Date | None = None) -> dict[str, str]:
    """citekey -> today's date, for each source whose every excerpt was found on its page."""
    day = (today or Date.today()).isoformat()
    return {key: day for key in report.fully_found()}
