"""Link checking: does every `url` and `archive` of a map still answer, and how?

Each URL gets one LinkState. Requests go HEAD first and fall back to GET (headers only) where
HEAD is refused; a pool of workers checks many hosts at once while never sending more than
`per_host` requests to one host at a time. Each URL is fetched once however many sources
share it, and results come back in input order, each naming the map entry it came from.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from enum import StrEnum
from typing import NamedTuple, TypeVar

from refmap.errors import RefmapError
from refmap.findings import ERROR, INFO, WARNING, Finding, Severity
from refmap.mapfile.model import ClaimsMap
from refmap.net.cache import cached_note, iso_time
from refmap.net.http import PERMANENT_REDIRECTS, FailureKind, FetchError, HttpClient, Response, host_of
from refmap.spans import Span, span_json

LINK_FIELDS = ("url", "archive")
HEAD_REFUSED = frozenset({405, 501})
BLOCKED_STATUSES = frozenset({401, 403, 429, 451, 999})
"""Answers that say 'not for you', not 'gone': 999 is LinkedIn's bot wall."""
DEAD_STATUSES = frozenset({404, 410})
RETRY_WITH_GET = frozenset({FailureKind.RESET, FailureKind.BAD_ANSWER})
Progress = Callable[[int, int], None]
"""Called as progress(done, total) on the calling thread after each URL is checked."""
T = TypeVar("T")


class LinkState(StrEnum):
    """What checking a URL found; each state carries its severity and finding code."""

    OK = "ok"
    REDIRECTED = "redirected"
    """Moved permanently: the map should carry the new URL."""
    DEAD = "dead"
    """404, 410 or a host name that no longer resolves."""
    ERROR = "error"
    """5xx, TLS, a reset connection, a malformed answer: maybe passing."""
    TIMEOUT = "timeout"
    BLOCKED = "blocked"
    """401, 403, 429, bot walls, a host asking for more waiting than the run allows: could
    not be verified, which is not dead."""
    REFUSED = "refused"
    """Leads to a loopback, link-local or private address, which refmap does not fetch
    unless allowed (--allow-private)."""

    @property
    def severity(self) -> str:
        if self is LinkState.DEAD:
            return ERROR
        return INFO if self is LinkState.OK else WARNING

    @property
    def code(self) -> str:
        return f"link-{self.value}"


class LinkTarget(NamedTuple):
    """One URL to check and the map entry it came from."""

    url: str
    source: str
    """Citekey of the source."""
    field: str
    """'url' or 'archive'."""
    span: Span | None = None
    """Where the value stands in the map."""


class LinkResult(NamedTuple):
    """The verdict on one target."""

    target: LinkTarget
    state: LinkState
    status: int | None
    """The final HTTP status, when there was an answer."""
    detail: str
    """The status code or failure kind behind the state, e.g. '404', 'dns', 'timeout'."""
    new_url: str | None = None
    """For REDIRECTED: where the URL has moved permanently."""
    final_url: str | None = None
    """Where the redirects ended."""
    from_cache: bool = False
    """Whether the answer was read from the cache rather than asked for in this run."""
    fetched_at: float | None = None
    """When the answer was fetched (seconds since the epoch)."""


class _Verdict(NamedTuple):
    state: LinkState
    status: int | None
    detail: str
    new_url: str | None = None
    final_url: str | None = None
    from_cache: bool = False
    fetched_at: float | None = None


def link_targets(cmap: ClaimsMap, cited_only: bool = False) -> list[LinkTarget]:
    """Every url and archive of the map's sources, in map order (only cited ones if asked)."""
    cited = {key for claim in cmap.claims for key in claim.source_keys}
    targets = []
    for key, source in cmap.sources.items():
        if cited_only and key not in cited:
            continue
        for name in LINK_FIELDS:
            value = getattr(source, name)
            if value:
                targets.append(LinkTarget(value, key, name, source.where(name)))
    return targets


def classify_response(response: Response) -> _Verdict:
    """The state an answer puts a URL in."""
    verdict = _classify_status(response)
    return verdict._replace(from_cache=response.from_cache, fetched_at=response.fetched_at)


