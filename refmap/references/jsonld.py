"""Source fields from a page's schema.org JSON-LD.

A page may carry several JSON-LD scripts, each an object, a list, or an `@graph` of nodes that
refer to each other by `@id` (Yoast and most CMSs write an Article, a WebPage, a WebSite, an
Organization and a Person as separate nodes). All nodes are gathered, references are resolved,
and the node that best describes the page is read, the most specific kind first:

    ScholarlyArticle > Report > Book > Article and its kinds (NewsArticle, BlogPosting ...)
    > WebPage and its kinds

Mapping to the claims map's types: a ScholarlyArticle that names its journal (isPartOf a
Periodical) is an `article`; a Report is a `report` whose publisher is its institution; a Book
is a `book`; everything else is an `online` source whose site is the WebSite it is part of, or
else its publisher. Scripts that are not valid JSON are skipped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

from refmap.references.metavalues import Author, author_from_string, clean_doi, clean_text, metadata_date

_RANKED_KINDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"ScholarlyArticle", "MedicalScholarlyArticle"}), "article"),
    (frozenset({"Report"}), "report"),
    (frozenset({"Book"}), "book"),
    (frozenset({
        "Article", "NewsArticle", "AnalysisNewsArticle", "BackgroundNewsArticle",
        "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "BlogPosting",
        "LiveBlogPosting", "SocialMediaPosting", "TechArticle", "Review",
    }), "online"),
    (frozenset({
        "WebPage", "AboutPage", "CollectionPage", "FAQPage", "ItemPage", "MedicalWebPage",
        "ProfilePage", "QAPage", "SearchResultsPage",
    }), "online"),
)


def jsonld_fields(scripts: list[str]) -> dict[str, Any]:
    """Fields from the best-describing node of a page's JSON-LD scripts (empty if none)."""
    nodes = [node for script in scripts for node in _nodes(_parse(script))]
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for types, kind in _RANKED_KINDS:
        for node in nodes:
            if _types(node) & types:
                return _Reader(index).fields(node, kind)
    return {}


def _parse(script: str) -> object:
    try:
        return json.loads(script, strict=False)
    except ValueError:
        return None


def _nodes(data: object) -> Iterator[dict[str, Any]]:
    """Every node of a JSON-LD document: top-level objects, list items and @graph members."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _nodes(data.get("@graph"))


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {n.rsplit("/", 1)[-1].removeprefix("schema:") for n in names if isinstance(n, str)}


def _clean(value: object) -> str | None:
    """Text with whitespace collapsed and HTML entities decoded (CMSs write "&#8217;" into
    JSON-LD, where no HTML parser decodes it)."""
    return clean_text(html.unescape(value) if isinstance(value, str) and "&" in value else value)


def _text(value: object) -> str | None:
    """Text or a number as text (volumeNumber: 12)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _clean(value)


class _Reader:
    """Reads one node's fields, following @id references into the page's other nodes."""

    def __init__(self, index: dict[str, dict[str, Any]]):
        self.index = index

    def resolve(self, value: object) -> object:
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            return self.index.get(value["@id"], value)
        return value

    def name_of(self, value: object) -> str | None:
        """The name of a thing given as text or as a node (publisher, site, language)."""
        value = self.resolve(value)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            return _clean(value.get("name"))
        return _clean(value)

    def fields(self, node: dict[str, Any], kind: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        title = _clean(node.get("headline")) or _clean(node.get("name"))
        if title:
            fields["title"] = title
        authors = self.authors(node.get("author") or node.get("creator"))
        if authors:
            fields["authors"] = authors
        if date := metadata_date(node.get("datePublished")):
            fields["date"] = date
        if doi := self.doi(node):
            fields["doi"] = doi
        if language := self.name_of(node.get("inLanguage")):
            fields["language"] = language
        fields.update(self.container(node, kind))
        return fields

    def container(self, node: dict[str, Any], kind: str) -> dict[str, Any]:
        """Where the work appeared, by kind: journal, institution, publisher or site."""
        publisher = self.name_of(node.get("publisher"))
        if kind == "article":
            found = self.periodical(node)
            if "journal" in found:
                found["type"] = "article"
                if publisher:
                    found["publisher"] = publisher
                return found
            kind = "online"
        if kind == "report":
            return {"type": "report", **({"institution": publisher} if publisher else {})}
        if kind == "book":
            found = {"type": "book", **({"publisher": publisher} if publisher else {})}
            isbn = node.get("isbn")
            isbn = _text(isbn[0] if isinstance(isbn, list) and isbn else isbn)
            return {**found, **({"isbn": isbn} if isbn else {})}
        site = self.website_name(node) or publisher
        return {"type": "online", **({"site": site} if site else {})}

    def website_name(self, node: dict[str, Any]) -> str | None:
        for key in ("isPartOf", "mainEntityOfPage"):
            part = self.resolve(node.get(key))
            if isinstance(part, dict) and "WebSite" in _types(part):
                return _clean(part.get("name"))
            if isinstance(part, dict):  # an Article is part of a WebPage, part of a WebSite
                outer = self.resolve(part.get("isPartOf"))
                if isinstance(outer, dict) and "WebSite" in _types(outer):
                    return _clean(outer.get("name"))
        return None

    def periodical(self, node: dict[str, Any]) -> dict[str, Any]:
        """Journal, volume, number, ISSN and pages of a scholarly article."""
        found: dict[str, Any] = {}
        pages = _text(node.get("pagination"))
        start, end = _text(node.get("pageStart")), _text(node.get("pageEnd"))
        if pages or start:
            found["pages"] = pages or (f"{start}-{end}" if end else start)
        part = self.resolve(node.get("isPartOf"))
        for _ in range(3):  # issue -> volume -> periodical
            if not isinstance(part, dict):
                break
            types = _types(part)
            if "PublicationIssue" in types and _text(part.get("issueNumber")):
                found.setdefault("number", _text(part.get("issueNumber")))
            if "PublicationVolume" in types and _text(part.get("volumeNumber")):
                found.setdefault("volume", _text(part.get("volumeNumber")))
            if "Periodical" in types and _clean(part.get("name")):
                found["journal"] = _clean(part.get("name"))
                if issn := _text(part.get("issn")):
                    found["issn"] = issn
            part = self.resolve(part.get("isPartOf"))
        return found

    def authors(self, value: object) -> list[Author]:
        items = value if isinstance(value, list) else [value]
        found = [self.author(item) for item in items]
        return [a for a in found if a]

    def author(self, value: object) -> Author | None:
        value = self.resolve(value)
        if not isinstance(value, dict):
            return author_from_string(value)
        family, given = _clean(value.get("familyName")), _clean(value.get("givenName"))
        if "Person" in _types(value) and family:
            return {"family": family, **({"given": given} if given else {})}
        name = _clean(value.get("name"))
        if name is None:
            return None
        return author_from_string(name) if "Person" in _types(value) else {"literal": name}

    def doi(self, node: dict[str, Any]) -> str | None:
        """A DOI from identifier (text or PropertyValue), sameAs or @id."""
        candidates: list[object] = []
        for key in ("identifier", "sameAs", "@id"):
            value = node.get(key)
            candidates.extend(value if isinstance(value, list) else [value])
        for item in candidates:
            if isinstance(item, dict):
                if str(item.get("propertyID", "")).lower() != "doi":
                    continue
                item = item.get("value")
            text = _clean(item)
            if text and ("doi" in text.lower() or text.startswith("10.")):
                if doi := clean_doi(text):
                    return doi
        return None
