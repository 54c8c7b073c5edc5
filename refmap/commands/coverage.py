"""Coverage: how much of the essay's checkable content stands on sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import TYPE_CHECKING

from refmap.essay.located import LocatedClaim, anchored_spans
from refmap.mapfile.model import ClaimsMap, Status

if TYPE_CHECKING:
    from refmap.essay.text import Essay

COLUMNS = tuple(Status)
"""Tally columns: one per status, in the order of the Status vocabulary."""


def _zero() -> dict[Status, int]:
    return dict.fromkeys(COLUMNS, 0)


@dataclass
class Tally:
    """Claim counts by status for one group of claims."""

    counts: dict[Status, int] = field(default_factory=_zero)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def checkable(self) -> int:
        """Claims that need a source: everything but opinion."""
        return self.total - self.counts[Status.OPINION]

    @property
    def percent_sourced(self) -> float:
        """Sourced share of the checkable claims (100 when nothing needs a source)."""
        return 100.0 * self.counts[Status.SOURCED] / self.checkable if self.checkable else 100.0

    @property
    def percent_accounted(self) -> float:
        """Share of checkable claims either sourced or explicitly marked unverified/disputed."""
        done = sum(self.counts[s] for s in (Status.SOURCED, Status.UNVERIFIED, Status.DISPUTED))
        return 100.0 * done / self.checkable if self.checkable else 100.0

    def to_json(self) -> dict[str, object]:
        return {
            "claims": self.total, **{str(s): n for s, n in self.counts.items()},
            "checkable": self.checkable,
            "percent_sourced": round(self.percent_sourced, 1),
            "percent_accounted": round(self.percent_accounted, 1),
        }


@dataclass
class Coverage:
    """The whole map's tally, per kind, and how much of the essay its quotes cover."""

    essay: str
    """The essay as shown to the user."""
    map: str
    overall: Tally
    by_kind: dict[str, Tally]
    essay_chars: int
    covered_chars: int
    ignored_chars: int = 0
    """Essay text the map's `ignore` list says is not claims: left out of percent_text."""
    needs_review: tuple[str, ...] = ()
    """Claims whose quote drifted with a figure, date or name changed (`claim-changed`): they
    count as needing a person until one re-checks them."""

    @property
    def percent_text(self) -> float:
        """Share of the essay's text, ignored sentences left out, that claim quotes cover."""
        text = self.essay_chars - self.ignored_chars
        return 100.0 * self.covered_chars / text if text > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_json(),
            "by_kind": {k: t.to_json() for k, t in self.by_kind.items()},
            "essay_chars": self.essay_chars,
            "covered_chars": self.covered_chars,
            "ignored_chars": self.ignored_chars,
            "percent_text_covered": round(self.percent_text, 1),
            "needs_review": list(self.needs_review),
        }


def measure(cmap: ClaimsMap, essay: Essay, located: Sequence[LocatedClaim],
            ignored_spans: Sequence[tuple[int, int]] = ()) -> Coverage:
    """Count claims by status, overall and by kind, the essay text their quotes cover, the text
    dismissed as not claims, and the claims a changed fact puts back in a person's hands."""
    from refmap.commands.drift import needing_review

    overall, by_kind = Tally(), dict[str, Tally]()
    for claim in cmap.claims:
        overall.counts[claim.status] += 1
        by_kind.setdefault(str(claim.kind), Tally()).counts[claim.status] += 1
    spans = [(start, end) for start, end, _ in anchored_spans(located)]
    ignored = sorted(ignored_spans)
    covered = _union(spans) - _overlap(spans, ignored)
    review = tuple(lc.claim.id for lc in needing_review(located))
    return Coverage(essay.path, cmap.path, overall, dict(sorted(by_kind.items())),
                    len(essay.text), covered, _union(ignored), review)


def _union(spans: list[tuple[int, int]]) -> int:
    """Characters in a union of spans sorted by start."""
    total, reach = 0, 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def _overlap(spans: list[tuple[int, int]], ignored: list[tuple[int, int]]) -> int:
    """Characters of the spans' union that ignored spans also cover (rare: a quote and an
    ignored sentence that overlap)."""
    if not ignored:
        return 0
    marks: set[int] = set()
    for a, b in ignored:
        for start, end in spans:
            marks.update(range(max(a, start), min(b, end)))
    return len(marks)
