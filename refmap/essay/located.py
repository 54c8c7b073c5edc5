"""Where a claim stands in the essay: anchor states and the two shapes an anchor can take.

An anchor is either Found (a span of the essay, with how well it matches) or NotFound (with the
competing places when it is ambiguous): never a record of optional fields to be checked one by
one.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from refmap.mapfile.model import Claim


class AnchorState(StrEnum):
    """How a claim's quote stands in the essay."""

    EXACT = "exact"
    """The quote occurs once, character for character."""
    NORMALISED = "normalised"
    """It occurs once after typographic normalisation (quotes, dashes, spaces)."""
    MOVED = "moved"
    """It occurs once, but not where its recorded context (prefix/suffix) says."""
    CHANGED = "changed"
    """No exact match, but a close fuzzy match (score and current text reported)."""
    AMBIGUOUS = "ambiguous"
    """Several candidates and nothing to choose between them (never a silent guess)."""
    MISSING = "missing"
    """Nothing close enough."""

    @property
    def needs_person(self) -> bool:
        """Whether a person must look: `anchors --fix` cannot settle it for certain, or a
        quote no longer says what the essay says."""
        return self in (AnchorState.CHANGED, AnchorState.AMBIGUOUS, AnchorState.MISSING)

    @property
    def fixable(self) -> bool:
        """Whether `anchors --fix` rewrites the map for it (the quote or its context)."""
        return self in (AnchorState.CHANGED, AnchorState.MOVED)


class Found(NamedTuple):
    """A quote found in the essay: offsets into the original text, end exclusive."""

    state: AnchorState
    start: int
    end: int
    score: float
    """Similarity 0-100 (100 for text found exactly or after normalisation)."""
    current: str | None = None
    """The essay's text at the anchor, when it differs from the quote."""


class NotFound(NamedTuple):
    """A quote that is missing, or ambiguous between several places."""

    state: AnchorState
    candidates: tuple[tuple[int, int], ...] = ()
    """Competing spans, for an ambiguous anchor (the first CANDIDATE_LIMIT of them)."""
    total: int = 0
    """How many places compete, when there are more than the candidates listed."""

    @property
    def places(self) -> int:
        """How many places an ambiguous quote matches."""
        return max(self.total, len(self.candidates))


CANDIDATE_LIMIT = 20
"""Competing places an ambiguous anchor lists: enough to find them, and a quote that matches
twenty thousand times in a repetitive essay costs no more than one that matches twenty."""


Anchor = Found | NotFound


class LocatedClaim(NamedTuple):
    """A claim with its anchor in the essay and its place in the map's list of claims."""

    order: int
    """The claim's place in the map's list of claims (0-based)."""
    claim: Claim
    anchor: Anchor

    @property
    def start(self) -> int | None:
        return self.anchor.start if isinstance(self.anchor, Found) else None


def in_essay_order(located: Iterable[LocatedClaim]) -> list[LocatedClaim]:
    """Claims in the order their quotes appear in the essay; unanchored ones last, in map
    order."""
    return sorted(located, key=lambda lc: (lc.start is None, lc.start or 0, lc.order))


def anchored_spans(located: Iterable[LocatedClaim]) -> list[tuple[int, int, LocatedClaim]]:
    """(start, end, claim) of every anchored claim, sorted by start."""
    return sorted(((lc.anchor.start, lc.anchor.end, lc) for lc in located
                   if isinstance(lc.anchor, Found)), key=lambda t: (t[0], t[1], t[2].order))
