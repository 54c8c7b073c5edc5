"""Whether an incoming reference is a work the map already has, on strong evidence only.

Two records are the same work when one of these holds (the first that does names the match):

- ``doi``: the same DOI, and titles that match;
- ``isbn``: the same ISBN, both whole books (not chapters: a chapter carries its book's
  ISBN), and titles that match. A placeholder ISBN (``978-0-00-000000-2``, every digit but the
  check digit one repeated) is no evidence at all;
- ``key``: the incoming record carries the existing source's key or one of its aliases (as its
  key or in its own ``ids``), and titles that match with years that agree;
- ``url``: the same URL (after `identifiers.url_identity`), titles that match, years that
  agree and the same first author (when both name one);
- ``title``: titles that match, the same year (two undated records agree) and the same
  authors (the first author's family name, and every family name of the shorter list in the
  longer one).

Two different DOIs veto any of these: two articles of one title with two DOIs are two works.
"Titles that match" means normalised (case, accents, punctuation) and a rapidfuzz ratio of at
least 95, or, when an identifier is shared, one title being the other with a subtitle.

A shared identifier or a matching title that falls short of these rules is a *possible
duplicate*: reported, never merged. Every look-up goes through hash indexes (identifiers,
normalised titles and their first and last characters), with a bounded number of candidates
each, so deduplicating n records is linear in n.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from refmap import identifiers

TITLE_SIMILARITY = 95.0
"""rapidfuzz ratio (0-100) from which two normalised titles count as the same."""

BLOCK = 16
"""Characters of a normalised title's start and end that index it for near-identical titles."""

CANDIDATES = 32
"""The most recent sources of one index entry a look-up compares against (bounds the work on
a library with hundreds of "Introduction"s)."""

WHOLE_BOOKS = frozenset({"book", "mvbook", "collection", "mvcollection", "proceedings",
                         "mvproceedings", "reference", "mvreference", "booklet", "bookinbook"})
"""Source types that are a whole book, so that an ISBN names them and nothing else."""

_IDENTIFIERS = ("doi", "isbn", "url")
SAME_KEY = "same key, different works"


@dataclass(frozen=True)
class FieldDifference:
    """A field the incoming record gives differently from the existing source."""

    field: str
    existing: object
    """The map's value, which is kept; None if the map has none."""
    incoming: object


@dataclass(frozen=True)
class Match:
    """An existing source that an incoming record is the same work as."""

    key: str
    """The existing source's citekey."""
    by: str
    """The evidence: "doi", "isbn", "key", "url", "title", or "merge" (asked for)."""
    differences: tuple[FieldDifference, ...]


@dataclass(frozen=True)
class PossibleDuplicate:
    """A source the incoming record resembles without being shown to be the same work."""

    key: str
    reason: str
    """What they share and what keeps them apart ("same ISBN; a chapter is not its book")."""


@dataclass(frozen=True)
class Verdict:
    """What the index says about one incoming record."""

    match: Match | None
    possible: tuple[PossibleDuplicate, ...] = ()


_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=4096)
def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing removed: what a title comparison looks at.
    (Cached: an import normalises each record's title to look it up, then to index it.)"""
    folded = title.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).translate(_NOT_COMBINING)
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


class _DropCombining(dict[int, int | None]):
    """A str.translate table that drops combining characters, filled as characters come."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_NOT_COMBINING = _DropCombining()


def _year(fields: Mapping[str, object]) -> str | None:
    date = fields.get("date")
    return date[:4] if isinstance(date, str) else None


def _identity(name: str, value: object) -> object:
    """The form two values of a field are compared in."""
    if not isinstance(value, str):
        return value
    if name == "doi":
        return _doi_identity(value)
    if name in identifiers.FIELD_CHECKS:
        return identifiers.FIELD_CHECKS[name](value).value or value
    if name in ("url", "archive"):
        return _url_identity(value)
    return value


@lru_cache(maxsize=4096)
def _doi_identity(value: str) -> str:
    # like a URL, a record's DOI is looked up, then indexed
    doi = identifiers.normalise_doi(value)
    return doi.lower() if doi else value.lower()


@lru_cache(maxsize=4096)
def _url_identity(value: str) -> str:
    # a record's URL is looked up, then indexed: computed once for the two
    return identifiers.url_identity(value)


def is_placeholder_isbn(isbn: str) -> bool:
    """An ISBN whose digits before the check digit are one digit repeated, after the EAN
    prefix (``978-0-00-000000-2``, ``0-000-00000-0``): a catalogue's filler, not a book."""
    digits = re.sub(r"[^0-9Xx]", "", isbn)
    body = digits[3:-1] if len(digits) == 13 else digits[:-1]
    return len(set(body)) <= 1


