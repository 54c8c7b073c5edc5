"""From composed YAML nodes to the model, with typed, located errors.

Every error names the file, line and column of the offending value and the key path that leads
to it, and every problem of the file is reported in one run: a bad value is recorded and the
walk goes on. Unknown keys do not stop loading: they become warnings with a did-you-mean
suggestion. Source fields are read from the one table in refmap.mapfile.model (SOURCE_FIELDS).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from refmap.mapfile import yamlio
from refmap.errors import SchemaError, SchemaErrors
from refmap.fileio import gc_paused
from refmap.findings import Finding, Severity
from refmap.mapfile.model import (
    FORMAT_VERSION,
    CAPTURED_VALUE,
    SOURCE_FIELDS,
    Citation,
    Claim,
    ClaimKind,
    ClaimsMap,
    EssayRecord,
    IgnoredSentence,
    LibraryRef,
    Name,
    Source,
    SourceType,
    Status,
    STATUS_SYNONYMS,
)
from refmap.mapfile.vocabulary import FIELD_SYNONYMS, TYPE_SYNONYMS
from refmap.essay.readers import FORMATS as ESSAY_FORMATS
from refmap.spans import Span
from refmap.values import control_character, has_visible, inert, parse_date
from refmap.mapfile.yamlio import MappingNode, Node, ScalarNode, SequenceNode

TOP_KEYS = ("version", "essay", "bibliography", "sources", "claims", "ignore")
IGNORE_KEYS = ("quote", "prefix", "suffix")
ESSAY_KEYS = ("path", "title", "authors", "publisher", "venue", "date", "url", "format")
SOURCE_KEYS = ("type", *(f.name for f in SOURCE_FIELDS))
NAME_KEYS = ("family", "given", "literal")
CLAIM_KEYS = ("id", "quote", "kind", "status", "tags", "note", "machine_note", "draft", "prefix",
              "suffix", "citations")
CITATION_KEYS = ("source", "locator", "excerpt")

CITEKEY = re.compile(r"[A-Za-z0-9_]+(?:[:.\-/][A-Za-z0-9_]+)*\Z")
HAS_LETTER = re.compile(r"[A-Za-z]")  # biber rejects all-digit keys
CLAIM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")

_FIELD_ORDER = {spec.name: i for i, spec in enumerate(SOURCE_FIELDS)}
_FIELD_KINDS = {spec.name: spec.kind for spec in SOURCE_FIELDS}
_NULLS = yamlio.NULLS

_KIND_OF_NODE = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "text"}
_E = TypeVar("_E", bound=StrEnum)

__all__ = ["build_map", "load_map", "parse_date", "valid_citekey"]


def valid_citekey(key: str) -> bool:
    """Letters, digits and _, joined by single : . - /, with at least one letter."""
    return bool(CITEKEY.match(key) and HAS_LETTER.search(key))


def _close_match(word: str, choices: Any) -> str | None:
    from refmap.suggest import did_you_mean  # only when something is misspelt

    return did_you_mean(word, choices, cutoff=0.6)


@functools.cache
def _key_set(allowed: tuple[str, ...]) -> frozenset[str]:
    """The keys a section allows, as a set: membership is asked once per key of the map."""
    return frozenset(allowed)


def _kind_of(node: Node) -> str:
    return _KIND_OF_NODE[type(node)]


class _Collecting:
    """A context that records a SchemaError raised in it and lets the builder go on.

    One reusable object per builder rather than a @contextmanager: the builder enters it for
    each value of the map, and a generator-based context costs several times as much.
    """

    __slots__ = ("errors",)

    def __init__(self, errors: list[SchemaError]):
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: object) -> bool:
        if isinstance(exc, SchemaError):
            self.errors.append(exc)
            return True
        return False


class _Builder:
    """Walks one map's node tree; holds the path for spans, collects warnings and errors."""

    def __init__(self, path: str):
        self.path = path
        self.warnings: list[Finding] = []
        self.errors: list[SchemaError] = []
        self._collecting = _Collecting(self.errors)

    # -- primitives ------------------------------------------------------------------------

    def span(self, node: Node) -> Span:
        mark = node.start_mark
        return Span(self.path, mark.line + 1, mark.column + 1)

    def fail(self, node: Node, message: str) -> SchemaError:
        return SchemaError(message, span=self.span(node))

    def collecting(self) -> _Collecting:
        """Record a schema error and go on with the next value."""
        return self._collecting

    def mapping(self, node: Node, where: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{where} must be a mapping, not {_kind_of(node)}")
        fields: dict[str, Node] = {}
        known = _key_set(allowed)
        for key, value in node.value:
            name = key.value
            if name in known:
                fields[name] = value
            else:
                self.unknown_key(key, where, allowed)
        return fields

    def unknown_key(self, key: Node, where: str, allowed: tuple[str, ...]) -> None:
        synonym = FIELD_SYNONYMS.get(str(key.value).lower()) if allowed is SOURCE_KEYS else None
        close = synonym or _close_match(key.value, allowed)
        hint = f"; did you mean '{close}'?" if close else ""
        self.warnings.append(Finding(
            "unknown-key", Severity.WARNING,
            f"unknown key '{key.value}' in {where} is ignored{hint}", self.span(key),
        ))

    def text(self, node: Node, where: str, *, required: bool = False) -> str | None:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{where} must be text, not {_kind_of(node)}")
        value: str = node.value
        if not node.style and value in _NULLS:  # yamlio.is_null, inline: once per value
            if required:
                raise self.fail(node, f"{where} must not be empty")
            return None
        bad = None if value.isprintable() else control_character(value)
        if bad is not None:
            raise self.fail(node, f"{where} holds a control character ({inert(value[bad])}); "
                                  "remove it or write the text out")
        return value

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

    def choice(self, node: Node, where: str, vocabulary: type[_E],
               synonyms: dict[str, _E] | None = None) -> _E:
        value = self.text(node, where, required=True)
        assert value is not None
        try:
            return vocabulary(value)
        except ValueError:
            pass
        choices = [str(v) for v in vocabulary]
        close = (synonyms or {}).get(value.lower()) or _close_match(value, choices)
        hint = f"; did you mean '{close}'?" if close else f" (one of: {', '.join(choices)})"
        raise self.fail(node, f"{where}: unknown value '{value}'{hint}")

    def flag(self, node: Node | None, where: str) -> bool:
        if node is None:
            return False
        value = self.text(node, where)
        if value in ("true", "false"):
            return value == "true"
        raise self.fail(node, f"{where} must be true or false, not '{value}'")

    def text_list(self, node: Node | None, where: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, ScalarNode) and not yamlio.is_null(node):
            raise self.fail(node, f"{where} must be a list")
        if not isinstance(node, SequenceNode):
            return ()
        return tuple(self._item(item, f"{where} item") for item in node.value)

    def citekey_list(self, node: Node, where: str) -> tuple[str, ...]:
        keys = self.text_list(node, where)
        items = node.value if isinstance(node, SequenceNode) else []
        for key, item in zip(keys, items):
            if not valid_citekey(key):
                raise self.fail(item, f"{where}: invalid citekey '{key}': use letters, digits "
                                      "and _, joined by single : . - /, with at least one letter")
        return keys

    def _item(self, node: Node, where: str) -> str:
        value = self.text(node, where, required=True)
        assert value is not None
        return value

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
        sources: dict[str, Source] = {}
        claims: tuple[Claim, ...] = ()
        with self.collecting():
            sources = self.sources(top.get("sources"))
        with self.collecting():
            claims = self.claims(top.get("claims"))
        ignore: tuple[IgnoredSentence, ...] = ()
        with self.collecting():
            ignore = self.ignore(top.get("ignore"))
        bibliography: tuple[LibraryRef, ...] = ()
        with self.collecting():
            bibliography = self.bibliography(top.get("bibliography"))
        if self.errors:
            raise SchemaErrors(sorted(self.errors, key=lambda e: e.span or Span("", 0, 0)))
        return ClaimsMap(path=self.path, version=FORMAT_VERSION, essay=essay, sources=sources,
                         claims=claims, ignore=ignore, warnings=tuple(self.warnings),
                         bibliography=bibliography)

    def bibliography(self, node: Node | None) -> tuple[LibraryRef, ...]:
        """`bibliography:`: one library file or a list of them, relative to the map."""
        if node is None or yamlio.is_null(node):
            return ()
        if isinstance(node, MappingNode):
            raise self.fail(node, "bibliography must be a library file name or a list of "
                                  "them, not a mapping")
        items = node.value if isinstance(node, SequenceNode) else [node]
        refs = []
        for item in items:
            path = self.text(item, "bibliography", required=True)
            if not path or not path.strip():
                raise self.fail(item, "bibliography: a library file name must not be empty")
            refs.append(LibraryRef(path, span=self.span(item)))
        return tuple(refs)

    def ignore(self, node: Node | None) -> tuple[IgnoredSentence, ...]:
        if node is None or yamlio.is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "'ignore' must be a list of sentences")
        return tuple(self.ignored(item, i + 1) for i, item in enumerate(node.value))

    def ignored(self, node: Node, number: int) -> IgnoredSentence:
        where = f"ignore item {number}"
        if isinstance(node, ScalarNode):
            fields: dict[str, Node] = {"quote": node}
        else:
            fields = self.mapping(node, where, IGNORE_KEYS)
        quote_node = self.required(fields, "quote", node, where)
        quote = self.text(quote_node, f"{where}: 'quote'", required=True)
        assert quote is not None
        if not has_visible(quote):
            raise self.fail(quote_node, f"{where}: 'quote' holds no visible letter or digit")
        return IgnoredSentence(quote, self.opt_text(fields, "prefix", where),
                               self.opt_text(fields, "suffix", where), span=self.span(quote_node))

    def essay(self, node: Node) -> EssayRecord:
        fields = self.mapping(node, "essay", ESSAY_KEYS)
        path_node = self.required(fields, "path", node, "essay")
        path = self.text(path_node, "essay: 'path'", required=True)
        if not path or not path.strip():  # "" would name the map's own folder
            raise self.fail(path_node, "essay: 'path' must not be empty")
        values: dict[str, Any] = {}
        for key in ("title", "publisher", "venue", "url"):
            with self.collecting():
                values[key] = self.opt_text(fields, key, "essay")
        with self.collecting():
            values["date"] = self.date(fields, "date", "essay")
        with self.collecting():
            values["authors"] = self.names(fields.get("authors"), "essay: 'authors'")
        with self.collecting():
            values["format"] = self.essay_format(fields.get("format"))
        url_node = fields.get("url")
        return EssayRecord(path=path, path_span=self.span(path_node),
                           url_span=self.span(url_node) if url_node is not None else None,
                           **values)

    def essay_format(self, node: Node | None) -> str | None:
        if node is None:
            return None
        value = self.text(node, "essay: 'format'", required=True)
        if value not in ESSAY_FORMATS:
            close = _close_match(value or "", ESSAY_FORMATS)
            hint = f"; did you mean '{close}'?" if close else f" (one of: {', '.join(ESSAY_FORMATS)})"
            raise self.fail(node, f"essay: 'format': unknown value '{value}'{hint}")
        return value

    def sources(self, node: Node | None) -> dict[str, Source]:
        if node is None or yamlio.is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            raise self.fail(node, "'sources' must be a mapping of citekeys to records")
        sources: dict[str, Source] = {}
        for key_node, value in node.value:
            with self.collecting():
                key = self.citekey(key_node)
                sources[key] = self.source(key, value)
        return sources

    def citekey(self, node: Node) -> str:
        key: str = node.value
        if control_character(key) is not None or not valid_citekey(key):
            raise self.fail(
                node,
                f"invalid citekey '{key}': use letters, digits and _, joined by single "
                ": . - /, with at least one letter",
            )
        return key

    def source(self, key: str, node: Node) -> Source:
        where = f"source '{key}'"
        fields = self.mapping(node, where, SOURCE_KEYS)
        kind = self.choice(self.required(fields, "type", node, where), f"{where}: 'type'",
                           SourceType, TYPE_SYNONYMS)
        values: dict[str, Any] = {}
        failed = len(self.errors)
        for name in sorted(fields.keys() - {"type"}, key=_FIELD_ORDER.__getitem__):
            with self.collecting():
                values[name] = self.source_field(_FIELD_KINDS[name], fields, name, where)
        if values.get("eprint") is not None:
            with self.collecting():
                values["eprint"] = self.eprint(values["eprint"], values.get("eprinttype"),
                                               fields["eprint"], where)
        if len(self.errors) > failed:
            raise self.errors.pop()  # the source is incomplete; its last problem ends it
        path = self.path
        return Source(key=key, type=kind, span=self.span(node),
                      field_spans={k: Span(path, v.start_mark.line + 1, v.start_mark.column + 1)
                                   for k, v in fields.items()}, **values)

    def source_field(self, kind: str, fields: dict[str, Node], name: str, where: str) -> Any:
        if kind == "names":
            return self.names(fields[name], f"{where}: '{name}'")
        if kind == "tags":
            return self.text_list(fields[name], f"{where}: '{name}'")
        if kind == "citekeys":
            return self.citekey_list(fields[name], f"{where}: '{name}'")
        if kind == "date":
            return self.date(fields, name, where)
        if kind == "extra":
            return self.extra(fields[name], f"{where}: '{name}'")
        value = self.opt_text(fields, name, where)
        if value is not None and kind == "capture" and not CAPTURED_VALUE.fullmatch(value):
            raise self.fail(fields[name], f"{where}: '{name}': not 'YYYY-MM-DD sha256:HEX' "
                                          "(64 hex digits), as `refmap capture` writes it")
        if value is not None and kind in _IDENTIFIER_KINDS:
            from refmap.identifiers import FIELD_CHECKS

            checked = FIELD_CHECKS[kind](value)
            if not checked.ok:
                raise self.fail(fields[name], f"{where}: '{name}': {checked.problem}")
            return checked.value
        return value

    def extra(self, node: Node, where: str) -> tuple[tuple[str, str], ...]:
        """Fields kept from an import: a mapping of names to text."""
        if yamlio.is_null(node):
            return ()
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{where} must be a mapping of field names to text")
        pairs = []
        for key, value in node.value:
            text = self.text(value, f"{where}: '{key.value}'")
            if text is not None:
                pairs.append((str(key.value), text))
        return tuple(pairs)

    def eprint(self, value: str, eprinttype: str | None, node: Node, where: str) -> str:
        from refmap.identifiers import check_eprint

        checked = check_eprint(value, eprinttype or "")
        if not checked.ok or checked.value is None:
            raise self.fail(node, f"{where}: 'eprint': {checked.problem}")
        return checked.value

    def claims(self, node: Node | None) -> tuple[Claim, ...]:
        if node is None or yamlio.is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "'claims' must be a list of claims")
        claims = []
        for i, item in enumerate(node.value):
            with self.collecting():
                claims.append(self.claim(item, i + 1))
        return tuple(claims)

    def claim(self, node: Node, number: int) -> Claim:
        where = f"claim {number}"
        fields = self.mapping(node, where, CLAIM_KEYS)
        id_node = self.required(fields, "id", node, where)
        claim_id = self.text(id_node, f"{where}: 'id'", required=True)
        assert claim_id is not None
        if not CLAIM_ID.match(claim_id):
            raise self.fail(
                id_node,
                f"{where}: invalid id '{claim_id}' (letters, digits, '.', '_' and '-', "
                "starting with a letter or digit)",
            )
        where = f"claim '{claim_id}'"
        quote_node = self.required(fields, "quote", node, where)
        quote = self.text(quote_node, f"{where}: 'quote'", required=True)
        assert quote is not None
        if not quote.strip():
            raise self.fail(quote_node, f"{where}: 'quote' is empty")
        if not has_visible(quote):
            raise self.fail(quote_node, f"{where}: 'quote' holds no visible letter or digit")
        kind = self.choice(self.required(fields, "kind", node, where), f"{where}: 'kind'",
                           ClaimKind)
        citations = self.citations(fields.get("citations"), where)
        status_node = fields.get("status")
        if status_node is not None:
            status = self.choice(status_node, f"{where}: 'status'", Status, STATUS_SYNONYMS)
        elif kind.is_opinion:
            status = Status.OPINION
        else:
            status = Status.SOURCED if citations else Status.UNSOURCED
        return Claim(
            id=claim_id, quote=quote, kind=kind, status=status,
            status_given=status_node is not None,
            tags=self.text_list(fields.get("tags"), f"{where}: 'tags'"),
            note=self.opt_text(fields, "note", where),
            machine_note=self.opt_text(fields, "machine_note", where),
            draft=self.flag(fields.get("draft"), f"{where}: 'draft'"),
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
        source = self.text(source_node, f"{where}: 'source'", required=True)
        assert source is not None
        excerpt_node = fields.get("excerpt")
        return Citation(
            source=source,
            locator=self.opt_text(fields, "locator", where),
            excerpt=self.opt_text(fields, "excerpt", where),
            span=self.span(node),
            source_span=self.span(source_node),
            excerpt_span=self.span(excerpt_node) if excerpt_node is not None else None,
        )


_IDENTIFIER_KINDS = frozenset({"doi", "isbn", "issn", "pages", "eprinttype"})
"""Field kinds checked (and stored in canonical form) by refmap.identifiers: a DOI without
its resolver prefix, an ISBN-13 with a verified check digit, an ISSN NNNN-NNNC, pages as ASCII
ranges. URLs are checked by `refmap check` (bad-url)."""


_NOWHERE = yaml.Mark("", 0, 0, 0, "", 0)
_STR, _SEQ, _MAP = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:seq",
                    "tag:yaml.org,2002:map")


