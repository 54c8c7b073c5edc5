"""CSL-JSON (Zotero, citation.js, Better BibTeX's "Better CSL JSON") as imported records.

The file must be a JSON array of item objects. Each item is decoded on its own with
`json.JSONDecoder.raw_decode`, so that every record knows the line and column where it starts.
A Better CSL JSON item's ``citation-key`` is its key; a plain export's ``id`` is a key only
when it is text and not a URI (Zotero's ``http://zotero.org/users/...`` ids name the item in a
library, not a citation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from refmap.errors import LoadError
from refmap.references.importers.record import (
    Fields,
    ImportBatch,
    NameDict,
    RecordBuilder,
    SkippedEntry,
    date_text,
    finish,
    first_text,
    iso_date,
    literal,
    names_field,
    person,
)
from refmap.mapfile.vocabulary import (
    CSL_TO_TYPE,
    ENTRYSUBTYPES,
    FIELDS,
    SOURCE_FIELDS,
    SourceType,
    container_field,
    publisher_field,
    unknown_type_warning,
)
from refmap.spans import Span

_OWN_RULE = frozenset({"date", "eventdate", "accessed", "number", "pages", "eprint",
                       "eprinttype", "entrysubtype", "tags", "extra", "site", "journal",
                       "booktitle", "publisher", "institution"})
_READ = frozenset({"id", "citation-key", "citationKey", "type", "custom", "container-title",
                   "publisher", "issued", "accessed", "event-date", "issue", "collection-number",
                   "number", "page", "PMID", "archive", "archive_location", "event"})
"""Item keys read by a rule of their own (or naming the item), never kept as extra."""

MAX_DIGITS = 30
"""Longest integer a CSL-JSON file may write (years, volumes and pages need a few digits;
Python refuses to read one of more than 4,300)."""


class _OutOfBounds(ValueError):
    """An item that breaks a bound: skipped with its position and this message."""


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _OutOfBounds(f"holds an integer of {len(digits)} digits (at most {MAX_DIGITS})")
    return int(digits)


_DECODER = json.JSONDecoder(parse_int=_bounded_int, parse_constant=lambda name: None)
"""Each item bounded: integers by MAX_DIGITS, nesting by the interpreter's recursion limit
(a RecursionError skips the item); NaN and Infinity, which JSON does not have, read as
absent values."""
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')

_TYPE_NAMES = frozenset(k.value for k in SourceType)

def read(text: str, display: str) -> ImportBatch:
    """The records of a CSL-JSON file's text, in file order."""
    builder = RecordBuilder(display, "csl-json")
    items, skipped = _items(text, display)
    builder.skipped.extend(skipped)
    for item, span in items:
        if not isinstance(item, dict):
            raise LoadError(f"CSL-JSON item must be an object, not {_json_kind(item)}", span=span)
        raw = raw_fields(item, keep_extra=True)
        extra = raw.get("extra")
        warnings = ((f"kept under extra (refmap has no field for them): {', '.join(extra)}",)
                    if isinstance(extra, dict) and extra else ())
        unknown = unknown_type_warning(str(item.get("type", "")), CSL_TO_TYPE)
        warnings = (unknown, *warnings) if unknown else warnings
        builder.add(item_key(item), raw, span, warnings)
    return builder.batch()


def _position(text: str, index: int, display: str) -> Span:
    line = text.count("\n", 0, index) + 1
    return Span(display, line, index - (text.rfind("\n", 0, index) + 1) + 1)


class _Lines:
    """Positions of increasing offsets, counting line breaks from the last one asked for: a
    file's items are located in one pass, not one pass each."""

    def __init__(self, text: str, display: str):
        self.text, self.display = text, display
        self.offset, self.line, self.line_start = 0, 1, 0

    def at(self, index: int) -> Span:
        breaks = self.text.count("\n", self.offset, index)
        if breaks:
            self.line += breaks
            self.line_start = self.text.rfind("\n", self.offset, index) + 1
        self.offset = index
        return Span(self.display, self.line, index - self.line_start + 1)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _decode_at(text: str, index: int, display: str) -> tuple[object, int]:
    try:
        return _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        span = _position(text, exc.pos, display)
        raise LoadError(f"invalid JSON: {exc.msg}", span=span) from None


