"""`refmap anchors`: how each claim's quote stands in the essay, in essay order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from refmap.essay.located import AnchorState, Found, LocatedClaim, in_essay_order
from refmap.spans import Span, span_json

if TYPE_CHECKING:
    from refmap.essay.text import Essay


class AnchorRow(NamedTuple):
    """One claim's anchor, with its positions in the essay and in the map."""

    located: LocatedClaim
    position: Span | None
    """Where the quote stands in the essay (None when missing or ambiguous)."""
    candidates: tuple[Span, ...]
    """The competing places of an ambiguous quote (at most CANDIDATE_LIMIT)."""
    places: int = 0
    """How many places an ambiguous quote matches."""

    @property
    def state(self) -> AnchorState:
        return self.located.anchor.state

    def to_json(self) -> dict[str, object]:
        anchor = self.located.anchor
        return {
            "id": self.located.claim.id,
            "state": str(self.state),
            "essay_position": span_json(self.position),
            "map_position": span_json(self.located.claim.quote_span),
            "score": anchor.score if isinstance(anchor, Found) else None,
            "current": anchor.current if isinstance(anchor, Found) else None,
            "candidates": [s.to_json() for s in self.candidates],
            "places": self.places,
        }


class AnchorReport(NamedTuple):
    """Every claim's anchor, in essay order (claims not found last, in map order)."""

    rows: list[AnchorRow]

    @property
    def needing_person(self) -> list[AnchorRow]:
        return [r for r in self.rows if r.state.needs_person]

    @property
    def exit_code(self) -> int:
        """1 while any quote is changed, ambiguous or missing."""
        return 1 if self.needing_person else 0

    def to_json(self) -> list[dict[str, object]]:
        return [r.to_json() for r in self.rows]


def anchor_row(located: LocatedClaim, essay: Essay) -> AnchorRow:
    anchor = located.anchor
    if isinstance(anchor, Found):
        return AnchorRow(located, essay.span(anchor.start), ())
    return AnchorRow(located, None, tuple(essay.span(s) for s, _ in anchor.candidates),
                     anchor.places)


def anchor_report(located: Iterable[LocatedClaim], essay: Essay) -> AnchorReport:
    """How each claim's quote stands, in essay order."""
    return AnchorReport([anchor_row(lc, essay) for lc in in_essay_order(located)])
