"""What the map does not cover yet: the essay's check-worthy sentences that no claim anchors in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from refmap.essay.text import Essay
from refmap.essay.located import Found, LocatedClaim
from refmap.essay.sentences import split_sentences
from refmap.spans import Span
from refmap.essay.worthiness import Score, score_sentence


@dataclass(frozen=True)
class SentenceReport:
    """One sentence of the essay, its check-worthiness and the claims that cover it."""

    position: Span
    text: str
    score: Score
    covered_by: tuple[str, ...]
    ignored: bool = False
    """Whether the map's `ignore` list says this sentence is not a claim."""

    def to_json(self) -> dict[str, object]:
        return {
            "essay_position": self.position.to_json(), "text": self.text,
            "score": self.score.value, "reasons": list(self.score.reasons),
            "covered_by": list(self.covered_by), "ignored": self.ignored,
        }


def sentence_reports(essay: Essay, located: Sequence[LocatedClaim] = (),
                     ignored: Sequence[tuple[int, int]] = ()) -> list[SentenceReport]:
    """Every sentence of the essay, scored, with the ids of claims whose quotes fall in it,
    and whether an ignored span (sorted (start, end) of the map's `ignore` list) falls in it.

    Claims are swept in order of their start, so the work is linear in sentences plus claims
    (plus the overlaps themselves), not their product.
    """
    spans = sorted((lc.anchor.start, lc.anchor.end, lc.order, lc.claim.id) for lc in located
                   if isinstance(lc.anchor, Found))
    reports = []
    active: list[tuple[int, int, int, str]] = []
    i = j = 0
    for sentence in split_sentences(essay.text):
        while j < len(ignored) and ignored[j][1] <= sentence.start:
            j += 1
        skip = j < len(ignored) and ignored[j][0] < sentence.end
        while i < len(spans) and spans[i][0] < sentence.end:
            active.append(spans[i])
            i += 1
        active = [s for s in active if s[1] > sentence.start]
        covered = tuple(cid for start, end, _, cid in sorted(active, key=lambda s: s[2])
                        if start < sentence.end and end > sentence.start)
        reports.append(SentenceReport(essay.span(sentence.start), sentence.text,
                                      score_sentence(sentence.text), covered, skip))
    return reports


def uncovered(reports: list[SentenceReport]) -> list[SentenceReport]:
    """The check-worthy sentences no claim covers and the map does not ignore, most
    check-worthy first."""
    todo = [r for r in reports if r.score.worthy and not r.covered_by and not r.ignored]
    return sorted(todo, key=lambda r: (-r.score.value, r.position.line, r.position.col))
