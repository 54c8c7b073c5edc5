"""The claims map as frozen dataclasses, and the vocabularies that carry their own rules.

Positions (spans) are carried alongside values for diagnostics and kept out of equality, so two
maps with the same content compare equal wherever they were written. Statuses, claim kinds and
source types are StrEnums: each value knows its rules (which statuses account for a missing
source, which kinds are opinions, which fields a source type requires), so no other module
spells them out again. Source types and fields are BibLaTeX's data model, one table in
refmap.mapfile.vocabulary: the loader validates and builds sources from it, importers and
exporters map through it, and docs/format.md is checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from enum import StrEnum
from typing import TYPE_CHECKING

from refmap.mapfile.vocabulary import SOURCE_FIELDS as SOURCE_FIELDS
from refmap.mapfile.vocabulary import FieldSpec as FieldSpec
from refmap.mapfile.vocabulary import SourceType as SourceType
from refmap.mapfile.vocabulary import field_markdown, type_markdown
from refmap.mapfile.record import Record
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.findings import Finding

FORMAT_VERSION = 1

MACHINE_NOTE = re.compile(r"check-worthiness \d+(?:\.\d+)?: ")
"""How the notes `refmap init` wrote into `note` begin (maps drafted before `machine_note`)."""


class Status(StrEnum):
    """A claim's standing. Left out of the map, it is derived: opinion for opinion kinds,
    sourced when the claim cites a source, unsourced otherwise."""

    SOURCED = "sourced"
    UNVERIFIED = "unverified"
    DISPUTED = "disputed"
    UNSOURCED = "unsourced"
    OPINION = "opinion"

    @property
    def accounts_for_no_source(self) -> bool:
        """Whether a claim with this status may cite nothing (it says why it has no source)."""
        return self in _NO_SOURCE_NEEDED

    @property
    def needs_note(self) -> bool:
        """Unverified and disputed claims must say why, so a reader can weigh them."""
        return self in (Status.UNVERIFIED, Status.DISPUTED)


_NO_SOURCE_NEEDED = frozenset({Status.OPINION, Status.UNVERIFIED, Status.DISPUTED})

STATUS_SYNONYMS = {
    "verified": Status.SOURCED, "supported": Status.SOURCED, "checked": Status.SOURCED,
    "unchecked": Status.UNVERIFIED, "false": Status.DISPUTED, "wrong": Status.DISPUTED,
    "missing": Status.UNSOURCED, "todo": Status.UNSOURCED,
}
"""Words people reach for, and the status refmap calls it (for did-you-mean hints)."""


class ClaimKind(StrEnum):
    """What a claim is; opinion-like kinds need no source."""

    EVENT = "event"
    POLL = "poll"
    FIGURE = "figure"
    STATEMENT = "statement"
    BACKGROUND = "background"
    BIO = "bio"
    OPINION = "opinion"
    PREDICTION = "prediction"
    RECOMMENDATION = "recommendation"
    QUOTE = "quote"
    OTHER = "other"

    @property
    def is_opinion(self) -> bool:
        return self in (ClaimKind.OPINION, ClaimKind.PREDICTION, ClaimKind.RECOMMENDATION)


CAPTURED_VALUE = re.compile(r"(\d{4}-\d{2}-\d{2}) sha256:([0-9a-f]{64})")
"""The value of a source's `captured` field (refmap.net.capture writes it)."""


def source_fields_table() -> str:
    """The Markdown tables of source fields and of types that docs/format.md shows, in that
    order (tests keep them equal)."""
    return field_markdown() + "\n" + type_markdown()


@dataclass(frozen=True, eq=False, repr=False)
class Name(Record):
    """A person (family + given) or an organisation (literal, never split)."""

    family: str | None = None
    """Family name, written first in Korean and Chinese names ("Kim" of Kim Jong Un)."""
    given: str | None = None
    """Given name(s) ("Jong Un")."""
    literal: str | None = None
    """An organisation or a name that must not be split ("Gallup Korea")."""

    @property
    def is_person(self) -> bool:
        return self.literal is None

    def display(self) -> str:
        """The name as it reads in running text, respecting family-name-first conventions."""
        if self.literal is not None:
            return self.literal
        return " ".join(p for p in (self.given, self.family) if p)


@dataclass(frozen=True, eq=False, repr=False)
class Source(Record):
    """One bibliographic record, keyed by its citekey. Fields follow SOURCE_FIELDS."""

    key: str
    """The citekey, used unchanged in every export."""
    type: SourceType
    title: str | None = None
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    translators: tuple[Name, ...] = ()
    bookauthors: tuple[Name, ...] = ()
    site: str | None = None
    journal: str | None = None
    booktitle: str | None = None
    maintitle: str | None = None
    eventtitle: str | None = None
    eventdate: str | None = None
    venue: str | None = None
    series: str | None = None
    publisher: str | None = None
    institution: str | None = None
    location: str | None = None
    date: str | None = None
    url: str | None = None
    accessed: str | None = None
    archive: str | None = None
    archived: str | None = None
    captured: str | None = None
    """`YYYY-MM-DD sha256:HEX`: the day of the capture and the SHA-256 of the page's body."""
    doi: str | None = None
    isbn: str | None = None
    issn: str | None = None
    volume: str | None = None
    number: str | None = None
    chapter: str | None = None
    pages: str | None = None
    pagetotal: str | None = None
    edition: str | None = None
    version: str | None = None
    genre: str | None = None
    entrysubtype: str | None = None
    howpublished: str | None = None
    eprint: str | None = None
    eprinttype: str | None = None
    language: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    """Aliases: other citekeys that name this source."""
    extra: tuple[tuple[str, str], ...] = ()
    """Fields an import met that refmap has no place for, as (name, text) pairs."""
    span: Span | None = field(default=None, compare=False, repr=False)
    field_spans: dict[str, Span] = field(default_factory=dict, compare=False, repr=False)
    """Where each field's value starts, for diagnostics."""

    def where(self, name: str) -> Span | None:
        """Where a field's value stands in the map, else where the source starts."""
        return self.field_spans.get(name, self.span)


