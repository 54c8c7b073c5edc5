"""Re-finding a quote whose words changed: word tokens, diagonal votes, a bounded alignment.

A reworded sentence keeps most of its words in order, so the search works on words, not
characters. Every word the quote shares with the essay votes for a diagonal (where the quote
would start, in essay words); the best few diagonals are aligned word by word (rapidfuzz's LCS
on word ids), matches from another sentence are dropped, and the edges are moved over words
the quote replaced, up to the end of the sentence, so a span always starts and ends on word
boundaries. The work is bounded: rare words vote first up to a vote budget, and a quote too
long to align whole is aligned only at its head and tail.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

_WORD = re.compile(r"\w+")
_SPACE_OR_WORD = re.compile(r"[\s\w]")
_SENTENCE_END = re.compile(r"[.!?;:]")

MAX_OCCURRENCES = 2000
"""A word found more often than this in the essay says nothing about where a quote is."""
VOTE_BUDGET = 200_000
"""Most (quote word, essay occurrence) pairs counted per quote."""
REGIONS = 4
"""Diagonals aligned per quote."""
BAND = 8
"""Width, in words, of a diagonal band: insertions and deletions shift a diagonal a little."""
ALIGN_BUDGET = 16_000_000
"""Most (quote word x essay word) cells aligned at once; beyond it only head and tail are."""
EDGE_WORDS = 400
"""Words aligned at each end of a quote too long to align whole."""
EDGE_REACH = 4
"""Most replaced words an edge is moved over."""
STRAY_GAP = 3
"""Extra essay words between two edge matches beyond which the outer one is a stray."""
CHAR_BUDGET = 40_000
"""Longest quote scored by characters; longer ones are scored by words."""


class Candidate(NamedTuple):
    """A span of the normalised essay that may be the changed quote."""

    score: float
    """Character similarity 0-100 (word similarity for very long quotes)."""
    words: float
    """Share of words in common, 0-1: 2 * shared / (quote words + span words)."""
    start: int
    end: int
    span_words: int
    """How many words the span holds (a span as long as the quote wins a near tie)."""


class Words:
    """A text as word tokens: an id per word (case folded), where each starts, where each occurs."""

    def __init__(self, text: str):
        self.text = text
        lowered = text.lower()
        same_offsets = len(lowered) == len(text)  # no letter lower-cased to two
        source = lowered if same_offsets else text
        tokens = _WORD.findall(source)
        if not same_offsets:
            tokens = [token.lower() for token in tokens]
        self.starts = array("l", [m.start() for m in _WORD.finditer(source)])
        self.vocab = {word: wid for wid, word in enumerate(dict.fromkeys(tokens))}
        ids = [self.vocab[token] for token in tokens]
        where: list[list[int]] = [[] for _ in self.vocab]
        for index, wid in enumerate(ids):
            where[wid].append(index)
        self.where = [array("l", found) for found in where]
        self.ids = array("l", ids)

    def end(self, index: int) -> int:
        """Where word `index` ends."""
        found = _WORD.match(self.text, self.starts[index])
        assert found is not None  # starts are where words matched
        return found.end()

    def quote_ids(self, quote: str) -> list[int]:
        """The quote's words as essay word ids (-1 for a word the essay does not have)."""
        return [self.vocab.get(w.lower(), -1) for w in _WORD.findall(quote)]


def candidates(words: Words, quote: str) -> list[Candidate]:
    """Spans of the essay that may be the quote after rewording, best first, not overlapping."""
    q_ids = words.quote_ids(quote)
    found = [
        cand
        for region in _regions(words, q_ids)
        if (cand := _align(words, quote, q_ids, region)) is not None
    ]
    return _distinct(found)


class Region(NamedTuple):
    """Essay words [lo, hi) to align a quote in, and where the votes say the quote starts."""

    start: int
    lo: int
    hi: int


