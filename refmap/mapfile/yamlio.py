"""Safe, position-keeping YAML loading.

The map is composed (not constructed) with PyYAML's C parser where it is available, so every
value keeps its position and its type comes from the claims-map format rather than from YAML 1.1
guessing: ``2019-06-12`` stays that text, ``NO`` stays NO, ``010`` stays 010. On top of the
parser this module rejects what PyYAML lets through silently: duplicate mapping keys (PyYAML
keeps the last), anchors and aliases (no alias bombs), non-UTF-8 bytes and empty files.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from refmap.mapfile import yamlguard
from refmap.errors import LoadError
from refmap.fileio import MAP_MAX_BYTES, read_input
from refmap.spans import Span

from typing import Any

try:  # the C parser is an order of magnitude faster; fall back where libyaml is missing
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _Parser = None  # type: ignore[misc,assignment]

Node = yaml.Node
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode

_PLAIN_TAGS = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
"""The plain scalars YAML reads as null."""


if _Parser is not None:

    class _ComposeLoader(_Parser, yaml.resolver.BaseResolver):
        """The C parser with tag resolution switched off.

        The format decides every value's type, so YAML 1.1's implicit typing (run in Python
        for each scalar, and about a third of the loading time) is not needed: every plain
        scalar is text. Explicit tags are kept as written.
        """

        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.resolver.BaseResolver.__init__(self)

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            return _PLAIN_TAGS[kind]

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

else:  # pragma: no cover
    _ComposeLoader = _Loader  # type: ignore[misc,assignment]


def is_null(node: Node) -> bool:
    """A plain scalar that YAML reads as null (empty, ~, null)."""
    return isinstance(node, ScalarNode) and not node.style and node.value in NULLS

# An anchor (&name) or alias (*name) can only start where a YAML token starts. Texts that have no
# such candidate skip the event scan entirely; the rest get an exact answer from the parser.
# The pattern leads with the sign and looks behind it for the token boundary (or the start of
# the text), so the engine can skip ahead to each & or * instead of trying every position.
_ANCHOR_CANDIDATE = re.compile(r"[&*](?<![^\s\[\]{},:?-][&*])[^\s\]\[{},]")


def _may_hold_anchors(text: str) -> bool:
    """Whether an anchor or alias may start somewhere in the text. The signs are found with
    str.find (a fast memchr) and the pattern is tried only there: most maps hold a few & in
    titles and no anchor, and a regex scan of a whole map takes half a millisecond."""
    for sign in "&*":
        at = text.find(sign)
        while at != -1:
            if _ANCHOR_CANDIDATE.match(text, at):
                return True
            at = text.find(sign, at + 1)
    return False


def node_span(node: Node, path: str) -> Span:
    """The 1-based position where a node starts."""
    mark = node.start_mark
    return Span(path, mark.line + 1, mark.column + 1)


def read_bytes(path: Path, display: str, max_bytes: int = MAP_MAX_BYTES) -> bytes:
    """Read a regular file of at most max_bytes; anything else is a LoadError naming it."""
    return read_input(path, display, max_bytes)


def read_text(path: Path, display: str, max_bytes: int = MAP_MAX_BYTES) -> str:
    """Read a UTF-8 text file; errors name the file and, for bad bytes, the line and column."""
    return decode_utf8(read_bytes(path, display, max_bytes), display)


def decode_utf8(data: bytes, display: str) -> str:
    """Decode strictly as UTF-8 (a leading BOM is dropped), locating the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        raise LoadError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            span=Span(display, line, col),
        ) from None


