"""What `links --fix`, `verify --fix-accessed` and `archive` change in a map's sources.

Each function records its edits on a MapEditor (refmap.edit), which writes them in one
validated, atomic save (or shows them as a diff), and returns one line per source changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from refmap.archiving import ArchiveAction
from refmap.edit import MapEditor
from refmap.net.links import LinkResult, LinkState

if TYPE_CHECKING:
    from refmap.net.capturing import CaptureResult


def apply_redirects(editor: MapEditor, results: Iterable[LinkResult]) -> list[str]:
    """Replace each permanently redirected url (or archive) by where it moved."""
    done = []
    for result in results:
        if result.state is LinkState.REDIRECTED and result.new_url:
            target = result.target
            editor.set_source_field(target.source, target.field, result.new_url)
            done.append(f"{target.source}: {target.field} updated to {result.new_url!r}")
    return done


def apply_accessed(editor: MapEditor, dates: Mapping[str, str]) -> list[str]:
    """Set `accessed` of each source named to its date."""
    done = []
    for key, day in dates.items():
        editor.set_source_field(key, "accessed", day)
        done.append(f"{key}: accessed set to {day}")
    return done


def apply_snapshots(editor: MapEditor, actions: Iterable[ArchiveAction]) -> list[str]:
    """Write `archive` and `archived` for each source the archive has a copy of."""
    done = []
    for action in actions:
        if action.snapshot is not None:
            editor.set_source_field(action.source, "archive", action.snapshot.url)
            editor.set_source_field(action.source, "archived", action.snapshot.date)
            done.append(action.describe())
    return done


def apply_captures(editor: MapEditor, results: Iterable[CaptureResult]) -> list[str]:
    """Write `captured` for each source whose page was kept with new content."""
    done = []
    for result in results:
        stamp = result.stamp
        if stamp is not None and stamp != result.target.previous:
            editor.set_source_field(result.target.source, "captured", stamp.value)
            done.append(result.describe())
    return done