@dataclass(frozen=True, eq=False, repr=False)
class Citation(Record):
    """A claim's pointer into a source, with the passage that supports it."""

    source: str
    """Citekey of the cited source."""
    locator: str | None = None
    """Where in the source: "p. 4", "para. 3", "section 2"."""
    excerpt: str | None = None
    """Verbatim supporting passage from the source."""
    span: Span | None = field(default=None, compare=False, repr=False)
    source_span: Span | None = field(default=None, compare=False, repr=False)
    excerpt_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, eq=False, repr=False)
class Claim(Record):
    """One factual statement (or opinion) in the essay, anchored by an exact quote."""

    id: str
    quote: str
    """The shortest exact span of the essay that states the claim."""
    kind: ClaimKind
    status: Status
    """Derived when the map leaves it out (see Status)."""
    status_given: bool = False
    """Whether the map states the status explicitly."""
    tags: tuple[str, ...] = ()
    note: str | None = None
    """A person's note for readers: the only note exports, the report and ClaimReview show."""
    machine_note: str | None = None
    """What refmap wrote for a reviewer (check-worthiness score and reasons, drafting notes):
    shown to the person working on the map, never exported, reported or published."""
    draft: bool = False
    """Drafted by a machine (`refmap init`) and not yet reviewed: ClaimReview leaves the claim
    out, and exports leave its note out too."""
    prefix: str | None = None
    """Text just before the quote in the essay, to pick one of several occurrences."""
    suffix: str | None = None
    """Text just after the quote in the essay."""
    citations: tuple[Citation, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    quote_span: Span | None = field(default=None, compare=False, repr=False)
    id_span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.citations))

    @property
    def needs_source(self) -> bool:
        """A checkable claim that cites nothing and whose status does not say why."""
        return (not self.citations and not self.status.accounts_for_no_source
                and not self.kind.is_opinion)

    @property
    def published_note(self) -> str | None:
        """The note as exports may show it: a person's note only. None while the claim is a
        machine draft, and none when the note is machine text that a map drafted before
        `machine_note` existed still holds in `note` ("check-worthiness 0.81: ...")."""
        if self.draft or self.note is None or MACHINE_NOTE.match(self.note):
            return None
        return self.note


@dataclass(frozen=True, eq=False, repr=False)
class IgnoredSentence(Record):
    """A sentence of the essay that is not a claim (`refmap ignore`), anchored like a quote."""

    quote: str
    prefix: str | None = None
    suffix: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    def as_probe(self) -> Claim:
        """A claim-shaped stand-in, so the entry is anchored exactly as quotes are."""
        return Claim("ignore", self.quote, ClaimKind.OTHER, Status.UNSOURCED, prefix=self.prefix,
                     suffix=self.suffix, span=self.span, quote_span=self.span)


@dataclass(frozen=True, eq=False, repr=False)
class EssayRecord(Record):
    """Which essay the map describes, and the essay's own bibliographic record."""

    path: str
    """The essay file, relative to the map file."""
    title: str | None = None
    authors: tuple[Name, ...] = ()
    publisher: str | None = None
    venue: str | None = None
    """Where it first appeared (a magazine, a website)."""
    date: str | None = None
    url: str | None = None
    format: str | None = None
    """How to read the essay file (txt, markdown, html, docx, txt-wrapped, txt-lines); left out,
    from its extension."""
    path_span: Span | None = field(default=None, compare=False, repr=False)
    url_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, eq=False, repr=False)
class ClaimsMap(Record):
    """A whole claims map: the essay's record, its sources and its claims."""

    path: str
    """The map file as the user named it."""
    version: int
    essay: EssayRecord
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    ignore: tuple[IgnoredSentence, ...] = ()
    """Sentences that are not claims: `uncovered` and coverage leave them out."""
    warnings: tuple[Finding, ...] = field(default=(), compare=False, repr=False)
    """Findings raised while loading (unknown keys), reported with the checks."""

    def claim(self, claim_id: str) -> Claim | None:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        return None

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Each alias (a source's `ids`) and the key of the source it names; an alias that is
        also a source's key, or on two sources, is left out (`check` reports it)."""
        found: dict[str, str] = {}
        twice: set[str] = set()
        for key, source in self.sources.items():
            for alias in source.ids:
                if alias in found and found[alias] != key:
                    twice.add(alias)
                found.setdefault(alias, key)
        return {a: k for a, k in found.items() if a not in twice and a not in self.sources}

    def resolve(self, key: str) -> str | None:
        """The key of the source a citekey names: itself, or the source it is an alias of."""
        if key in self.sources:
            return key
        return self.aliases.get(key)

    def source(self, key: str) -> Source | None:
        """The source a citekey or an alias names."""
        found = self.resolve(key)
        return None if found is None else self.sources[found]

    def cited_keys(self) -> set[str]:
        """The keys of the sources the claims cite (a citation under an alias counts for the
        source it names)."""
        keys = {c.source for claim in self.claims for c in claim.citations}
        return {self.resolve(k) or k for k in keys}
