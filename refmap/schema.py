"""From composed YAML nodes to the model, with typed, located errors.

Every error names the file, line and column of the offending value and the key path that leads
to it. Unknown keys do not stop loading: they become warnings with a did-you-mean suggestion.
"""

from __future__ import annotations

import re
from pathlib import Path

from refmap import yamlio
from refmap.errors import SchemaError
from refmap.findings import WARNING, Finding
from refmap.model import (
    CLAIM_KINDS,
    FORMAT_VERSION,
    OPINION_KINDS,
    SOURCE_TYPES,
    STATUSES,
    Citation,
    Claim,
    ClaimsMap,
    EssayRecord,
    Name,
    Source,
)
from refmap.spans import Span
from refmap.yamlio import MappingNode, Node, ScalarNode, SequenceNode

TOP_KEYS = ("version", "essay", "sources", "claims")
ESSAY_KEYS = ("path", "title", "authors", "publisher", "venue", "date", "url")
SOURCE_KEYS = (
    "type", "title", "authors", "editors", "site", "journal", "booktitle", "publisher",
    "institution", "date", "url", "accessed", "archive", "language", "note", "tags",
)
NAME_KEYS = ("family", "given", "literal")
CLAIM_KEYS = ("id", "quote", "kind", "status", "tags", "note", "prefix", "suffix", "citations")
CITATION_KEYS = ("source", "locator", "excerpt")

CITEKEY = re.compile(r"[A-Za-z0-9_]+(?:[:.\-/][A-Za-z0-9_]+)*\Z")
HAS_LETTER = re.compile(r"[A-Za-z]")  # biber rejects all-digit keys
CLAIM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")

_KIND_OF_NODE = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "text"}


def parse_date(text: str) -> tuple[int, ...] | None:
    """The parts of an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD), or None if malformed."""
    m = DATE.match(text)
    if not m:
        return None
    parts = tuple(int(p) for p in m.groups() if p is not None)
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= _days_in_month(parts[0], parts[1]):
        return None
    return parts


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _close_match(word: str, choices) -> str | None:
    from refmap.suggest import did_you_mean  # only when something is misspelt

    return did_you_mean(word, choices, cutoff=0.6)