def _items(text: str, display: str) -> tuple[list[tuple[object, Span]], list[SkippedEntry]]:
    """The array's items with where each starts, and the items that break a bound (skipped);
    anything but an array is refused."""
    index = _skip_space(text, 0)
    if index == len(text):
        raise LoadError("file is empty", span=Span(display, 1, 1))
    if text[index] != "[":
        value, _ = _decode_at(text, index, display)
        raise LoadError(f"CSL-JSON must be an array of items, not {_json_kind(value)}",
                        span=_position(text, index, display))
    items: list[tuple[object, Span]] = []
    skipped: list[SkippedEntry] = []
    index = _skip_space(text, index + 1)
    lines = _Lines(text, display)
    while index < len(text) and text[index] != "]":
        if items:
            if text[index] != ",":
                raise LoadError("invalid JSON: expected ',' or ']' between items",
                                span=_position(text, index, display))
            index = _skip_space(text, index + 1)
        try:
            item, end = _decode_at(text, index, display)
            items.append((item, lines.at(index)))
        except (RecursionError, _OutOfBounds) as exc:
            reason = (f"item {exc}" if isinstance(exc, _OutOfBounds)
                      else "item nested too deeply to read")
            skipped.append(SkippedEntry(None, lines.at(index), reason))
            end = _item_end(text, index, display)
        index = _skip_space(text, end)
    if index == len(text):
        raise LoadError("invalid JSON: the array is not closed with ']'",
                        span=_position(text, index, display))
    rest = _skip_space(text, index + 1)
    if rest != len(text):
        raise LoadError("invalid JSON: text after the array", span=_position(text, rest, display))
    return items, skipped


def _item_end(text: str, index: int, display: str) -> int:
    """Where the item starting at index ends, found without building it: brackets counted,
    strings skipped whole (one linear scan, for an item too deep or too large to decode)."""
    if text[index] not in "[{":  # a number or a string: the item ends at the next , or ]
        m = re.compile(r"\s*[,\]]").search(text, index)
        return m.start() if m else len(text)
    depth = 0
    for m in _TOKEN.finditer(text, index):
        token = m.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
        if depth == 0:
            return m.end()
    raise LoadError("invalid JSON: the array is not closed with ']'",
                    span=_position(text, len(text), display))


def _json_kind(value: object) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
    return kinds.get(type(value), "null" if value is None else "a number")


def item_key(item: Mapping[str, object]) -> str | None:
    """The citation key an item carries, if any (see the module docstring)."""
    key = first_text(item.get("citation-key"), item.get("citationKey"))
    if key is not None:
        return key
    ident = item.get("id")
    if isinstance(ident, str) and ident.strip() and "://" not in ident:
        return ident.strip()
    return None


def csl_item_to_fields(item: Mapping[str, object]) -> Fields:
    """One CSL-JSON item (a file's, or a DOI content-negotiation answer) as a source's fields:
    ordered, identifiers canonical, an invalid identifier left out (`record.finish` says why)."""
    return finish(raw_fields(item))[0]


def item_type(item: Mapping[str, object], custom: Mapping[str, object]) -> SourceType:
    """The source type: the BibLaTeX type a refmap export kept in `custom`, else the CSL
    type's."""
    marker = str(custom.get("entrytype", "")).strip().lower()
    if marker in _TYPE_NAMES:
        return SourceType(marker)
    return CSL_TO_TYPE.get(str(item.get("type", "")), SourceType.MISC)


