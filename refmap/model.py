"""The claims map as frozen dataclasses.

Positions (spans) are carried alongside values for diagnostics and kept out of equality, so two
maps with the same content compare equal wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from refmap.spans import Span

FORMAT_VERSION = 1

SOURCE_TYPES: dict[str, tuple[str, ...]] = {
    # type -> fields it requires: biber's data model for the matching BibLaTeX type, so a map
    # that passes `refmap check` exports entries that biber validates. The date is left out
    # here: many pages show none, and an undated source is a warning (`undated-source`).
    "online": ("title", "url"),
    "article": ("title", "authors", "journal"),
    "report": ("title", "authors", "institution"),
    "book": ("title", "authors"),
    "inproceedings": ("title", "authors", "booktitle"),
    "dataset": ("title",),
    "misc": ("title",),
}
"""Source types and the fields each one requires."""

CLAIM_KINDS = (
    "event", "poll", "figure", "statement", "background", "bio", "opinion", "prediction",
    "recommendation", "quote", "other",
)
"""What a claim is; opinion-like kinds need no source."""

OPINION_KINDS = frozenset({"opinion", "prediction", "recommendation"})

STATUSES = ("sourced", "unverified", "disputed", "opinion", "unsourced")
"""A claim's standing. Left out, it is derived: opinion for opinion kinds, sourced when the
claim cites a source, unsourced otherwise."""


@dataclass(frozen=True)
class Name:
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


@dataclass(frozen=True)
class Source:
    """One bibliographic record, keyed by its citekey."""

    key: str
    """The citekey, used unchanged in every export."""
    type: str
    """BibLaTeX entry type: online, article, report, book, inproceedings, dataset, misc."""
    title: str | None = None
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    site: str | None = None
    """Name of the website an online source lives on."""
    journal: str | None = None
    """Journal, newspaper or magazine of an article."""
    booktitle: str | None = None
    publisher: str | None = None
    institution: str | None = None
    """Institution that issued a report (think tank, agency, pollster)."""
    date: str | None = None
    """Publication date as written: YYYY, YYYY-MM or YYYY-MM-DD."""
    url: str | None = None
    accessed: str | None = None
    """When the source was read (YYYY-MM-DD)."""
    archive: str | None = None
    """An archived copy's URL."""
    language: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    field_spans: dict[str, Span] = field(default_factory=dict, compare=False, repr=False)
    """Where each field's value starts, for diagnostics."""


@dataclass(frozen=True)
class Citation:
    """A claim's pointer into a source, with the passage that supports it."""

    source: str
    """Citekey of the cited source."""
    locator: str | None = None
    """Where in the source: "p. 4", "para. 3", "section 2"."""
    excerpt: str | None = None
    """Verbatim supporting passage from the source."""
    span: Span | None = field(default=None, compare=False, repr=False)
    source_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Claim:
    """One factual statement (or opinion) in the essay, anchored by an exact quote."""

    id: str
    quote: str
    """The shortest exact span of the essay that states the claim."""
    kind: str
    status: str
    """One of STATUSES (derived when the map leaves it out)."""
    status_given: bool = False
    """Whether the map states the status explicitly."""
    tags: tuple[str, ...] = ()
    note: str | None = None
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


@dataclass(frozen=True)
class EssayRecord:
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
    """txt, markdown, html or docx; None: from the file's extension."""
    path_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ClaimsMap:
    """A whole claims map: the essay's record, its sources and its claims."""

    path: str
    """The map file as the user named it."""
    version: int
    essay: EssayRecord
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    warnings: tuple = field(default=(), compare=False, repr=False)
    """Findings raised while loading (unknown keys), reported with the checks."""

    def claim(self, claim_id: str) -> Claim | None:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        return None

    def cited_keys(self) -> set[str]:
        return {c.source for claim in self.claims for c in claim.citations}
