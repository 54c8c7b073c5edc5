"""CSL-JSON export: what pandoc --citeproc, Zotero and word processors read.

Names are family/given or literal, dates are date-parts, `accessed` comes from the accessed
date, and ids are the map's citekeys. Types and fields map through refmap.mapfile.vocabulary;
what CSL has no variable for travels in the item's `custom` object. Validated in the tests against the official CSL-JSON
schema.
"""

from __future__ import annotations

import json

from refmap.mapfile.vocabulary import (
    CSL_TO_TYPE,
    ENTRYSUBTYPES,
    SOURCE_FIELDS,
    TYPES,
    SourceType,
    container_field,
    publisher_field,
)
from refmap.mapfile.model import ClaimsMap, Name, Source
from refmap.values import parse_date

_ISSUE_TYPES = frozenset({SourceType.ARTICLE, SourceType.PERIODICAL, SourceType.REVIEW})
_SERIES_TYPES = frozenset({
    SourceType.BOOK, SourceType.MVBOOK, SourceType.INBOOK, SourceType.BOOKINBOOK,
    SourceType.SUPPBOOK, SourceType.COLLECTION, SourceType.MVCOLLECTION,
    SourceType.INCOLLECTION, SourceType.SUPPCOLLECTION, SourceType.PROCEEDINGS,
    SourceType.MVPROCEEDINGS, SourceType.INPROCEEDINGS, SourceType.REFERENCE,
    SourceType.INREFERENCE, SourceType.MANUAL})
"""Types whose `number` is an issue (CSL `issue`) or a number in a series (`collection-number`)."""
CSL_TEXT_VARIABLES = frozenset(
    "abstract annote archive archive_location archive-place authority call-number "
    "chapter-number collection-number container-title-short dimensions division genre "
    "jurisdiction keyword medium number-of-volumes original-publisher "
    "original-publisher-place original-title part references reviewed-title scale section "
    "source status supplement title-short volume-title".split())
"""CSL text variables that a field kept under `extra` may be written back as."""
_SPECIAL = frozenset({"date", "eventdate", "accessed", "number", "pages", "eprint",
                      "eprinttype", "entrysubtype", "tags", "extra"})


def csl_type(source: Source) -> str:
    """The CSL type of a source (an article's entrysubtype picks a magazine or newspaper)."""
    kind = SourceType(source.type)
    if kind is SourceType.ARTICLE and source.entrysubtype in ENTRYSUBTYPES:
        return ENTRYSUBTYPES[source.entrysubtype][0]
    return TYPES[kind].csl


def csl_name(name: Name) -> dict[str, object]:
    if name.literal is not None:
        return {"literal": name.literal}
    out: dict[str, object] = {"family": name.family}
    if name.given:
        out["given"] = name.given
    return out


def csl_date(text: str) -> dict[str, object]:
    return {"date-parts": [list(parse_date(text) or ())]}


def source_item(source: Source) -> dict[str, object]:
    """One CSL-JSON item; keys appear in a fixed order so output is byte-stable. What CSL has
    no variable for (and the BibLaTeX type, where the CSL type reads back as another) goes in
    the item's `custom` object."""
    kind = SourceType(source.type)
    item: dict[str, object] = {"id": source.key, "type": csl_type(source)}
    custom: dict[str, object] = {}
    if CSL_TO_TYPE.get(str(item["type"])) is not kind:
        custom["entrytype"] = kind.value
    if source.entrysubtype and str(item["type"]) == TYPES[kind].csl:
        custom["entrysubtype"] = source.entrysubtype
    for spec in SOURCE_FIELDS:
        value = getattr(source, spec.name)
        if not value or spec.name in _SPECIAL:
            continue
        csl = spec.csl if spec.csl not in item else None
        if spec.csl in ("container-title", "publisher") and spec.name not in (
                container_field(kind), publisher_field(kind)):
            csl = None  # read back into the type's own container or publisher field
        if csl is None:
            custom[spec.name] = [csl_name(n) for n in value] if spec.kind == "names" else value
        elif spec.kind == "names":
            item[csl] = [csl_name(n) for n in value]
        else:
            item[csl] = value
    _dates(source, item)
    item.update(_scholarly(source, kind))
    _extra(source, item, custom)
    if custom:
        item["custom"] = custom
    return item


def _dates(source: Source, item: dict[str, object]) -> None:
    for name, csl in (("date", "issued"), ("accessed", "accessed"), ("eventdate", "event-date")):
        value = getattr(source, name)
        if value:
            item[csl] = csl_date(value)


def _extra(source: Source, item: dict[str, object], custom: dict[str, object]) -> None:
    for name, value in source.extra:
        if name in CSL_TEXT_VARIABLES and name not in item:
            item[name] = value
        else:
            custom.setdefault(name, value)


def _scholarly(source: Source, kind: SourceType) -> dict[str, object]:
    """Number as issue, collection-number or number; page (an en-dash range); a PubMed
    e-print as PMID, an arXiv one as archive + archive_location."""
    from refmap.identifiers import render_pages

    out: dict[str, object] = {}
    if source.number:
        name = ("issue" if kind in _ISSUE_TYPES
                else "collection-number" if kind in _SERIES_TYPES else "number")
        out[name] = source.number
    if source.pages:
        out["page"] = render_pages(source.pages, "csl")
    if source.eprint and source.eprinttype == "pubmed":
        out["PMID"] = source.eprint
    elif source.eprint:
        out["archive"] = "arXiv" if source.eprinttype == "arxiv" else (source.eprinttype or "")
        out["archive_location"] = source.eprint
    return out


def export(cmap: ClaimsMap, cited_only: bool = False) -> str:
    cited = cmap.cited_keys() if cited_only else None
    items = [source_item(s) for k, s in cmap.sources.items() if cited is None or k in cited]
    # CSL-JSON (and pandoc) know no aliases: an item again under each alias, so that a
    # citation under the old key still renders.
    items += [{**source_item(cmap.sources[key]), "id": alias}
              for alias, key in cmap.aliases.items() if cited is None or key in cited]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
