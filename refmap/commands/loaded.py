"""A claims map loaded once: the one object every command starts from.

The map's bytes are read once and parsed once: the model (refmap.mapfile.model) and the
byte-preserving editor come from the same composed node tree. The essay is read only when a
command first asks for it (commands about sources alone never read it, and work when it is
missing), the anchorer is built with it, and one claim can be anchored without anchoring the
rest (`cite`, `show`). refmap.project.Project is this object with the whole-essay commands on
top (check, coverage, anchors, uncovered), so a command that edits and one that reports hold the
same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from refmap.errors import UsageError
from refmap.fileio import gc_paused
from refmap.essay.located import LocatedClaim
from refmap.essay.text import essay_location
from refmap.mapfile import yamlio
from refmap.mapfile.model import Claim, ClaimsMap
from refmap.mapfile.schema import build_map
from refmap.values import inert

if TYPE_CHECKING:
    from refmap.essay.anchoring import Anchorer
    from refmap.essay.located import Anchor
    from refmap.essay.text import Essay
    from refmap.mapfile.editor import MapEditor
    from refmap.mapfile.yamlio import Node


class MapFile:
    """A claims map read and parsed once: its bytes, nodes and model; its essay, anchorer and
    editor when first asked for."""

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
        located_path, _ = essay_location(map_path, cmap.essay.path)
        self.essay_path = essay_path or located_path
        self._essay = essay
        self.essay_outside = essay_outside
        self.max_bytes = max_bytes
        self._ids: dict[str, int] = {}
        self._one: dict[int, LocatedClaim] = {}

    @classmethod
    def open(cls, path: str | Path, *, essay_outside: bool = False,
             max_bytes: int | None = None) -> Self:
        """Read, parse and validate the map at path (the essay is read only when asked for).

        max_bytes caps the map (and later the essay); None keeps the default caps,
        fileio.MAP_MAX_BYTES and fileio.ESSAY_MAX_BYTES."""
        from refmap import fileio

        cap = fileio.MAP_MAX_BYTES if max_bytes is None else max_bytes
        data = yamlio.read_bytes(Path(path), str(path), cap)
        return cls.from_bytes(path, data, essay_outside=essay_outside, max_bytes=max_bytes)

    @classmethod
    def from_bytes(cls, path: str | Path, data: bytes, *, essay_outside: bool = False,
                   max_bytes: int | None = None) -> Self:
        """A map whose bytes were already read from path."""
        display = str(path)
        text = yamlio.decode_utf8(data, display)
        with gc_paused():
            root = yamlio.compose(text, display)
            cmap = build_map(root, display)
        if cmap.bibliography:
            from refmap.commands.library import link_libraries

            cmap = link_libraries(cmap, path, outside=essay_outside)
        return cls(Path(path), data, cmap, root=root, essay_outside=essay_outside,
                   max_bytes=max_bytes)

    # -- the essay and where claims stand, on first use -------------------------------------

    @property
    def essay(self) -> Essay:
        """The essay, read (and checked to be inside the map's folder, unless essay_outside)
        the first time a command needs it."""
        if self._essay is None:
            from refmap.essay.text import open_essay

            self._essay, _ = open_essay(self.map_path, self.cmap,
                                        essay_outside=self.essay_outside,
                                        max_bytes=self.max_bytes)
        return self._essay

    @cached_property
    def anchorer(self) -> Anchorer:
        """One anchorer for the essay (its word index is built once, when first used)."""
        from refmap.essay.anchoring import Anchorer

        return Anchorer(self.essay)

    def anchor(self, claim: Claim) -> Anchor:
        """Where one claim stands in the essay (only that claim is anchored)."""
        return self.anchorer.anchor(claim)

    def locate(self, claim_id: str) -> LocatedClaim | None:
        """One claim with its anchor (only that claim is anchored); None if no claim has the
        id."""
        for order, claim in enumerate(self.cmap.claims):
            if claim.id == claim_id:
                if order not in self._one:
                    self._one[order] = LocatedClaim(order, claim, self.anchor(claim))
                return self._one[order]
        return None

    # -- finding things -----------------------------------------------------------------------

    def claim_index(self, claim_id: str) -> int:
        """The place of a claim in the map's list; UsageError with a did-you-mean if unknown."""
        if not self._ids:
            self._ids = {c.id: i for i, c in reversed(list(enumerate(self.cmap.claims)))}
        index = self._ids.get(claim_id)
        if index is None:
            raise UsageError(f"no claim '{claim_id}' in {self.cmap.path}"
                             + hint(claim_id, self._ids))
        return index

    def claim(self, claim_id: str) -> tuple[int, Claim]:
        index = self.claim_index(claim_id)
        return index, self.cmap.claims[index]

    def require_source(self, key: str) -> None:
        """UsageError unless key names a source (or one of its aliases)."""
        if self.cmap.resolve(key) is None:
            raise UsageError(f"no source '{key}' in {self.cmap.path}"
                             + hint(key, self.cmap.sources))

    # -- writing --------------------------------------------------------------------------------

    @cached_property
    def editor(self) -> MapEditor:
        """The map opened for editing from the bytes and nodes read here: edits queue on it
        and it writes them in one validated, atomic write."""
        from refmap.mapfile.editor import MapEditor

        editor = MapEditor(self.map_path, data=self.map_bytes, root=self.root)
        if self.cmap.bibliography:
            from refmap.commands.library import read_only_entries

            editor.read_only = read_only_entries(self.cmap)
        return editor

    def inputs(self) -> tuple[Path, ...]:
        """Files no output of this map may overwrite (its linked libraries too)."""
        if not self.cmap.bibliography:
            return self.map_path, self.essay_path
        from refmap.commands.library import library_location

        return (self.map_path, self.essay_path,
                *(library_location(self.map_path, ref.path)[0] for ref in self.cmap.bibliography))


def hint(value: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" from refmap.suggest, or "" when nothing is close."""
    from refmap.suggest import did_you_mean

    close = did_you_mean(value, choices)
    return f"; did you mean '{inert(close)}'?" if close else ""
