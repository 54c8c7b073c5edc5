"""The library: a claims map, its essay, and where each claim stands in it, loaded once.

`refmap.load(path)` returns a Project. Every command is one call on it that returns a typed
result (CheckResult, Coverage, AnchorReport, FixPlan, SentenceReport lists, exports as text);
the CLI renders the result and turns it into an exit code. Anchors are computed once, lazily,
and handed around as LocatedClaim records, so no consumer lines claims and anchors up itself.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.essay.located import Anchor, Found, LocatedClaim, anchored_spans, in_essay_order
from refmap.essay.text import essay_location, open_essay
from refmap.mapfile import yamlio
from refmap.mapfile.model import ClaimsMap, IgnoredSentence
from refmap.mapfile.schema import build_map
from refmap.mapfile.yamlio import Node

if TYPE_CHECKING:
    from refmap.essay.anchoring import Anchorer
    from refmap.commands.anchor_fixes import FixPlan
    from refmap.commands.anchors import AnchorReport
    from refmap.commands.coverage import Coverage
    from refmap.commands.uncovered import SentenceReport
    from refmap.essay.text import Essay
    from refmap.findings import CheckResult
    from refmap.mapfile.editor import MapEditor


class Project:
    """A loaded claims map, the essay it describes (read when first needed) and each claim's
    anchor (computed when first needed, one claim at a time where one is enough)."""

    def __init__(self, map_path: Path, map_bytes: bytes, cmap: ClaimsMap,
                 essay: Essay | None = None, essay_path: Path | None = None, *,
                 root: Node | None = None, essay_outside: bool = False,
                 max_bytes: int | None = None):
        self.map_path = map_path
        """The map file as the user named it."""
        self.map_bytes = map_bytes
        """The map's bytes as read, once: every write of the map is checked against them."""
        self.cmap = cmap
        self.root = root
        """The map's composed YAML nodes, kept so the editor does not parse the map again."""
        located_path, self._essay_display = essay_location(map_path, cmap.essay.path)
        self.essay_path = essay_path or located_path
        self._essay = essay
        self._essay_outside = essay_outside
        self._max_bytes = max_bytes
        self._anchorer: Anchorer | None = None
        self._one: dict[int, LocatedClaim] = {}

    # -- the essay, read on first use ---------------------------------------------------------

    @property
    def essay(self) -> Essay:
        """The essay, read (and checked to be inside the map's folder) the first time a command
        needs it: commands about sources alone never read it."""
        if self._essay is None:
            self._essay = self._read_essay()
        return self._essay

    def _read_essay(self) -> Essay:
        essay, _ = open_essay(self.map_path, self.cmap, essay_outside=self._essay_outside,
                              max_bytes=self._max_bytes)
        return essay

    # -- where claims stand -----------------------------------------------------------------

    @property
    def anchorer(self) -> Anchorer:
        from refmap.essay.anchoring import Anchorer

        if self._anchorer is None:
            self._anchorer = Anchorer(self.essay)
        return self._anchorer

    @cached_property
    def located(self) -> tuple[LocatedClaim, ...]:
        """Every claim with its anchor, in the map's order (computed once)."""
        return tuple(self._one.get(i) or LocatedClaim(i, c, self.anchorer.anchor(c))
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
        for order, claim in enumerate(self.cmap.claims):
            if claim.id == claim_id:
                if "located" in self.__dict__:
                    return self.located[order]
                if order not in self._one:
                    self._one[order] = LocatedClaim(order, claim, self.anchorer.anchor(claim))
                return self._one[order]
        return None

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

    def editor(self) -> MapEditor:
        """The map opened for editing from the bytes (and nodes) this project read."""
        from refmap.mapfile.editor import MapEditor

        editor = MapEditor(self.map_path, data=self.map_bytes, root=self.root)
        if self.cmap.bibliography:
            from refmap.commands.library import read_only_entries

            editor.read_only = read_only_entries(self.cmap)
        return editor

    def inputs(self) -> tuple[Path, ...]:
        """Files no output of this project may overwrite (its linked libraries too)."""
        if not self.cmap.bibliography:
            return self.map_path, self.essay_path
        from refmap.commands.library import library_location

        return (self.map_path, self.essay_path,
                *(library_location(self.map_path, ref.path)[0] for ref in self.cmap.bibliography))


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
    from refmap import fileio

    display = str(map_path)
    map_cap = fileio.MAP_MAX_BYTES if max_bytes is None else max_bytes
    data = yamlio.read_bytes(Path(map_path), display, map_cap)
    text = yamlio.decode_utf8(data, display)
    with yamlio.gc_paused():
        root = yamlio.compose(text, display)
        cmap = build_map(root, display)
    if cmap.bibliography:
        from refmap.commands.library import link_libraries

        cmap = link_libraries(cmap, map_path, outside=essay_outside)
    project = Project(Path(map_path), data, cmap, root=root, essay_outside=essay_outside,
                      max_bytes=max_bytes)
    if with_essay:
        project.essay  # noqa: B018 - read now, so a bad essay stops the load
    return project


load_project = load
"""The earlier name of `load`, kept for library users."""
