"""The editor's diff is made from its splices: applied as a patch, it gives the edited text."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from refmap.mapfile.hunks import changes, unified

HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n")


def apply(old: str, diff: str) -> str:
    """Apply a unified diff to old, checking every context and removed line."""
    lines = old.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    body = diff.splitlines(keepends=True)[2:]
    i = 0
    while i < len(body):
        m = HEADER.fullmatch(body[i])
        assert m, body[i]
        start, length = int(m.group(1)), int(m.group(2) or 1)
        first = start - 1 if length else start
        out += lines[pos:first]
        pos = first
        i += 1
        while i < len(body) and not body[i].startswith("@@"):
            mark, text = body[i][0], body[i][1:]
            if i + 1 < len(body) and body[i + 1].startswith("\\ No newline"):
                text = text[:-1]
                del body[i + 1]
            if mark in " -":
                assert lines[pos] == text
                if mark == " ":
                    out.append(lines[pos])
                pos += 1
            else:
                out.append(text)
            i += 1
    out += lines[pos:]
    return "".join(out)


def edited(old: str, pieces: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for start, end, new in pieces:
        parts += [old[pos:start], new]
        pos = end
    return "".join(parts + [old[pos:]])


LINE = st.text(alphabet="ab :-", max_size=6).map(lambda s: s + "\n")


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    old = "".join(draw(st.lists(LINE, min_size=1, max_size=30)))
    cuts = sorted(draw(st.lists(st.integers(0, len(old)), max_size=8)))
    pieces = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        pieces.append((a, b, draw(st.text(alphabet="ab\n", max_size=8))))
    return old, pieces


@given(edits())
@example(("a\nb\nc\n", [(2, 2, "x\n"), (2, 4, "")]))
@example(("a\n", [(1, 1, "b\n")]))
@example((":\n", [(1, 2, "")]))
def test_the_diff_applied_to_the_old_text_gives_the_new(case) -> None:
    old, pieces = case
    new = edited(old, pieces)
    diff = unified(old.splitlines(keepends=True), changes(old, pieces), "a/m", "b/m")
    assert apply(old, diff) == new
    assert (diff == "") == (old == new)


def test_a_one_line_change_in_the_middle() -> None:
    old = "".join(f"line {i}\n" for i in range(10))
    start = old.index("line 5")
    diff = unified(old.splitlines(keepends=True), changes(old, [(start, start + 6, "five")]),
                   "a/m", "b/m")
    assert diff == ("--- a/m\n+++ b/m\n@@ -3,7 +3,7 @@\n line 2\n line 3\n line 4\n-line 5\n"
                    "+five\n line 6\n line 7\n line 8\n")
