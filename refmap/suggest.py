"""Did-you-mean for misspelt keys, values and citekeys: difflib's answer, at rapidfuzz's speed.

difflib.get_close_matches compares the word with every choice in Python, which makes thousands of
unknown citekeys against thousands of sources quadratic in Python time. rapidfuzz's `ratio` (the
Indel similarity, 2 * longest common subsequence / total length) is never below difflib's ratio,
whose matching blocks are one common subsequence, so it can shortlist in C every choice difflib
could accept; difflib then picks among the few on the shortlist, and messages suggest exactly
what they suggested before.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SHORTLIST = 20
"""Most choices, closest first, that difflib is asked to rank."""


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` with a similarity of at least `cutoff` (0-1), or None.

    Like difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)[0], in time linear in the
    number of choices with a small constant.
    """
    from rapidfuzz import fuzz, process  # only when something is misspelt

    pool = list(choices)
    near = process.extract(
        word, pool, scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=SHORTLIST
    )
    close = difflib.get_close_matches(word, [choice for choice, _, _ in near], n=1, cutoff=cutoff)
    return close[0] if close else None