def _classify_status(response: Response) -> _Verdict:
    status, final = response.status, response.final_url
    if status in BLOCKED_STATUSES or "cf-mitigated" in response.headers:
        return _Verdict(LinkState.BLOCKED, status, str(status), final_url=final)
    if status in DEAD_STATUSES:
        return _Verdict(LinkState.DEAD, status, str(status), final_url=final)
    if not 200 <= status < 400:
        return _Verdict(LinkState.ERROR, status, str(status), final_url=final)
    moved_to = None
    for hop_status, hop_url in response.redirects:
        if hop_status not in PERMANENT_REDIRECTS:
            break
        moved_to = hop_url
    if moved_to is not None and moved_to != response.url:
        return _Verdict(LinkState.REDIRECTED, status, str(response.redirects[0][0]), moved_to, final)
    return _Verdict(LinkState.OK, status, str(status), final_url=final)


def classify_failure(error: FetchError) -> _Verdict:
    """The state a failed fetch puts a URL in (failures are never cached: asked just now)."""
    now = time.time()
    if error.kind is FailureKind.DNS:
        return _Verdict(LinkState.DEAD, None, error.kind.value, fetched_at=now)
    if error.kind is FailureKind.TIMEOUT:
        return _Verdict(LinkState.TIMEOUT, None, error.kind.value, fetched_at=now)
    if error.kind is FailureKind.RATE_LIMITED:
        return _Verdict(LinkState.BLOCKED, None, error.kind.value, fetched_at=now)
    if error.kind is FailureKind.PRIVATE:
        return _Verdict(LinkState.REFUSED, None, error.kind.value, fetched_at=now)
    return _Verdict(LinkState.ERROR, None, error.kind.value, fetched_at=now)


def check_url(client: HttpClient, url: str) -> _Verdict:
    """HEAD the URL, then GET (headers only) if HEAD was refused or answered with an error."""
    try:
        response = client.fetch(url, method="HEAD")
        if response.status == 429 or (response.status < 400 and response.status not in HEAD_REFUSED):
            return classify_response(response)  # a 429 was already retried: do not insist
    except FetchError as error:
        if error.kind not in RETRY_WITH_GET:
            return classify_failure(error)
    try:
        return classify_response(client.fetch(url, method="GET", read_body=False))
    except FetchError as error:
        return classify_failure(error)


def check_links(targets: Iterable[LinkTarget], client: HttpClient, workers: int = 16,
                per_host: int = 2, progress: Progress | None = None) -> list[LinkResult]:
    """Check every target concurrently; results in input order.

    At most `workers` requests run at once and at most `per_host` to any one host (the
    client's own per-host limit still applies, so the smaller of the two wins). Ctrl-C
    cancels what has not started and re-raises at once.
    """
    targets = list(targets)
    urls = list(dict.fromkeys(t.url for t in targets))
    verdicts: dict[str, _Verdict] = {}
    queues: dict[str, deque[str]] = {}
    for url in urls:
        try:
            queues.setdefault(host_of(url), deque()).append(url)
        except FetchError as error:
            verdicts[url] = classify_failure(error)
    _run_pool(queues, client, verdicts, max(1, workers), max(1, per_host),
              progress, len(urls))
    return [LinkResult(t, *verdicts[t.url]) for t in targets]


def _run_pool(queues: dict[str, deque[str]], client: HttpClient, verdicts: dict[str, _Verdict],
              workers: int, per_host: int, progress: Progress | None, total: int) -> None:
    done = len(verdicts)

    def finished(url: str, verdict: _Verdict) -> None:
        nonlocal done
        verdicts[url] = verdict
        done += 1
        if progress is not None:
            progress(done, total)

    run_by_host(queues, lambda url: check_url(client, url), workers, per_host, finished,
                "refmap-links")


