"""Coverage: how much of the essay's checkable content stands on sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from refmap.anchors import Anchor
from refmap.model import ClaimsMap

COLUMNS = ("sourced", "unverified", "disputed", "unsourced", "opinion")


@dataclass
class Tally:
    """Claim counts by status for one group of claims."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def checkable(self) -> int:
        """Claims that need a source: everything but opinion."""
        return self.total - self.counts["opinion"]

    @property
    def percent_sourced(self) -> float:
        """Sourced share of the checkable claims (100 when nothing needs a source)."""
        return 100.0 * self.counts["sourced"] / self.checkable if self.checkable else 100.0

    @property
    def percent_accounted(self) -> float:
        """Share of checkable claims either sourced or explicitly marked unverified/disputed."""
        done = self.counts["sourced"] + self.counts["unverified"] + self.counts["disputed"]
        return 100.0 * done / self.checkable if self.checkable else 100.0


@dataclass
class Coverage:
    """The whole map's tally, per kind, and how much of the essay its quotes cover."""

    overall: Tally
    by_kind: dict[str, Tally]
    essay_chars: int
    covered_chars: int

    @property
    def percent_text(self) -> float:
        return 100.0 * self.covered_chars / self.essay_chars if self.essay_chars else 0.0

    def as_dict(self) -> dict:
        def tally(t: Tally) -> dict:
            return {
                "claims": t.total, **t.counts, "checkable": t.checkable,
                "percent_sourced": round(t.percent_sourced, 1),
                "percent_accounted": round(t.percent_accounted, 1),
            }

        return {
            "overall": tally(self.overall),
            "by_kind": {k: tally(t) for k, t in self.by_kind.items()},
            "essay_chars": self.essay_chars,
            "covered_chars": self.covered_chars,
            "percent_text_covered": round(self.percent_text, 1),
        }


def measure(cmap: ClaimsMap, essay_length: int, anchors: list[Anchor]) -> Coverage:
    """Count claims by status, overall and by kind, and the essay text their quotes cover."""
    overall, by_kind = Tally(), {}
    for claim in cmap.claims:
        overall.counts[claim.status] += 1
        by_kind.setdefault(claim.kind, Tally()).counts[claim.status] += 1
    spans = sorted((a.start, a.end) for a in anchors if a.start is not None)
    covered, reach = 0, 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return Coverage(overall, dict(sorted(by_kind.items())), essay_length, covered)
