"""What `links --fix`, `verify --fix-accessed` and `archive` change in a map's sources.

Each function records its edits on a MapEditor (refmap.mapfile.editor), which writes them in one
validated, atomic save (or shows them as a diff), and returns one line per source changed.

Every value written here came from outside (a server's redirect, the archive's answer, the
clock), so each passes the rules `refmap check` applies before it is written; one that does
not is left out, and a warning finding at the map entry it would have changed is added to
`left_out` (when given), so the rest is still written and the map still passes `check`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from refmap.net.archiving import ArchiveAction
from refmap.mapfile.editor import MapEditor
from refmap.findings import Finding, Severity
from refmap.net.links import LinkResult, LinkState
from refmap.spans import Span
from refmap.values import control_character, parse_date

if TYPE_CHECKING:
    from refmap.net.capturing import CaptureResult

LEFT_OUT = "value-left-out"
"""The code of the warning for a value from outside that was not written."""
READ_ONLY = "read-only-source"
"""The code of the warning for a change to a linked library's entry, which refmap never
writes: the person makes it in their reference manager."""
MANAGER = "update it in your reference manager"


def _in_library(editor: MapEditor, left_out: list[Finding] | None, key: str,
                change: str) -> bool:
    """Whether key is a linked library's entry; if so, the change is reported, not made."""
    if key not in editor.read_only:
        return False
    if left_out is not None:
        left_out.append(Finding(READ_ONLY, Severity.WARNING,
                                f"source '{key}' is in a linked library: {change} is not "
                                f"written; {MANAGER}", editor.read_only[key], source=key))
    return True


def writable_url(value: str) -> tuple[str | None, str | None]:
    """(the URL in browser form, None), or (None, why it cannot be written)."""
    from refmap.net.urls import UnusableURL, browser_url

    try:
        return browser_url(value), None
    except UnusableURL as problem:
        return None, str(problem)


def writable_date(value: str) -> str | None:
    """Why a date from outside cannot be written (not YYYY[-MM[-DD]] in ASCII digits), or None."""
    if control_character(value) is not None or parse_date(value) is None:
        return "it is not a date YYYY-MM-DD"
    return None


def _leave_out(left_out: list[Finding] | None, source: str, span: Span | None,
               message: str) -> None:
    if left_out is not None:
        left_out.append(Finding(LEFT_OUT, Severity.WARNING, message, span, source=source))


def apply_redirects(editor: MapEditor, results: Iterable[LinkResult],
                    left_out: list[Finding] | None = None) -> list[str]:
    """Replace each permanently redirected url (or archive) by where it moved."""
    from refmap.net.urls import short

    done = []
    for result in results:
        if result.state is LinkState.REDIRECTED and result.new_url:
            target = result.target
            new_url, problem = writable_url(result.new_url)
            if new_url is None:
                _leave_out(left_out, target.source, target.span,
                           f"source '{target.source}': {target.field} moved to "
                           f"{short(result.new_url)}, which is not written: {problem}")
                continue
            if _in_library(editor, left_out, target.source,
                           f"{target.field} moved to {new_url}"):
                continue
            editor.set_source_field(target.source, target.field, new_url)
            done.append(f"{target.source}: {target.field} updated to {new_url!r}")
    return done


def apply_accessed(editor: MapEditor, dates: Mapping[str, str],
                   left_out: list[Finding] | None = None) -> list[str]:
    """Set `accessed` of each source named to its date."""
    done = []
    for key, day in dates.items():
        problem = writable_date(day)
        if problem is not None:
            _leave_out(left_out, key, None, f"source '{key}': accessed {day!r} is not written: "
                                            f"{problem}")
            continue
        if _in_library(editor, left_out, key, f"accessed {day}"):
            continue
        editor.set_source_field(key, "accessed", day)
        done.append(f"{key}: accessed set to {day}")
    return done


def apply_snapshots(editor: MapEditor, actions: Iterable[ArchiveAction],
                    left_out: list[Finding] | None = None) -> list[str]:
    """Write `archive` and `archived` for each source the archive has a copy of."""
    from refmap.net.urls import short

    done = []
    for action in actions:
        if action.snapshot is None:
            continue
        url, problem = writable_url(action.snapshot.url)
        problem = problem or writable_date(action.snapshot.date)
        if url is None or problem is not None:
            _leave_out(left_out, action.source, None,
                       f"source '{action.source}': the archive's copy {short(action.snapshot.url)} "
                       f"is not written: {problem}")
            continue
        if _in_library(editor, left_out, action.source,
                       f"archive {url} (archived {action.snapshot.date})"):
            continue
        editor.set_source_field(action.source, "archive", url)
        editor.set_source_field(action.source, "archived", action.snapshot.date)
        done.append(action.describe())
    return done


def apply_captures(editor: MapEditor, results: Iterable[CaptureResult],
                   left_out: list[Finding] | None = None) -> list[str]:
    """Write `captured` for each source whose page was kept with new content."""
    done = []
    for result in results:
        stamp = result.stamp
        if stamp is not None and stamp != result.target.previous:
            if _in_library(editor, left_out, result.target.source, f"captured {stamp.value}"):
                continue
            editor.set_source_field(result.target.source, "captured", stamp.value)
            done.append(result.describe())
    return done