def _as_node(value: object) -> Node:
    """A value as the node the map editor's rendering of it composes to: text as a quoted
    scalar (so never null), lists and mappings as collections."""
    if isinstance(value, Mapping):
        return MappingNode(_MAP, [(_as_node(str(k)), _as_node(v)) for k, v in value.items()],
                           _NOWHERE, _NOWHERE)
    if isinstance(value, (list, tuple)):
        return SequenceNode(_SEQ, [_as_node(v) for v in value], _NOWHERE, _NOWHERE)
    return ScalarNode(_STR, str(value), _NOWHERE, _NOWHERE, style='"')


def source_problem(key: str, fields: Mapping[str, object]) -> str | None:
    """Why a source with these fields (in the map's YAML shape) would not load, with the
    rules loading applies, or None: a value from outside is checked before it is written,
    so that a problem is reported where the value came from, not in the map."""
    return None if plainly_valid(key, fields) else _built_problem(key, fields)


def _built_problem(key: str, fields: Mapping[str, object]) -> str | None:
    """`source_problem` by the loader itself: the fields made into nodes and built."""
    builder = _Builder("")
    try:
        builder.citekey(_as_node(key))
        builder.source(key, _as_node(fields))
    except SchemaError as exc:
        return exc.message
    if builder.warnings:  # an unknown field: the map would warn and ignore it
        return builder.warnings[0].message
    return None