def differences(existing: Mapping[str, object],
                incoming: Mapping[str, object]) -> tuple[FieldDifference, ...]:
    """Fields the incoming record gives and the existing one lacks or gives otherwise."""
    found = []
    for name, value in incoming.items():
        old = existing.get(name)
        if old is None or _identity(name, old) != _identity(name, value):
            found.append(FieldDifference(name, old, value))
    return tuple(found)


def _families(fields: Mapping[str, object]) -> list[str]:
    """The lower-case ASCII family names (an organisation's whole name) of the authors, else
    of the editors."""
    for role in ("authors", "editors"):
        names = fields.get(role)
        if isinstance(names, list) and names:
            found = []
            for name in names:
                if isinstance(name, Mapping):
                    part = name.get("family") or name.get("literal")
                    if isinstance(part, str):
                        found.append(re.sub(r"[^a-z0-9]", "", anyascii(part).lower()))
            return [f for f in found if f]
    return []


def authors_match(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    """The same first family name, and the shorter list's names all in the longer (an export
    that cut the list with "and others" still matches)."""
    first, second = _families(a), _families(b)
    if not first or not second or first[0] != second[0]:
        return False
    short, long = sorted((first, second), key=len)
    return set(short) <= set(long)


def _first_authors_differ(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    first, second = _families(a), _families(b)
    return bool(first and second) and first[0] != second[0]


def titles_match(a: str, b: str, *, subtitle: bool = False) -> bool:
    """Two normalised titles name one work; with `subtitle`, one may add a subtitle."""
    if a == b or fuzz.ratio(a, b, score_cutoff=TITLE_SIMILARITY):
        return True
    if not subtitle:
        return False
    short, long = sorted((a, b), key=len)
    return len(short.split()) >= 2 and long.startswith(short + " ")


def _years_agree(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    ya, yb = _year(a), _year(b)
    return ya is None or yb is None or ya == yb


def _whole_book(fields: Mapping[str, object]) -> bool:
    return fields.get("type") in WHOLE_BOOKS and not fields.get("booktitle")


class DuplicateIndex:
    """Known sources indexed by DOI, ISBN, URL, key and title, for many look-ups in a row."""

    def __init__(self, existing: Mapping[str, Mapping[str, object]] | None = None,
                 aliases: Mapping[str, str] | None = None):
        self.sources: dict[str, Mapping[str, object]] = {}
        self._titles: dict[str, str] = {}
        self._aliases: dict[str, str] = dict(aliases or {})
        self._by: dict[str, dict[object, list[str]]] = {name: {} for name in _IDENTIFIERS}
        self._by_title: dict[str, tuple[list[str], list[str]]] = {}
        """Title block -> the keys indexed under it, and their normalised titles."""
        for key, fields in (existing or {}).items():
            self.add(key, fields)

    def add(self, key: str, fields: Mapping[str, object]) -> None:
        """Index one more source (an earlier record of the same import, for instance)."""
        self.sources[key] = fields
        for name, table in self._by.items():
            value = fields.get(name)
            if isinstance(value, str):
                if name == "isbn" and is_placeholder_isbn(value):
                    continue
                table.setdefault(_identity(name, value), []).append(key)
        title = fields.get("title")
        if isinstance(title, str):
            norm = normalise_title(title)
            self._titles[key] = norm
            for block in _blocks(norm):
                keys, titles = self._by_title.setdefault(block, ([], []))
                keys.append(key)
                titles.append(norm)

    def add_alias(self, alias: str, key: str) -> None:
        self._aliases[alias] = key

    def resolve(self, key: str) -> str | None:
        """The source a key or an alias names, if it is known."""
        if key in self.sources:
            return key
        return self._aliases.get(key)

    def find(self, fields: Mapping[str, object], carried: str | None = None) -> Match | None:
        """The source the incoming fields are the same work as, if any."""
        return self.judge(fields, carried).match

    def judge(self, fields: Mapping[str, object], carried: str | None = None) -> Verdict:
        """The same work, if the evidence is strong, and the near misses (see the module
        docstring for the rules)."""
        title = fields.get("title")
        norm = normalise_title(title) if isinstance(title, str) else ""
        candidates = self._candidates(fields, carried, norm)
        possible: list[PossibleDuplicate] = []
        for key, shared in candidates.items():
            existing = self.sources[key]
            by, reason = self._evidence(existing, fields, shared, self._titles.get(key, ""),
                                        norm)
            if by is not None:
                return Verdict(Match(key, by, differences(existing, fields)))
            if reason is not None and len(possible) < 3:
                possible.append(PossibleDuplicate(key, reason))
        return Verdict(None, tuple(possible))

    def same_identifier(self, name: str, fields: Mapping[str, object]) -> Match | None:
        """A source with the very DOI or URL that `refmap add` was asked for: asking again for
        one identifier is asking for that source, whatever the page now says. (Not an ISBN:
        the map's chapters carry their book's.)"""
        value = fields.get(name)
        if name not in ("doi", "url") or not isinstance(value, str):
            return None
        keys = self._by[name].get(_identity(name, value))
        return Match(keys[0], name, differences(self.sources[keys[0]], fields)) if keys else None

    def match_with(self, key: str, fields: Mapping[str, object]) -> Match:
        """A match the user asked for (``--merge``), whatever the evidence."""
        return Match(key, "merge", differences(self.sources[key], fields))

    def _candidates(self, fields: Mapping[str, object], carried: str | None,
                    norm: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}

        def note(keys: Sequence[str], why: str) -> None:
            for key in keys[-CANDIDATES:]:
                found.setdefault(key, set()).add(why)

        for name, table in self._by.items():
            value = fields.get(name)
            if isinstance(value, str):
                note(table.get(_identity(name, value), ()), name)
        ids = fields.get("ids")
        for key in [carried, *(ids if isinstance(ids, list) else [])]:
            owner = self.resolve(key) if isinstance(key, str) else None
            if owner is not None:
                note([owner], "key")
        for block in _blocks(norm):
            # a title shared by its first or last characters only: the ratio of every recent
            # one, in one call into C; the candidates found already are noted as well
            bucket = self._by_title.get(block)
            if bucket is None:
                continue
            keys, titles = bucket
            start = max(0, len(keys) - CANDIDATES)
            earlier = [key for key in found if key in keys[start:]] if found else []
            hits = {start + i for _, _, i in process.extract_iter(
                norm, titles[start:], scorer=fuzz.ratio, score_cutoff=TITLE_SIMILARITY)}
            if earlier:
                hits.update(start + keys[start:].index(key) for key in earlier)
            note([keys[i] for i in sorted(hits)], "title")
        return found

    def _evidence(self, existing: Mapping[str, object], incoming: Mapping[str, object],
                  shared: set[str], a: str, b: str) -> tuple[str | None, str | None]:
        """The rule that makes the two one work, else why they only look alike (or None when
        they do not even look alike); a and b are their normalised titles."""
        same_title = bool(a and b) and titles_match(a, b)
        title_ok = bool(a and b) and titles_match(a, b, subtitle=True)
        doi_a, doi_b = existing.get("doi"), incoming.get("doi")
        if (isinstance(doi_a, str) and isinstance(doi_b, str)
                and _identity("doi", doi_a) != _identity("doi", doi_b)):
            return None, "same title, different DOIs" if same_title else None
        if "doi" in shared:
            return ("doi", None) if title_ok else (None, "same DOI, different titles")
        if "isbn" in shared:
            if not (_whole_book(existing) and _whole_book(incoming)):
                return None, "same ISBN; a part of a book is not the book (different works?)"
            return ("isbn", None) if title_ok else (None, "same ISBN, different titles")
        years = _years_agree(existing, incoming)
        if "key" in shared and same_title and years:
            return "key", None
        if "url" in shared:
            if title_ok and years and not _first_authors_differ(existing, incoming):
                return "url", None
            return None, "same URL, different titles or authors"
        if same_title and _year(existing) == _year(incoming):
            if authors_match(existing, incoming):
                return "title", None
            return None, "same title and year, authors differ or are missing"
        if "key" in shared:
            return None, SAME_KEY
        return None, None


@lru_cache(maxsize=4096)
def _blocks(norm: str) -> tuple[str, ...]:
    """The index entries of a normalised title: itself, and for a long one its first and last
    characters, where two near-identical titles almost always agree. (Cached: an import looks
    a record's title up, then indexes it.)"""
    if not norm:
        return ()
    if len(norm) < BLOCK:
        return ("=" + norm,)
    return ("=" + norm, "<" + norm[:BLOCK], ">" + norm[-BLOCK:])


def find_duplicate(fields: Mapping[str, object],
                   existing: Mapping[str, Mapping[str, object]]) -> Match | None:
    """The existing source the incoming fields are the same work as, if any. For many
    records, build one `DuplicateIndex` and call its `find` instead."""
    return DuplicateIndex(existing).find(fields)
