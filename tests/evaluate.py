"""Precision and recall of the check-worthiness detector against hand-labelled essays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from refmap.essay.sentences import split_sentences
from refmap.essay.worthiness import score_sentence


@dataclass(frozen=True)
class Result:
    name: str
    sentences: int
    labelled: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0


def evaluate(essay: Path, labels: Path) -> Result:
    """Score every sentence; a predicted sentence is right when it overlaps a labelled one."""
    text = essay.read_text("utf-8")
    gold = []
    for line in labels.read_text("utf-8").splitlines():
        if line.strip():
            start = text.index(line)
            gold.append((start, start + len(line)))
    predicted = [s for s in split_sentences(text) if score_sentence(s.text).worthy]
    hits = [s for s in predicted if any(a < s.end and s.start < b for a, b in gold)]
    found = [g for g in gold if any(g[0] < s.end and s.start < g[1] for s in predicted)]
    return Result(essay.stem, len(split_sentences(text)), len(gold), len(predicted),
                  min(len(hits), len(found)))
