"""A map's own writing style, and new entries written in it.

Entries the editor inserts (a source, a claim, a citation, a field) should look as if the
file's author had typed them: the same indentation, the same dash placement, the same quoting
for the same key, names as flow mappings where the file writes them so, a blank line between
entries where the file has one. MapStyle is read from the existing entries once; Renderer turns
plain values (text, lists of text, lists of mappings) into block lines or flow text in it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from refmap.mapfile.yamlio import MappingNode, Node, ScalarNode, SequenceNode
from refmap.mapfile.scalars import DOUBLE, PLAIN, in_style, plain, style_of

_T = TypeVar("_T")

Value = object
"""A value to write: str, a sequence of values, or a mapping of str to values (None: left out)."""


@dataclass(frozen=True)
class MapStyle:
    """How a map is written, as far as new entries need to know."""

    newline: str = "\n"
    step: int = 2
    """Columns a nested mapping is indented by."""
    seq_offset: int = 2
    """Columns from a key to the dashes of its block list (0 when dashes sit under the key)."""
    item_offset: int = 2
    """Columns from a dash to the first key of its item."""
    text_style: str = PLAIN
    """Quoting of a key's values when the key has no example in the file: the file's most
    common quoting of text (codes, dates and identifiers left out)."""
    key_styles: Mapping[str, str] = field(default_factory=dict)
    """Quoting used for each key's values in the file."""
    flow_items: Mapping[str, bool] = field(default_factory=dict)
    """Per list key (authors, citations, claims ...): whether its items are flow mappings."""
    flow_lists: Mapping[str, bool] = field(default_factory=dict)
    """Per list key (tags ...): whether the list itself is written in flow style."""
    blank_between: Mapping[str, bool] = field(default_factory=dict)
    """Per section (sources, claims): whether its entries are separated by a blank line."""


# Keys whose values are codes, dates or identifiers, usually plain whatever the file does with
# text: they say nothing about how the file quotes free text.
_CODE_KEYS = frozenset({"version", "type", "kind", "status", "id", "source", "date", "accessed"})


def _majority(counts: Counter[object], default: object) -> object:
    """The most common value; a tie goes to the default (plain text, two-space indents)."""
    if not counts:
        return default
    top = max(counts.values())
    return default if counts.get(default) == top else counts.most_common(1)[0][0]


SAMPLE = 100
"""Entries read from each end of a long collection: a map's style shows in its first and last
hundred claims as well as in all ten thousand, and the editor of one claim should not walk
them all."""


def _sample(items: list[_T]) -> list[_T]:
    return items if len(items) <= 2 * SAMPLE else items[:SAMPLE] + items[-SAMPLE:]


class _Survey:
    """Counts of how the file writes things, gathered in one walk over the node tree."""

    def __init__(self) -> None:
        self.steps: Counter[object] = Counter()
        self.seq_offsets: Counter[object] = Counter()
        self.item_offsets: Counter[object] = Counter()
        self.text: Counter[object] = Counter()
        self.keys: dict[str, Counter[object]] = {}
        self.flow_items: dict[str, Counter[object]] = {}
        self.flow_lists: dict[str, Counter[object]] = {}

    def walk(self, root: Node) -> None:
        stack: list[Node] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, MappingNode):
                for key, value in _sample(node.value):
                    self.entry(key, value)
                    stack.append(value)
            elif isinstance(node, SequenceNode):
                stack.extend(_sample(node.value))


    def entry(self, key: Node, value: Node) -> None:
        name = str(key.value)
        if isinstance(value, ScalarNode):
            if value.value and value.style not in ("|", ">"):
                style = style_of(value)
                self.keys.setdefault(name, Counter())[style] += 1
                if name not in _CODE_KEYS:
                    self.text[style] += 1
        elif isinstance(value, MappingNode) and value.value and not value.flow_style:
            self.steps[value.value[0][0].start_mark.column - key.start_mark.column] += 1
        elif isinstance(value, SequenceNode) and value.value:
            self.flow_lists.setdefault(name, Counter())[bool(value.flow_style)] += 1
            if not value.flow_style:
                dash = value.start_mark.column
                self.seq_offsets[dash - key.start_mark.column] += 1
                self.item_offsets[value.value[0].start_mark.column - dash] += 1
            for item in _sample(value.value):
                if isinstance(item, ScalarNode) and item.value:
                    self.keys.setdefault(name, Counter())[style_of(item)] += 1
                elif isinstance(item, MappingNode):
                    self.flow_items.setdefault(name, Counter())[bool(item.flow_style)] += 1