def compose(text: str, display: str) -> Node:
    """Compose one YAML document into a node tree, rejecting what the format forbids."""
    if not text.strip():
        raise LoadError("file is empty", span=Span(display, 1, 1))
    if yamlguard.must_count_first(text, _Loader):
        yamlguard.check_nesting(text, display, _Loader)
    try:
        root = yaml.compose(text, Loader=_ComposeLoader)  # type: ignore[arg-type]
    except yaml.reader.ReaderError as exc:
        raise yamlguard.reader_error(exc, text, display, byte_offset=_Parser is not None) from None
    except yaml.MarkedYAMLError as exc:
        if yamlguard.may_nest_deeply(text):  # a collection too deep before the error comes first
            yamlguard.check_nesting(text, display, _Loader)
        raise LoadError(_yaml_message(exc), span=_yaml_span(exc, display)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a mark are rare
        raise LoadError(f"invalid YAML: {exc}", path=display) from None
    if root is None:
        raise LoadError("file holds no YAML document (only comments?)", span=Span(display, 1, 1))
    key_error = _check_tree(root, display)
    if _may_hold_anchors(text):
        _reject_anchors(text, display)
    if key_error is not None:
        raise key_error
    return root


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if problem == "but found another document":
        return "invalid YAML: a second document starts here; a map is one YAML document"
    if not exc.context:
        return f"invalid YAML: {problem}"
    context = exc.context
    if exc.context_mark is not None and exc.problem_mark is not None and (
        exc.context_mark.line != exc.problem_mark.line
    ):
        context += f" that starts at line {exc.context_mark.line + 1}"
    return f"invalid YAML: {problem} ({context})"


def _yaml_span(exc: yaml.MarkedYAMLError, display: str) -> Span:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:  # pragma: no cover
        return Span(display, 1, 1)
    return Span(display, mark.line + 1, mark.column + 1)


def _event_span(event: yaml.Event, display: str) -> Span:
    mark = event.start_mark
    return Span(display, mark.line + 1, mark.column + 1) if mark else Span(display, 1, 1)


def _reject_anchors(text: str, display: str) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(
                f"aliases are not allowed (*{event.anchor}): write the value out",
                span=_event_span(event, display),
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise LoadError(
                f"anchors are not allowed (&{anchor}): write the value out",
                span=_event_span(event, display),
            )


def _check_tree(root: Node, display: str) -> LoadError | None:
    """One walk over the composed tree: raise for a collection nested deeper than
    yamlguard.MAX_NESTING (the first in the text), and return the first error among the
    mapping keys (not plain text, or a duplicate), which comes after any anchor in the
    order of errors. The walk goes level by level, so the depth costs nothing to track."""
    key_error: LoadError | None = None
    level: list[Node] = [root]
    depth = 1
    while level:
        if depth > yamlguard.MAX_NESTING:
            first = min(level, key=lambda node: node.start_mark.index)
            raise yamlguard.too_deep(first.start_mark, display)
        below: list[Node] = []
        for node in level:
            if isinstance(node, MappingNode):
                error = _check_keys(node, display, below)
                if error is not None and (key_error is None or _before(error, key_error)):
                    key_error = error
            elif isinstance(node, SequenceNode):
                below.extend(item for item in node.value if not isinstance(item, ScalarNode))
        level = below
        depth += 1
    return key_error


def _check_keys(node: MappingNode, display: str, below: list[Node]) -> LoadError | None:
    """The first error among a mapping's keys; every collection in it is added to below."""
    error: LoadError | None = None
    seen: dict[str, Node] = {}
    for key, value in node.value:
        if not isinstance(value, ScalarNode):
            below.append(value)
        if not isinstance(key, ScalarNode):
            below.append(key)
            error = error or LoadError("mapping keys must be plain text",
                                       span=node_span(key, display))
            continue
        first = seen.get(key.value)
        if first is not None:
            error = error or LoadError(
                f"duplicate key '{key.value}' (first at line "
                f"{first.start_mark.line + 1}; YAML would silently keep only the last)",
                span=node_span(key, display),
            )
        else:
            seen[key.value] = key
    return error


def _before(one: LoadError, other: LoadError) -> bool:
    """Whether one error's position comes before the other's."""
    here, there = one.span, other.span
    if here is None or there is None:  # pragma: no cover - key errors are always located
        return False
    return (here.line, here.col) < (there.line, there.col)
