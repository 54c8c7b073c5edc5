"""`check`'s findings, kept until one of the files they came from changes.

Checks are pure: the same map, essay and linked libraries give the same findings. So a check
keeps what it found under `.refmap/check/` beside the map, with what every file it read held:
the map and the essay by a digest of their bytes (the very bytes the check parsed, noted by
fileio.recording_inputs), a linked library by the size, modification time and inode its own
parse cache is keyed by. The next check of that map reads those files again and hashes them;
only if each one still holds what it held, and refmap, Python and the installed packages are
the ones that computed the findings, are they printed without loading anything. Any other
difference, a cache that is damaged or from elsewhere included, means a full check, whose
findings then replace the kept ones. `--no-cache` skips the cache both ways.

A hit imports neither PyYAML nor the map's model: that is what makes a repeated `refmap check`
(an editor's check on save, a pre-commit hook over maps that did not change) start as fast as
the command line itself.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from refmap import __version__, fileio
from refmap.findings import CheckResult, Finding, Severity
from refmap.spans import Span

CACHE_DIR = Path(".refmap") / "check"
CACHE_FORMAT = 1
"""Increased whenever the layout of a cache file changes."""


Compute = Callable[[], tuple[CheckResult, frozenset[str]]]
"""A full check of the map: its findings and the ids of its draft claims."""


class Checked(NamedTuple):
    """A map's findings, and which of its claims are drafts (what the hook needs besides)."""

    result: CheckResult
    drafts: frozenset[str]
    fresh: bool
    """Whether the map was checked in this run (False: the findings came from the cache)."""


def check(path: str, data: bytes, compute: Compute, *, options: tuple[object, ...] = (),
          cache: bool = True) -> Checked:
    """The findings of the map at path, whose bytes are data: from the cache when every file
    they came from still holds what it held; else compute()'s, kept unless cache is False.

    options are whatever else the findings depend on (the essay-outside flag, the size cap):
    each set has its own cache entry. compute reads the map's other inputs through
    fileio.read_input, so each is noted with a digest of exactly the bytes it parsed; its
    errors pass through, and nothing is kept for a map that cannot load."""
    where = _cache_file(path, options) if cache else None
    own = os.path.abspath(path), ("blake2b", fileio.digest(data))
    if where is not None:
        kept = _load(where, own)
        if kept is not None:
            return kept
    with fileio.recording_inputs() as read:
        result, drafts = compute()
    read[own[0]] = own[1]
    if where is not None:
        _store(where, read, result, drafts)
    return Checked(result, drafts, fresh=True)


# -- the cache file ----------------------------------------------------------------------------


def _cache_file(path: str, options: tuple[object, ...]) -> Path:
    """Where the findings of this map, as named and checked with these options, are kept."""
    key = repr((os.path.abspath(path), path, options))
    name = fileio.digest(key.encode("utf-8", "surrogateescape")).hex()
    return Path(os.path.dirname(os.path.abspath(path))) / CACHE_DIR / f"{name}.marshal"


PACKAGE = os.path.dirname(os.path.abspath(fileio.__file__))
"""refmap's own folder, whose modules the findings depend on."""


@functools.cache
def _made_by(package: str = PACKAGE) -> tuple[object, ...]:
    """What computed the findings: this cache format, refmap (its version, and the size and
    modification time of each of its modules, so an edited checkout never reads findings of
    its former self), Python, and the packages installed (their .dist-info folders name
    their versions)."""
    modules: list[object] = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                module = os.path.join(folder, name)
                stat = os.stat(module)
                modules += (module[len(package):], stat.st_size, stat.st_mtime_ns)
    installed = sorted(name for folder in sys.path if folder.endswith("-packages")
                       and os.path.isdir(folder) for name in os.listdir(folder)
                       if name.endswith((".dist-info", ".egg-info")))
    return (CACHE_FORMAT, __version__, sys.version, package, tuple(modules), tuple(installed))


def _load(where: Path, own: tuple[str, tuple[object, ...]]) -> Checked | None:
    """The kept findings if every file they came from still holds what it held; else None
    (a missing, damaged or foreign cache file included: the check simply runs)."""
    try:
        made_by, read, drafts, findings = marshal.loads(where.read_bytes())
        if made_by != _made_by():
            return None
        for name, token in read.items():
            if token != (own[1] if name == own[0] else _now(name, token[0])):
                return None
        return Checked(CheckResult([_finding(f) for f in findings]), frozenset(drafts),
                       fresh=False)
    except Exception:  # noqa: BLE001 - any damage means: check again
        return None


def _now(name: str, kind: str) -> tuple[object, ...]:
    """What the file name holds now, as a token of the kind kept for it. It is read as every
    input is (fileio.read_input: a regular file only, never a FIFO or a device, and at most
    the largest input cap), so a file that became something else only misses the cache."""
    if kind == "stat":
        stat = os.stat(name)
        return ("stat", stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return ("blake2b", fileio.digest(fileio.read_input(Path(name), name, fileio.MAP_MAX_BYTES)))


def _store(where: Path, read: dict[str, tuple[object, ...]], result: CheckResult,
           drafts: frozenset[str]) -> None:
    """Keep the findings; a cache that cannot be written is simply not kept."""
    findings = [(f.code, str(f.severity), f.message, tuple(f.span) if f.span else None,
                 f.claim, f.source) for f in result.findings]
    try:
        kept: Any = (_made_by(), read, sorted(drafts), findings)
        payload = marshal.dumps(kept)
        where.parent.mkdir(parents=True, exist_ok=True)
        fileio.replace_with_bytes(where, payload)
    except (OSError, ValueError):
        pass


def _finding(row: tuple[Any, ...]) -> Finding:
    code, severity, message, span, claim, source = row
    return Finding(code, Severity(severity), message, Span(*span) if span else None, claim,
                   source)
