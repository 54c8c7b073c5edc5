"""RIS files (library catalogues, EndNote, Zotero) as imported records, read with rispy.

rispy drops a last record that lacks its ``ER`` end tag without a word, so the record
boundaries are checked here first: each ``TY`` must be closed by an ``ER`` before the next
``TY`` or the end of the file. Names follow the RIS specification, "Family, Given[, Suffix]";
a name without a comma is a corporate author (an organisation), as catalogues write them. An
``ID`` is taken as the key only when it holds a letter: EndNote's record numbers are not
citation keys.
"""

from __future__ import annotations

import re

import rispy  # type: ignore[import-untyped]

from refmap.errors import LoadError
from refmap.identifiers import check_isbn, check_issn
from refmap.references.importers.record import (
    ImportBatch,
    NameDict,
    RecordBuilder,
    date_text,
    first_text,
    literal,
    names_field,
    person,
)
from refmap.mapfile.vocabulary import (
    ENTRYSUBTYPES,
    FIELDS,
    RIS_TO_TYPE,
    SOURCE_FIELDS,
    SourceType,
    container_field,
    publisher_field,
    unknown_type_warning,
)
from refmap.references.names import parse_name
from refmap.spans import Span

MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "secondary_authors", "C8": "custom8"}
"""RIS tag -> rispy's key; ED (editor) is read with A2, C8 holds what RIS has no tag for."""
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "ED", "C8"]
_TAG = re.compile(r"([A-Z][A-Z0-9])  -(?: |$)")
_OWN_RULE = frozenset({"title", "authors", "site", "journal", "booktitle", "publisher",
                       "institution", "date", "accessed", "isbn", "issn", "pages", "note",
                       "url", "entrysubtype", "tags", "extra"})
_READ = frozenset({"type_of_reference", "id", "title", "primary_title", "authors",
                   "first_authors", "secondary_title", "journal_name", "alternate_title1",
                   "alternate_title2", "alternate_title3", "publisher", "year", "date",
                   "publication_year", "access_date", "issn", "start_page", "end_page",
                   "notes", "urls", "custom8", "unknown_tag"})

_TYPE_NAMES = frozenset(k.value for k in SourceType)

def read(text: str, display: str) -> ImportBatch:
    """The records of a RIS file's text, in file order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = _record_starts(text, display)
    parsed = rispy.loads(text, skip_unknown_tags=False, mapping=MAPPING, list_tags=LIST_TAGS)
    builder = RecordBuilder(display, "ris")
    for entry, span in zip(parsed, starts, strict=True):
        ident = first_text(entry.get("id"))
        key = ident if ident and re.search(r"[A-Za-z]", ident) else None
        fields, extra = _fields(entry)
        warnings = ((f"kept under extra (refmap has no field for them): {', '.join(extra)}",)
                    if extra else ())
        unknown = unknown_type_warning(str(entry.get("type_of_reference", "")).strip(),
                                       RIS_TO_TYPE)
        warnings = (unknown, *warnings) if unknown else warnings
        builder.add(key, fields, span, warnings)
    return builder.batch()


def _record_starts(text: str, display: str) -> list[Span]:
    """Where each record's TY line is; a record without ER is refused at its TY."""
    starts: list[Span] = []
    open_at: Span | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        if tag == "TY":
            if open_at is not None:
                raise LoadError(f"RIS record has no end tag 'ER  -' before the next 'TY' on line "
                                f"{number}", span=open_at)
            open_at = Span(display, number, 1)
            starts.append(open_at)
        elif tag == "ER":
            if open_at is None:
                raise LoadError("'ER' end tag without a 'TY' record start",
                                span=Span(display, number, 1))
            open_at = None
        elif tag is not None and open_at is None:
            raise LoadError(f"tag {tag!r} outside a record (a record starts with 'TY  - ')",
                            span=Span(display, number, 1))
    if open_at is not None:
        raise LoadError("RIS record has no end tag 'ER  -' before the end of the file",
                        span=open_at)
    if not starts:
        raise LoadError("no RIS records (a record starts with 'TY  - ')", span=Span(display, 1, 1))
    return starts


def _text_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return [value] if isinstance(value, str) and value.strip() else []


def _names(*values: object) -> list[NameDict]:
    out: list[NameDict | None] = []
    for value in values:
        for name in _text_list(value):
            family, comma, rest = name.partition(",")
            if not comma:  # a corporate author, or a person's name as one string
                out.append(parse_name(name))
                continue
            given, _, suffix = rest.partition(",")
            suffix = suffix.strip()
            out.append(person(f"{family.strip()}, {suffix}" if suffix else family, given))
    return names_field(out)


def names_of(values: list[str]) -> list[NameDict]:
    """Names as this reader reads AU lines (for the writer to see what would come back)."""
    return _names(values)


def _ris_date(text: str | None) -> str | None:
    """RIS dates are YYYY/MM/DD/other with any part empty ("2019///", "2019/06/12/")."""
    if not text:
        return None
    parts = [p.strip() for p in text.replace("-", "/").split("/")]
    numbers = []
    for part in parts[:3]:
        if not part.isdigit():
            break
        numbers.append(part)
    return date_text(*numbers) if numbers else None


