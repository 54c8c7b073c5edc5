"""Responses kept on disk with an expiry, so a re-run (or a CI job) does not ask again.

Each entry is one file: a header line, a JSON line of metadata (which includes the body's
length and SHA-256) and the body. Entries are written to a temporary file and renamed into
place, so an interrupted run (Ctrl-C) leaves either the old entry or the new one; an entry
that is truncated, corrupt or from another format is treated as absent, never as an error.

The cache is honest about itself: every answer read from it carries the time it was fetched
(`stored`), which the commands show as "cached 3 h ago" (`describe_age`) and as `from_cache`
and `fetched_at` in JSON. A cache opened with `refresh=True` never answers but still stores,
so a `--refresh` run asks anew and the next run sees what it saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from refmap.errors import WriteError
from refmap.fileio import make_writable_folder, replace_with_bytes

MAGIC = b"refmap-cache 1\n"
DEFAULT_TTL = 24 * 3600.0


class CacheEntry(NamedTuple):
    """What a cache hit gives back: the metadata stored with it and the body."""

    meta: dict[str, Any]
    body: bytes


def default_cache_dir(environ: dict[str, str] | None = None) -> Path:
    """$XDG_CACHE_HOME/refmap, or ~/.cache/refmap when the variable is unset or empty."""
    env = dict(os.environ) if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "refmap"


class Cache:
    """A directory of cached entries keyed by strings (the client uses method + URL)."""

    def __init__(self, directory: str | Path | None = None, ttl: float = DEFAULT_TTL,
                 clock: Callable[[], float] = time.time, refresh: bool = False) -> None:
        """Open (creating if needed) a cache directory and prove it is writable.

        ttl: the age in seconds past which an entry is not used (--max-age). refresh: never
        answer from the cache, but store every new answer (--refresh).
        An unusable directory is a one-line WriteError here, before any network work starts.
        """
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.ttl = ttl
        self.clock = clock
        self.refresh = refresh
        self._probe()

    def _probe(self) -> None:
        shown = str(self.directory)
        try:
            make_writable_folder(self.directory)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise WriteError(f"cache directory is not writable: {reason}", path=shown) from None

    def path_for(self, key: str) -> Path:
        """The file an entry lives in: a hash of the key, so any key is a safe file name."""
        return self.directory / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".entry")

    def get(self, key: str) -> CacheEntry | None:
        """The entry for key, or None when absent, expired, corrupt or for another key (and
        always None when refreshing)."""
        if self.refresh:
            return None
        try:
            data = self.path_for(key).read_bytes()
        except OSError:
            return None
        entry = _decode(data)
        if entry is None or entry.meta.get("key") != key:
            return None
        stored = entry.meta.get("stored")
        if not isinstance(stored, (int, float)) or self.clock() - stored > self.ttl:
            return None
        return entry

    def put(self, key: str, meta: dict[str, Any], body: bytes) -> None:
        """Store an entry atomically; a failed write leaves the cache as it was."""
        record = dict(meta, key=key, stored=self.clock(), length=len(body),
                      sha256=hashlib.sha256(body).hexdigest())
        data = MAGIC + json.dumps(record, ensure_ascii=True).encode("ascii") + b"\n" + body
        try:
            replace_with_bytes(self.path_for(key), data, sync=True)
        except OSError as exc:
            raise WriteError(f"cannot write to the cache: {exc.strerror}",
                             path=str(self.directory)) from None


def _decode(data: bytes) -> CacheEntry | None:
    """Parse an entry file; None for anything that is not a complete, intact entry."""
    if not data.startswith(MAGIC):
        return None
    header_end = data.find(b"\n", len(MAGIC))
    if header_end < 0:
        return None
    try:
        meta = json.loads(data[len(MAGIC):header_end])
    except ValueError:
        return None
    if not isinstance(meta, dict):
        return None
    body = data[header_end + 1:]
    if meta.get("length") != len(body) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
        return None
    return CacheEntry(meta, body)


_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float | None:
    """Seconds in '90', '90s', '30m', '6h' or '2d'; None when the text is none of these."""
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


def describe_age(seconds: float) -> str:
    """An age as people say it: 'just now', '5 min', '3 h', '2 d'."""
    if seconds < 60:
        return "less than a minute"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def cached_note(fetched_at: float, now: float | None = None) -> str:
    """'cached 3 h ago', for an answer fetched at fetched_at (seconds since the epoch)."""
    age = max(0.0, (time.time() if now is None else now) - fetched_at)
    return f"cached {describe_age(age)} ago"


def iso_time(timestamp: float | None) -> str | None:
    """A time as UTC ISO 8601 to the second ('2026-12-02T11:30:00Z'), for JSON."""
    if timestamp is None:
        return None
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")
