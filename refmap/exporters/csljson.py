"""CSL-JSON export: what pandoc --citeproc, Zotero and word processors read.

Names are family/given or literal, dates are date-parts, `accessed` comes from the accessed
date, and ids are the map's citekeys. Validated in the tests against the official CSL-JSON
schema.
"""

from __future__ import annotations

import json

from refmap.mapfile.model import ClaimsMap, Name, Source
from refmap.values import parse_date

CSL_TYPES = {
    "online": "webpage", "article": "article-journal", "report": "report", "book": "book",
    "inproceedings": "paper-conference", "dataset": "dataset", "misc": "document",
}


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
    """One CSL-JSON item; keys appear in a fixed order so output is byte-stable."""
    item: dict[str, object] = {"id": source.key, "type": CSL_TYPES[source.type]}
    if source.title:
        item["title"] = source.title
    if source.authors:
        item["author"] = [csl_name(n) for n in source.authors]
    if source.editors:
        item["editor"] = [csl_name(n) for n in source.editors]
    container = source.journal or source.booktitle or source.site
    if container:
        item["container-title"] = container
    publisher = source.publisher or source.institution
    if publisher:
        item["publisher"] = publisher
    if source.date:
        item["issued"] = csl_date(source.date)
    if source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if source.url:
        item["URL"] = source.url
    item.update(_scholarly(source))
    if source.language:
        item["language"] = source.language
    if source.note:
        item["note"] = source.note
    return item


def _scholarly(source: Source) -> dict[str, object]:
    """Identifiers and locators: DOI, ISBN, ISSN, volume, issue or number, page (an en-dash
    range), edition; a PubMed e-print as PMID, an arXiv one as archive + archive_location."""
    from refmap.identifiers import render_pages

    out: dict[str, object] = {}
    for csl, value in (("DOI", source.doi), ("ISBN", source.isbn), ("ISSN", source.issn),
                       ("volume", source.volume), ("edition", source.edition)):
        if value:
            out[csl] = value
    if source.number:
        out["issue" if source.type == "article" else "number"] = source.number
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
