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
from dataclasses import dataclass

from refmap.commands.loaded import MapFile, hint
from refmap.errors import UsageError
from refmap.mapfile.editor import MapEditor
from refmap.values import control_character, inert

__all__ = ["EditPlan", "MapFile", "hint", "plain_value", "plan"]


def plan(mf: MapFile, done: Iterable[str]) -> EditPlan:
    """The edits queued on mf's editor, with the lines that say what they do."""
    return EditPlan(mf.editor, tuple(done))


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


def plain_value(option: str, value: str) -> str:
    """A value typed on the command line, refused when it holds a control character."""
    bad = control_character(value)
    if bad is not None:
        raise UsageError(f"{option}: the value holds a control character "
                         f"({inert(value[bad])}); remove it")
    return value
