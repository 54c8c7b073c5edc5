"""Whether an incoming reference is a source the map already has.

Two records are the same work when they share a DOI, an ISBN or a URL (after
`identifiers.url_identity`), or when their titles are near-identical (normalised, rapidfuzz
ratio >= 95) and their years agree (two undated records agree). The first rule that
matches, in that order, names the match. The existing source wins; the match lists the fields
where the two differ, so that the difference can be reported rather than silently lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from refmap import identifiers

TITLE_SIMILARITY = 95.0
"""rapidfuzz ratio (0-100) from which two normalised titles count as the same."""


@dataclass(frozen=True)
class FieldDifference:
    """A field the incoming record gives differently from the existing source."""

    field: str
    existing: object
    """The map's value, which is kept; None if the map has none."""
    incoming: object


@dataclass(frozen=True)
class Match:
    """An existing source that an incoming record duplicates."""

    key: str
    """The existing source's citekey."""
    by: str
    """What matched: "doi", "isbn", "url" or "title"."""
    differences: tuple[FieldDifference, ...]


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing removed: what a title comparison looks at."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())


def _year(fields: Mapping[str, object]) -> str | None:
    date = fields.get("date")
    return date[:4] if isinstance(date, str) else None


def _identity(name: str, value: object) -> object:
    """The form two values of a field are compared in."""
    if not isinstance(value, str):
        return value
    if name == "doi":
        doi = identifiers.normalise_doi(value)
        return doi.lower() if doi else value
    if name in identifiers.FIELD_CHECKS:
        return identifiers.FIELD_CHECKS[name](value).value or value
    if name in ("url", "archive"):
        return identifiers.url_identity(value)
    return value


def differences(existing: Mapping[str, object],
                incoming: Mapping[str, object]) -> tuple[FieldDifference, ...]:
    """Fields the incoming record gives and the existing one lacks or gives otherwise."""
    found = []
    for name, value in incoming.items():
        old = existing.get(name)
        if old is None or _identity(name, old) != _identity(name, value):
            found.append(FieldDifference(name, old, value))
    return tuple(found)


class DuplicateIndex:
    """Existing sources indexed by DOI, ISBN, URL and title, for many look-ups in a row."""

    def __init__(self, existing: Mapping[str, Mapping[str, object]] | None = None):
        self.sources: dict[str, Mapping[str, object]] = {}
        self._by: dict[str, dict[object, str]] = {"doi": {}, "isbn": {}, "url": {}}
        self._titles: dict[str | None, dict[str, str]] = {}
        """Normalised titles by year: only records of one year can match by title, so each
        look-up compares against one year's titles, not the whole map (or a whole import)."""
        for key, fields in (existing or {}).items():
            self.add(key, fields)

    def add(self, key: str, fields: Mapping[str, object]) -> None:
        """Index one more source (an earlier record of the same import, for instance)."""
        self.sources[key] = fields
        for name, table in self._by.items():
            value = fields.get(name)
            if isinstance(value, str):
                table.setdefault(_identity(name, value), key)
        title = fields.get("title")
        if isinstance(title, str):
            self._titles.setdefault(_year(fields), {})[key] = normalise_title(title)

    def find(self, fields: Mapping[str, object]) -> Match | None:
        for name, table in self._by.items():
            value = fields.get(name)
            if isinstance(value, str) and _identity(name, value) in table:
                return self._match(table[_identity(name, value)], name, fields)
        key = self._same_title(fields)
        return self._match(key, "title", fields) if key is not None else None

    def _same_title(self, fields: Mapping[str, object]) -> str | None:
        title = fields.get("title")
        titles = self._titles.get(_year(fields))
        if not isinstance(title, str) or not titles:
            return None
        best = process.extractOne(normalise_title(title), titles, scorer=fuzz.ratio,
                                  score_cutoff=TITLE_SIMILARITY)
        return str(best[2]) if best is not None else None

    def _match(self, key: str, by: str, fields: Mapping[str, object]) -> Match:
        return Match(key, by, differences(self.sources[key], fields))


def find_duplicate(fields: Mapping[str, object],
                   existing: Mapping[str, Mapping[str, object]]) -> Match | None:
    """The existing source the incoming fields duplicate, if any. For many records, build
    one `DuplicateIndex` and call its `find` instead."""
    return DuplicateIndex(existing).find(fields)
