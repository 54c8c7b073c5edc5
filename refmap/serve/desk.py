"""The desk's view of the files: the project loaded once, reloaded when the map or the essay
changes on disk, and the one-line error when the map stops loading.

The version a page was rendered from is the SHA-256 of the map's bytes; a write names it and
is refused when the file now holds other bytes (never merged blindly). The view version adds
the essay's size and modification time, so a page also follows edits to the essay.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.errors import RefmapError

if TYPE_CHECKING:
    from refmap.project import Project


def map_version(data: bytes) -> str:
    """The version of a map a page names when it writes: a hash of its bytes."""
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


@dataclass(frozen=True)
class DeskState:
    """What the desk shows now: a loaded project, or the error that stops the map loading."""

    project: Project | None
    error: str | None
    version: str
    """The map bytes' hash ('' when the map cannot be read)."""
    view: str
    """Changes whenever the map or the essay changes on disk: what a page polls."""


class Desk:
    """The map and essay behind the desk, reloaded only when a file's size or time changes."""

    def __init__(self, map_path: str | Path, *, essay_outside: bool = False,
                 max_bytes: int | None = None, verify_marks: dict[str, str] | None = None):
        self.map_path = Path(map_path)
        self.essay_outside = essay_outside
        self.max_bytes = max_bytes
        self.verify_marks = dict(verify_marks or {})
        self.lock = threading.RLock()
        """Held while loading and while writing, so two writes never interleave."""
        self._stamps: tuple[object, ...] | None = None
        self._state: DeskState | None = None

    def _essay_path(self) -> Path | None:
        if self._state is not None and self._state.project is not None:
            return self._state.project.essay_path
        return None

    def state(self) -> DeskState:
        """The current state, reloading the files if either changed since the last look."""
        with self.lock:
            essay = self._essay_path()
            stamps = (_stamp(self.map_path), _stamp(essay) if essay else None)
            # in error, the essay's path may be unknown: try again on every look
            if self._state is None or self._state.error is not None or stamps != self._stamps:
                before = _stamp(self.map_path)  # taken first: a change during the load shows
                self._state = self._load()
                essay = self._essay_path()
                self._stamps = (before, _stamp(essay) if essay else None)
            return self._state

    def invalidate(self) -> None:
        """Forget the loaded project (after a write)."""
        with self.lock:
            self._state = None

    def _load(self) -> DeskState:
        from refmap.project import load
        from refmap.fileio import gc_paused

        try:
            data = self.map_path.read_bytes()
        except OSError:
            data = b""
        version = map_version(data) if data else ""
        try:
            with gc_paused():  # the page needs anchors and findings: build them all at once
                project = load(self.map_path, essay_outside=self.essay_outside,
                               max_bytes=self.max_bytes)
                project.findings  # noqa: B018  (computed once, here)
        except RefmapError as exc:
            return DeskState(None, exc.lines()[0], version, f"{version}:error:{exc.lines()[0]}")
        version = map_version(project.map_bytes)
        essay = _stamp(project.essay_path)
        return DeskState(project, None, version, f"{version}:{essay}")
