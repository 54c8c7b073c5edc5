"""Editing a claims map in place: only the bytes of the edited values change.

Edits are spliced into the original text at the positions the YAML composer records for each
value; comments, key order, quoting and the formatting of every untouched entry stay exactly
as they were, and an edit that changes nothing leaves the file byte-identical. New sources,
claims, citations and fields are written in the file's own style (mapstyle) as added lines
(inserts). The result is re-loaded to validate it before anything is written, and the write is
atomic and refused if the file no longer holds the bytes the map was read from. Every command
that writes the map goes through MapEditor.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from pathlib import Path

from refmap.mapfile import yamlio
from refmap.errors import SchemaError
from refmap.fileio import MAP_MAX_BYTES, atomic_write, gc_paused
from refmap.values import inert
from refmap.mapfile.inserts import Layout, Positions, Splice, entry_head, entry_tail, is_empty
from refmap.mapfile.style import MapStyle, Renderer, Value, ordered, survey_style
from refmap.spans import Span
from refmap.mapfile.schema import (
    CITATION_KEYS, CLAIM_KEYS, IGNORE_KEYS, SOURCE_KEYS, build_map, valid_citekey,
)
from refmap.mapfile.yamlio import MappingNode, Node, ScalarNode, SequenceNode
from refmap.mapfile.scalars import double_quoted, render_scalar, single_quoted

__all__ = ["MapEditor", "Splice", "double_quoted", "render_scalar", "single_quoted"]

KEY_ORDERS: dict[str, tuple[str, ...]] = {
    "sources": SOURCE_KEYS, "claims": CLAIM_KEYS, "citations": CITATION_KEYS,
    "ignore": IGNORE_KEYS,
}
"""The order keys are written in, for new entries of each section."""

NewClaim = dict[str, Value]


class MapEditor:
    """A claims map opened for editing: collect edits, then save or diff.

    Claim indices count the claims list as it stands with this editor's insertions.
    """

    def __init__(self, path: str | Path, data: bytes | None = None,
                 max_bytes: int = MAP_MAX_BYTES, root: Node | None = None):
        """Open the map at path; data, when given, is the bytes already read from it (the
        write is then checked against them, so a map is read once per run), and root the
        nodes already composed from them (so it is parsed once too)."""
        self.path = Path(path)
        self.display = str(path)
        self.original = (yamlio.read_bytes(self.path, self.display, max_bytes) if data is None
                         else data)
        self.text = yamlio.decode_utf8(self.original, self.display)
        if root is None or data is None:
            with gc_paused():
                root = yamlio.compose(self.text, self.display)
        self.root = root
        self._splices: dict[tuple[int, int, int], Splice] = {}
        self._order = 0
        self._flow_ids: set[int] | None = None
        self._layout: Layout | None = None
        self._new_sources: list[tuple[str, Mapping[str, Value]]] = []
        self._source_fields: dict[str, dict[str, Value]] = {}
        self._source_keys: set[str] | None = None
        self._new_aliases: dict[str, list[str]] = {}
        self.read_only: Mapping[str, Span | None] = {}
        """Sources that come from a linked library (key -> where), which no edit may touch:
        refmap.net.source_fixes reports a change to one instead of making it."""
        self.trust_added = False
        """Whether new sources' values were checked by the caller (see validate)."""
        claims = self.child(self.root, "claims")
        count = len(claims.value) if isinstance(claims, SequenceNode) else 0
        self._claims: list[int | NewClaim] = list(range(count))
        self._new_citations: dict[int, list[dict[str, Value]]] = {}
        self._new_ignores: list[Value] = []
        self._new_libraries: list[str] = []
        self._removed: list[tuple[int, int]] = []
        """Regions of the text taken out; no other splice may land inside one."""
        self._removed_slots: set[int] = set()

    @classmethod
    def from_bytes(cls, path: str | Path, data: bytes) -> MapEditor:
        """An editor for the map at path whose bytes were already read (by the loader)."""
        return cls(path, data)

    # -- finding nodes ---------------------------------------------------------------------

    @staticmethod
    def entry(node: Node, key: str) -> tuple[Node, Node] | None:
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if k.value == key:
                    return k, v
        return None

    @classmethod
    def child(cls, node: Node, key: str) -> Node | None:
        found = cls.entry(node, key)
        return found[1] if found else None

    def claim_node(self, index: int) -> MappingNode:
        slot = self._claims[index]
        if not isinstance(slot, int):
            raise IndexError(index)
        claims = self.child(self.root, "claims")
        assert isinstance(claims, SequenceNode)
        node = claims.value[slot]
        if not isinstance(node, MappingNode):
            raise SchemaError("a claim must be a mapping", span=self._span(node))
        return node

    def _span(self, node: Node) -> Span:
        return yamlio.node_span(node, self.display)

    def _in_flow(self, node: Node) -> bool:
        """Whether a node sits inside a flow collection, where `,[]{}` end a plain scalar."""
        if self._flow_ids is None:
            self._flow_ids = set()
            stack: list[Node] = [self.root]
            while stack:  # block collections only: a map is mostly block scalars
                current = stack.pop()
                if not isinstance(current, (MappingNode, SequenceNode)):
                    continue
                if current.flow_style:
                    self._flow_ids.update(_descendants(current))
                elif isinstance(current, MappingNode):
                    stack.extend(v for _, v in current.value if not isinstance(v, ScalarNode))
                else:
                    stack.extend(i for i in current.value if not isinstance(i, ScalarNode))
        return id(node) in self._flow_ids

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            self._layout = Layout(self.text, Renderer(self.style(), KEY_ORDERS), self.display)
        return self._layout

    def style(self) -> MapStyle:
        """The file's writing style, as new entries follow it."""
        sources, claims = self.child(self.root, "sources"), self.child(self.root, "claims")
        positions = Positions(self.text)
        blanks = {"sources": positions.separated(sources) if sources else None,
                  "claims": positions.separated(claims) if claims else None}
        fallback = bool(blanks["sources"] or blanks["claims"])
        return survey_style(self.text, self.root, {k: fallback if v is None else v
                                                   for k, v in blanks.items()})

    def _add(self, splice: Splice) -> None:
        """Record a splice; a value set twice keeps the last, insertions all stay. A splice
        inside a removed region is dropped; a removal drops the splices inside it."""
        if any(a <= splice.start and splice.end <= b and (a, b) != (splice.start, splice.end)
               and (splice.start != splice.end or a < splice.start < b)
               for a, b in self._removed):
            return
        self._order += 1
        place = (splice.start, splice.end, 0 if splice.start < splice.end else self._order)
        self._splices[place] = Splice(splice.start, splice.end, splice.new, self._order)

    # -- changing values -------------------------------------------------------------------

    def set_scalar(self, node: ScalarNode, value: str) -> None:
        """Replace a scalar's value, keeping what surrounds it byte for byte."""
        start, end = node.start_mark.index, node.end_mark.index
        if node.value == value and not yamlio.is_null(node):
            return
        original = self.text[start:end]
        trailing = original[len(original.rstrip("\r\n")):] if node.style in ("|", ">") else ""
        # an empty block value sits right after its colon, which needs a space after it
        pad = " " if start == end and self.text[start - 1:start] == ":" else ""
        self._add(Splice(start, end, pad + render_scalar(value, node, self._in_flow(node)) + trailing))

    def set_claim_field(self, index: int, key: str, value: str) -> None:
        """Set a text field of the claim at index; a missing key is added after 'quote'."""
        slot = self._claims[index]
        if not isinstance(slot, int):
            slot[key] = value
            return
        self._set_field(self.claim_node(index), key, value, "quote", "claims")

    def set_claim_field_in_order(self, index: int, key: str, value: Value) -> None:
        """Set a text field of a claim; a missing key goes where the format orders it (after
        the last key present that comes before it in CLAIM_KEYS)."""
        slot = self._claims[index]
        if not isinstance(slot, int):
            slot[key] = value
            return
        node = self.claim_node(index)
        present = [str(k.value) for k, _ in node.value]
        ahead = CLAIM_KEYS[:CLAIM_KEYS.index(key)] if key in CLAIM_KEYS else tuple(present)
        earlier = [k for k in present if k in ahead]
        after = earlier[-1] if earlier else None
        if not isinstance(value, str) and isinstance(self.child(node, key), (MappingNode,
                                                                            SequenceNode)):
            self.remove_key(node, key)  # a list replaced whole: out with the old lines
            self._add(self.layout.new_key(node, key, value, after, "claims"))
            return
        self._set_field(node, key, value, after, "claims")

    def set_source_field(self, key: str, field: str, value: str) -> None:
        """Set or add a text field of a source (a redirected url, an archive URL and its
        date, a refreshed accessed date); a new field goes where the format orders it."""
        if key in self._source_fields:
            self._source_fields[key][field] = value
            return
        source = self._source_node(key)
        present = [str(k.value) for k, _ in source.value]
        if field in SOURCE_KEYS:
            ahead = SOURCE_KEYS[:SOURCE_KEYS.index(field)]
            earlier = [k for k in present if k in ahead]
        else:  # a field the format does not order goes last
            earlier = present
        self._set_field(source, field, value, earlier[-1] if earlier else None, "sources")

    def add_source_alias(self, key: str, alias: str) -> None:
        """Add a citekey to a source's aliases (`ids`), creating the list where it is missing;
        the source may be one added by this editor."""
        if key in self._source_fields:
            fields = self._source_fields[key]
            old = fields.get("ids")
            fields["ids"] = [*(old if isinstance(old, list) else []), alias]
            return
        self._source_node(key)  # KeyError for a source the map does not have
        self._new_aliases.setdefault(key, []).append(alias)

    def _alias_splices(self, key: str, aliases: list[str]) -> list[Splice]:
        source = self._source_node(key)
        pieces: list[Value] = list(aliases)
        found = self.entry(source, "ids")
        if found is None:
            present = [str(k.value) for k, _ in source.value]
            ahead = SOURCE_KEYS[:SOURCE_KEYS.index("ids")]
            earlier = [k for k in present if k in ahead]
            return [self.layout.new_key(source, "ids", pieces,
                                        earlier[-1] if earlier else None, "sources")]
        name, node = found
        if is_empty(node):
            return self.layout.fill_empty(source, name, node, pieces, "sources",
                                          self._in_flow(node))
        if not isinstance(node, SequenceNode):
            raise self.layout.not_a(node, f"source '{inert(key)}': 'ids'", "a list")
        return [self.layout.into_collection(node, None, pieces, "sources", False)]

    def _set_field(self, mapping: MappingNode, key: str, value: Value, after: str | None,
                   section: str) -> None:
        node = self.child(mapping, key)
        if isinstance(node, ScalarNode) and isinstance(value, str):
            self.set_scalar(node, value)
        elif node is not None:
            raise SchemaError(f"'{inert(key)}' is not text", span=self._span(node))
        else:
            if self.child(mapping, after or "") is None and after is not None:
                after = mapping.value[-1][0].value if mapping.value else None
            self._add(self.layout.new_key(mapping, key, value, after, section))

    def _source_node(self, key: str) -> MappingNode:
        sources = self.child(self.root, "sources")
        source = self.child(sources, key) if sources is not None else None
        if not isinstance(source, MappingNode):
            raise KeyError(key)
        return source

    # -- removing entries ------------------------------------------------------------------

    def _remove(self, start: int, end: int, new: str = "") -> None:
        """Take text[start:end] out (or put new in its place), with every splice inside it."""
        self._splices = {k: v for k, v in self._splices.items()
                         if not (start <= v.start and v.end <= end)
                         or (v.start == v.end and v.start in (start, end))}
        self._removed.append((start, end))
        self._order += 1
        self._splices[(start, end, 0)] = Splice(start, end, new, self._order)

    def _remove_entry(self, container: MappingNode | SequenceNode, index: int) -> None:
        """Remove one entry of a collection holding more than one: its lines (and the comment
        lines just above it) in a block collection, its text and comma in a flow one."""
        pos = Positions(self.text)
        heads = [entry_head(container, i) for i in range(len(container.value))]
        tails = [entry_tail(container, i) for i in range(len(container.value))]
        last = index == len(heads) - 1
        if container.flow_style or self._in_flow(container):
            if not last:
                self._remove(heads[index].start_mark.index, heads[index + 1].start_mark.index)
            else:
                self._remove(tails[index - 1].end_mark.index, tails[index].end_mark.index)
            return
        floor = pos.after_entry(tails[index - 1]) if index else 0
        start = pos.entry_start(heads[index].start_mark.index, floor)
        end = pos.line_end(pos.last_leaf_end(tails[index]))
        end = self.text.find("\n", end) + 1 or len(self.text)
        if not last:  # the blank lines after it separated it from the next entry
            while _blank_line_at(self.text, end):
                end = self.text.find("\n", end) + 1 or len(self.text)
        else:  # the blank lines before it separated it from the one before
            while start > floor and _blank_line_at(self.text, pos.line_start(start - 1)):
                start = pos.line_start(start - 1)
        self._remove(start, end)

    def _empty_value(self, key: Node, value: Node, empty: str) -> None:
        """Replace a key's collection by an empty one (`[]`, `{}`), keeping the key."""
        pos = Positions(self.text)
        colon = self.text.index(":", key.end_mark.index)
        self._remove(colon + 1, pos.after_entry(value), " " + empty)

    def remove_claim(self, index: int) -> None:
        """Remove the claim at index (an existing one: indices stay as they were)."""
        slot = self._claims[index]
        if not isinstance(slot, int):
            self._claims[index] = {}
            return
        self.claim_node(index)
        found = self.entry(self.root, "claims")
        assert found is not None
        key, claims = found
        assert isinstance(claims, SequenceNode)
        self._removed_slots.add(slot)
        if len(self._removed_slots) == len(claims.value):
            self._empty_value(key, claims, "[]")
        else:
            self._remove_entry(claims, slot)

    def claim_citations(self, index: int) -> SequenceNode | None:
        node = self.child(self.claim_node(index), "citations")
        return node if isinstance(node, SequenceNode) else None

    def remove_citations(self, index: int, which: set[int]) -> None:
        """Remove the citations at the given positions of an existing claim's list; removing
        them all removes the `citations` key."""
        claim = self.claim_node(index)
        citations = self.claim_citations(index)
        if citations is None or not which:
            return
        if len(which) >= len(citations.value):
            self.remove_key(claim, "citations")
            return
        for i in sorted(which):
            self._remove_entry(citations, i)

    def citation_node(self, index: int, position: int) -> MappingNode:
        citations = self.claim_citations(index)
        node = citations.value[position] if citations is not None else None
        if not isinstance(node, MappingNode):
            raise IndexError(position)
        return node

    def set_citation_field(self, index: int, position: int, key: str, value: str) -> None:
        """Set the locator or excerpt of an existing citation (added after 'source' if absent)."""
        node = self.citation_node(index, position)
        present = [str(k.value) for k, _ in node.value]
        ahead = CITATION_KEYS[:CITATION_KEYS.index(key)] if key in CITATION_KEYS else present
        earlier = [k for k in present if k in ahead]
        self._set_field(node, key, value, earlier[-1] if earlier else None, "citations")

    def remove_key(self, mapping: MappingNode, key: str) -> None:
        """Remove the entry `key` of a mapping that holds other entries too."""
        keys = [str(k.value) for k, _ in mapping.value]
        if key not in keys:
            return
        if len(keys) == 1:
            raise SchemaError(f"'{inert(key)}' is the only entry left", span=self._span(mapping))
        self._remove_entry(mapping, keys.index(key))

    def remove_claim_field(self, index: int, key: str) -> None:
        slot = self._claims[index]
        if not isinstance(slot, int):
            slot.pop(key, None)
            return
        self.remove_key(self.claim_node(index), key)

    def remove_source_field(self, key: str, field: str) -> None:
        if key in self._source_fields:
            self._source_fields[key].pop(field, None)
            return
        self.remove_key(self._source_node(key), field)

    def remove_source(self, key: str) -> None:
        """Remove a source (its citations are the caller's business)."""
        found = self.entry(self.root, "sources")
        self._source_node(key)
        assert found is not None
        name, sources = found
        assert isinstance(sources, MappingNode)
        keys = [str(k.value) for k, _ in sources.value]
        if len(keys) == 1:
            self._empty_value(name, sources, "{}")
        else:
            self._remove_entry(sources, keys.index(key))

    def rename_source(self, key: str, new: str) -> int:
        """Give a source a new citekey, and every citation of it; the number of citations."""
        sources = self.child(self.root, "sources")
        assert isinstance(sources, MappingNode)
        self._source_node(key)
        key_node = next(k for k, _ in sources.value if k.value == key)
        self.set_scalar(key_node, new)
        count = 0
        claims = self.child(self.root, "claims")
        for claim in claims.value if isinstance(claims, SequenceNode) else ():
            citations = self.child(claim, "citations")
            for citation in citations.value if isinstance(citations, SequenceNode) else ():
                source = self.child(citation, "source")
                if isinstance(source, ScalarNode) and source.value == key:
                    self.set_scalar(source, new)
                    count += 1
        return count

    # -- inserting entries -----------------------------------------------------------------

    def add_source(self, key: str, fields: Mapping[str, Value]) -> None:
        """A new source: fields in the map's YAML shape (text; authors/editors as lists of
        {family, given} or {literal}; tags as a list of text). It lands in key order when the
        file's sources are sorted by key, else at the end."""
        if self._source_keys is None:
            sources = self.child(self.root, "sources")
            self._source_keys = ({str(k.value) for k, _ in sources.value}
                                 if isinstance(sources, MappingNode) else set())
        if key in self._source_fields or key in self._source_keys:
            raise SchemaError(f"source '{inert(key)}' is already in the map", path=self.display)
        entry = dict(fields)
        self._source_fields[key] = entry
        self._new_sources.append((key, entry))

    def add_citation(self, claim_index: int, source: str, excerpt: str | None = None,
                     locator: str | None = None) -> None:
        """A citation appended to a claim's citations (the list is created if absent)."""
        citation: dict[str, Value] = {"source": source, "locator": locator, "excerpt": excerpt}
        citation = {k: v for k, v in citation.items() if v is not None}
        slot = self._claims[claim_index]
        if isinstance(slot, int):
            self.claim_node(claim_index)  # a claim that is not a mapping fails here
            self._new_citations.setdefault(slot, []).append(citation)
        else:
            existing = slot.setdefault("citations", [])
            assert isinstance(existing, list)
            existing.append(citation)

    def add_ignore(self, fields: Mapping[str, Value]) -> None:
        """A sentence appended to the map's `ignore` list ({quote, prefix?, suffix?}); the
        list is made, after the claims, if the map has none."""
        self._new_ignores.append(dict(fields))

    def add_library(self, path: str) -> None:
        """Name one more linked library in `bibliography:` (`refmap import --link`): a single
        name becomes a list; a map without the key gets it before `sources:` (or `claims:`)."""
        self._new_libraries.append(path)

    def insert_claim(self, index: int, fields: Mapping[str, Value]) -> None:
        """A new claim at position index of the claims list (the caller knows essay order)."""
        if not 0 <= index <= len(self._claims):
            raise IndexError(index)
        claim = dict(fields)
        citations = claim.get("citations")
        if isinstance(citations, list):
            claim["citations"] = list(citations)  # add_citation appends to our own copy
        self._claims.insert(index, claim)

    # -- planning insertions ---------------------------------------------------------------

    def _insertions(self) -> list[Splice]:
        """Splices for the pending insertions. Where two land at one place (the end of the
        last claim, say, and a new claim after it), the deeper one goes first: citations,
        then sources, then claims."""
        splices: list[Splice] = []
        for key, aliases in self._new_aliases.items():
            splices += self._alias_splices(key, aliases)
        for slot, citations in sorted(self._new_citations.items()):
            splices += self._citation_splices(slot, citations)
        if self._new_sources:
            splices += self._source_splices()
        if any(not isinstance(slot, int) and slot for slot in self._claims):
            splices += self._claim_splices()
        if self._new_ignores:
            splices += self._section("ignore", list(self._new_ignores), as_mapping=False)
        if self._new_libraries:
            splices += self._library_splices()
        return splices

    def _library_splices(self) -> list[Splice]:
        names: list[Value] = list(self._new_libraries)
        found = self.entry(self.root, "bibliography")
        if not isinstance(self.root, MappingNode) or self.root.flow_style or (
                found is not None and not isinstance(found[1], ScalarNode)) or (
                found is not None and is_empty(found[1])):
            return self._section("bibliography", names, as_mapping=False)
        layout = self.layout
        if found is not None:  # one name: the entry becomes a list of the names
            key, node = found
            col = key.start_mark.column
            lines = layout.render.entry_lines("bibliography", [node.value, *names], col)
            lines[0] = lines[0][col:]
            return [Splice(key.start_mark.index, node.end_mark.index, layout.nl.join(lines))]
        before = self.entry(self.root, "sources") or self.entry(self.root, "claims")
        if before is None:
            return self._section("bibliography", names, as_mapping=False)
        value: Value = names[0] if len(names) == 1 else names
        col = self.root.value[0][0].start_mark.column
        lines = layout.render.entry_lines("bibliography", value, col)
        pos = layout.entry_start(before[0].start_mark.index)
        return [Splice(pos, pos, layout.nl.join(lines) + layout.nl)]

    def _section(self, name: str, pieces: list[Value], as_mapping: bool) -> list[Splice]:
        """Splices that add pieces to a top-level section, whatever state it is in."""
        found = self.entry(self.root, name)
        value: Value = dict(pieces) if as_mapping else pieces  # type: ignore[arg-type]
        if not isinstance(self.root, MappingNode):
            raise self.layout.not_a(self.root, "a claims map", "a mapping")
        if found is None:
            return [self._new_section(name, value)]
        key, node = found
        if is_empty(node):
            return self.layout.fill_empty(self.root, key, node, value, name, self._in_flow(node))
        kind = MappingNode if as_mapping else SequenceNode
        if not isinstance(node, kind):
            raise self.layout.not_a(node, f"'{name}'", "a mapping" if as_mapping else "a list")
        return [self.layout.into_collection(node, None, pieces, name,
                                            self.layout.render.style.blank_between.get(name, False))]

    def _new_section(self, name: str, value: Value) -> Splice:
        layout = self.layout
        assert isinstance(self.root, MappingNode)
        if self.root.flow_style:
            return layout.new_key(self.root, name, value, self.root.value[-1][0].value, name)
        lines = layout.render.entry_lines(name, value, self.root.value[0][0].start_mark.column)
        block = layout.nl.join(lines)
        claims = self.entry(self.root, "claims")
        if name == "sources" and claims is not None:
            pos = layout.entry_start(claims[0].start_mark.index)
            spaced = self.text[:pos].endswith(layout.nl * 2)  # keep the blank line before claims
            return Splice(pos, pos, block + layout.nl * (2 if spaced else 1))
        pos = layout.after_entry(self.root)
        return Splice(pos, pos, layout.nl + block)

    def _source_splices(self) -> list[Splice]:
        sources = self.child(self.root, "sources")
        if not isinstance(sources, MappingNode) or not sources.value:
            # a new section is rendered as one mapping of mappings: each source's fields in
            # their order here (into a non-empty section, each is ordered as it is written)
            return self._section("sources", [(k, self._ordered_source(f))
                                             for k, f in self._new_sources], as_mapping=True)
        pieces: list[tuple[str, Value]] = list(self._new_sources)
        keys = [str(k.value) for k, _ in sources.value]
        by_key = next((f for f in (lambda s: s, str.casefold)
                       if all(f(a) <= f(b) for a, b in zip(keys, keys[1:]))), None)
        if by_key is None:
            return self._section("sources", list(pieces), as_mapping=True)
        ranks = [by_key(k) for k in keys]
        groups: dict[int, list[Value]] = {}
        for key, fields in sorted(pieces, key=lambda p: by_key(p[0])):
            groups.setdefault(bisect.bisect_right(ranks, by_key(key)), []).append((key, fields))
        blank = self.layout.render.style.blank_between.get("sources", False)
        return [self.layout.into_collection(sources, None if at == len(keys) else at, group,
                                            "sources", blank)
                for at, group in groups.items()]

    @staticmethod
    def _ordered_source(fields: Mapping[str, Value]) -> dict[str, Value]:
        return dict(ordered(fields, SOURCE_KEYS))

    def _claim_splices(self) -> list[Splice]:
        claims = self.child(self.root, "claims")
        if not isinstance(claims, SequenceNode) or not claims.value:
            news: list[Value] = [s for s in self._claims if not isinstance(s, int) and s]
            return self._section("claims", news, as_mapping=False)
        groups: dict[int | None, list[Value]] = {}
        pending: list[Value] = []
        for slot in self._claims:
            if isinstance(slot, int) and slot in self._removed_slots:
                continue
            if isinstance(slot, int):
                if pending:
                    groups[slot], pending = pending, []
            elif slot:  # a new claim removed again is an empty dict
                pending.append(slot)
        if pending:
            groups[None] = pending
        blank = self.layout.render.style.blank_between.get("claims", False)
        return [self.layout.into_collection(claims, before, group, "claims", blank)
                for before, group in groups.items()]

    def _citation_splices(self, slot: int, citations: list[dict[str, Value]]) -> list[Splice]:
        claims = self.child(self.root, "claims")
        assert isinstance(claims, SequenceNode)
        claim = claims.value[slot]
        found = self.entry(claim, "citations")
        pieces: list[Value] = list(citations)
        if found is None:
            last = claim.value[-1][0].value
            return [self.layout.new_key(claim, "citations", pieces, last, "citations")]
        key, node = found
        if is_empty(node):
            return self.layout.fill_empty(claim, key, node, pieces, "citations", self._in_flow(node))
        if not isinstance(node, SequenceNode):
            raise self.layout.not_a(node, "'citations'", "a list")
        return [self.layout.into_collection(node, None, pieces, "citations", False)]

    # -- result ----------------------------------------------------------------------------

    def _pieces(self) -> list[tuple[int, int, str]]:
        """Every edit as (start, end, new) on the original text, in text order, none
        overlapping: where two would, the earlier one stops where the later one starts."""
        splices = list(self._splices.values()) + [
            Splice(*self._outside_removals(s.start, s.end), s.new, self._order + 1 + i)
            for i, s in enumerate(self._insertions())]
        pieces: list[tuple[int, int, str]] = []
        done = len(self.text)
        # at one place, what replaces text comes after what is inserted before it
        for splice in sorted(splices, key=lambda s: (s.start, s.end > s.start, s.order),
                             reverse=True):
            start = min(splice.start, done)
            pieces.append((start, max(start, min(splice.end, done)), splice.new))
            done = start
        return pieces[::-1]

    def result(self) -> str:
        """The map's text with every edit applied."""
        return self._assemble(self._pieces())

    def _assemble(self, pieces: list[tuple[int, int, str]]) -> str:
        parts: list[str] = []
        pos = 0
        for start, end, new in pieces:
            parts += [self.text[pos:start], new]
            pos = end
        parts.append(self.text[pos:])
        return "".join(parts)

    def _outside_removals(self, start: int, end: int) -> tuple[int, int]:
        """An insertion point that falls inside a removed region (after the last entry of a
        list whose last entry is removed) moves to the end of the line before the region."""
        if start != end:
            return start, end
        for a, b in self._removed:
            if a < start < b:
                start = a - 1 if self.text[a - 1:a] == "\n" else a
                if self.text[start - 1:start] == "\r":
                    start -= 1
                return start, start
        return start, end

    def validate(self) -> str:
        """The edited text, after checking that it still loads as a claims map.

        An editor with no edits has nothing to check (the map was valid when read); with
        `trust_added`, an edit that only adds sources (and aliases) whose values the caller
        checked (`schema.source_problem`) is not loaded again either. Otherwise the whole text
        is composed again (YAML syntax, duplicate keys, aliases), but only the claims and
        sources that an edit touched are built into the model again: the others are byte for
        byte entries that loaded before, in an unchanged list, so an edit of one claim in ten
        thousand costs a parse, not a second load."""
        pieces = self._pieces()
        new = self._assemble(pieces)
        if new == self.text or (self.trust_added and self._only_added_sources()):
            return new
        touched: list[tuple[int, int]] = []
        delta = 0
        for start, end, text in pieces:  # where each edit stands in the new text
            touched.append((start + delta, start + delta + len(text)))
            delta += len(text) - (end - start)
        with gc_paused():
            root = yamlio.compose(new, self.display)
            build_map(_touched_only(root, touched), self.display)
        return new

    def _only_added_sources(self) -> bool:
        return (not self._splices and not self._new_citations
                and all(isinstance(slot, int) for slot in self._claims)
                and all(valid_citekey(key) for key, _ in self._new_sources)
                and all(valid_citekey(a) for aliases in self._new_aliases.values()
                        for a in aliases))

    def diff(self) -> str:
        """The edits as a unified diff (after checking that the result loads as a map). The
        hunks come from the edits themselves (refmap.mapfile.hunks), not from comparing the
        two texts, so a diff costs what the edit does."""
        from refmap.mapfile.hunks import changes, unified

        self.validate()
        found = changes(self.text, self._pieces())
        return unified(self.text.splitlines(keepends=True), found, f"a/{self.display}",
                       f"b/{self.display}")

    def save(self) -> bool:
        """Write the edits atomically; False (and nothing written) when there are none."""
        new = self.validate()
        if new == self.text:
            return False
        bom = b"\xef\xbb\xbf" if self.original.startswith(b"\xef\xbb\xbf") else b""
        atomic_write(self.path, new, expect_unchanged=self.original, prefix_bytes=bom)
        return True