_NAME_KEY_SET = frozenset(NAME_KEYS)
_TYPE_VALUES = frozenset(t.value for t in SourceType)
_FIELD_KINDS = {spec.name: spec.kind for spec in SOURCE_FIELDS}
_TEXT_KINDS = frozenset({"text", "url"})


@functools.lru_cache(maxsize=4096)
def _kinds(shape: tuple[object, ...]) -> tuple[str, ...] | None:
    """A source's field names, in order -> each one's kind ("" for `type`), or None when one is
    not a source field (cached: a large import's records share a few sets of field names)."""
    found = tuple("" if name == "type" else _FIELD_KINDS.get(name) if isinstance(name, str)
                  else None for name in shape)
    return None if None in found else found  # type: ignore[return-value]


def plainly_valid(key: object, fields: Mapping[str, object],
                  checked: frozenset[str] = frozenset()) -> bool:
    """Whether a source in the shape refmap's importers give (text as str, names as lists of
    mappings, lists of text) passes every rule `_Builder.source` applies, checked on the values
    themselves rather than on nodes built for them: the hot path of a large import. True only
    where the builder would accept the source with no warning, and so where every text in it
    (names and lists included) is free of control characters; anything else (an unknown
    field, a value of another type, an `eprint`, whose rule needs its type's checked value)
    says False and goes through the builder, which alone words the problem. Every text is
    gathered on the way and searched for control characters once. `checked` names identifier
    fields whose values are their check's own canonical output (an importer's `finish` made
    them so), which that check accepts as they are: they are not checked again."""
    if not isinstance(key, str) or not valid_citekey(key) or "eprint" in fields:
        return False
    if not isinstance(fields.get("type"), str) or fields["type"] not in _TYPE_VALUES:
        return False
    kinds = _kinds(tuple(fields))
    if kinds is None:
        return False
    texts: list[str] = []
    for (name, value), kind in zip(fields.items(), kinds):
        if not kind:  # the type, checked above
            continue
        if isinstance(value, str):
            if kind not in _TEXT_KINDS and name not in checked \
                    and not _plain_text_valid(kind, value):
                return False
            texts.append(value)
        elif isinstance(value, list):
            if not _plain_list_valid(kind, value, texts):
                return False
        elif kind == "extra" and isinstance(value, dict):
            for item in value.values():
                if not isinstance(item, str):
                    return False
                texts.append(item)
        else:
            return False
    return control_character("\n".join(texts)) is None  # newline passes, as in every text


