"""An essay's YAML front matter (Markdown metadata block, Hugo, Jekyll, Quarto), read with bounds.

Front matter comes from the essay's author, not from refmap, so it is read as outside data:
at most MAX_NESTING levels of collections, no anchors or aliases (an alias bomb expands to
gigabytes when it is walked or printed), and every problem is one located error in the essay
file, at the front matter's own line.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from refmap.errors import LoadError
from refmap.spans import Span

MAX_NESTING = 50
"""Deepest nesting of collections read in front matter (metadata needs two or three)."""

try:  # libyaml where PyYAML was built with it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_OPENING = re.compile(r"---[ \t]*\r?\n(?=[ \t]*\S)")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_Mark = Any
"""A position in YAML (PyYAML's pure-Python or libyaml's mark: both have line and column)."""
_OPENERS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSERS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class Block(NamedTuple):
    """Where the front matter is in the source."""

    start: int
    """Offset of its first line (after the opening `---`)."""
    end: int
    """Offset of its closing `---` line."""
    first_line: int
    """Line number (1-based) of its first line."""


def find(source: str) -> Block | None:
    """The YAML front matter at the very start of a Markdown source, if it has one."""
    opening = _OPENING.match(source)
    if opening is None:
        return None
    closing = _CLOSING.search(source, opening.end())
    if closing is None:
        return None
    return Block(opening.end(), closing.start(), 2)


def parse(source: str, display: str) -> dict[str, object] | None:
    """The front matter's fields (None when there is no front matter)."""
    block = find(source)
    if block is None:
        return None
    return parse_block(source[block.start:block.end], display, block.first_line)


def parse_block(body: str, display: str, first_line: int) -> dict[str, object]:
    """The fields of a front matter whose text is body, its first line being first_line."""
    _check_events(body, display, first_line)
    try:
        fields = yaml.load(body, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:  # pragma: no cover - _check_events meets it first
        raise _error(f"front matter is not valid YAML: {exc.problem}", exc.problem_mark,
                     display, first_line) from None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise LoadError("front matter is not a YAML mapping of fields",
                        span=Span(display, first_line, 1))
    return {str(key): value for key, value in fields.items()}


def _check_events(body: str, display: str, first_line: int) -> None:
    """Refuse anchors, aliases and nesting past MAX_NESTING, at the first one, and syntax
    errors, before anything is built."""
    depth = 0
    try:
        for event in yaml.parse(body, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise _error(f"front matter uses an alias (*{event.anchor}): write the value "
                             "out", event.start_mark, display, first_line)
            if getattr(event, "anchor", None) is not None:
                raise _error(f"front matter uses an anchor (&{getattr(event, 'anchor')}): "
                             "write the value out", event.start_mark, display, first_line)
            if isinstance(event, _OPENERS):
                depth += 1
                if depth > MAX_NESTING:
                    raise _error(f"front matter nests more than {MAX_NESTING} levels deep",
                                 event.start_mark, display, first_line)
            elif isinstance(event, _CLOSERS):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        raise _error(f"front matter is not valid YAML: {problem}",
                     exc.problem_mark or exc.context_mark, display, first_line) from None
    except yaml.YAMLError as exc:  # a character YAML refuses (ReaderError)
        raise LoadError(f"front matter is not valid YAML: {exc}".splitlines()[0],
                        span=Span(display, first_line, 1)) from None


def _error(message: str, mark: _Mark | None, display: str, first_line: int) -> LoadError:
    if mark is None:
        return LoadError(message, span=Span(display, first_line, 1))
    return LoadError(message, span=Span(display, first_line + mark.line, mark.column + 1))
