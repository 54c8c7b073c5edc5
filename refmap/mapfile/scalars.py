"""YAML scalars written by hand: a value in the one style that reads back as exactly that value.

The editor splices values into a map's text instead of re-emitting the whole document (which
would lose comments and formatting), so it must choose, for each value and each place, a
scalar form that a YAML parser reads back unchanged: plain where that is safe in its context
(block or flow), single-quoted where the file uses it and the text allows, else double-quoted
with every character that YAML would not keep as written escaped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refmap.mapfile.yamlio import ScalarNode

PLAIN = ""
SINGLE = "'"
DOUBLE = '"'

# Characters a YAML stream may not hold raw (YAML 1.1 as PyYAML reads it), line breaks other
# than \n (NEL, LS, PS and CR would fold or break a line) and the BOM: all escaped when quoted,
# never written plain.
_ESCAPED = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_NEEDS_ESCAPE = re.compile('[\\\\"\t]|' + _ESCAPED.pattern)
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}:]")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})


def _escape(ch: str) -> str:
    named = _NAMED_ESCAPES.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar for any text, on one line."""
    # most text: nothing to escape. Every character _ESCAPED names is one str.isprintable
    # refuses (controls, format characters, separators, surrogates, non-characters), so a
    # printable text without a quote or a backslash has nothing to escape (checked in C)
    if value.isprintable() and '"' not in value and "\\" not in value \
            or _NEEDS_ESCAPE.search(value) is None:
        return '"' + value + '"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _escape(m.group()), value) + '"'


def single_quoted(value: str) -> str | None:
    """A YAML single-quoted scalar, or None if the text cannot be one on one line."""
    if "\t" in value or _ESCAPED.search(value) or value != value.strip():
        return None
    return "'" + value.replace("'", "''") + "'"


def plain(value: str, in_flow: bool = False) -> str | None:
    """The text as a plain scalar, or None where a plain scalar would read back differently
    (another type to YAML 1.1 readers, cut short by an indicator, or not allowed raw)."""
    if not value or value != value.strip() or not _PLAIN_FIRST.match(value):
        return None
    if "\t" in value or _ESCAPED.search(value):
        return None
    if ": " in value or " #" in value or value.endswith(":"):
        return None
    if in_flow and _FLOW_INDICATORS.search(value):
        return None
    if value in _NULLS or value.lower() in _BOOLEANS:
        return None
    return value


def in_style(value: str, style: str, in_flow: bool = False) -> str:
    """The value in the given style (PLAIN, SINGLE, DOUBLE) where it can hold it, else
    double-quoted. (Short values are cached: an import writes the same names, journals and
    dates many times; double quotes take no deciding, and no cache.)"""
    if style == DOUBLE:
        return double_quoted(value)
    if len(value) <= 200:
        return _short_in_style(value, style, in_flow)
    return _in_style(value, style, in_flow)


@lru_cache(maxsize=8192)
def _short_in_style(value: str, style: str, in_flow: bool) -> str:
    return _in_style(value, style, in_flow)


def _in_style(value: str, style: str, in_flow: bool) -> str:
    if style == SINGLE:
        return single_quoted(value) or double_quoted(value)
    if style == PLAIN:
        return plain(value, in_flow) or double_quoted(value)
    return double_quoted(value)


def style_of(node: ScalarNode) -> str:
    """The scalar style of a node as PLAIN, SINGLE or DOUBLE (block scalars count as DOUBLE:
    a replaced block scalar is written double-quoted)."""
    if not node.style:  # the C parser reports "" where the Python one says None
        return PLAIN
    return SINGLE if node.style == "'" else DOUBLE


def render_scalar(value: str, like: ScalarNode, in_flow: bool = False) -> str:
    """Text for a new scalar value, in the style of the node it replaces where that style can
    hold it (plain, single- or double-quoted); otherwise double-quoted."""
    return in_style(value, style_of(like), in_flow)
