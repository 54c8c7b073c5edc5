"""What the editing commands share: a map opened once for reading and editing, and edit plans.

An editing command reads only what it needs: the map's bytes, parsed once (the model and the
byte-preserving editor come from the same node tree), the essay only when a quote is involved,
and at most the one claim's anchor. Each returns an EditPlan: the edits queued on the map's
editor and one line per change, which the caller shows as a diff (`--dry-run`) or saves in one
validated, atomic write. Bad input (an unknown id or key, a value holding a control
character) is a UsageError with a did-you-mean and a position where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.mapfile import yamlio
from refmap.mapfile.editor import MapEditor
from refmap.errors import UsageError
from refmap.mapfile.model import Claim, ClaimsMap
from refmap.mapfile.schema import build_map
from refmap.values import control_character, inert

if TYPE_CHECKING:
    from refmap.essay.anchoring import Anchorer
    from refmap.essay.text import Essay
    from refmap.essay.located import Anchor


@dataclass
class MapFile:
    """A claims map read and parsed once: its model, its editor and, on demand, its essay."""

    path: Path
    data: bytes
    cmap: ClaimsMap
    editor: MapEditor
    essay_outside: bool = False
    max_bytes: int | None = None
    _ids: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, path: str | Path, *, essay_outside: bool = False,
             max_bytes: int | None = None) -> MapFile:
        """Read, parse and validate the map at path (the essay is read only if asked for)."""
        from refmap import fileio

        display = str(path)
        cap = fileio.MAP_MAX_BYTES if max_bytes is None else max_bytes
        data = yamlio.read_bytes(Path(path), display, cap)
        return cls.from_bytes(path, data, essay_outside=essay_outside, max_bytes=max_bytes)

    @classmethod
    def from_bytes(cls, path: str | Path, data: bytes, *, essay_outside: bool = False,
                   max_bytes: int | None = None) -> MapFile:
        """A map whose bytes were already read from path."""
        display = str(path)
        text = yamlio.decode_utf8(data, display)
        with yamlio.gc_paused():
            root = yamlio.compose(text, display)
            cmap = build_map(root, display)
        editor = MapEditor.from_composed(path, data, text, root)
        if cmap.bibliography:
            from refmap.commands.library import link_libraries, read_only_entries

            cmap = link_libraries(cmap, path, outside=essay_outside)
            editor.read_only = read_only_entries(cmap)
        return cls(Path(path), data, cmap, editor, essay_outside, max_bytes)

    @cached_property
    def essay(self) -> Essay:
        """The essay the map names (read once, when a command needs it)."""
        from refmap.essay.text import open_essay

        essay, _ = open_essay(self.path, self.cmap, essay_outside=self.essay_outside,
                              max_bytes=self.max_bytes)
        return essay

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

    @cached_property
    def anchorer(self) -> Anchorer:
        """One anchorer for the essay (its word index is built once, when first used)."""
        from refmap.essay.anchoring import Anchorer

        return Anchorer(self.essay)

    def anchor(self, claim: Claim) -> Anchor:
        """Where one claim stands in the essay (only that claim is anchored)."""
        return self.anchorer.anchor(claim)

    def plan(self, done: Iterable[str]) -> EditPlan:
        return EditPlan(self.editor, tuple(done))


@dataclass(frozen=True)
class EditPlan:
    """Edits queued on a map's editor, and one line per change for the person."""

    editor: MapEditor
    done: tuple[str, ...]

    def diff(self) -> str:
        """The unified diff of the map (validated first: an edit that breaks the map fails)."""
        return self.editor.diff()

    def save(self) -> bool:
        """Write the edits in one validated, atomic write; False when nothing changed."""
        return self.editor.save()


def hint(value: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" from refmap.suggest, or "" when nothing is close."""
    from refmap.suggest import did_you_mean

    close = did_you_mean(value, choices)
    return f"; did you mean '{inert(close)}'?" if close else ""


def plain_value(option: str, value: str) -> str:
    """A value typed on the command line, refused when it holds a control character."""
    bad = control_character(value)
    if bad is not None:
        raise UsageError(f"{option}: the value holds a control character "
                         f"({inert(value[bad])}); remove it")
    return value
