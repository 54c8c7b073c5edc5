"""RIS export (EndNote, Zotero, library catalogues), written with rispy.

Types and fields map through refmap.mapfile.vocabulary. Names are "Family, Given", an
organisation as written (no comma: a corporate author). What RIS has no tag for (a BibLaTeX
type that RIS shares with another, an event's title and date, a book author, an e-print ...)
is written in `C8` lines as `name: value`, which refmap's RIS reader reads back; names there
are a JSON list.
"""

from __future__ import annotations

import json

import rispy  # type: ignore[import-untyped]

from refmap.references.importers.record import name_dict
from refmap.references.importers.ris import LIST_TAGS, MAPPING
from refmap.references.importers.ris import names_of as read_names
from refmap.mapfile.vocabulary import (
    ENTRYSUBTYPES,
    RIS_TO_TYPE,
    SOURCE_FIELDS,
    TYPES,
    SourceType,
    container_field,
    publisher_field,
)
from refmap.mapfile.model import ClaimsMap, Name, Source

_WRITE = {tag: key for tag, key in MAPPING.items() if tag != "A2"}  # editors are written as ED
_KEYS = frozenset(MAPPING.values())
_OWN_RULE = frozenset({"date", "accessed", "pages", "note", "entrysubtype", "tags", "extra"})


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its numbered header line ("1.") before each record."""

    def set_header(self, count: int) -> str:
        return ""


def ris_name(name: Name) -> str:
    if name.literal is not None:
        return name.literal.replace(",", " ")
    return f"{name.family}, {name.given}" if name.given else f"{name.family},"


def ris_date(text: str) -> str:
    """RIS dates are YYYY/MM/DD/ with parts left empty: "2019/06//"."""
    parts = text.split("-") + ["", ""]
    return "/".join(parts[:3]) + "/"


def _type(source: Source, kind: SourceType) -> str:
    if kind is SourceType.ARTICLE and source.entrysubtype in ENTRYSUBTYPES:
        return ENTRYSUBTYPES[source.entrysubtype][1]
    return TYPES[kind].ris


def source_record(source: Source) -> dict[str, object]:
    """One rispy record; what RIS has no tag for goes in C8 lines."""
    kind = SourceType(source.type)
    record: dict[str, object] = {"type_of_reference": _type(source, kind), "id": source.key}
    custom: list[str] = []
    if RIS_TO_TYPE.get(str(record["type_of_reference"])) is not kind:
        custom.append(f"entrytype: {kind.value}")
    if source.entrysubtype and record["type_of_reference"] == TYPES[kind].ris:
        custom.append(f"entrysubtype: {source.entrysubtype}")
    for spec in SOURCE_FIELDS:
        value = getattr(source, spec.name)
        if not value or spec.name in _OWN_RULE:
            continue
        key = MAPPING[spec.ris] if spec.ris else None
        if spec.kind == "names":
            names = [name_dict(n) for n in value]
            written = [ris_name(n) for n in value]
            if key is not None:
                record[key] = written
            if key is None or read_names(written) != names:
                # RIS would read these back otherwise (an organisation that looks like a
                # person, a literal with a comma): the exact names go in C8 as well
                custom.append(f"{spec.name}: {json.dumps(names, ensure_ascii=False)}")
        elif key is None or key in record or (spec.ris in ("T2", "PB") and spec.name not in (
                container_field(kind), publisher_field(kind))):
            custom.append(f"{spec.name}: {value}")
        else:
            record[key] = value
    _dates_and_pages(source, record)
    notes = [source.note] if source.note else []
    if notes:
        record["notes"] = notes
    for name, value in source.extra:
        if name in _KEYS and name not in record and name != "custom8":
            record[name] = [value] if name in ("keywords", "urls", "notes") else value
        else:
            custom.append(f"{name}: {value}")
    if custom:
        record["custom8"] = custom
    return record


def _dates_and_pages(source: Source, record: dict[str, object]) -> None:
    if source.date:
        record["year"] = source.date[:4]
        record["date"] = ris_date(source.date)
    if source.accessed:
        record["access_date"] = ris_date(source.accessed)
    if source.pages:
        start, _, end = source.pages.partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    if source.url:
        record["urls"] = [source.url]


def export(cmap: ClaimsMap, cited_only: bool = False) -> str:
    cited = cmap.cited_keys() if cited_only else None
    records = [source_record(s) for k, s in cmap.sources.items() if cited is None or k in cited]
    text: str = rispy.dumps(records, implementation=_Writer, mapping=_WRITE,
                            list_tags=LIST_TAGS)
    return text.lstrip("\n")
