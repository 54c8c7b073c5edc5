"""Anchoring claim quotes in the essay, and telling how each anchor stands.

An anchor is one of:

- exact: the quote occurs once, character for character;
- normalised: it occurs once after typographic normalisation (quotes, dashes, spaces);
- moved: it occurs once, but not where its recorded context (prefix/suffix) says;
- changed: no exact match, but a close fuzzy match (score and current text reported);
- ambiguous: several candidates and nothing to choose between them (never a silent guess);
- missing: nothing close enough.

Exact matching goes through an index of word starts in the normalised essay, so ten thousand
quotes in a megabyte of text cost a dictionary lookup each. Fuzzy matching (rapidfuzz) runs only
for quotes that did not match, and only on windows that share rare words with the quote.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from refmap.essay import Essay, normalise_quote
from refmap.located import Anchor, AnchorState, Found, NotFound
from refmap.model import Claim

EXACT, NORMALISED, MOVED, CHANGED, AMBIGUOUS, MISSING = (
    AnchorState.EXACT, AnchorState.NORMALISED, AnchorState.MOVED, AnchorState.CHANGED,
    AnchorState.AMBIGUOUS, AnchorState.MISSING,
)
STATES = tuple(AnchorState)

FUZZY_THRESHOLD = 80.0
"""Lowest similarity (0-100) at which a changed quote is still recognised."""
AMBIGUITY_MARGIN = 3.0
"""Candidates scoring within this many points of the best are too close to choose between."""

_KEY = 8
_WORD_START = re.compile(r"(?<!\w)\w")
_INNER_WORD_START = re.compile(r"\W\w")
_WORD = re.compile(r"\w+")


class Anchorer:
    """Anchors quotes in one essay; build once, call for each claim."""

    def __init__(self, essay: Essay):
        self.essay = essay
        self.norm = essay.norm.text
        self._starts: dict[str, list[int]] | None = None
        self._words: dict[str, list[int]] | None = None

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
        """Start offsets (normalised text) of every occurrence of a normalised quote."""
        text = self.norm
        m = _INNER_WORD_START.search(quote)
        if m is None or len(quote) - (m.start() + 1) < _KEY:
            found, pos = [], text.find(quote)
            while pos != -1:
                found.append(pos)
                pos = text.find(quote, pos + 1)
            return found
        q = m.start() + 1
        return [
            p - q
            for p in self._index().get(quote[q : q + _KEY], ())
            if p >= q and text.startswith(quote, p - q)
        ]

    def _context_fits(self, start: int, end: int, claim: Claim) -> bool:
        if claim.prefix and not self.norm[:start].rstrip().endswith(normalise_quote(claim.prefix)):
            return False
        if claim.suffix and not self.norm[end:].lstrip().startswith(normalise_quote(claim.suffix)):
            return False
        return True

    def _span(self, start: int, end: int) -> tuple[int, int]:
        norm = self.essay.norm
        return norm.to_original(start), norm.end_to_original(end)

    def anchor(self, claim: Claim) -> Anchor:
        quote = normalise_quote(claim.quote)
        starts = self.occurrences(quote)
        if not starts:
            return self.fuzzy(claim, quote)
        has_context = bool(claim.prefix or claim.suffix)
        fitting = [s for s in starts if self._context_fits(s, s + len(quote), claim)]
        if len(starts) > 1:
            if len(fitting) != 1:
                spans = tuple(self._span(s, s + len(quote)) for s in starts)
                return NotFound(AMBIGUOUS, spans)
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

    def _word_index(self) -> dict[str, list[int]]:
        if self._words is None:
            index: dict[str, list[int]] = defaultdict(list)
            for m in _WORD.finditer(self.norm.lower()):
                index[m.group()].append(m.start())
            self._words = index
        return self._words

    def _regions(self, quote: str) -> list[int]:
        """Likely starts of a changed quote: where its rarest words line up."""
        words = self._word_index()
        lowered = quote.lower()
        tokens = [(m.group(), m.start()) for m in _WORD.finditer(lowered)]
        usable = [(w, off) for w, off in tokens if 0 < len(words.get(w, ())) <= 2000]
        usable.sort(key=lambda t: len(words[t[0]]))
        votes: Counter[int] = Counter()
        for word, offset in usable[:8]:
            for pos in words[word]:
                votes[max(0, pos - offset) // 16] += 1
        needed = 2 if len(usable) >= 2 else 1
        return [bucket * 16 for bucket, n in votes.most_common(4) if n >= needed]

    def fuzzy(self, claim: Claim, quote: str) -> Anchor:
        from rapidfuzz import fuzz  # imported here: only drifted quotes need it

        text, n = self.norm, len(quote)
        scored: list[tuple[float, int, int]] = []
        for region in self._regions(quote):
            lo, hi = max(0, region - n // 2 - 16), min(len(text), region + n + n // 2 + 32)
            hit = fuzz.partial_ratio_alignment(quote, text[lo:hi], score_cutoff=FUZZY_THRESHOLD)
            if hit is not None:
                start, end = self._snap(quote, lo + hit.dest_start, lo + hit.dest_end)
                score = fuzz.ratio(quote, text[start:end])
                if score >= FUZZY_THRESHOLD:
                    scored.append((score, start, end))
        scored = _distinct(scored)
        if not scored:
            return NotFound(MISSING)
        best = scored[0]
        rivals = [s for s in scored[1:] if best[0] - s[0] <= AMBIGUITY_MARGIN]
        if rivals:
            in_context = [s for s in [best, *rivals] if self._context_fits(s[1], s[2], claim)]
            if len(in_context) != 1 or not (claim.prefix or claim.suffix):
                spans = tuple(self._span(s, e) for _, s, e in [best, *rivals])
                return NotFound(AMBIGUOUS, spans)
            best = in_context[0]
        start, end = self._span(best[1], best[2])
        return Found(CHANGED, start, end, round(best[0], 1), self.essay.text[start:end])

    def _snap(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """Move an alignment's edges to the word boundaries that best fit the whole quote."""
        from rapidfuzz import fuzz

        text = self.norm
        starts = _boundaries(text, start, before=True)
        ends = _boundaries(text, end, before=False)
        words = len(quote.split())
        best = (-1.0, start, end)
        for s in starts:
            for e in ends:
                if e > s:
                    # characters decide; a span with as many words as the quote wins a near
                    # tie, so a replaced last word ("going badly" -> "going well,") is kept
                    score = fuzz.ratio(quote, text[s:e]) - 2.0 * abs(len(text[s:e].split()) - words)
                    if score > best[0]:
                        best = (score, s, e)
        return best[1], best[2]


def _boundaries(text: str, pos: int, before: bool, reach: int = 24) -> list[int]:
    """Word boundaries within `reach` characters of pos (starts of words, or ends)."""
    lo, hi = max(0, pos - reach), min(len(text), pos + reach)
    found: set[int] = set()
    pattern = _WORD_START if before else re.compile(r"\w(?!\w)")
    for m in pattern.finditer(text, lo, hi):
        found.add(m.start() if before else m.end())
        # a quote may end with punctuation: allow the edge one character further
        if not before and m.end() < len(text) and not text[m.end()].isspace():
            found.add(m.end() + 1)
    return sorted(found or {pos})


def _distinct(scored: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """Best-first candidates, dropping any that overlaps a better one."""
    kept: list[tuple[float, int, int]] = []
    for cand in sorted(scored, key=lambda c: (-c[0], c[1])):
        if all(cand[2] <= s or cand[1] >= e for _, s, e in kept):
            kept.append(cand)
    return kept


def anchor_claims(claims: tuple[Claim, ...], essay: Essay) -> list[Anchor]:
    """One anchor per claim, in the claims' order."""
    anchorer = Anchorer(essay)
    return [anchorer.anchor(claim) for claim in claims]
