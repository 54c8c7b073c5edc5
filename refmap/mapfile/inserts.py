"""Where new entries go in a map's text, and the splices that put them there.

New entries are added as whole lines after the last line of the entry they follow (or before
the first line of the entry they precede, above its comments), so an insertion into a block
collection shows in a diff as added lines only, and every existing byte stays where it was.
Flow collections (`{...}`, `[...]`) get their new entries inline, in flow style.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from refmap.mapfile import yamlio
from refmap.errors import SchemaError
from refmap.mapfile.style import Renderer, Value
from refmap.mapfile.yamlio import MappingNode, Node, ScalarNode, SequenceNode

_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


@dataclass(frozen=True)
class Splice:
    """Replace text[start:end] with new; among splices at one place, lower order goes first."""

    start: int
    end: int
    new: str
    order: int = 0


def is_empty(node: Node) -> bool:
    """A value that holds nothing yet: null, `{}` or `[]`."""
    if isinstance(node, ScalarNode):
        return yamlio.is_null(node)
    return isinstance(node, (MappingNode, SequenceNode)) and not node.value


def _pair(piece: Value) -> tuple[str, Value]:
    """A mapping entry to insert, as (key, value)."""
    if not isinstance(piece, tuple) or len(piece) != 2 or not isinstance(piece[0], str):
        raise TypeError("a new mapping entry is a (key, value) pair")
    return piece[0], piece[1]


def entry_head(container: MappingNode | SequenceNode, index: int) -> Node:
    """Where an entry of a collection starts: its key, or the item itself."""
    entry = container.value[index]
    return entry[0] if isinstance(container, MappingNode) else entry  # type: ignore[no-any-return]


def entry_tail(container: MappingNode | SequenceNode, index: int) -> Node:
    """Where an entry of a collection ends: its value, or the item itself."""
    entry = container.value[index]
    return entry[1] if isinstance(container, MappingNode) else entry  # type: ignore[no-any-return]


def _flow_values(container: MappingNode) -> bool:
    """Whether most of a mapping's mapping values are written in flow style."""
    styles = [bool(v.flow_style) for _, v in container.value if isinstance(v, MappingNode)]
    return sum(styles) * 2 > len(styles)


class Positions:
    """Line and entry positions in one map's text."""

    def __init__(self, text: str):
        self.text = text

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Where the line holding index ends, before its line break."""
        end = self.text.find("\n", index)
        if end == -1:
            return len(self.text)
        return end - 1 if end > index and self.text[end - 1] == "\r" else end

    def entry_start(self, index: int, floor: int = 0) -> int:
        """The start of the line holding index, moved up over comment lines just above it
        (they describe the entry, so a new entry goes above them), but not above floor (the
        end of the entry before, whose block scalar may hold lines that look like comments)."""
        pos = self.line_start(index)
        while pos > floor:
            above = self.line_start(pos - 1)
            if not self.text[above:pos].lstrip().startswith("#"):
                break
            if above <= floor:
                break
            pos = above
        return pos

    def last_leaf_end(self, node: Node) -> int:
        """Where the text of a node's last value ends (a block scalar's trailing line breaks
        and any comments after it are not part of it)."""
        while not getattr(node, "flow_style", True) and node.value:
            node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
        end: int = node.end_mark.index
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            while end > node.start_mark.index and self.text[end - 1] in "\r\n":
                end -= 1
        return end

    def after_entry(self, node: Node) -> int:
        """The end of the last line of a block entry: where lines after it are inserted."""
        return self.line_end(self.last_leaf_end(node))

    def separated(self, container: Node) -> bool | None:
        """Whether a block collection's first two entries have a blank line between them."""
        if not isinstance(container, (MappingNode, SequenceNode)) or container.flow_style or \
                len(container.value) < 2:
            return None
        first, second = entry_tail(container, 0), entry_head(container, 1)
        gap = self.text[self.after_entry(first): self.line_start(second.start_mark.index)]
        return bool(_BLANK_LINE.search(gap))


