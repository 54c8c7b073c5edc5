"""The text model's map back to the file as written, and line indexes that know CR and CRLF.

A reader builds the plain text claims are matched against piece by piece. Each piece is either
copied from the source (its offsets advance together with the source's) or stands for a stretch
of source of another length (an entity, an escape, a line break, a paragraph break): such a
piece maps every offset in it to the stretch's start, and its end to the stretch's end.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable
from typing import Any, NamedTuple


def line_starts(source: str) -> tuple[int, ...]:
    """Offsets where each line starts; CRLF, lone CR and LF each end a line. (Counted from the
    lines' lengths, at C speed: a file of a few hundred thousand empty lines is a file of a
    few hundred thousand line starts.)"""
    lines = same_length_lf(source).split("\n")
    return (0, *map(operator.add, itertools.accumulate(map(len, lines[:-1])), range(1, len(lines))))


def same_length_lf(source: str) -> str:
    """The source with every line break a newline and offsets kept (CRLF: space + newline).

    Parsers that count lines by LF only then report offsets that are true in the source.
    """
    if "\r" not in source:
        return source
    return source.replace("\r\n", " \n").replace("\r", "\n")


def _interleave(first: list[Any], second: list[Any]) -> list[Any]:
    """first[0], second[0], first[1], second[1]... (the two of the same length)."""
    both: list[Any] = [None] * (2 * len(first))
    both[0::2], both[1::2] = first, second
    return both


class OffsetMap(NamedTuple):
    """Where each offset of a reader's text stands in the source (build it with TextBuilder)."""

    text_starts: tuple[int, ...]
    """Start of each piece in the text, ascending."""
    source_starts: tuple[int, ...]
    """Start of each piece in the source."""
    source_ends: tuple[int, ...]
    """End (exclusive) of each piece in the source."""
    copied: tuple[bool, ...]
    """Whether the piece is the source's own characters (offsets advance one for one)."""

    def _piece(self, pos: int) -> int:
        return max(bisect.bisect_right(self.text_starts, pos) - 1, 0)

    def to_source(self, pos: int) -> int:
        """Source offset of a text (start) offset."""
        if not self.text_starts:
            return 0
        i = self._piece(pos)
        if self.copied[i]:
            return min(self.source_starts[i] + pos - self.text_starts[i], self.source_ends[i])
        return self.source_starts[i]

    def end_to_source(self, end: int) -> int:
        """Source offset of a text (exclusive) end offset."""
        if not self.text_starts or end <= 0:
            return 0 if not self.text_starts else self.source_starts[0]
        i = self._piece(end - 1)
        if self.copied[i]:
            return min(self.source_starts[i] + end - self.text_starts[i], self.source_ends[i])
        return self.source_ends[i]


