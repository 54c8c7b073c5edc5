"""A source's fields from a web page's own metadata, for `refmap add url:...`.

Publishers describe their pages in several vocabularies. They are read in order of trust, and
for each field the most trusted vocabulary that gives it wins:

1. Highwire Press `citation_*` meta tags (what Google Scholar reads; journals, repositories);
2. schema.org JSON-LD (Article, NewsArticle, ScholarlyArticle, Report, Book, WebPage ...,
   including `@graph` lists and `@id` references between their nodes);
3. Open Graph (`og:title`, `og:site_name`, `article:published_time`, `og:locale`);
4. the `<title>` element and `<html lang>`.

Nothing is guessed: a field appears only if a vocabulary states it, and names and dates follow
the rules of refmap.references.metavalues (a name is split only on one comma or by schema.org's own
familyName/givenName; a date only as precise as given). Malformed JSON-LD or meta tags are
skipped, not fatal: a page's metadata is best effort. The url is the one the caller fetched
(after redirects), not a canonical URL the page claims for itself.

The result uses the claims map's source field names, so it can be written as a source as is.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from refmap.net.pages import feed_html
from refmap.references.jsonld import jsonld_fields
from refmap.references.metavalues import (
    SourceFields, author_from_string, clean_doi, clean_text, metadata_date, put_text,
)


def page_metadata(html: str, url: str) -> SourceFields:
    """The source fields a page's metadata gives, most trusted vocabulary first."""
    page = _scan(html)
    layers = (
        _highwire(page.meta), jsonld_fields(page.jsonld), _open_graph(page.meta), _basic(page),
    )
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            merged.setdefault(key, value)
    fields = SourceFields(type=merged.pop("type", "online"))
    fields.update(merged)  # type: ignore[typeddict-item]
    if url:
        fields["url"] = url
    return fields


# -- reading the page ----------------------------------------------------------------------


class _Page:
    def __init__(self) -> None:
        self.meta: list[tuple[str, str]] = []
        """(name or property, lower-cased; content) of each <meta>, in page order."""
        self.jsonld: list[str] = []
        self.title: str | None = None
        self.lang: str | None = None


class _Scanner(HTMLParser):
    """Collects <meta>, JSON-LD scripts, the first <title> and <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._capture: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("itemprop")
            if key and a.get("content") is not None:
                self.page.meta.append((key.strip().lower(), a["content"]))
        elif tag == "script" and a.get("type", "").strip().lower() == "application/ld+json":
            self._capture, self._buffer = "jsonld", []
        elif tag == "title" and self.page.title is None and self._capture is None:
            self._capture, self._buffer = "title", []
        elif tag == "html" and a.get("lang"):
            self.page.lang = a["lang"].strip()
        elif tag == "svg":
            self._capture = "svg"  # an SVG's <title> is not the page's

    def handle_endtag(self, tag: str) -> None:
        if self._capture == "jsonld" and tag == "script":
            self.page.jsonld.append("".join(self._buffer))
        elif self._capture == "title" and tag == "title":
            self.page.title = "".join(self._buffer)
        elif not (self._capture == "svg" and tag == "svg"):
            return
        self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture in ("jsonld", "title"):
            self._buffer.append(data)


def _scan(html: str) -> _Page:
    scanner = _Scanner()
    feed_html(scanner, html)
    return scanner.page


# -- the vocabularies ----------------------------------------------------------------------


def _first(meta: list[tuple[str, str]], *names: str) -> str | None:
    for name in names:
        for key, content in meta:
            if key == name and clean_text(content):
                return content
    return None


def _highwire(meta: list[tuple[str, str]]) -> dict[str, Any]:
    """Fields from Highwire Press citation_* tags."""
    fields: dict[str, Any] = {}
    for key, names in _HIGHWIRE_TEXT:
        put_text(fields, key, _first(meta, *names))
    authors = [author_from_string(c) for k, c in meta if k == "citation_author"]
    if not authors and (joined := _first(meta, "citation_authors")):
        authors = [author_from_string(part) for part in joined.split(";")]
    if any(authors):
        fields["authors"] = [a for a in authors if a]
    dates = (metadata_date(_first(meta, n)) for n in _HIGHWIRE_DATES)
    if date := next((d for d in dates if d), None):
        fields["date"] = date
    if doi := clean_doi(_first(meta, "citation_doi")):
        fields["doi"] = doi
    first = clean_text(_first(meta, "citation_firstpage"))
    last = clean_text(_first(meta, "citation_lastpage"))
    if first:
        fields["pages"] = f"{first}-{last}" if last else first
    if fields:
        fields["type"] = _highwire_type(fields)
    return fields


_HIGHWIRE_TEXT = (
    ("title", ("citation_title",)),
    ("journal", ("citation_journal_title",)),
    ("volume", ("citation_volume",)),
    ("number", ("citation_issue",)),
    ("publisher", ("citation_publisher",)),
    ("institution", ("citation_technical_report_institution", "citation_dissertation_institution")),
    ("booktitle", ("citation_conference_title", "citation_inbook_title", "citation_book_title")),
    ("isbn", ("citation_isbn",)),
    ("issn", ("citation_issn",)),
    ("language", ("citation_language",)),
)
_HIGHWIRE_DATES = ("citation_publication_date", "citation_date", "citation_cover_date",
                   "citation_online_date")


def _highwire_type(fields: dict[str, Any]) -> str:
    if "journal" in fields:
        return "article"
    if "institution" in fields:
        return "report"
    if "booktitle" in fields:
        return "inproceedings"
    if "isbn" in fields:
        return "book"
    return "online"


def _open_graph(meta: list[tuple[str, str]]) -> dict[str, Any]:
    """Fields from Open Graph tags (og:*, article:*)."""
    fields: dict[str, Any] = {}
    put_text(fields, "title", _first(meta, "og:title"))
    put_text(fields, "site", _first(meta, "og:site_name"))
    if date := metadata_date(_first(meta, "article:published_time")):
        fields["date"] = date
    authors = [author_from_string(c) for k, c in meta if k == "article:author"]
    if any(authors):
        fields["authors"] = [a for a in authors if a]
    locale = clean_text(_first(meta, "og:locale"))
    if locale:
        fields["language"] = locale.replace("_", "-")
    return fields


def _basic(page: _Page) -> dict[str, Any]:
    """Fields from plain HTML: the <title> element and <html lang>."""
    fields: dict[str, Any] = {}
    put_text(fields, "title", page.title)
    put_text(fields, "language", page.lang)
    return fields
