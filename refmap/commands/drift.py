"""What changed in a drifted quote that a person must look at: a figure, a date or a name.

When the essay's "53 percent" becomes "35 percent", the quote still matches closely (one word
of many), and rewriting the quote to the new text would silently change the claim its sources
were checked against. The words of the recorded quote and of the essay's current text are
aligned (difflib on words); a replaced, added or dropped word that holds a figure (digits or
a number word), or a name (a capitalised word that does not start the quote), is a change of
fact. Such a claim is reported as `claim-changed` with the old and new values, counts as
needing review, and `anchors --fix` leaves its quote alone unless the person accepts it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import NamedTuple

from refmap.essay.located import AnchorState, Found, LocatedClaim

_WORD = re.compile(r"[\w’'.,%$€£-]+")
_EDGE = ".,;:!?'’\"()"


class FactChange(NamedTuple):
    """One change of fact: what the quote says, and what the essay says now ("" if gone)."""

    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.old or '(nothing)'} -> {self.new or '(nothing)'}"


def _words(text: str) -> list[str]:
    return [w.strip(_EDGE) for w in _WORD.findall(text) if w.strip(_EDGE)]


def _is_fact(word: str, first: bool) -> bool:
    from refmap.essay.figures import figures

    if any(ch.isdigit() for ch in word) or figures(word):
        return True
    return not first and word[:1].isupper()


def _facts(words: list[str], start: int) -> list[str]:
    return [w for i, w in enumerate(words, start) if _is_fact(w, i == 0)]


def fact_changes(quote: str, current: str) -> tuple[FactChange, ...]:
    """The figures, dates and names that differ between a quote and the essay's current text
    at its anchor, in order ("53 -> 35", "2018 -> 2019", "Moon -> Kim")."""
    old, new = _words(quote), _words(current)
    if [w.lower() for w in old] == [w.lower() for w in new]:
        return ()
    found = []
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in old], [w.lower() for w in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        was, now = _facts(old[i1:i2], i1), _facts(new[j1:j2], j1)
        if was or now:
            found.append(FactChange(" ".join(was), " ".join(now)))
    return tuple(found)


def describe(changes: tuple[FactChange, ...]) -> str:
    return ", ".join(str(c) for c in changes)


def located_changes(lc: LocatedClaim) -> tuple[FactChange, ...]:
    """The changes of fact of a claim whose quote drifted (CHANGED); () for any other anchor."""
    anchor = lc.anchor
    if not isinstance(anchor, Found) or anchor.state != AnchorState.CHANGED:
        return ()
    return fact_changes(lc.claim.quote, anchor.current or "")


def needing_review(located: Iterable[LocatedClaim]) -> list[LocatedClaim]:
    """Claims whose quote drifted with a change of fact: a person must re-check them."""
    return [lc for lc in located if located_changes(lc)]
