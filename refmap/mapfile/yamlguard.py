"""Guards around composing YAML: inputs that would crash the C composer, and reader errors
turned into positioned messages.

libyaml's parser is iterative, but PyYAML's C composer builds the node tree by recursion on
the C stack: a map nested some tens of thousands of levels deep (`[[[[...`, or `- - - ...`)
kills the process with a segmentation fault, which no exception handler can catch. A claims
map is at most six levels deep, so a document nested more than MAX_NESTING levels is refused
before it is composed. Counting the depth takes a pass over the parser's events (about a
third of the composing time), so it runs only when a cheap bound on the text says that such
depth is possible at all.
"""

from __future__ import annotations

import re

import yaml

from refmap.errors import LoadError
from refmap.spans import Span

MAX_NESTING = 500
"""Deepest nesting of collections a map may have (a claims map needs six)."""

_DEEP_PREFIX = r"[ \t?-]{%d}" % (MAX_NESTING // 2)
_BLOCK_PREFIX_AT_START = re.compile(_DEEP_PREFIX)
_BLOCK_PREFIX_AFTER_BREAK = tuple(re.compile(re.escape(brk) + _DEEP_PREFIX)
                                  for brk in ("\n", "\r", "\x85", "\u2028", "\u2029"))
"""A line whose indentation and compact `- `/`? ` indicators could reach MAX_NESTING levels
(each block level takes at least one column more, or two characters on the same line), after
each of YAML's line breaks. One pattern per break: a literal first character lets the regex
engine skip ahead, ten times faster than `^` with MULTILINE on a large map."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def may_nest_deeply(text: str) -> bool:
    """Whether the text may nest deeply enough to need counting: more flow openers than
    MAX_NESTING, or a line whose indentation and compact indicators run MAX_NESTING / 2
    characters. Below both, a document nests at most about 1,500 levels, far from the tens of
    thousands that overflow the composer's stack; MAX_NESTING itself is enforced only when
    the count runs."""
    if text.count("[") + text.count("{") > MAX_NESTING:
        return True
    if _BLOCK_PREFIX_AT_START.match(text):
        return True
    return any(pattern.search(text) for pattern in _BLOCK_PREFIX_AFTER_BREAK)


def check_nesting(text: str, display: str, loader: type) -> None:
    """Refuse a document nested deeper than MAX_NESTING levels, at its first too-deep
    collection. Syntax errors are left for the composer to report."""
    if not may_nest_deeply(text):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, _OPENING):
                depth += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    span = (Span(display, mark.line + 1, mark.column + 1) if mark is not None
                            else Span(display, 1, 1))
                    raise LoadError(
                        f"invalid YAML: collections nested more than {MAX_NESTING} levels deep",
                        span=span)
            elif isinstance(event, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return


def reader_error(exc: yaml.reader.ReaderError, text: str, display: str,
                 byte_offset: bool = True) -> LoadError:
    """A character YAML does not accept in a stream (a raw control character, U+FFFE ...),
    at its line and column. libyaml reports the position as a UTF-8 byte offset
    (byte_offset), the pure-Python reader as a character offset."""
    if byte_offset:
        before = text.encode("utf-8")[:exc.position].decode("utf-8", errors="ignore")
    else:
        before = text[:exc.position]
    breaks = list(_LINE_BREAK.finditer(before))
    line = len(breaks) + 1
    col = len(before) - (breaks[-1].end() if breaks else 0) + 1
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return LoadError(
        f"invalid YAML: character U+{character:04X} cannot appear in a YAML file; remove it",
        span=Span(display, line, col))
