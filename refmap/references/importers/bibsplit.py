"""bibtexparser's split of a .bib text, a large one in two processes at once.

bibtexparser's splitter is pure Python and the largest single cost of importing a large
library. Its state at an ``@`` that starts a line after a block ended cleanly is the state it
starts a file in: nothing before that point is looked at again, and nothing after it was
looked at before. So a text cut there splits into the blocks of its two parts, with the second
part's line numbers shifted by the lines of the first. On a machine where processes fork
cheaply, a text of `PARALLEL_MIN_CHARS` or more is cut at the first such ``@`` after its
middle: a forked child splits the second part while this process splits the first, and sends
its blocks back as plain tuples (marshal), which become bibtexparser's own blocks again here.

The result must be the sequential split's, block for block. Where anything could make it
differ, the text is split again in one piece, as bibtexparser alone would: a part with a block
that did not parse (whose error positions are the part's own), a block of a kind the
transfer does not carry, a child that failed or sent less than it should, another thread in
this process (forking a threaded process is unsafe), or no fork at all (Windows; macOS, where
forking a process that uses system frameworks is unsafe). tests/references/test_bibsplit.py
compares the two splits, attribute by attribute, on generated texts cut everywhere.
"""

from __future__ import annotations

import marshal
import os
import re
import sys

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    Entry,
    ExplicitComment,
    Field,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)
from bibtexparser.splitter import Splitter

PARALLEL_MIN_CHARS = 512 * 1024
"""Below this, forking and carrying the blocks back costs about what the second process saves."""

FIRST_PART = 0.55
"""Where the cut is looked for. The child also packs its blocks, and this process rebuilds
them after its own split: with a little more than half of the text here, both finish their
splits at about the same time."""

_CUT = re.compile(r"\n@[\w]*[ \t]*[{(]")
"""A line that starts a block, as the splitter's block-start mark reads one."""

_ENTRY, _STRING, _PREAMBLE, _EXPLICIT, _IMPLICIT = range(5)
Packed = tuple[object, ...]


def split_bibtex(text: str) -> Library:
    """The library bibtexparser's `parse_string(text, parse_stack=[])` gives."""
    if len(text) >= PARALLEL_MIN_CHARS and _can_fork():
        library = _split_in_two(text)
        if library is not None:
            return library
    return parse_string(text, parse_stack=[])


def _can_fork() -> bool:
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    import threading

    return threading.active_count() == 1


def cut_point(text: str, start: int) -> int | None:
    """The index of the first ``@`` at or after `start` that starts a line and a block, or
    None."""
    m = _CUT.search(text, max(start - 1, 0))
    return m.start() + 1 if m else None


def _split_in_two(text: str) -> Library | None:
    cut = cut_point(text, int(len(text) * FIRST_PART))
    if cut is None:
        return None
    return split_at(text, cut)


def split_at(text: str, cut: int) -> Library | None:
    """The text's blocks, the part from `cut` split by a forked child; None where the result
    could differ from the sequential split's (the caller splits the text in one piece)."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child: coverage does not follow a fork
        _child(text[cut:], read_end, write_end)
    os.close(write_end)
    try:
        first = Splitter(text[:cut]).split()
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1
            data = pipe.read()
    finally:
        if read_end != -1:
            os.close(read_end)
        _reap(pid)
    try:
        packed = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None  # the child died before it wrote everything
    if not isinstance(packed, list) or not _clean(first):
        return None
    # added as the splitter adds each block: a key the first part used is marked repeated
    first.add(unpack(packed, text.count("\n", 0, cut)), fail_on_duplicate_key=False)
    return first


def _child(part: str, read_end: int, write_end: int) -> None:  # pragma: no cover - in a fork
    """Split the second part, write its blocks to the pipe and end without running anything
    the parent set to run at exit (its unflushed output is the parent's to write)."""
    status = 1
    try:
        os.close(read_end)
        packed = pack(Splitter(part).split())
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(marshal.dumps(packed))
        status = 0
    finally:
        os._exit(status)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _clean(library: Library) -> bool:
    """No block of the part failed to parse (a repeated key is no failure of the split: the
    whole library sees it again)."""
    return all(isinstance(b, DuplicateBlockKeyBlock) for b in library.failed_blocks)


def _plain(block: Block) -> Block:
    """The block the splitter made: a key the child's part repeats is marked again when its
    blocks join the first part's."""
    if isinstance(block, DuplicateBlockKeyBlock) and block.ignore_error_block is not None:
        return block.ignore_error_block
    return block


def pack(library: Library) -> list[Packed] | None:
    """A part's blocks as tuples of text and numbers, in order; None where a block failed to
    parse or is of a kind not carried. (What the splitter sets on a block and its fields is
    carried whole: tests/references/test_bibsplit.py compares every attribute, so that a
    bibtexparser that sets more fails there.)"""
    packed: list[Packed] = []
    for block in library.blocks:
        block = _plain(block)
        kind = type(block)
        head = (block.start_line, block.raw)
        if kind is Entry:  # the splitter's fields hold text and no enclosing demand
            assert isinstance(block, Entry)
            packed.append((_ENTRY, *head, block.entry_type, block.key,
                           [(f.key, f.value, f.start_line) for f in block.fields]))
        elif kind is String:
            assert isinstance(block, String)
            packed.append((_STRING, *head, block.key, block.value))
        elif kind is Preamble:
            assert isinstance(block, Preamble)
            packed.append((_PREAMBLE, *head, block.value))
        elif kind is ExplicitComment:
            assert isinstance(block, ExplicitComment)
            packed.append((_EXPLICIT, *head, block.comment))
        elif kind is ImplicitComment:
            assert isinstance(block, ImplicitComment)
            packed.append((_IMPLICIT, *head, block.comment))
        else:  # a failed block, or a kind this does not know
            return None
        if block.parser_metadata:
            return None
    return packed


def unpack(packed: list[Packed], offset: int) -> list[Block]:
    """The blocks `pack` made tuples of, their line numbers `offset` lines further down."""
    blocks: list[Block] = []
    for item in packed:
        kind, line, raw = item[0], item[1], item[2]
        start = None if line is None else line + offset  # type: ignore[operator]
        if kind == _ENTRY:
            fields = [Field(key, value, None if at is None else at + offset)
                      for key, value, at in item[5]]  # type: ignore[attr-defined]
            blocks.append(Entry(item[3], item[4], fields, start, raw))  # type: ignore[arg-type]
        elif kind == _STRING:
            blocks.append(String(item[3], item[4], start, raw))  # type: ignore[arg-type]
        elif kind == _PREAMBLE:
            blocks.append(Preamble(item[3], start, raw))  # type: ignore[arg-type]
        elif kind == _EXPLICIT:
            blocks.append(ExplicitComment(item[3], start, raw))  # type: ignore[arg-type]
        else:
            blocks.append(ImplicitComment(item[3], start, raw))  # type: ignore[arg-type]
    return blocks