def survey_style(text: str, root: Node, blank_between: Mapping[str, bool]) -> MapStyle:
    """The style of a map, read from its text and node tree."""
    survey = _Survey()
    survey.walk(root)
    return MapStyle(
        newline="\r\n" if "\r\n" in text else "\n",
        step=int(str(_majority(survey.steps, 2))),
        seq_offset=int(str(_majority(survey.seq_offsets, 2))),
        item_offset=int(str(_majority(survey.item_offsets, 2))),
        text_style=str(_majority(survey.text, PLAIN)),
        key_styles={k: str(_majority(c, PLAIN)) for k, c in survey.keys.items()},
        flow_items={k: bool(_majority(c, False)) for k, c in survey.flow_items.items()},
        flow_lists={k: bool(_majority(c, False)) for k, c in survey.flow_lists.items()},
        blank_between=blank_between,
    )


_CANONICAL_NAME_KEYS = ("family", "given", "literal")
_KEY_TEXT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:./\-]*\Z")


_RANKS: dict[tuple[str, ...], dict[str, int]] = {}
"""Each canonical key order as {key: rank}, made once (an import orders thousands of entries)."""


_SORTED: dict[int, tuple[Sequence[str], dict[tuple[str, ...], tuple[str, ...]]]] = {}
"""id(canonical order) -> (that order, {a mapping's keys as given: those keys in the order}).
Entries of one section mostly share a handful of key sets (an import's records, a map's
claims), so each set is sorted once; the order itself is kept so that its id stays its own."""
_SORTED_MAX = 4096


def ordered_names(fields: Mapping[str, Value], canonical: Sequence[str]) -> tuple[str, ...]:
    """The keys of a mapping in the canonical order, unknown keys after them in the order
    given (None values not dropped: see `ordered`)."""
    known = _SORTED.get(id(canonical))
    if known is None or known[0] is not canonical:
        known = _SORTED[id(canonical)] = (canonical, {})
    given = tuple(fields)
    names = known[1].get(given)
    if names is None:
        order = tuple(canonical)
        rank = _RANKS.get(order)
        if rank is None:
            rank = _RANKS[order] = {name: i for i, name in enumerate(order)}
        last = len(rank)
        names = tuple(sorted(given, key=lambda k: rank.get(k, last)))
        if len(known[1]) >= _SORTED_MAX:
            known[1].clear()
        known[1][given] = names
    return names


def ordered(fields: Mapping[str, Value], canonical: Sequence[str]) -> list[tuple[str, Value]]:
    """Fields in the canonical order, unknown keys after them in the order given; None dropped."""
    return [(k, v) for k in ordered_names(fields, canonical) if (v := fields[k]) is not None]


