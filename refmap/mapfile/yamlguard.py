"""Guards around composing YAML: inputs that would crash the C composer, and reader errors
turned into positioned messages.

libyaml's parser is iterative, but PyYAML's C composer builds the node tree by recursion on
the C stack: a map nested some tens of thousands of levels deep (`[[[[...`, or `- - - ...`)
kills the process with a segmentation fault, which no exception handler can catch. A claims
map is at most six levels deep, so a document nested more than MAX_NESTING levels is refused.

The depth is measured at C speed, never by a second parse in pure Python of a map that loads:
- libyaml 0.2.6 refuses documents nested 1,000 levels deep by itself, so the C composer is
  safe; the depth of what it composes is counted on the walk over the node tree that looks
  for duplicate keys anyway (too_deep);
- where the C parser has no such limit (older libyaml), a text that may nest deeply at all
  (may_nest_deeply: many flow openers, or long block indentation) has its depth counted from
  the C parser's events first (check_nesting), which stops at the first too-deep collection.
When libyaml refuses a document for its own limit, the first collection deeper than
MAX_NESTING comes before that point, but libyaml's lookahead may not have reported it: only
then, for a map that is refused anyway, the pure-Python parser places the message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import yaml

from refmap.errors import LoadError
from refmap.spans import Span

MAX_NESTING = 500
"""Deepest nesting of collections a map may have (a claims map needs six)."""

_SAFE_UNCHECKED_DEPTH = 1_500
"""Depth the C composer is known to survive; the cheap bound below lets through nothing deeper,
and a C parser that refuses this depth by itself makes counting beforehand unnecessary."""

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

_TOO_DEEP = f"invalid YAML: collections nested more than {MAX_NESTING} levels deep"


def may_nest_deeply(text: str) -> bool:
    """Whether the text may nest deeply enough to need counting: more flow openers than
    MAX_NESTING, or a line whose indentation and compact indicators run MAX_NESTING / 2
    characters. Below both, a document nests at most about 1,500 levels, far from the tens of
    thousands that overflow the composer's stack."""
    if text.count("[") + text.count("{") > MAX_NESTING:
        return True
    if _BLOCK_PREFIX_AT_START.match(text):
        return True
    return any(pattern.search(text) for pattern in _BLOCK_PREFIX_AFTER_BREAK)


@functools.cache
def parser_limits_nesting(loader: type) -> bool:
    """Whether the loader's parser refuses by itself a document nested _SAFE_UNCHECKED_DEPTH
    levels deep (libyaml 0.2.6 stops at 1,000), so that its composer never recurses deeper.
    Asked once per loader, on a text of a few kilobytes."""
    try:
        for _ in yaml.parse("[" * _SAFE_UNCHECKED_DEPTH, Loader=loader):
            pass
    except yaml.YAMLError as exc:
        return is_parser_nesting_limit(exc)
    return False  # pragma: no cover - an unterminated flow sequence is always an error


def is_parser_nesting_limit(exc: yaml.YAMLError) -> bool:
    """Whether a parse error is libyaml's own nesting limit ("exceeded maximum nesting depth")."""
    return "nesting" in str(getattr(exc, "problem", "") or "")


def must_count_first(text: str, loader: type) -> bool:
    """Whether the depth must be counted before composing: the text may nest deeply and the
    parser would not stop it."""
    return may_nest_deeply(text) and not parser_limits_nesting(loader)


def check_nesting(text: str, display: str, loader: type) -> None:
    """Refuse a document nested deeper than MAX_NESTING levels, at its first too-deep
    collection, counting from the loader's events (the C parser's). Syntax errors are left for
    the composer to report, except the parser's own nesting limit: then the pure-Python parser
    finds the first too-deep collection, which the C parser's lookahead may have hidden."""
    try:
        _refuse_too_deep(yaml.parse(text, Loader=loader), display)
    except yaml.YAMLError as exc:
        if not is_parser_nesting_limit(exc):
            return
    else:
        return
    try:
        _refuse_too_deep(yaml.parse(text, Loader=yaml.SafeLoader), display)
    except yaml.reader.ReaderError as exc:
        raise reader_error(exc, text, display, byte_offset=False) from None
    except yaml.YAMLError:
        return


def _refuse_too_deep(events: Iterable[yaml.Event], display: str) -> None:
    depth = 0
    for event in events:
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_NESTING:
                raise too_deep(event.start_mark, display)
        elif isinstance(event, _CLOSING):
            depth -= 1


def too_deep(mark: yaml.Mark | yaml._yaml.Mark | None, display: str) -> LoadError:
    """The error for a collection nested deeper than MAX_NESTING levels, starting at mark."""
    if mark is None:  # pragma: no cover - PyYAML's parsers mark every event
        return LoadError(_TOO_DEEP, span=Span(display, 1, 1))
    return LoadError(_TOO_DEEP, span=Span(display, mark.line + 1, mark.column + 1))


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
