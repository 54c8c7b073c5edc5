"""`refmap capture`: fetch the cited pages and keep each as a WARC capture (refmap.net.capture).

Pages are fetched concurrently, host by host as links are checked, and the calling thread
reads each answer as text and writes its capture as it arrives, so the reading and writing
overlap the waiting for the next pages.
What a run did is a list of CaptureResult, one per source, from which the command writes each
source's `captured` field (refmap.net.source_fixes.apply_captures) in one atomic save.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from refmap.errors import UsageError
from refmap.mapfile.model import ClaimsMap
from refmap.net.capture import (
    DEFAULT_DIR, PAGE_ACCEPT, CaptureStamp, CaptureStore, Saved, parse_stamp,
)
from refmap.net.http import FetchError, HttpClient, Response, host_of
from refmap.net.links import OfflineError, nothing_reached, run_by_host

Progress = Callable[[int, int], None]
CAPTURES_VARIABLE = "REFMAP_CAPTURES"


def capture_folder(map_path: str | Path, given: str | None = None) -> Path:
    """The capture folder: --captures, else $REFMAP_CAPTURES, else .refmap/captures beside
    the map."""
    chosen = given or os.environ.get(CAPTURES_VARIABLE)
    if chosen:
        return Path(chosen)
    return Path(map_path).parent / DEFAULT_DIR


class CaptureTarget(NamedTuple):
    source: str
    url: str
    previous: CaptureStamp | None
    """What the map's `captured` field says now."""


class CaptureResult(NamedTuple):
    """What capturing one source's page gave."""

    target: CaptureTarget
    saved: Saved | None
    problem: str | None = None
    """Why the page was not captured."""
    failure: str | None = None
    """The fetch's failure kind ('dns', 'timeout' ...) when there was no answer."""

    @property
    def stamp(self) -> CaptureStamp | None:
        """The value the source's `captured` should have: the earlier stamp when the content
        has not changed since (its date says since when), else the new one."""
        if self.saved is None:
            return None
        previous = self.target.previous
        if previous is not None and previous.digest == self.saved.stamp.digest:
            return previous
        return self.saved.stamp

    def describe(self) -> str:
        key = self.target.source
        if self.saved is None:
            return f"{key}: not captured: {self.problem}"
        stamp = self.stamp
        assert stamp is not None
        if stamp is self.target.previous:
            return f"{key}: unchanged since the capture of {stamp.date} (sha256:{stamp.digest[:12]})"
        changed = " (the page has changed since the last capture)" if self.target.previous else ""
        return (f"{key}: captured {self.target.url} as sha256:{stamp.digest[:12]}, "
                f"{self.saved.size} bytes{changed}")


def capture_targets(cmap: ClaimsMap, keys: Iterable[str] = ()) -> list[CaptureTarget]:
    """The sources named (each must exist and have a url), or every cited source with a url."""
    named = list(dict.fromkeys(keys))
    if named:
        from refmap.suggest import did_you_mean

        for key in named:
            source = cmap.sources.get(key)
            if source is None:
                close = did_you_mean(key, cmap.sources)
                hint = f"; did you mean '{close}'?" if close else ""
                raise UsageError(f"no source '{key}' in the map{hint}")
            if not source.url:
                raise UsageError(f"source '{key}' has no url to capture")
        chosen = named
    else:
        cited = {key for claim in cmap.claims for key in claim.source_keys}
        chosen = [k for k, s in cmap.sources.items() if k in cited and s.url]
    return [CaptureTarget(k, str(cmap.sources[k].url),
                          parse_stamp(cmap.sources[k].captured or "")) for k in chosen]


Kept = tuple[Saved | None, str | None, str | None]
"""What keeping one answer gave: (saved, problem, failure kind)."""


def _fetch(client: HttpClient, url: str) -> Response | FetchError:
    try:
        return client.fetch(url, accept=PAGE_ACCEPT)
    except FetchError as error:
        return error


def capture_pages(targets: list[CaptureTarget], client: HttpClient, store: CaptureStore,
                  workers: int = 16, progress: Progress | None = None) -> list[CaptureResult]:
    """Fetch each target's page once and keep it; results in target order.

    The worker threads only fetch, host by host as links are checked
    (refmap.net.links.run_by_host); the calling thread reads each answer and writes its
    capture as it arrives, while the next ones are on their way. Reading is CPU-bound
    Python that holds the GIL: done on the fetching threads, it kept them from fetching.
    The files are made on one writer thread (CaptureStore.writing_behind), whose system
    time overlaps the reading of the next page.
    An OfflineError when no host could be reached at all. Ctrl-C cancels what has not
    started and re-raises; captures already written stay (they are whole files).
    """
    urls = list(dict.fromkeys(t.url for t in targets))
    kept: dict[str, Kept] = {}
    queues: dict[str, deque[str]] = {}
    for url in urls:
        try:
            queues.setdefault(host_of(url), deque()).append(url)
        except FetchError as error:
            kept[url] = keep(store, error, client.user_agent)

    def finished(url: str, answer: Response | FetchError) -> None:
        kept[url] = keep(store, answer, client.user_agent)
        if progress is not None:
            progress(len(kept), len(urls))

    with store.writing_behind():
        run_by_host(queues, lambda url: _fetch(client, url), max(1, workers), client.gate.limit,
                    finished, "refmap-capture")
    if nothing_reached(kept[url][2] for url in urls if kept[url][2] != "bad-url"):
        raise OfflineError()
    return [CaptureResult(t, *kept[t.url]) for t in targets]


def keep(store: CaptureStore, answer: Response | FetchError, user_agent: str) -> Kept:
    """Write one answer to the store: (saved, problem, failure kind)."""
    if isinstance(answer, FetchError):
        return None, answer.detail, answer.kind.value
    if not 200 <= answer.status < 300:
        return None, f"the page answered {answer.status}", None
    return store.save(answer, PAGE_ACCEPT, user_agent), None, None


def capture_exit_code(results: Iterable[CaptureResult]) -> int:
    """1 when some page could not be captured, else 0."""
    return 1 if any(r.saved is None for r in results) else 0
