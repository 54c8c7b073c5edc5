"""Re-anchoring rates: how often a quote with some of its words replaced is found again, and
whether the span found is the reworded sentence (the library, in process: a rate, not a time).

    python bench/reanchor.py [CLAIMS] [REPLACED]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import inputs  # noqa: E402
from refmap import anchors  # noqa: E402
from refmap.essay.text import Essay  # noqa: E402
from refmap.mapfile.model import Claim  # noqa: E402


class Rates(NamedTuple):
    changed: float
    """Percent of quotes found as `changed` at exactly the reworded words."""
    missing: float
    ambiguous: float
    wrong: float
    """Percent anchored (any state) to a span outside the reworded sentence."""
    inexact: float
    """Percent anchored inside the reworded sentence but not at exactly the nine words (where a
    replacement word happens to be a neighbouring word of the essay, both readings fit)."""
    seconds: float


def reworded_quotes(
    essay: str, claims: int, replaced: int, seed: int = 7
) -> list[tuple[str, int, int, int]]:
    """(quote, start, end, sentence end): a sentence's first nine words with `replaced` of them
    swapped for other words of the essay, where the original nine words are, and where their
    sentence ends."""
    rng = random.Random(seed)
    vocab = sorted(set(essay.replace("\n", " ").replace(".", "").lower().split(" ")) - {""})
    found = []
    for sentence in rng.sample(inputs.essay_sentences(essay), claims):
        words = sentence.split(" ")[:9]
        original = " ".join(words)
        start = essay.find(original)
        for k in rng.sample(range(len(words)), replaced):
            while (word := rng.choice(vocab)) == words[k].lower():
                pass
            words[k] = word
        found.append((" ".join(words), start, start + len(original), essay.find(".", start)))
    return found


def rates(claims: int, replaced: int) -> Rates:
    essay_text = inputs.make_essay(random.Random(7), max(1_000_000, claims * 100))
    cases = reworded_quotes(essay_text, claims, replaced)
    anchorer = anchors.Anchorer(Essay.from_text("essay.txt", essay_text))
    counts = {state: 0 for state in anchors.STATES}
    wrong = inexact = 0
    began = time.perf_counter()
    for quote, start, end, sentence_end in cases:
        a = anchorer.anchor(Claim("c", quote, "figure", "sourced"))
        counts[a.state] += 1
        if a.start is not None and a.end is not None and (a.start, a.end) != (start, end):
            inside = start <= a.start < a.end <= sentence_end + 1
            wrong += not inside
            inexact += inside
    seconds = time.perf_counter() - began
    pct = 100 / len(cases)
    return Rates(counts[anchors.CHANGED] * pct, counts[anchors.MISSING] * pct,
                 counts[anchors.AMBIGUOUS] * pct, wrong * pct, inexact * pct, seconds)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    print(rates(n, k))