def raw_fields(item: Mapping[str, object], keep_extra: bool = False) -> dict[str, object]:
    """One CSL-JSON item mapped onto the map's field names, before `record.finish`; with
    keep_extra, the variables refmap has no field for go under `extra`."""
    found = item.get("custom")
    custom: Mapping[str, object] = found if isinstance(found, dict) else {}
    kind = item_type(item, custom)
    fields: dict[str, object] = {"type": kind.value}
    for spec in SOURCE_FIELDS:
        if spec.csl and spec.name not in _OWN_RULE:
            value = item.get(spec.csl)
            fields[spec.name] = _names(value) if spec.kind == "names" else first_text(value)
    fields.update(_special(item, kind))
    fields["entrysubtype"] = next(
        (sub for sub, (csl, _) in ENTRYSUBTYPES.items() if csl == item.get("type")), None)
    for name, value in custom.items():
        known = FIELDS.get(name)
        if known is not None and known.kind not in ("tags", "extra") and not fields.get(name):
            fields[name] = _names(value) if known.kind == "names" else first_text(value)
    if keep_extra:
        fields["extra"] = _extra(item, custom)
    return fields


def _special(item: Mapping[str, object], kind: SourceType) -> dict[str, object]:
    container = first_text(item.get("container-title"))
    publisher = first_text(item.get("publisher"))
    fields: dict[str, object] = {
        publisher_field(kind): publisher,
        "date": _date(item.get("issued")),
        "accessed": _date(item.get("accessed")),
        "eventdate": _date(item.get("event-date")),
        "eventtitle": first_text(item.get("event-title"), item.get("event")),
        "number": first_text(item.get("issue"), item.get("collection-number"), item.get("number")),
        "pages": first_text(item.get("page")),
    }
    if container:
        fields[container_field(kind)] = container
    pmid = first_text(item.get("PMID"))
    archive = (first_text(item.get("archive")) or "").lower()
    if pmid:
        fields.update(eprint=pmid, eprinttype="pubmed")
    elif archive == "arxiv" and first_text(item.get("archive_location")):
        fields.update(eprint=first_text(item.get("archive_location")), eprinttype="arxiv")
    return fields


_MAPPED = frozenset(f.csl for f in SOURCE_FIELDS if f.csl)


def _extra(item: Mapping[str, object], custom: Mapping[str, object]) -> dict[str, str]:
    """Variables of the item (and its custom object) that refmap has no field for, as text;
    a name list or a date becomes text too."""
    extra: dict[str, str] = {}
    pmid = bool(first_text(item.get("PMID")))
    pairs = [(k, v) for k, v in item.items() if k not in _READ and k not in _MAPPED]
    pairs += [(k, v) for k, v in custom.items() if k not in FIELDS and k != "entrytype"]
    if pmid or (first_text(item.get("archive")) or "").lower() != "arxiv":
        pairs += [(k, item[k]) for k in ("archive", "archive_location") if k in item and not pmid]
    for name, value in pairs:
        text = _as_text(value)
        if text:
            extra.setdefault(name, text)
    return extra


def _as_text(value: object) -> str | None:
    if isinstance(value, dict) and "date-parts" in value:
        return _date(value)
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        names = [_name(v) for v in value if isinstance(v, dict)]
        return " and ".join(n.get("literal") or ", ".join(
            p for p in (n.get("family"), n.get("given")) if p) for n in names if n) or None
    return first_text(value)


def _names(value: object) -> list[NameDict]:
    if not isinstance(value, list):
        return []
    return names_field(_name(n) for n in value if isinstance(n, dict))


def _name(name: Mapping[str, object]) -> NameDict | None:
    if first_text(name.get("literal")):
        return literal(first_text(name.get("literal")))
    particle = " ".join(
        p for p in (first_text(name.get("dropping-particle")),
                    first_text(name.get("non-dropping-particle"))) if p)
    family = first_text(name.get("family"))
    if family and particle:
        family = f"{particle} {family}"
    suffix = first_text(name.get("suffix"))
    if family and suffix:
        family = f"{family}, {suffix}"
    return person(family, first_text(name.get("given")))


def _date(value: object) -> str | None:
    """A CSL date: date-parts (numbers or digit strings), else an ISO "raw" value."""
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return date_text(*parts[0][:3])
    raw = value.get("raw")
    return iso_date(raw) if isinstance(raw, str) else None