class Layout(Positions):
    """The splices that insert entries, rendered in the map's style, into its text."""

    def __init__(self, text: str, renderer: Renderer, path: str):
        super().__init__(text)
        self.render = renderer
        self.nl = renderer.style.newline
        self.path = path

    def into_collection(self, container: MappingNode | SequenceNode, before: int | None,
                        pieces: Sequence[Value], section: str, blank: bool) -> Splice:
        """New entries (key-value pairs for a mapping, items for a list) in a non-empty or
        flow collection, before entry `before` or, with None, after the last."""
        if container.flow_style:
            return self._into_flow(container, before, pieces, section)
        flow_values = isinstance(container, MappingNode) and _flow_values(container)
        blocks = [self._block(container, piece, section, flow_values) for piece in pieces]
        between = self.nl * (2 if blank else 1)
        if before is not None:
            node = entry_head(container, before)
            floor = self.after_entry(entry_tail(container, before - 1)) if before else 0
            pos = self.entry_start(node.start_mark.index, floor)
            return Splice(pos, pos, between.join(blocks) + between)
        pos = self.after_entry(container)
        return Splice(pos, pos, "".join(between + block for block in blocks))

    def _block(self, container: MappingNode | SequenceNode, piece: Value, section: str,
               flow_values: bool) -> str:
        if isinstance(container, MappingNode):
            key, value = _pair(piece)
            col: int = container.value[0][0].start_mark.column
            if isinstance(value, Mapping) and flow_values:
                return " " * col + f"{self.render.key(key)}: {self.render.flow(key, value, section)}"
            return self.nl.join(self.render.entry_lines(key, value, col, section))
        dash = container.start_mark.column
        return self.nl.join(self.render.item_lines(section, piece, dash))

    def _flow_piece(self, container: Node, piece: Value, section: str) -> str:
        if isinstance(container, MappingNode):
            key, value = _pair(piece)
            return f"{self.render.key(key, True)}: {self.render.flow(key, value, section)}"
        return self.render.flow(section, piece, section)

    def _into_flow(self, container: MappingNode | SequenceNode, before: int | None,
                   pieces: Sequence[Value], section: str) -> Splice:
        text = ", ".join(self._flow_piece(container, piece, section) for piece in pieces)
        if not container.value:
            pos = container.start_mark.index + 1
            return Splice(pos, pos, text)
        if before is not None:
            pos = entry_head(container, before).start_mark.index
            return Splice(pos, pos, text + ", ")
        pos = entry_tail(container, len(container.value) - 1).end_mark.index
        return Splice(pos, pos, ", " + text)

    def new_key(self, mapping: MappingNode, key: str, value: Value, after: str | None,
                section: str = "") -> Splice:
        """A new entry `key: value` in a mapping: after the entry `after`, or first if None."""
        if not mapping.value:
            return self._into_flow(mapping, None, [(key, value)], section)
        index = next((i for i, (k, _) in enumerate(mapping.value) if k.value == after), None)
        if index is None or index == len(mapping.value) - 1:
            before = None if after is not None else 0
            return self.into_collection(mapping, before, [(key, value)], section, blank=False)
        return self.into_collection(mapping, index + 1, [(key, value)], section, blank=False)

    def fill_empty(self, parent: MappingNode, key: Node, value_node: Node, value: Value,
                   section: str, in_flow: bool) -> list[Splice]:
        """Replace an empty value (null, {} or []) with a collection holding value."""
        start, end = value_node.start_mark.index, value_node.end_mark.index
        if in_flow or parent.flow_style:
            pad = " " if start == end and self.text[start - 1:start] == ":" else ""
            return [Splice(start, end, pad + self.render.flow(section, value, section))]
        colon = self.text.index(":", key.end_mark.index)
        col: int = key.start_mark.column
        head, *lines = self.render.entry_lines(str(key.value), value, col, section)
        if not lines:  # the file writes such lists in flow style: `key: [...]`
            return [Splice(colon + 1, end, head[head.index(":", col) + 1:])]
        pos = self.line_end(end)
        return [Splice(colon + 1, end, ""), Splice(pos, pos, self.nl + self.nl.join(lines), 1)]

    def not_a(self, node: Node, where: str, kind: str) -> SchemaError:
        return SchemaError(f"{where} must be {kind}", span=yamlio.node_span(node, self.path))