class TextBuilder:
    """Collects a reader's text with its offset map, merging pieces that continue each other.

    Spaces and paragraph breaks are added through space() and paragraph_break(), which keep the
    text tidy: no space at a paragraph's start or end, no run of spaces, one newline between
    paragraphs.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.text_starts: list[int] = []
        self.source_starts: list[int] = []
        self.source_ends: list[int] = []
        self.copied: list[bool] = []
        self.pending_space: tuple[int, int] | None = None

    def copy(self, text: str, source_start: int) -> None:
        """Add text that stands in the source as written, starting at source_start."""
        if not text:
            return
        self._flush_space()
        if self.copied and self.copied[-1] and self.source_ends[-1] == source_start:
            self.source_ends[-1] += len(text)
        else:
            self._add(source_start, source_start + len(text), True)
        self.parts.append(text)
        self.length += len(text)

    def stand_in(self, text: str, source_start: int, source_end: int) -> None:
        """Add text that replaces source[source_start:source_end] (an entity, an escape)."""
        if not text:
            return
        self._flush_space()
        self._add(source_start, source_end, False)
        self.parts.append(text)
        self.length += len(text)

    def copy_apart(self, texts: list[str], sources: list[int]) -> None:
        """copy(texts[i], sources[i]) for each i in turn, built list by list where none is
        empty and each starts past where the one before it ends in the source (so none
        continues the piece before it: one piece each, after the first)."""
        if not texts:
            return
        self.copy(texts[0], sources[0])
        rest, rest_sources = texts[1:], sources[1:]
        if not rest:
            return
        lengths = list(map(len, rest))
        ends = list(map(operator.add, sources, [len(texts[0]), *lengths[:-1]]))
        if not (texts[0] and all(lengths) and all(map(operator.gt, rest_sources, ends))):
            for text, source_start in zip(rest, rest_sources):
                self.copy(text, source_start)
            return
        self.text_starts += itertools.accumulate(lengths[:-1], initial=self.length)
        self.source_starts += rest_sources
        self.source_ends += map(operator.add, rest_sources, lengths)
        self.copied += [True] * len(rest)
        self.parts += rest
        self.length += sum(lengths)

    def copy_replacing(self, text: str, source_start: int,
                       replaced: Iterable[tuple[int, int, str]]) -> None:
        """Add text written at source_start, but for the stretches text[start:end] that
        stand for a replacement (start, end, replacement), in order and apart: the same
        pieces as copy() and stand_in() called in turn for each (a run of escapes is one call
        here, not two per escape)."""
        last = 0
        parts, text_starts, source_starts = self.parts, self.text_starts, self.source_starts
        source_ends, copied = self.source_ends, self.copied
        after_stand_in = False
        for start, end, replacement in replaced:
            if not (after_stand_in and replacement):  # the long way: copy() may merge
                if start > last:
                    self.copy(text[last:start], source_start + last)
                self.stand_in(replacement, source_start + start, source_start + end)
                last, after_stand_in = end, bool(replacement)
                continue
            if start > last:  # after a stand-in: a piece of its own
                text_starts.append(self.length)
                source_starts.append(source_start + last)
                source_ends.append(source_start + start)
                copied.append(True)
                parts.append(text[last:start])
                self.length += start - last
            text_starts.append(self.length)
            source_starts.append(source_start + start)
            source_ends.append(source_start + end)
            copied.append(False)
            parts.append(replacement)
            self.length += len(replacement)
            last = end
        self.copy(text[last:], source_start + last)

    def copy_lines(self, texts: list[str], text_sources: list[int], joint_starts: list[int],
                   joint_ends: list[int]) -> None:
        """Copy texts[i] from text_sources[i], with a space standing for
        source[joint_starts[i]:joint_ends[i]] between texts[i] and texts[i + 1]: the pieces
        of copy(), space(), copy()... called in turn, built list by list where each text is
        a line's words (none empty, none ending in a space), as in a paragraph of many lines."""
        if not texts:
            return
        self.copy(texts[0], text_sources[0])
        if not all(texts) or any(text[-1] in " \n" for text in texts[:-1]):
            for text, source_start, start, end in zip(texts[1:], text_sources[1:], joint_starts,
                                                      joint_ends):
                self.space(start, end)
                self.copy(text, source_start)
            return
        # After a copy of words, each space is written before the next copy, as a piece of its
        # own, and that copy never continues a piece: two pieces per line.
        rest = texts[1:]
        lengths = list(map(len, rest))
        space_at = list(map(operator.add, itertools.accumulate(lengths, initial=0),
                            range(self.length, self.length + len(rest))))
        self.text_starts += _interleave(space_at, [at + 1 for at in space_at])
        self.source_starts += _interleave(joint_starts, text_sources[1:])
        self.source_ends += _interleave(joint_ends, list(map(operator.add, text_sources[1:], lengths)))
        self.copied += [False, True] * len(rest)
        self.parts += _interleave([" "] * len(rest), rest)
        self.length += len(rest) + sum(lengths)

    def paragraphs(self, source: str, starts: list[int], ends: list[int],
                   last_lines: list[int] | None = None) -> list[int]:
        """Add the lines source[starts[i]:ends[i]] (none empty, none starting or ending with
        whitespace) as paragraphs: those at last_lines (ascending, the last line among them;
        None: every line) end one, the others are followed by a space standing for the line
        break after them. The pieces of copy(), space() and paragraph_break(ends[i]) called
        in turn, built list by list. Returns where each line starts in the text (for the
        first, the text's length before it, as for any block: a pending space comes first)."""
        if not starts:
            return []
        if self.pending_space is not None or (self.copied and self.copied[-1]):
            # The long way for the first line: copy() may merge or flush.
            first = self.length
            self.copy(source[starts[0]:ends[0]], starts[0])
            if last_lines is None or last_lines[0] == 0:
                self.paragraph_break(ends[0])
                rest = None if last_lines is None else [k - 1 for k in last_lines[1:]]
            else:
                self.space(ends[0], starts[1])
                self._flush_space()
                rest = [k - 1 for k in last_lines]
            return [first, *self.paragraphs(source, starts[1:], ends[1:], rest)]
        # Each copy follows a paragraph break, a space (or nothing): a piece of its own, then
        # its break or space.
        lengths = list(map(operator.sub, ends, starts))
        text_starts = list(itertools.accumulate(map(operator.add, lengths[:-1], itertools.repeat(1)),
                                                initial=self.length))
        if last_lines is None:
            separators, after = ["\n"] * len(starts), ends
        else:
            separators, after = [" "] * len(starts), [*starts[1:], 0]
            for k in last_lines:
                separators[k] = "\n"
                after[k] = ends[k]
        self.text_starts += _interleave(text_starts, list(map(operator.add, text_starts, lengths)))
        self.source_starts += _interleave(starts, ends)
        self.source_ends += _interleave(ends, after)
        self.copied += [True, False] * len(starts)
        self.parts.append("".join(_interleave(list(map(source.__getitem__, map(slice, starts, ends))),
                                              separators)))
        self.length += sum(lengths) + len(starts)
        return text_starts

    def space(self, source_start: int, source_end: int) -> None:
        """A word break (whitespace, a line break) standing for source[source_start:source_end]."""
        if self.pending_space is None and self.parts and self.parts[-1][-1] not in " \n":
            self.pending_space = (source_start, source_end)

    def drop_space(self) -> None:
        """Forget a space not yet written (before a citation or note marker left out)."""
        self.pending_space = None

    def paragraph_break(self, source_at: int) -> None:
        """End the current paragraph (nothing happens between paragraphs)."""
        self.pending_space = None
        if self.parts and self.parts[-1][-1] != "\n":
            self._add(source_at, source_at, False)
            self.parts.append("\n")
            self.length += 1

    def _flush_space(self) -> None:
        if self.pending_space is not None:
            start, end = self.pending_space
            self.pending_space = None
            self._add(start, end, False)
            self.parts.append(" ")
            self.length += 1

    def _add(self, source_start: int, source_end: int, copied: bool) -> None:
        self.text_starts.append(self.length)
        self.source_starts.append(source_start)
        self.source_ends.append(source_end)
        self.copied.append(copied)

    def build(self) -> tuple[str, OffsetMap]:
        """The text (without a final paragraph break) and its offset map."""
        text = "".join(self.parts)
        if text.endswith("\n"):
            text = text[:-1]
            for column in (self.text_starts, self.source_starts, self.source_ends, self.copied):
                column.pop()
        return text, OffsetMap(
            tuple(self.text_starts), tuple(self.source_starts), tuple(self.source_ends),
            tuple(self.copied),
        )
