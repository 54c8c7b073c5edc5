"""What the map does not cover yet: the essay's check-worthy sentences that no claim anchors in."""

from __future__ import annotations

from dataclasses import dataclass

from refmap.anchors import Anchor
from refmap.essay import Essay
from refmap.model import Claim
from refmap.sentences import split_sentences
from refmap.worthiness import Score, score_sentence


@dataclass(frozen=True)
class SentenceReport:
    """One sentence of the essay, its check-worthiness and the claims that cover it."""

    line: int
    col: int
    text: str
    score: Score
    covered_by: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "line": self.line, "col": self.col, "text": self.text,
            "score": self.score.value, "reasons": list(self.score.reasons),
            "covered_by": list(self.covered_by),
        }


def sentence_reports(essay: Essay, claims: tuple[Claim, ...] = (),
                     anchors: list[Anchor] | None = None) -> list[SentenceReport]:
    """Every sentence of the essay, scored, with the ids of claims whose quotes fall in it."""
    spans = [
        (a.start, a.end, c.id)
        for c, a in zip(claims, anchors or [])
        if a.start is not None
    ]
    reports = []
    for sentence in split_sentences(essay.text):
        covered = tuple(cid for start, end, cid in spans if start < sentence.end and end > sentence.start)
        line, col = essay.position(sentence.start)
        reports.append(SentenceReport(line, col, sentence.text, score_sentence(sentence.text), covered))
    return reports


def uncovered(reports: list[SentenceReport]) -> list[SentenceReport]:
    """The check-worthy sentences no claim covers, most check-worthy first."""
    todo = [r for r in reports if r.score.worthy and not r.covered_by]
    return sorted(todo, key=lambda r: (-r.score.value, r.line, r.col))
