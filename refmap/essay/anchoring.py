"""Anchoring claim quotes in the essay, and telling how each anchor stands.

An anchor is one of:

- exact: the quote occurs once, character for character;
- normalised: it occurs once after typographic normalisation (quotes, dashes, spaces);
- moved: it occurs once, but not where its recorded context (prefix/suffix) says;
- changed: no exact match, but a close fuzzy match (score and current text reported);
- ambiguous: several candidates and nothing to choose between them (never a silent guess);
- missing: nothing close enough.

Exact matching goes through an index of word starts in the normalised essay, so ten thousand
quotes in a megabyte of text cost a dictionary lookup each; a recorded prefix or suffix is
checked next to each occurrence only. Fuzzy matching (refmap.essay.fuzzy: words, not characters) runs
only for quotes that did not match, and only where the quote's rarer words line up.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from refmap.essay.text import Essay, normalise_quote
from refmap.essay.located import CANDIDATE_LIMIT, Anchor, AnchorState, Found, NotFound
from refmap.mapfile.model import Claim

if TYPE_CHECKING:
    from refmap.essay.fuzzy import Candidate, Words

EXACT, NORMALISED, MOVED, CHANGED, AMBIGUOUS, MISSING = (
    AnchorState.EXACT, AnchorState.NORMALISED, AnchorState.MOVED, AnchorState.CHANGED,
    AnchorState.AMBIGUOUS, AnchorState.MISSING,
)
STATES = tuple(AnchorState)

FUZZY_THRESHOLD = 80.0
"""Lowest similarity (0-100) at which a changed quote is still recognised."""
AMBIGUITY_MARGIN = 3.0
"""Candidates scoring within this many points of the best are too close to choose between."""
WORD_THRESHOLD = 0.6
"""Lowest share of words in common (0-1) at which a reworded sentence is still the quote."""
WORD_FLOOR = 50.0
"""Lowest similarity at which a sentence that kept its words is still recognised."""

_KEY = 8
_KEYS_TRIED = 16
_SCAN_BELOW = 20_000
"""Normalised essays up to this many characters are searched with str.find for each quote:
indexing every word start costs more than a few hundred such scans (a 6 KB essay's index is
about 4 M instructions, a scan of it for one quote a few thousand)."""
_WORD_START = re.compile(r"(?<!\w)\w")
_INNER_WORD_START = re.compile(r"\W\w")


class Anchorer:
    """Anchors quotes in one essay; build once, call for each claim."""

    def __init__(self, essay: Essay):
        self.essay = essay
        self.norm = essay.norm.text
        self._starts: dict[str, list[int]] | None = None
        self._words: Words | None = None

    # -- exact ----------------------------------------------------------------------------

    def _index(self) -> dict[str, list[int]]:
        if self._starts is None:
            index: dict[str, list[int]] = defaultdict(list)
            text = self.norm
            for m in _WORD_START.finditer(text):
                p = m.start()
                index[text[p : p + _KEY]].append(p)
            self._starts = index
        return self._starts

    def occurrences(self, quote: str) -> list[int]:
        """Start offsets (normalised text) of every occurrence of a normalised quote.

        The quote is looked up by the rarest of the keys at its inner word starts, so a quote
        whose second word is common ("... percent of ...") is not checked at every place that
        word occurs.
        """
        text = self.norm
        key = None if len(text) <= _SCAN_BELOW else self._rarest_key(quote)
        if key is None:
            found, pos = [], text.find(quote)
            while pos != -1:
                found.append(pos)
                pos = text.find(quote, pos + 1)
            return found
        q, places = key
        return [p - q for p in places if p >= q and text.startswith(quote, p - q)]

    def _rarest_key(self, quote: str) -> tuple[int, list[int]] | None:
        """(offset in the quote, essay places) of its inner word start with the fewest places."""
        index = self._index()
        best: tuple[int, list[int]] | None = None
        for tried, m in enumerate(_INNER_WORD_START.finditer(quote)):
            q = m.start() + 1
            if len(quote) - q < _KEY or tried == _KEYS_TRIED:
                break
            places = index.get(quote[q : q + _KEY], [])
            if best is None or len(places) < len(best[1]):
                best = (q, places)
                if len(places) <= 1:
                    break
        return best

    def _context_fits(self, start: int, end: int, claim: Claim) -> bool:
        """Whether the recorded prefix ends just before start and the suffix starts at end.

        Only the text next to the span is looked at (no copy of the essay per candidate), so a
        quote found in thousands of places is checked in time linear in their number.
        """
        text = self.norm
        if claim.prefix:
            prefix = _normalised_context(claim.prefix)
            before = start
            while before > 0 and text[before - 1].isspace():
                before -= 1
            if before < len(prefix) or not text.startswith(prefix, before - len(prefix)):
                return False
        if claim.suffix:
            after = end
            while after < len(text) and text[after].isspace():
                after += 1
            if not text.startswith(_normalised_context(claim.suffix), after):
                return False
        return True

    def _span(self, start: int, end: int) -> tuple[int, int]:
        norm = self.essay.norm
        return norm.to_original(start), norm.end_to_original(end)

    def _spans(self, starts: list[int], length: int) -> tuple[tuple[int, int], ...]:
        """Original spans of many occurrences (offsets unchanged where nothing was normalised)."""
        if not self.essay.norm.breaks_norm:
            return tuple((s, s + length) for s in starts)
        return tuple(self._span(s, s + length) for s in starts)

    def _fitting(self, starts: list[int], length: int, claim: Claim) -> list[int]:
        """The first two occurrences whose context fits (two are enough to be ambiguous)."""
        fits = (s for s in starts if self._context_fits(s, s + length, claim))
        return list(itertools.islice(fits, 2))

    def anchor(self, claim: Claim) -> Anchor:
        quote = normalise_quote(claim.quote)
        starts = self.occurrences(quote)
        if not starts:
            return self.fuzzy(claim, quote)
        has_context = bool(claim.prefix or claim.suffix)
        fitting = self._fitting(starts, len(quote), claim) if has_context else starts[:2]
        if len(starts) > 1:
            if len(fitting) != 1:
                listed = starts[:CANDIDATE_LIMIT]
                return NotFound(AMBIGUOUS, self._spans(listed, len(quote)), len(starts))
            starts = fitting
        start, end = self._span(starts[0], starts[0] + len(quote))
        if has_context and not fitting:
            state = MOVED
        elif self.essay.text[start:end] == claim.quote:
            state = EXACT
        else:
            state = NORMALISED
        current = None if state == EXACT else self.essay.text[start:end]
        return Found(state, start, end, 100.0, current)

    # -- fuzzy ----------------------------------------------------------------------------

    def _word_tokens(self) -> Words:
        from refmap.essay.fuzzy import Words  # imported here: only changed quotes need rapidfuzz

        if self._words is None:
            self._words = Words(self.norm)
        return self._words

    def fuzzy(self, claim: Claim, quote: str) -> Anchor:
        """A changed quote: the reworded sentence that keeps most of its words, or missing."""
        from refmap.essay.fuzzy import candidates

        scored = [c for c in candidates(self._word_tokens(), quote) if _close_enough(c)]
        if not scored:
            return NotFound(MISSING)
        best = scored[0]
        rivals = [c for c in scored[1:] if best.score - c.score <= AMBIGUITY_MARGIN]
        if rivals:
            in_context = [c for c in [best, *rivals] if self._context_fits(c.start, c.end, claim)]
            if len(in_context) != 1 or not (claim.prefix or claim.suffix):
                spans = tuple(self._span(c.start, c.end) for c in [best, *rivals])
                return NotFound(AMBIGUOUS, spans)
            best = in_context[0]
        start, end = self._span(best.start, best.end)
        return Found(CHANGED, start, end, round(best.score, 1), self.essay.text[start:end])


def _close_enough(cand: Candidate) -> bool:
    """Close in characters, or a sentence that kept most of the quote's words."""
    return cand.score >= FUZZY_THRESHOLD or (
        cand.words >= WORD_THRESHOLD and cand.score >= WORD_FLOOR
    )


@functools.lru_cache(maxsize=256)
def _normalised_context(context: str) -> str:
    """A prefix or suffix in matching form (cached: every candidate of a quote checks it)."""
    return normalise_quote(context)


def anchor_claims(claims: tuple[Claim, ...], essay: Essay) -> list[Anchor]:
    """One anchor per claim, in the claims' order."""
    anchorer = Anchorer(essay)
    return [anchorer.anchor(claim) for claim in claims]