class Renderer:
    """Writes values as block lines or flow text in a map's style."""

    def __init__(self, style: MapStyle, orders: Mapping[str, Sequence[str]]):
        self.style = style
        self.orders = orders
        """Canonical key order for the mappings under each list key (claims, citations ...)."""
        self._keys: dict[tuple[str, bool], str] = {}
        self._flows: dict[tuple[object, ...], str] = {}
        self._heads: dict[int, dict[str, tuple[str, str]]] = {}
        """Column -> key -> the start of a `key: text` line at that column, and the quoting of
        the text."""

    def key(self, name: str, in_flow: bool = False) -> str:
        """A mapping key: plain where it is a simple name, else double-quoted."""
        known = self._keys.get((name, in_flow))
        if known is None:
            simple = plain(name, in_flow) if _KEY_TEXT.match(name) else None
            known = self._keys[(name, in_flow)] = simple or in_style(name, DOUBLE)
        return known

    def scalar(self, key: str, value: str, in_flow: bool = False) -> str:
        return in_style(value, self.style.key_styles.get(key, self.style.text_style), in_flow)

    def label(self, list_key: str, value: str, in_flow: bool = False) -> str:
        """A list item of text (a tag): plain where the file has no other example."""
        return in_style(value, self.style.key_styles.get(list_key, PLAIN), in_flow)

    def items_of(self, list_key: str, mapping: Mapping[str, Value]) -> list[tuple[str, Value]]:
        order = self.orders.get(list_key, _CANONICAL_NAME_KEYS)
        return ordered(mapping, order)

    # -- flow ------------------------------------------------------------------------------

    def flow(self, key: str, value: Value, list_key: str = "") -> str:
        """One value in flow style; key names the entry it belongs to (for its quoting)."""
        if isinstance(value, str):
            return self.scalar(key, value, in_flow=True)
        if isinstance(value, Mapping):
            memo: tuple[object, ...] = (key, list_key, *value.items())
            try:  # a name (a mapping of text) is written the same wherever it recurs
                return self._flows[memo]
            except KeyError:
                pass
            except TypeError:  # a value that is a list: not worth keeping
                memo = ()
            text = "{" + ", ".join(f"{self.key(k, True)}: {self.flow(k, v, k)}"
                                   for k, v in self.items_of(list_key or key, value)) + "}"
            if memo:
                self._flows[memo] = text
            return text
        if isinstance(value, Iterable):
            return "[" + ", ".join(self.label(key, item, True) if isinstance(item, str)
                                   else self.flow(key, item, list_key or key)
                                   for item in value) + "]"
        raise TypeError(f"cannot write {type(value).__name__} into a map")

    # -- block -----------------------------------------------------------------------------

    def entry_lines(self, key: str, value: Value, col: int, list_key: str = "") -> list[str]:
        """A mapping entry `key: value` whose key starts at col, as lines; list_key names the
        section a mapping value belongs to (for its key order), when it is not key itself."""
        pad = " " * col
        head = f"{pad}{self.key(key)}:"
        if isinstance(value, str):
            return [f"{head} {self.scalar(key, value)}"]
        if isinstance(value, Mapping):
            if not value:
                return [f"{head} {{}}"]
            return [head, *self._field_lines(list_key or key, value, col + self.style.step)]
        items = list(value) if isinstance(value, Iterable) else None
        if items is None:
            raise TypeError(f"cannot write {type(value).__name__} into a map")
        if not items or self.style.flow_lists.get(key, False) and all(
                isinstance(i, str) for i in items):
            return [f"{head} {self.flow(key, items)}"]
        lines = [head]
        for item in items:
            lines += self.item_lines(key, item, col + self.style.seq_offset)
        return lines

    def _field_lines(self, list_key: str, value: Mapping[str, Value], col: int) -> list[str]:
        """The entries of a block mapping whose keys start at col, in list_key's key order.
        The common shapes are written here as the general calls would write them: text, and a
        list of mappings (names) where the file writes such items in flow style. (An import
        writes thousands of sources: each key's line start and quoting is worked out once.)"""
        style = self.style
        heads = self._heads.get(col)
        if heads is None:
            heads = self._heads[col] = {}
        dash = " " * (col + style.seq_offset) + "-" + " " * (style.item_offset - 1)
        lines: list[str] = []
        for k in ordered_names(value, self.orders.get(list_key, _CANONICAL_NAME_KEYS)):
            v = value[k]
            if v is None:
                continue
            if isinstance(v, str):
                known = heads.get(k)
                if known is None:
                    known = heads[k] = (f"{' ' * col}{self.key(k)}: ",
                                        style.key_styles.get(k, style.text_style))
                lines.append(known[0] + in_style(v, known[1], False))
            elif (type(v) is list and v and style.flow_items.get(k, False)
                  and all(type(item) is dict for item in v)):
                lines.append(f"{' ' * col}{self.key(k)}:")
                lines += [dash + self.flow(k, item, k) for item in v]
            else:
                lines += self.entry_lines(k, v, col)
        return lines

    def item_lines(self, list_key: str, item: Value, dash_col: int) -> list[str]:
        """One block-list item of the list under list_key, its dash at dash_col, as lines."""
        dash = " " * dash_col + "-" + " " * (self.style.item_offset - 1)
        if isinstance(item, Mapping) and item and not self.style.flow_items.get(list_key, False):
            entries = self.items_of(list_key, item)
            col = dash_col + self.style.item_offset
            lines: list[str] = []
            for k, v in entries:
                lines += self.entry_lines(k, v, col)
            lines[0] = dash + lines[0][col:]
            return lines
        if isinstance(item, str):
            return [dash + self.label(list_key, item)]
        return [dash + self.flow(list_key, item, list_key)]

    def mapping_lines(self, entries: Iterable[tuple[str, Value]], col: int) -> list[str]:
        lines: list[str] = []
        for key, value in entries:
            lines += self.entry_lines(key, value, col)
        return lines