def _regions(words: Words, q_ids: list[int]) -> list[Region]:
    """Essay word windows around the diagonals the quote's rarer words vote for."""
    usable = [
        (len(words.where[wid]), i, wid)
        for i, wid in enumerate(q_ids)
        if wid >= 0 and len(words.where[wid]) <= MAX_OCCURRENCES
    ]
    usable.sort()
    votes: Counter[int] = Counter()
    budget, voters = VOTE_BUDGET, 0
    for count, i, wid in usable:
        if count > budget:
            break
        budget -= count
        voters += 1
        votes.update((j - i) // BAND for j in words.where[wid])
    needed = min(2, voters)
    if needed == 0:
        return []
    paired = Counter({b: n + votes.get(b + 1, 0) for b, n in votes.items()})
    chosen: list[int] = []
    for band, n in paired.most_common():
        if len(chosen) == REGIONS or n < needed:
            break
        if all(abs(band - c) > 1 for c in chosen):
            chosen.append(band)
    slack = len(q_ids) // 2 + BAND
    total = len(words.ids)
    return [
        Region(b * BAND, max(0, b * BAND - slack), min(total, (b + 2) * BAND + len(q_ids) + slack))
        for b in chosen
    ]


def _align(words: Words, quote: str, q_ids: list[int], region: Region) -> Candidate | None:
    """The best span for the quote in a region of the essay, or None if nothing lines up.

    The outermost matches may be chance: a replacement word that the essay happens to have a
    word or two further on. Each is also tried as replaced, and the span that reads closest
    to the quote wins (ties to the span with as many words as the quote).
    """
    q_spans = [m.span() for m in _WORD.finditer(quote)]
    pairs = _drop_strays(words, quote, q_spans, _matches(words, q_ids, region))
    needed = min(2, len(q_ids))
    if len(pairs) < needed:
        return None
    trims = [(0, 0)]
    if len(quote) <= CHAR_BUDGET:
        trims += [(a, b) for a, b in ((1, 0), (0, 1), (1, 1)) if len(pairs) - a - b >= needed]
    found = [
        _candidate(words, quote, q_ids, q_spans, pairs[a : len(pairs) - b]) for a, b in trims
    ]
    return max(found, key=lambda c: c.score - 2.0 * abs(c.span_words - len(q_ids)))


def _candidate(
    words: Words, quote: str, q_ids: list[int], q_spans: list[tuple[int, int]],
    pairs: list[tuple[int, int]],
) -> Candidate:
    """The span that the matches and the words the quote replaced at its edges cover, scored."""
    first, last = _edge(words, quote, q_spans, pairs)
    start, end = _punctuation(words.text, quote, words.starts[first], words.end(last))
    span_ids = words.ids[first : last + 1].tolist()
    shared = len(pairs) if len(pairs) == len(q_ids) else LCSseq.similarity(q_ids, span_ids)
    share = 2 * shared / (len(q_ids) + len(span_ids))
    if len(quote) <= CHAR_BUDGET:
        score = fuzz.ratio(quote, words.text[start:end])
    else:
        score = 100 * share
    return Candidate(score, share, start, end, len(span_ids))


def _matches(words: Words, q_ids: list[int], region: Region) -> list[tuple[int, int]]:
    """(quote word, essay word) pairs of a longest common subsequence, in order.

    A quote too long to align whole in its region is aligned at its head, near where the votes
    say it starts, and at its tail, near where it would end.
    """
    lo, hi = region.lo, region.hi
    if len(q_ids) * (hi - lo) <= ALIGN_BUDGET or len(q_ids) <= 2 * EDGE_WORDS:
        return _lcs_pairs(q_ids, words.ids[lo:hi].tolist(), 0, lo)
    head_lo = max(lo, region.start - EDGE_WORDS)
    head_window = words.ids[head_lo : min(hi, region.start + 2 * EDGE_WORDS)].tolist()
    head = _lcs_pairs(q_ids[:EDGE_WORDS], head_window, 0, head_lo)
    tail_from = len(q_ids) - EDGE_WORDS
    end = region.start + len(q_ids)
    tail_lo = max(lo, end - 2 * EDGE_WORDS)
    tail_window = words.ids[tail_lo : min(hi, end + EDGE_WORDS)].tolist()
    tail = _lcs_pairs(q_ids[tail_from:], tail_window, tail_from, tail_lo)
    return head + [p for p in tail if not head or p[1] > head[-1][1]]


def _lcs_pairs(a: list[int], b: list[int], a_off: int, b_off: int) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for block in LCSseq.opcodes(a, b).as_matching_blocks():
        pairs.extend((a_off + block.a + k, b_off + block.b + k) for k in range(block.size))
    return pairs


def _drop_strays(
    words: Words, quote: str, q_spans: list[tuple[int, int]], pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Keep the matches that belong together: the largest run not broken by a sentence end the
    quote does not have, without edge matches set apart by more essay words than quote words."""
    runs: list[list[tuple[int, int]]] = []
    for pair in pairs:
        if runs and not _breaks(words, quote, q_spans, runs[-1][-1], pair):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    if not runs:
        return []
    kept = max(runs, key=len)

    def stray(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
        return abs(inner[1] - outer[1]) - abs(inner[0] - outer[0]) > STRAY_GAP

    lo, hi = 0, len(kept)
    while hi - lo > 1 and stray(kept[lo], kept[lo + 1]):
        lo += 1
    while hi - lo > 1 and stray(kept[hi - 1], kept[hi - 2]):
        hi -= 1
    return kept[lo:hi]


def _breaks(
    words: Words, quote: str, q_spans: list[tuple[int, int]],
    before: tuple[int, int], after: tuple[int, int],
) -> bool:
    """Whether two matches belong to different sentences: the essay has more words between
    them than the quote, and a sentence end that the quote does not have."""
    if after[1] - before[1] <= after[0] - before[0]:
        return False
    if _SENTENCE_END.search(words.text, words.end(before[1]), words.starts[after[1]]) is None:
        return False
    return _SENTENCE_END.search(quote, q_spans[before[0]][1], q_spans[after[0]][0]) is None


def _edge(
    words: Words, quote: str, q_spans: list[tuple[int, int]], pairs: list[tuple[int, int]]
) -> tuple[int, int]:
    """First and last essay word of the span, moved over words the quote replaced at its edges.

    A word of the quote missing before the first match (or after the last) is taken to have
    been replaced by the essay's word there, up to the end of the sentence: a reworded
    sentence keeps its length far more often than it loses its first or last words.
    """
    (qi0, first), (qi1, last) = pairs[0], pairs[-1]
    head_marks = _SENTENCE_END.search(quote, 0, q_spans[qi0][0]) is not None
    for _ in range(min(qi0, EDGE_REACH)):
        if first == 0 or (not head_marks and _ends_sentence(words, first - 1)):
            break
        first -= 1
    tail_marks = _SENTENCE_END.search(quote, q_spans[qi1][1]) is not None
    for _ in range(min(len(q_spans) - 1 - qi1, EDGE_REACH)):
        if last + 1 == len(words.ids) or (not tail_marks and _ends_sentence(words, last)):
            break
        last += 1
    return first, last


def _ends_sentence(words: Words, index: int) -> bool:
    """Whether the gap after essay word `index` ends a sentence or clause."""
    return _SENTENCE_END.search(words.text, words.end(index), words.starts[index + 1]) is not None


def _punctuation(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span of whole words over punctuation where the quote has punctuation too."""
    lead = _outer_marks(quote)
    trail = _outer_marks(quote[::-1])
    while lead and start > 0 and not _SPACE_OR_WORD.match(text[start - 1]):
        start, lead = start - 1, lead - 1
    while trail and end < len(text) and not _SPACE_OR_WORD.match(text[end]):
        end, trail = end + 1, trail - 1
    return start, end


def _outer_marks(text: str) -> int:
    """How many punctuation marks a text starts with."""
    n = 0
    while n < len(text) and not _SPACE_OR_WORD.match(text[n]):
        n += 1
    return n


def _distinct(found: list[Candidate]) -> list[Candidate]:
    """Best-first candidates, dropping any that overlaps a better one."""
    kept: list[Candidate] = []
    for cand in sorted(found, key=lambda c: (-c.score, c.start)):
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return kept