def _plain_text_valid(kind: str, value: str) -> bool:
    """A text of a kind with a rule beyond being text (control characters aside)."""
    if kind == "date":
        return parse_date(value) is not None
    if kind in _IDENTIFIER_KINDS:
        from refmap.identifiers import FIELD_CHECKS

        return FIELD_CHECKS[kind](value).ok
    if kind == "capture":
        return CAPTURED_VALUE.fullmatch(value) is not None
    return False  # a list kind given as text: the builder says what is wrong


def _plain_list_valid(kind: str, items: list[object], texts: list[str]) -> bool:
    if kind == "names":
        for name in items:
            if not isinstance(name, dict) or not name.keys() <= _NAME_KEY_SET:
                return False
            if "literal" in name and len(name) != 1 or "literal" not in name and (
                    "family" not in name):
                return False
            for part in name.values():
                if not isinstance(part, str):
                    return False
                texts.append(part)
        return True
    if kind == "tags":
        if not all(isinstance(t, str) for t in items):
            return False
        texts.extend(items)  # type: ignore[arg-type]
        return True
    if kind == "citekeys":
        return all(isinstance(k, str) and valid_citekey(k) for k in items)
    return False


def build_map(root: Node, path: str) -> ClaimsMap:
    """Turn a composed node tree into a ClaimsMap; raises SchemaErrors listing every bad value."""
    return _Builder(path).claims_map(root)


def map_from_bytes(data: bytes, display: str) -> ClaimsMap:
    """Decode, parse and validate a claims map's bytes as read from the file named display."""
    text = yamlio.decode_utf8(data, display)
    with gc_paused():
        return build_map(yamlio.compose(text, display), display)


def load_map(path: str | Path) -> ClaimsMap:
    """Read, parse and validate a claims map file."""
    display = str(path)
    return map_from_bytes(yamlio.read_bytes(Path(path), display), display)
