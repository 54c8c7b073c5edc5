"""Editing a claims map in place: only the bytes of the edited values change.

Edits are spliced into the original text at the positions the YAML composer records for each
value; comments, key order, quoting and the formatting of every untouched entry stay exactly
as they were, and an edit that changes nothing leaves the file byte-identical. The result is
re-loaded to validate it before anything is written, and the write is atomic and refused if
the file changed on disk since it was read. Every command that writes the map goes through
MapEditor.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from refmap import yamlio
from refmap.errors import SchemaError
from refmap.fileio import atomic_write
from refmap.schema import build_map
from refmap.yamlio import MappingNode, Node, ScalarNode, SequenceNode

_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*\Z")
_PLAIN_BREAKERS = (": ", " #", "\t")


@dataclass(frozen=True)
class Splice:
    """Replace text[start:end] with new."""

    start: int
    end: int
    new: str


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar for any text."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch in "\x7f\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def single_quoted(value: str) -> str | None:
    """A YAML single-quoted scalar, or None if the text cannot be one on one line."""
    if any(ch in value for ch in "\n\r\t") or value != value.strip():
        return None
    return "'" + value.replace("'", "''") + "'"


def _plain(value: str) -> str | None:
    if not value or value != value.strip() or not _PLAIN_SAFE.match(value):
        return None
    if any(b in value for b in _PLAIN_BREAKERS) or value.endswith(":"):
        return None
    if value in yamlio._NULLS or value.lower() in ("true", "false", "yes", "no", "on", "off"):
        return None
    return value


def render_scalar(value: str, like: ScalarNode) -> str:
    """Text for a new scalar value, in the style of the node it replaces where that style can
    hold it (plain, single- or double-quoted); otherwise double-quoted."""
    if like.style == "'":
        return single_quoted(value) or double_quoted(value)
    if not like.style:  # plain (the C parser reports "" where the Python one says None)
        return _plain(value) or double_quoted(value)
    return double_quoted(value)


class MapEditor:
    """A claims map opened for editing: collect splices, then save or diff."""

    def __init__(self, path: str | Path, data: bytes | None = None):
        self.path = Path(path)
        self.display = str(path)
        self.original = yamlio.read_bytes(self.path, self.display) if data is None else data
        self.text = yamlio.decode_utf8(self.original, self.display)
        self.root = yamlio.compose(self.text, self.display)
        self.splices: list[Splice] = []

    # -- finding nodes ---------------------------------------------------------------------

    @staticmethod
    def child(node: Node, key: str) -> Node | None:
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if k.value == key:
                    return v
        return None

    def claim_node(self, index: int) -> MappingNode:
        claims = self.child(self.root, "claims")
        if not isinstance(claims, SequenceNode) or index >= len(claims.value):
            raise IndexError(index)
        return claims.value[index]

    # -- edits -----------------------------------------------------------------------------

    def set_scalar(self, node: ScalarNode, value: str) -> None:
        """Replace a scalar's value, keeping what surrounds it byte for byte."""
        start, end = node.start_mark.index, node.end_mark.index
        if node.value == value:
            return
        original = self.text[start:end]
        trailing = original[len(original.rstrip("\n")) :] if node.style in ("|", ">") else ""
        self.splices.append(Splice(start, end, render_scalar(value, node) + trailing))

    def set_claim_field(self, index: int, key: str, value: str) -> None:
        """Set a text field of the claim at index; a missing key is added after 'quote'."""
        claim = self.claim_node(index)
        node = self.child(claim, key)
        if isinstance(node, ScalarNode):
            self.set_scalar(node, value)
            return
        if node is not None:
            raise SchemaError(f"'{key}' is not text", span=yamlio.node_span(node, self.display))
        self._insert_after(claim, "quote", key, value)

    def _insert_after(self, mapping: MappingNode, after: str, key: str, value: str) -> None:
        anchor = self.child(mapping, after)
        if anchor is None or mapping.flow_style:
            raise SchemaError(
                f"cannot add '{key}' to this claim automatically (flow style); add it by hand",
                span=yamlio.node_span(mapping, self.display),
            )
        line_end = self.text.find("\n", anchor.end_mark.index)
        line_end = len(self.text) if line_end == -1 else line_end
        indent = " " * mapping.value[0][0].start_mark.column
        rendered = _plain(value) or double_quoted(value)
        self.splices.append(Splice(line_end, line_end, f"\n{indent}{key}: {rendered}"))

    # -- result ----------------------------------------------------------------------------

    def result(self) -> str:
        text = self.text
        for splice in sorted(self.splices, key=lambda s: s.start, reverse=True):
            text = text[: splice.start] + splice.new + text[splice.end :]
        return text

    def validate(self) -> str:
        """The edited text, after checking that it still loads as a claims map."""
        new = self.result()
        build_map(yamlio.compose(new, self.display), self.display)
        return new

    def diff(self) -> str:
        new = self.validate()
        return "".join(difflib.unified_diff(
            self.text.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"a/{self.display}", tofile=f"b/{self.display}",
        ))

    def save(self) -> bool:
        """Write the edits atomically; False (and nothing written) when there are none."""
        if not self.splices:
            return False
        new = self.validate()
        if new == self.text:
            return False
        bom = b"\xef\xbb\xbf" if self.original.startswith(b"\xef\xbb\xbf") else b""
        atomic_write(self.path, new, expect_unchanged=self.original, prefix_bytes=bom)
        return True
