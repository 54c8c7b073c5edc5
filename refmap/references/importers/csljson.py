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
from refmap.spans import Span

CSL_TYPES = {
    "article": "article", "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "periodical": "article", "review": "article",
    "book": "book", "classic": "book",
    "paper-conference": "inproceedings",
    "report": "report", "thesis": "report",
    "webpage": "online", "post": "online", "post-weblog": "online",
    "dataset": "dataset",
}
"""CSL item type -> source type; any other type (chapter, document, software ...) is misc."""

_CONTAINER_FIELD = {"article": "journal", "inproceedings": "booktitle", "online": "site",
                    "dataset": "site", "misc": "site"}
"""Where an item's container-title goes, by source type (a chapter's book is its booktitle)."""

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


def read(text: str, display: str) -> ImportBatch:
    """The records of a CSL-JSON file's text, in file order."""
    builder = RecordBuilder(display, "csl-json")
    items, skipped = _items(text, display)
    builder.skipped.extend(skipped)
    for item, span in items:
        if not isinstance(item, dict):
            raise LoadError(f"CSL-JSON item must be an object, not {_json_kind(item)}", span=span)
        builder.add(item_key(item), raw_fields(item), span)
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


def raw_fields(item: Mapping[str, object]) -> dict[str, object]:
    """One CSL-JSON item mapped onto the map's field names, before `record.finish`."""
    kind = CSL_TYPES.get(str(item.get("type", "")), "misc")
    container = first_text(item.get("container-title"))
    publisher = first_text(item.get("publisher"))
    fields: dict[str, object] = {
        "type": kind,
        "title": first_text(item.get("title")),
        "authors": _names(item.get("author")),
        "editors": _names(item.get("editor")),
        "publisher": publisher if kind != "report" else None,
        "institution": publisher if kind == "report" else None,
        "date": _date(item.get("issued")),
        "url": first_text(item.get("URL")),
        "accessed": _date(item.get("accessed")),
        "language": first_text(item.get("language")),
        "note": first_text(item.get("note")),
        "doi": first_text(item.get("DOI")),
        "isbn": first_text(item.get("ISBN")),
        "issn": first_text(item.get("ISSN")),
        "volume": first_text(item.get("volume")),
        "number": first_text(item.get("issue"), item.get("number")),
        "pages": first_text(item.get("page")),
        "edition": first_text(item.get("edition")),
    }
    if container:
        fields[_CONTAINER_FIELD.get(kind, "booktitle")] = container
    pmid = first_text(item.get("PMID"))
    archive = (first_text(item.get("archive")) or "").lower()
    if pmid:
        fields.update(eprint=pmid, eprinttype="pubmed")
    elif archive == "arxiv" and first_text(item.get("archive_location")):
        fields.update(eprint=first_text(item.get("archive_location")), eprinttype="arxiv")
    return fields


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
