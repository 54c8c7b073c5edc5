"""Source fields from an Open Library answer, for `refmap add isbn:...`.

The answer read is that of the books API in its `data` form,

    GET https://openlibrary.org/api/books?bibkeys=ISBN:<isbn>&format=json&jscmd=data

chosen over the `/isbn/<isbn>.json` edition record because it gives author names and publishers
inline, where the edition record gives only keys that each need another request. The answer is
an object keyed by the requested bibkey ("ISBN:9780..."); an ISBN Open Library does not know
gives `{}`.

Fields, by the rules of refmap.references.metavalues: title (with the subtitle after a colon), authors
(Open Library gives each as one name string, so most become literals: see
metavalues.author_from_string), the first publisher, the publication date only as precise as
given, and the ISBN (ISBN-13 when Open Library has one). The Open Library page's URL is not
returned: it is a catalogue record, not the source.
"""

from __future__ import annotations

from typing import Any

from refmap.errors import RefmapError
from refmap.references.metavalues import SourceFields, author_from_string, clean_text, metadata_date

SERVICE = "Open Library"


def openlibrary_fields(data: object, isbn: str, origin: str = SERVICE) -> SourceFields:
    """Source fields of the book an Open Library books-API answer describes.

    `origin` names the answer in errors (the URL it came from, say). An ISBN the service does
    not know and an answer that is not of the documented shape raise RefmapError.
    """
    if not isinstance(data, dict):
        raise _malformed(origin, isbn, f"the answer is {_kind(data)}, not an object")
    record = data.get(f"ISBN:{isbn}")
    if record is None and len(data) == 1:
        record = next(iter(data.values()))  # the service echoes the bibkey as it keys it
    if record is None:
        raise RefmapError(f"{SERVICE} has no book with ISBN {isbn!r}", path=origin)
    if not isinstance(record, dict):
        raise _malformed(origin, isbn, f"the record is {_kind(record)}, not an object")
    title = clean_text(record.get("title"))
    if title is None:
        raise _malformed(origin, isbn, "the record has no title")
    fields = SourceFields(type="book", title=_with_subtitle(title, record.get("subtitle")))
    authors = [author_from_string(_name(a)) for a in _list(record, "authors", origin, isbn)]
    if any(authors):
        fields["authors"] = [a for a in authors if a]
    publishers = [_name(p) for p in _list(record, "publishers", origin, isbn)]
    if publisher := next((p for p in publishers if p), None):
        fields["publisher"] = publisher
    if date := metadata_date(record.get("publish_date")):
        fields["date"] = date
    fields["isbn"] = _isbn(record, isbn)
    return fields


def _with_subtitle(title: str, subtitle: object) -> str:
    sub = clean_text(subtitle)
    return f"{title}: {sub}" if sub else title


def _name(item: object) -> str | None:
    return clean_text(item.get("name")) if isinstance(item, dict) else clean_text(item)


def _list(record: dict[str, Any], key: str, origin: str, isbn: str) -> list[object]:
    value = record.get(key, [])
    if not isinstance(value, list):
        raise _malformed(origin, isbn, f"'{key}' is {_kind(value)}, not a list")
    return value


def _isbn(record: dict[str, Any], asked: str) -> str:
    identifiers = record.get("identifiers")
    if isinstance(identifiers, dict):
        for key in ("isbn_13", "isbn_10"):
            values = identifiers.get(key)
            if isinstance(values, list) and values and clean_text(values[0]):
                return str(clean_text(values[0]))
    return asked


def _kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _malformed(origin: str, isbn: str, why: str) -> RefmapError:
    return RefmapError(f"malformed {SERVICE} answer for ISBN {isbn!r}: {why}", path=origin)
