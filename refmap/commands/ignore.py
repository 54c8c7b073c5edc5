"""`refmap ignore`: a sentence of the essay that is not a claim, recorded in the map.

The sentence goes into the map's `ignore` list as its quote (the essay's own text), anchored
like a claim's quote: it is found again after edits elsewhere in the essay, and `check` warns
(`ignore-not-found`) when it no longer is. `uncovered` stops listing it and coverage leaves its
text out. A sentence given by text must occur exactly once in the essay; one given by position
is the sentence `uncovered` prints there. A sentence already ignored, or that a claim quotes
from, is refused.
"""

from __future__ import annotations

from refmap.commands.editing import EditPlan, MapFile, plain_value, plan
from refmap.errors import UsageError
from refmap.essay.located import Found


def ignore_sentence(mf: MapFile, text: str | None = None,
                    position: tuple[int, int] | None = None) -> EditPlan:
    """Add the sentence (by its text, or by the 1-based (line, col) of any character of it)
    to the map's `ignore` list."""
    from refmap.commands.claim_edits import anchor_quote_once, sentence_at

    if (text is None) == (position is None):
        raise UsageError("give either a sentence's TEXT or --sentence LINE:COL")
    essay = mf.essay
    if position is not None:
        text = sentence_at(essay, *position)
    assert text is not None
    start, end = anchor_quote_once(essay, plain_value("TEXT", text), mf.anchorer)
    quote = essay.text[start:end]
    for entry in mf.cmap.ignore:
        anchor = mf.anchor(entry.as_probe())
        if isinstance(anchor, Found) and anchor.start < end and start < anchor.end:
            raise UsageError("this sentence is already ignored", span=entry.span)
    for claim in mf.cmap.claims:
        if claim.quote.strip() and _may_overlap(claim.quote, quote):
            anchor = mf.anchor(claim)
            if isinstance(anchor, Found) and anchor.start < end and start < anchor.end:
                raise UsageError(f"claim '{claim.id}' quotes this sentence; remove the claim "
                                 f"first (`refmap claim remove {claim.id}`)",
                                 span=claim.quote_span)
    mf.editor.add_ignore({"quote": quote})
    return plan(mf, [f"{essay.span(start)}: ignored {quote!r}"])


def _may_overlap(claim_quote: str, sentence: str) -> bool:
    """A cheap filter before anchoring a claim: its quote shares a word with the sentence."""
    words = {w for w in sentence.lower().split() if len(w) > 3}
    return any(w in words for w in claim_quote.lower().split()) or len(claim_quote) < 20
