"""Give each source with a `url` and no `archive` an archived copy: `refmap archive`.

For each such source the Wayback Machine is asked for the capture closest to the source's
`accessed` date (refmap.net.archive.closest_snapshot); with `save`, a source it has no capture
of is sent to Save Page Now. The plan is computed first and written in one edit afterwards
(refmap.net.source_fixes), so a failure half-way (a malformed answer, Ctrl-C) leaves the map as
it was.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from refmap.mapfile.model import ClaimsMap, Source
from refmap.net.archive import Snapshot, closest_snapshot, save_page
from refmap.net.http import HttpClient

Progress = Callable[[int, int], None]
"""Called as progress(done, total) on the calling thread after each source is looked up."""
ARCHIVE_WORKERS = 2
"""The archive is one host: asking it more than twice at a time only earns 429s."""


class ArchiveAction(NamedTuple):
    """What the archive had (or made) for one source."""

    source: str
    """Citekey."""
    url: str
    snapshot: Snapshot | None
    """None when the archive has no capture (and none was asked for, or saving failed)."""
    saved: bool = False
    """Whether the capture was made now, by Save Page Now."""

    def describe(self) -> str:
        """One line for the user."""
        if self.snapshot is None:
            return f"{self.source}: no archived copy of {self.url!r}"
        how = "saved now" if self.saved else "snapshot"
        return f"{self.source}: {how} of {self.snapshot.date}: {self.snapshot.url}"


def sources_to_archive(cmap: ClaimsMap) -> list[Source]:
    """Sources with a url and no archive, in map order."""
    return [s for s in cmap.sources.values() if s.url and not s.archive]


def archive_source(client: HttpClient, source: Source, save: bool = False) -> ArchiveAction:
    """The capture closest to the source's accessed date; a new one when none and `save`."""
    assert source.url is not None
    snapshot = closest_snapshot(client, source.url, near=source.accessed)
    if snapshot is None and save:
        return ArchiveAction(source.key, source.url, save_page(client, source.url), saved=True)
    return ArchiveAction(source.key, source.url, snapshot)


def plan_archives(cmap: ClaimsMap, client: HttpClient, save: bool = False,
                  progress: Progress | None = None, workers: int | None = None) -> list[ArchiveAction]:
    """An ArchiveAction per source that lacks an archive, in map order.

    An unusable answer from the archive raises (ArchiveError or FetchError, one line each)
    and nothing is planned: the caller writes nothing.
    """
    sources = sources_to_archive(cmap)
    actions: list[ArchiveAction] = []
    pool = ThreadPoolExecutor(max_workers=workers or ARCHIVE_WORKERS,
                              thread_name_prefix="refmap-archive")
    try:
        for action in pool.map(lambda s: archive_source(client, s, save), sources):
            actions.append(action)
            if progress is not None:
                progress(len(actions), len(sources))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return actions
