"""bibtexparser's split of a .bib text, a large one in two processes at once.

bibtexparser's splitter is pure Python and the largest single cost of importing a large
library. Its state at an ``@`` that starts a line after a block ended cleanly is the state it
starts a file in: nothing before that point is looked at again, and nothing after it was
looked at before. So a text cut there splits into the blocks of its two parts, with the second
part's line numbers shifted by the lines of the first. On a machine where processes fork
cheaply, a text of `PARALLEL_MIN_CHARS` or more is cut at the first such ``@`` past
`FIRST_PART` of it: a forked child splits the second part while this process splits the first,
and sends its blocks back as their attributes (marshal), from which bibtexparser's own blocks
are made again here, as pickle would make them.

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
from typing import Any

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

FIRST_PART = 0.52
"""Where the cut is looked for: the child also packs its blocks (about a tenth of its split),
so with a little more than half of the text here both finish at about the same time (by
callgrind's counts for the benchmark's library)."""

_CUT = re.compile(r"\n@[\w]*[ \t]*[{(]")
"""A line that starts a block, as the splitter's block-start mark reads one."""

_ENTRY = 0
Packed = tuple[Any, ...]
"""(kind, attributes) or, for an entry, (kind, attributes, its fields' attributes): as marshal
gives them back, checked by use."""


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
        _child(text, cut, read_end, write_end)
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
    first.add(unpack(packed), fail_on_duplicate_key=False)
    return first


def _child(text: str, cut: int, read_end: int, write_end: int) -> None:  # pragma: no cover
    """In the fork: split the second part, write its blocks to the pipe and end without
    running anything the parent set to run at exit (its unflushed output is the parent's to
    write)."""
    status = 1
    try:
        os.close(read_end)
        packed = pack(Splitter(text[cut:]).split(), text.count("\n", 0, cut))
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


_KINDS: tuple[type[Block], ...] = (Entry, String, Preamble, ExplicitComment, ImplicitComment)
_TAG = {kind: tag for tag, kind in enumerate(_KINDS)}


def _line_attribute(made: object) -> str | None:
    """The attribute in which an object made with line 123456789 keeps it (bibtexparser's
    blocks and fields are made here through their constructors to find out, so that a
    renamed attribute means no parallel split rather than wrong line numbers)."""
    names = [name for name, value in vars(made).items() if value == 123456789]
    return names[0] if len(names) == 1 else None


def _fields_attribute() -> str | None:
    """The attribute in which an entry keeps its list of fields."""
    fields: list[Field] = []
    names = [name for name, value in vars(Entry("probe", "probe", fields)).items()
             if value is fields]
    return names[0] if len(names) == 1 else None


_BLOCK_LINE = _line_attribute(ImplicitComment("probe", 123456789, "probe"))
_FIELD_LINE = _line_attribute(Field("probe", "probe", 123456789))
_ENTRY_FIELDS = _fields_attribute()


def pack(library: Library, offset: int) -> list[Packed] | None:
    """A part's blocks as (kind, attributes) and an entry's fields as their attributes, in
    order, their line numbers `offset` lines further down (where the part stands in the whole
    text): each object's state as pickle copies it, in types marshal writes (where a value is
    of another type, marshal refuses it and the parent splits the text alone). None where a
    block failed to parse or is of a kind not carried, or where the line attributes are not
    known."""
    if _BLOCK_LINE is None or _FIELD_LINE is None or _ENTRY_FIELDS is None:
        return None
    block_line, field_line, entry_fields = _BLOCK_LINE, _FIELD_LINE, _ENTRY_FIELDS
    packed: list[Packed] = []
    for block in library.blocks:
        block = _plain(block)
        tag = _TAG.get(type(block))
        if tag is None:  # a failed block, or a kind this does not know
            return None
        state = vars(block)  # the child's own copy, changed in place
        state[block_line] += offset
        if tag == _ENTRY:
            assert isinstance(block, Entry)
            fields = [vars(f) for f in block.fields]
            for attributes in fields:
                attributes[field_line] += offset
            packed.append((tag, {**state, entry_fields: None}, fields))
        else:
            packed.append((tag, state))
    return packed


def unpack(packed: list[Packed]) -> list[Block]:
    """The blocks `pack` wrote, made again from their attributes (as pickle makes them)."""
    blocks: list[Block] = []
    new = object.__new__
    for item in packed:
        kind = _KINDS[item[0]]
        block = new(kind)
        block.__dict__ = state = item[1]
        if kind is Entry:
            fields = []
            for attributes in item[2]:
                field = new(Field)
                field.__dict__ = attributes
                fields.append(field)
            state[_ENTRY_FIELDS] = fields
        blocks.append(block)
    return blocks
