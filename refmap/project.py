"""The library: a claims map, its essay, and where each claim stands in it, loaded once.

`refmap.load(path)` returns a Project: the map loaded once (refmap.commands.loaded.MapFile,
the object the editing commands take too) with the commands that need the whole essay on top.
Every command is one call on it that returns a typed result (CheckResult, Coverage,
AnchorReport, FixPlan, SentenceReport lists, exports as text); the CLI renders the result and
turns it into an exit code. Anchors are computed once, lazily, and handed around as
LocatedClaim records, so no consumer lines claims and anchors up itself.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.commands.loaded import MapFile
from refmap.essay.located import Anchor, Found, LocatedClaim, anchored_spans, in_essay_order
from refmap.mapfile.model import IgnoredSentence

if TYPE_CHECKING:
    from refmap.commands.anchor_fixes import FixPlan
    from refmap.commands.anchors import AnchorReport
    from refmap.commands.coverage import Coverage
    from refmap.commands.uncovered import SentenceReport
    from refmap.findings import CheckResult


class Project(MapFile):
    """A loaded claims map, the essay it describes (read when first needed) and each claim's
    anchor (computed when first needed, one claim at a time where one is enough)."""

    # -- where claims stand -----------------------------------------------------------------

    @cached_property
    def located(self) -> tuple[LocatedClaim, ...]:
        """Every claim with its anchor, in the map's order (computed once)."""
        return tuple(self._one.get(i) or LocatedClaim(i, c, self.anchor(c))
                     for i, c in enumerate(self.cmap.claims))

    @cached_property
    def ignored(self) -> tuple[tuple[IgnoredSentence, Anchor], ...]:
        """Each sentence of the map's `ignore` list with its anchor (as quotes are anchored)."""
        if not self.cmap.ignore:
            return ()
        return tuple((entry, self.anchorer.anchor(entry.as_probe())) for entry in self.cmap.ignore)

    def ignored_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every ignored sentence found in the essay, sorted."""
        return sorted((a.start, a.end) for _, a in self.ignored if isinstance(a, Found))

    def in_essay_order(self) -> list[LocatedClaim]:
        """Claims in the order their quotes appear in the essay; unanchored ones last, in map
        order."""
        return in_essay_order(self.located)

    def locate(self, claim_id: str) -> LocatedClaim | None:
        """One claim with its anchor; only that claim is anchored if no command needed them all."""
        if "located" in self.__dict__:
            return next((lc for lc in self.located if lc.claim.id == claim_id), None)
        return super().locate(claim_id)

    def spans(self) -> list[tuple[int, int, LocatedClaim]]:
        """(start, end, claim) of every anchored claim, sorted by start."""
        return anchored_spans(self.located)

    # -- commands: each is one call into refmap.commands with just what it needs --------------

    @cached_property
    def findings(self) -> CheckResult:
        """Every finding of `refmap check`, sorted by position."""
        from refmap.commands.check import run_checks

        return run_checks(self.cmap, self.located, self.essay, self.ignored)

    def check(self) -> CheckResult:
        return self.findings

    def coverage(self) -> Coverage:
        from refmap.commands.coverage import measure

        return measure(self.cmap, self.essay, self.located, self.ignored_spans())

    def anchor_report(self) -> AnchorReport:
        from refmap.commands.anchors import anchor_report

        return anchor_report(self.located, self.essay)

    def fix_plan(self, accept: Collection[str] = ()) -> FixPlan:
        """What `anchors --fix` changes; quotes whose figures, dates or names changed are held
        unless their claim ids are in accept."""
        from refmap.commands.anchor_fixes import plan_fixes

        return plan_fixes(self.essay, self.located, self.anchorer, accept)

    def sentences(self) -> list[SentenceReport]:
        from refmap.commands.uncovered import sentence_reports

        return sentence_reports(self.essay, self.located, self.ignored_spans())

    def unsourced(self) -> list[LocatedClaim]:
        """Claims that still need a source, in essay order."""
        return [lc for lc in self.in_essay_order() if lc.claim.needs_source]


def load(map_path: str | Path, *, essay_outside: bool = False,
         max_bytes: int | None = None, with_essay: bool = True) -> Project:
    """Load a claims map and the essay it names (relative to the map file).

    With with_essay=False the essay is read only when something first asks for it, so work on
    the sources alone (imports, exports of the bibliography, link checks) never reads it and
    works when it is missing.

    An essay outside the map's folder (`../notes.txt`, `/proc/self/environ`) is refused unless
    essay_outside is set: a map from elsewhere must not be able to embed any file it names.
    max_bytes caps both files (the CLI's --max-size); None keeps the default caps,
    fileio.MAP_MAX_BYTES for the map and fileio.ESSAY_MAX_BYTES for the essay.
    """
    project = Project.open(map_path, essay_outside=essay_outside, max_bytes=max_bytes)
    if with_essay:
        project.essay  # noqa: B018 - read now, so a bad essay stops the load
    return project


load_project = load
"""The earlier name of `load`, kept for library users."""