def _touched_only(root: Node, touched: list[tuple[int, int]]) -> Node:
    """The map's node tree with only the claims and sources an edit touched (text ranges of
    the new text), for validation; the tree itself when its lists are not block lists."""
    if not isinstance(root, MappingNode) or root.flow_style:
        return root

    los, his = [lo for lo, _ in touched], [hi for _, hi in touched]  # sorted, apart

    def hit(first: Node, last: Node) -> bool:
        a, b = first.start_mark.index, last.end_mark.index
        i = bisect.bisect_left(his, a)  # the first edit that ends at or after a
        return i < len(los) and los[i] <= b

    entries = []
    for key, value in root.value:
        if key.value == "claims" and isinstance(value, SequenceNode) and not value.flow_style:
            value = SequenceNode(value.tag, [i for i in value.value if hit(i, i)],
                                 value.start_mark, value.end_mark, flow_style=False)
        elif key.value == "sources" and isinstance(value, MappingNode) and not value.flow_style:
            value = MappingNode(value.tag, [(k, v) for k, v in value.value if hit(k, v)],
                                value.start_mark, value.end_mark, flow_style=False)
        entries.append((key, value))
    return MappingNode(root.tag, entries, root.start_mark, root.end_mark, flow_style=False)



def _blank_line_at(text: str, pos: int) -> bool:
    """Whether the line starting at pos holds only spaces (and is not the end of the text)."""
    end = text.find("\n", pos)
    return end != -1 and not text[pos:end].strip()


def _descendants(node: Node) -> list[int]:
    """The ids of every node inside a collection."""
    found: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            children = [v for _, v in current.value]
        elif isinstance(current, SequenceNode):
            children = list(current.value)
        else:
            continue
        found.extend(id(child) for child in children)
        stack.extend(children)
    return found