def _more_precise(*dates: str | None) -> str | None:
    present = [d for d in dates if d]
    return max(present, key=len) if present else None


def _pages(entry: dict[str, object]) -> str | None:
    start, end = first_text(entry.get("start_page")), first_text(entry.get("end_page"))
    if start and end and start != end:
        return f"{start}-{end}"
    return start or end


def _serial_numbers(entry: dict[str, object]) -> tuple[str | None, str | None]:
    """SN holds an ISBN or an ISSN, sometimes several with remarks ("978... (pbk.)")."""
    isbn = issn = None
    for value in _text_list(entry.get("issn")):
        for piece in re.split(r"[\s;,]+|\(", value):
            if issn is None and check_issn(piece).ok and len(piece.replace("-", "")) == 8:
                issn = piece
            elif isbn is None and check_isbn(piece).ok:
                isbn = piece
    first = first_text(*_text_list(entry.get("issn")))
    if isbn is None and issn is None and first:  # not valid: let the check report why
        return (first, None) if len(re.sub(r"\D", "", first)) > 8 else (None, first)
    return isbn, issn


def _custom(entry: dict[str, object]) -> dict[str, str]:
    """The `name: value` lines of C8 that refmap's RIS export writes."""
    found: dict[str, str] = {}
    for line in _text_list(entry.get("custom8")):
        name, colon, value = line.partition(": ")
        if colon and value.strip():
            found.setdefault(name.strip(), value.strip())
    return found


def ris_type(entry: dict[str, object], custom: dict[str, str]) -> SourceType:
    marker = custom.get("entrytype", "").lower()
    if marker in _TYPE_NAMES:
        return SourceType(marker)
    return RIS_TO_TYPE.get(str(entry.get("type_of_reference", "")).strip(), SourceType.MISC)


def _fields(entry: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """The map's fields of one record, and the names of the record's fields kept as extra."""
    custom = _custom(entry)
    kind = ris_type(entry, custom)
    fields: dict[str, object] = {"type": kind.value}
    for spec in SOURCE_FIELDS:
        if spec.ris and spec.name not in _OWN_RULE:
            value = entry.get(MAPPING[spec.ris])
            fields[spec.name] = _names(value) if spec.kind == "names" else first_text(value)
    fields.update(_special(entry, kind))
    subtype = {ris: sub for sub, (_, ris) in ENTRYSUBTYPES.items()}.get(
        str(entry.get("type_of_reference", "")).strip())
    fields["entrysubtype"] = subtype
    for name, value in custom.items():
        known = FIELDS.get(name)
        if known is None or known.kind in ("tags", "extra") or (
                fields.get(name) and known.kind != "names"):  # C8 names are the exact ones
            continue
        fields[name] = _json_names(value) if known.kind == "names" else value
    extra = _extra(entry, custom)
    fields["extra"] = extra
    return fields, sorted(extra)


def _special(entry: dict[str, object], kind: SourceType) -> dict[str, object]:
    container = first_text(entry.get("secondary_title"))
    journal = first_text(entry.get("journal_name"), entry.get("alternate_title3"),
                         entry.get("alternate_title1"), entry.get("alternate_title2"))
    target = container_field(kind)
    publisher = first_text(entry.get("publisher"))
    isbn, issn = _serial_numbers(entry)
    urls = _text_list(entry.get("urls"))
    notes = _text_list(entry.get("notes"))
    return {
        "title": first_text(entry.get("title"), entry.get("primary_title")),
        "authors": _names(entry.get("authors"), entry.get("first_authors")),
        target: (journal or container) if target == "journal" else container,
        publisher_field(kind): publisher,
        "date": _more_precise(_ris_date(first_text(entry.get("year"))),
                              _ris_date(first_text(entry.get("date"))),
                              _ris_date(first_text(entry.get("publication_year")))),
        "url": urls[0] if urls else None,
        "accessed": _ris_date(first_text(entry.get("access_date"))),
        "note": " ".join(notes) if notes else None,
        "isbn": isbn,
        "issn": issn,
        "pages": _pages(entry),
    }


_MAPPED_KEYS = frozenset(MAPPING[f.ris] for f in SOURCE_FIELDS if f.ris)


def _extra(entry: dict[str, object], custom: dict[str, str]) -> dict[str, str]:
    """Tags refmap has no field for (by rispy's names: `abstract`, `keywords` ...), unknown
    tags by their code, and C8 lines naming no field of refmap's."""
    extra: dict[str, str] = {}
    for name, value in entry.items():
        if name in _READ or name in _MAPPED_KEYS:
            continue
        text = "; ".join(_text_list(value))
        if text:
            extra[name] = text
    unknown = entry.get("unknown_tag")
    if isinstance(unknown, dict):
        for tag, values in unknown.items():
            text = "; ".join(_text_list(values))
            if text:
                extra.setdefault(str(tag), text)
    for name, value in custom.items():
        if name not in FIELDS and name != "entrytype":
            extra.setdefault(name, value)
    return extra


def _json_names(text: str) -> list[NameDict]:
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    return names_field(
        {k: v for k, v in n.items() if k in ("family", "given", "literal") and isinstance(v, str)}
        or None for n in value if isinstance(n, dict))