class _Builder:
    """Walks one map's node tree; holds the path for spans and collects warnings."""

    def __init__(self, path: str):
        self.path = path
        self.warnings: list[Finding] = []

    # -- primitives ------------------------------------------------------------------------

    def span(self, node: Node) -> Span:
        mark = node.start_mark
        return Span(self.path, mark.line + 1, mark.column + 1)

    def fail(self, node: Node, message: str) -> SchemaError:
        return SchemaError(message, span=self.span(node))

    def mapping(self, node: Node, where: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{where} must be a mapping, not {_KIND_OF_NODE[type(node)]}")
        fields: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value
            if name in allowed:
                fields[name] = value
            else:
                self.unknown_key(key, where, allowed)
        return fields

    def unknown_key(self, key: Node, where: str, allowed: tuple[str, ...]) -> None:
        close = _close_match(key.value, allowed)
        hint = f"; did you mean '{close}'?" if close else ""
        self.warnings.append(
            Finding(
                "unknown-key", WARNING,
                f"unknown key '{key.value}' in {where} is ignored{hint}", self.span(key),
            )
        )

    def text(self, node: Node, where: str, *, required: bool = False) -> str | None:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{where} must be text, not {_KIND_OF_NODE[type(node)]}")
        if yamlio.is_null(node):
            if required:
                raise self.fail(node, f"{where} must not be empty")
            return None
        return node.value

    def required(self, fields: dict[str, Node], key: str, owner: Node, where: str) -> Node:
        node = fields.get(key)
        if node is None:
            raise self.fail(owner, f"{where} is missing required key '{key}'")
        return node

    def opt_text(self, fields: dict[str, Node], key: str, where: str) -> str | None:
        node = fields.get(key)
        return None if node is None else self.text(node, f"{where}: '{key}'")

    def date(self, fields: dict[str, Node], key: str, where: str) -> str | None:
        value = self.opt_text(fields, key, where)
        if value is not None and parse_date(value) is None:
            raise self.fail(
                fields[key],
                f"{where}: malformed date '{value}' in '{key}' "
                "(expected YYYY, YYYY-MM or YYYY-MM-DD)",
            )
        return value

    def choice(self, node: Node, where: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, where, required=True)
        if value not in choices:
            close = _close_match(value, choices)
            hint = f"; did you mean '{close}'?" if close else f" (one of: {', '.join(choices)})"
            raise self.fail(node, f"{where}: unknown value '{value}'{hint}")
        return value

    def text_list(self, node: Node | None, where: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, ScalarNode) and not yamlio.is_null(node):
            raise self.fail(node, f"{where} must be a list")
        if not isinstance(node, SequenceNode):
            return ()
        return tuple(self.text(item, f"{where} item", required=True) for item in node.value)

    def names(self, node: Node | None, where: str) -> tuple[Name, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{where} must be a list of names")
        return tuple(self.name(item, f"{where} item {i + 1}") for i, item in enumerate(node.value))

    def name(self, node: Node, where: str) -> Name:
        if isinstance(node, ScalarNode):
            raise self.fail(
                node,
                f"{where} must be a mapping: {{family: ..., given: ...}} for a person or "
                "{literal: ...} for an organisation",
            )
        fields = self.mapping(node, where, NAME_KEYS)
        literal = self.opt_text(fields, "literal", where)
        family = self.opt_text(fields, "family", where)
        given = self.opt_text(fields, "given", where)
        if literal is not None and (family is not None or given is not None):
            raise self.fail(node, f"{where}: a name is either literal or family/given, not both")
        if literal is None and family is None:
            raise self.fail(node, f"{where} needs 'family' (a person) or 'literal' (an organisation)")
        return Name(family=family, given=given, literal=literal)

    def field_spans(self, fields: dict[str, Node]) -> dict[str, Span]:
        return {k: self.span(v) for k, v in fields.items()}

    # -- sections --------------------------------------------------------------------------

    def claims_map(self, root: Node) -> ClaimsMap:
        top = self.mapping(root, "the map", TOP_KEYS)
        version_node = self.required(top, "version", root, "the map")
        version = self.text(version_node, "version", required=True)
        if version != str(FORMAT_VERSION):
            raise self.fail(
                version_node,
                f"unsupported format version '{version}' (this refmap reads version {FORMAT_VERSION})",
            )
        essay = self.essay(self.required(top, "essay", root, "the map"))
        sources = self.sources(top.get("sources"))
        claims = self.claims(top.get("claims"))
        return ClaimsMap(
            path=self.path, version=FORMAT_VERSION, essay=essay, sources=sources,
            claims=claims, warnings=tuple(self.warnings),
        )

    def essay(self, node: Node) -> EssayRecord:
        fields = self.mapping(node, "essay", ESSAY_KEYS)
        path_node = self.required(fields, "path", node, "essay")
        return EssayRecord(
            path=self.text(path_node, "essay: 'path'", required=True),
            title=self.opt_text(fields, "title", "essay"),
            authors=self.names(fields.get("authors"), "essay: 'authors'"),
            publisher=self.opt_text(fields, "publisher", "essay"),
            venue=self.opt_text(fields, "venue", "essay"),
            date=self.date(fields, "date", "essay"),
            url=self.opt_text(fields, "url", "essay"),
            path_span=self.span(path_node),
        )

    def sources(self, node: Node | None) -> dict[str, Source]:
        if node is None or yamlio.is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            raise self.fail(node, "'sources' must be a mapping of citekeys to records")
        sources: dict[str, Source] = {}
        for key_node, value in node.value:
            key = key_node.value
            if not (CITEKEY.match(key) and HAS_LETTER.search(key)):
                raise self.fail(
                    key_node,
                    f"invalid citekey '{key}': use letters, digits and _, joined by single "
                    ": . - /, with at least one letter",
                )
            sources[key] = self.source(key, value)
        return sources

    def source(self, key: str, node: Node) -> Source:
        where = f"source '{key}'"
        fields = self.mapping(node, where, SOURCE_KEYS)
        kind = self.choice(self.required(fields, "type", node, where), f"{where}: 'type'",
                           tuple(SOURCE_TYPES))
        return Source(
            key=key,
            type=kind,
            title=self.opt_text(fields, "title", where),
            authors=self.names(fields.get("authors"), f"{where}: 'authors'"),
            editors=self.names(fields.get("editors"), f"{where}: 'editors'"),
            site=self.opt_text(fields, "site", where),
            journal=self.opt_text(fields, "journal", where),
            booktitle=self.opt_text(fields, "booktitle", where),
            publisher=self.opt_text(fields, "publisher", where),
            institution=self.opt_text(fields, "institution", where),
            date=self.date(fields, "date", where),
            url=self.opt_text(fields, "url", where),
            accessed=self.date(fields, "accessed", where),
            archive=self.opt_text(fields, "archive", where),
            language=self.opt_text(fields, "language", where),
            note=self.opt_text(fields, "note", where),
            tags=self.text_list(fields.get("tags"), f"{where}: 'tags'"),
            span=self.span(node),
            field_spans=self.field_spans(fields),
        )

    def claims(self, node: Node | None) -> tuple[Claim, ...]:
        if node is None or yamlio.is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "'claims' must be a list of claims")
        return tuple(self.claim(item, i + 1) for i, item in enumerate(node.value))

    def claim(self, node: Node, number: int) -> Claim:
        where = f"claim {number}"
        fields = self.mapping(node, where, CLAIM_KEYS)
        id_node = self.required(fields, "id", node, where)
        claim_id = self.text(id_node, f"{where}: 'id'", required=True)
        if not CLAIM_ID.match(claim_id):
            raise self.fail(
                id_node,
                f"{where}: invalid id '{claim_id}' (letters, digits, '.', '_' and '-', "
                "starting with a letter or digit)",
            )
        where = f"claim '{claim_id}'"
        quote_node = self.required(fields, "quote", node, where)
        quote = self.text(quote_node, f"{where}: 'quote'", required=True)
        if not quote.strip():
            raise self.fail(quote_node, f"{where}: 'quote' is empty")
        kind = self.choice(self.required(fields, "kind", node, where), f"{where}: 'kind'", CLAIM_KINDS)
        citations = self.citations(fields.get("citations"), where)
        status_node = fields.get("status")
        if status_node is not None:
            status = self.choice(status_node, f"{where}: 'status'", STATUSES)
        elif kind in OPINION_KINDS:
            status = "opinion"
        else:
            status = "sourced" if citations else "unsourced"
        return Claim(
            id=claim_id, quote=quote, kind=kind, status=status,
            status_given=status_node is not None,
            tags=self.text_list(fields.get("tags"), f"{where}: 'tags'"),
            note=self.opt_text(fields, "note", where),
            prefix=self.opt_text(fields, "prefix", where),
            suffix=self.opt_text(fields, "suffix", where),
            citations=citations,
            span=self.span(node), quote_span=self.span(quote_node), id_span=self.span(id_node),
        )

    def citations(self, node: Node | None, where: str) -> tuple[Citation, ...]:
        if node is None or yamlio.is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{where}: 'citations' must be a list")
        return tuple(self.citation(item, f"{where} citation {i + 1}")
                     for i, item in enumerate(node.value))

    def citation(self, node: Node, where: str) -> Citation:
        fields = self.mapping(node, where, CITATION_KEYS)
        source_node = self.required(fields, "source", node, where)
        return Citation(
            source=self.text(source_node, f"{where}: 'source'", required=True),
            locator=self.opt_text(fields, "locator", where),
            excerpt=self.opt_text(fields, "excerpt", where),
            span=self.span(node),
            source_span=self.span(source_node),
        )


def build_map(root: Node, path: str) -> ClaimsMap:
    """Turn a composed node tree into a ClaimsMap; raises SchemaError on the first bad value."""
    return _Builder(path).claims_map(root)


def load_map(path: str | Path) -> ClaimsMap:
    """Read, parse and validate a claims map file."""
    display = str(path)
    text = yamlio.read_text(Path(path), display)
    with yamlio.gc_paused():
        return build_map(yamlio.compose(text, display), display)
