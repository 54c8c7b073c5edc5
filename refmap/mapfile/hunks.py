"""A unified diff of a map's text made from the splices the editor applied to it.

difflib compares the two texts line by line, which on a 10,000-claim map (tens of thousands of
near-identical lines: `kind: figure`, blank separators) costs more than the edit itself and may
align a removed claim with its neighbour's lines. The editor knows exactly which bytes it
changed, so the hunks come from its splices: each splice widened to whole lines, splices that
share a line merged, lines equal on both sides moved out to the context. Output matches
difflib.unified_diff's format (three lines of context, `@@ -a,b +c,d @@` headers).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import NamedTuple


NO_NEWLINE = "\n\\ No newline at end of file\n"
"""How a unified diff marks a last line that has no line break (as diff and git write it)."""


class Change(NamedTuple):
    """Old lines [start, end) replaced by new lines."""

    start: int
    end: int
    new: list[str]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def changes(text: str, pieces: Iterable[tuple[int, int, str]]) -> list[Change]:
    """Line changes from non-overlapping (start, end, new) replacements in ascending order."""
    starts = _line_starts(text)
    groups: list[list[tuple[int, int, str]]] = []
    last_line = -1
    for piece in pieces:
        first = bisect.bisect_right(starts, piece[0]) - 1
        last = bisect.bisect_right(starts, max(piece[1] - 1, piece[0])) - 1
        if groups and first <= last_line:
            groups[-1].append(piece)
            last_line = max(last_line, last)
        else:
            groups.append([piece])
            last_line = last
    found = []
    old_lines = text.splitlines(keepends=True)
    for group in groups:
        first = bisect.bisect_right(starts, group[0][0]) - 1
        end = max(max(p[1] for p in group) - 1, group[-1][0])
        last = bisect.bisect_right(starts, end) - 1
        stop = starts[last + 1] if last + 1 < len(starts) else len(text)
        pos, parts = starts[first], []
        for a, b, new in group:
            parts += [text[pos:a], new]
            pos = b
        parts.append(text[pos:stop])
        found.append(_trimmed(first, old_lines[first:last + 1], "".join(parts)))
    return [c for c in found if c is not None]


def _trimmed(first: int, old: list[str], new_text: str) -> Change | None:
    """The change with the lines equal on both sides at its edges left out."""
    new = new_text.splitlines(keepends=True)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if head == len(old) == len(new):
        return None
    return Change(first + head, first + len(old) - tail, new[head:len(new) - tail])


def _range(start: int, length: int) -> str:
    """difflib's way of writing a hunk's line range."""
    beginning = start + 1
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def unified(old_lines: Sequence[str], found: list[Change], fromfile: str, tofile: str,
            context: int = 3) -> str:
    """The changes as a unified diff of old_lines (lines with their endings)."""
    if not found:
        return ""
    out = [f"--- {fromfile}\n", f"+++ {tofile}\n"]
    hunks: list[list[Change]] = []
    for change in found:
        if hunks and change.start - hunks[-1][-1].end <= 2 * context:
            hunks[-1].append(change)
        else:
            hunks.append([change])
    done_delta = 0
    for hunk in hunks:
        lo = max(0, hunk[0].start - context)
        hi = min(len(old_lines), hunk[-1].end + context)
        body: list[str] = []
        pos = lo
        added = 0
        for change in hunk:
            body += [" " + line for line in old_lines[pos:change.start]]
            body += ["-" + line for line in old_lines[change.start:change.end]]
            body += ["+" + line for line in change.new]
            added += len(change.new) - (change.end - change.start)
            pos = change.end
        body += [" " + line for line in old_lines[pos:hi]]
        out.append(f"@@ -{_range(lo, hi - lo)} +{_range(lo + done_delta, hi - lo + added)} @@\n")
        out += [line if line.endswith("\n") else line + NO_NEWLINE for line in body]
        done_delta += added
    return "".join(out)
