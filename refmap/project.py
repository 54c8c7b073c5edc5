"""The library: a claims map, its essay, and where each claim stands in it, loaded once.

`refmap.load(path)` returns a Project. Every command is one call on it that returns a typed
result (CheckResult, Coverage, AnchorReport, FixPlan, SentenceReport lists, exports as text);
the CLI renders the result and turns it into an exit code. Anchors are computed once, lazily,
and handed around as LocatedClaim records, so no consumer lines claims and anchors up itself.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from refmap import yamlio
from refmap.errors import LoadError
from refmap.essay import Essay, read_essay
from refmap.located import Anchor, Found, LocatedClaim
from refmap.model import ClaimsMap, IgnoredSentence
from refmap.schema import map_from_bytes

if TYPE_CHECKING:
    from refmap.anchor_report import AnchorReport
    from refmap.coverage import Coverage
    from refmap.edit import MapEditor
    from refmap.findings import CheckResult
    from refmap.fixes import FixPlan
    from refmap.uncovered import SentenceReport


class Project:
    """A loaded claims map with the essay it describes and each claim's anchor."""

    def __init__(self, map_path: Path, map_bytes: bytes, cmap: ClaimsMap, essay: Essay,
                 essay_path: Path):
        self.map_path = map_path
        """The map file as the user named it."""
        self.map_bytes = map_bytes
        """The map's bytes as read, once: every write of the map is checked against them."""
        self.cmap = cmap
        self.essay = essay
        self.essay_path = essay_path

    # -- where claims stand -----------------------------------------------------------------

    @cached_property
    def located(self) -> tuple[LocatedClaim, ...]:
        """Every claim with its anchor, in the map's order (computed once)."""
        from refmap.anchors import Anchorer

        anchorer = Anchorer(self.essay)
        return tuple(LocatedClaim(i, c, anchorer.anchor(c)) for i, c in enumerate(self.cmap.claims))

    @cached_property
    def ignored(self) -> tuple[tuple[IgnoredSentence, Anchor], ...]:
        """Each sentence of the map's `ignore` list with its anchor (as quotes are anchored)."""
        if not self.cmap.ignore:
            return ()
        from refmap.anchors import Anchorer

        anchorer = Anchorer(self.essay)
        return tuple((entry, anchorer.anchor(entry.as_probe())) for entry in self.cmap.ignore)

    def ignored_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every ignored sentence found in the essay, sorted."""
        return sorted((a.start, a.end) for _, a in self.ignored if isinstance(a, Found))

    def in_essay_order(self) -> list[LocatedClaim]:
        """Claims in the order their quotes appear in the essay; unanchored ones last, in map
        order."""
        return sorted(self.located, key=lambda lc: (lc.start is None, lc.start or 0, lc.order))

    def locate(self, claim_id: str) -> LocatedClaim | None:
        for located in self.located:
            if located.claim.id == claim_id:
                return located
        return None

    def spans(self) -> list[tuple[int, int, LocatedClaim]]:
        """(start, end, claim) of every anchored claim, sorted by start."""
        return sorted(((lc.anchor.start, lc.anchor.end, lc) for lc in self.located
                       if isinstance(lc.anchor, Found)), key=lambda t: (t[0], t[1], t[2].order))

    # -- commands ------------------------------------------------------------------------

    @cached_property
    def findings(self) -> CheckResult:
        """Every finding of `refmap check`, sorted by position."""
        from refmap.checks import run_checks

        return run_checks(self)

    def check(self) -> CheckResult:
        return self.findings

    def coverage(self) -> Coverage:
        from refmap.coverage import measure

        return measure(self)

    def anchor_report(self) -> AnchorReport:
        from refmap.anchor_report import anchor_report

        return anchor_report(self)

    def fix_plan(self, accept: Collection[str] = ()) -> FixPlan:
        """What `anchors --fix` changes; quotes whose figures, dates or names changed are held
        unless their claim ids are in accept."""
        from refmap.fixes import plan_fixes

        return plan_fixes(self, accept)

    def sentences(self) -> list[SentenceReport]:
        from refmap.uncovered import sentence_reports

        return sentence_reports(self.essay, self.located, self.ignored_spans())

    def unsourced(self) -> list[LocatedClaim]:
        """Claims that still need a source, in essay order."""
        return [lc for lc in self.in_essay_order() if lc.claim.needs_source]

    def editor(self) -> MapEditor:
        """The map opened for editing from the bytes this project read."""
        from refmap.edit import MapEditor

        return MapEditor(self.map_path, data=self.map_bytes)

    def inputs(self) -> tuple[Path, Path]:
        """Files no output of this project may overwrite."""
        return self.map_path, self.essay_path


def essay_location(map_path: str | Path, essay_path: str) -> tuple[Path, str]:
    """The essay's real path and the name to show for it (relative like the map's)."""
    base = os.path.dirname(str(map_path))
    display = os.path.normpath(os.path.join(base, essay_path)) if base else os.path.normpath(essay_path)
    return Path(display), display


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def load(map_path: str | Path, *, essay_outside: bool = False,
         max_bytes: int | None = None) -> Project:
    """Load a claims map and the essay it names (relative to the map file).

    An essay outside the map's folder (`../notes.txt`, `/proc/self/environ`) is refused unless
    essay_outside is set: a map from elsewhere must not be able to embed any file it names.
    max_bytes caps both files (the CLI's --max-size); None keeps the default caps,
    fileio.MAP_MAX_BYTES for the map and fileio.ESSAY_MAX_BYTES for the essay.
    """
    from refmap import fileio

    display = str(map_path)
    map_cap = fileio.MAP_MAX_BYTES if max_bytes is None else max_bytes
    data = yamlio.read_bytes(Path(map_path), display, map_cap)
    cmap = map_from_bytes(data, display)
    essay, path = open_essay(map_path, cmap, essay_outside=essay_outside, max_bytes=max_bytes)
    return Project(Path(map_path), data, cmap, essay, path)


def open_essay(map_path: str | Path, cmap: ClaimsMap, *, essay_outside: bool = False,
               max_bytes: int | None = None) -> tuple[Essay, Path]:
    """The essay a loaded map names, and its path (refused outside the map's folder unless
    essay_outside is set)."""
    path, essay_display = essay_location(map_path, cmap.essay.path)
    folder = Path(os.path.dirname(os.path.abspath(map_path)))
    if not essay_outside and not _inside(path, folder):
        raise LoadError(
            f"essay '{cmap.essay.path}' is outside the map's folder; pass --essay-outside "
            "to read it anyway", span=cmap.essay.path_span)
    essay = read_essay(path, essay_display, referenced_at=cmap.essay.path_span,
                       fmt=cmap.essay.format, max_bytes=max_bytes)
    return essay, path


load_project = load
"""The earlier name of `load`, kept for library users."""