def run_by_host(queues: dict[str, deque[str]], task: Callable[[str], T], workers: int,
                per_host: int, finished: Callable[[str, T], None], name: str) -> None:
    """Run task(url) for every queued URL on a pool of threads, feeding it host by host: at
    most `per_host` URLs of one host and `workers` URLs in all at a time, so no worker sits
    waiting on a busy host, and waiting for the next result costs the same however many URLs
    are left. finished(url, result) is called on the calling thread as each one ends, after
    the worker it freed has been given the next URL, so its work overlaps the fetching.
    Ctrl-C cancels what has not started and re-raises at once."""
    busy: dict[str, int] = {host: 0 for host in queues}
    running: dict[Future[T], tuple[str, str]] = {}
    hosts = deque(host for host in queues if queues[host])
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    def top_up() -> None:
        """One round of the hosts: the next URL of each host below its limit, while a worker
        is free (a host gets a second URL in a later round, so a one-host map is fetched one
        URL at a time, as the host's own Retry-After handling expects)."""
        for _ in range(len(hosts)):
            if len(running) >= workers:
                break
            host = hosts.popleft()
            if busy[host] < per_host and queues[host]:
                url = queues[host].popleft()
                busy[host] += 1
                running[pool.submit(task, url)] = (host, url)
            if queues[host]:
                hosts.append(host)

    try:
        while hosts or running:
            top_up()
            finished_now, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished_now:
                host, url = running.pop(future)
                busy[host] -= 1
                result = future.result()
                top_up()  # the freed worker fetches while finished() works
                finished(url, result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


UNREACHED = frozenset({FailureKind.DNS.value, FailureKind.UNREACHABLE.value})
"""Failures that say nothing about the page when every URL has them: the machine is offline."""


class OfflineError(RefmapError):
    """No host could be reached at all: nothing was checked, and nothing is dead."""

    def __init__(self, hint: str = "") -> None:
        super().__init__("offline: nothing checked (no host could be reached: name lookup or "
                         f"connection failed for every URL){hint}")


def nothing_reached(failures: Iterable[str | None]) -> bool:
    """Whether every URL asked failed to reach its host (DNS or connect), given each one's
    failure kind (None for an answer). URLs never asked (bad URLs) are left out by the caller."""
    kinds = list(failures)
    return bool(kinds) and all(kind in UNREACHED for kind in kinds)


def links_offline(results: Iterable[LinkResult]) -> bool:
    """Whether a link check reached no host at all (then no result means anything)."""
    return nothing_reached(r.detail if r.status is None else None for r in results
                           if r.detail not in (FailureKind.BAD_URL.value, FailureKind.OFFLINE.value))


def exit_code(results: Iterable[LinkResult]) -> int:
    """1 when some link is dead, else 0: blocked, timeouts and errors may be passing."""
    return 1 if any(r.state is LinkState.DEAD for r in results) else 0


def _message(result: LinkResult) -> str:
    return _what(result) + (f" ({cached_note(result.fetched_at)})"
                            if result.from_cache and result.fetched_at is not None else "")


def _what(result: LinkResult) -> str:
    where = f"source '{result.target.source}': {result.target.field}"
    state, detail = result.state, result.detail
    if state is LinkState.REDIRECTED:
        return f"{where} has moved permanently ({detail}) to {result.new_url!r}"
    if state is LinkState.DEAD:
        return f"{where} is dead ({'host name not found' if detail == 'dns' else detail})"
    if state is LinkState.BLOCKED and detail == FailureKind.RATE_LIMITED.value:
        return (f"{where} could not be verified: its host asked for more waiting (Retry-After) "
                "than this run allows (--max-wait)")
    if state is LinkState.BLOCKED:
        return f"{where} could not be verified: access refused ({detail})"
    if state is LinkState.REFUSED:
        return (f"{where} leads to a loopback, link-local or private address: not fetched "
                "(--allow-private fetches it)")
    if state is LinkState.TIMEOUT:
        return f"{where} timed out"
    if state is LinkState.ERROR:
        return f"{where} answers with an error ({detail})"
    return f"{where} is ok ({detail})"


def link_findings(results: Iterable[LinkResult], include_ok: bool = False) -> list[Finding]:
    """Results as findings, for the usual text and GitHub reporters (ok ones only if asked)."""
    return [Finding(r.state.code, Severity(r.state.severity), _message(r), r.target.span,
                    source=r.target.source)
            for r in results if include_ok or r.state is not LinkState.OK]


def result_dict(result: LinkResult) -> dict[str, object]:
    """One result as JSON-ready data."""
    return {
        "position": span_json(result.target.span), "source": result.target.source,
        "field": result.target.field, "url": result.target.url, "state": result.state.value,
        "code": result.state.code, "severity": result.state.severity, "status": result.status,
        "detail": result.detail, "new_url": result.new_url, "final_url": result.final_url,
        "from_cache": result.from_cache, "fetched_at": iso_time(result.fetched_at),
    }
