"""Whether a page still says what a citation's excerpt says.

An excerpt is looked for in a page's text exactly as a claim's quote is looked for in the essay
(refmap.essay.anchoring): after the same typographic normalisation (curly and straight quotes, dashes,
non-breaking spaces, line breaks and whitespace runs do not count) and what pages add taken out
of both sides (refmap.net.pages.matching_text: footnote marks, superscript digits, soft hyphens,
zero-width characters, ligatures), then, if it is not there,
by the same fuzzy matching. The answer is one of:

- found: the excerpt is on the page, typography aside (anywhere, and as often as it occurs:
  unlike a quote in the essay, an excerpt that a page repeats is no less true; and letter
  case aside, which pages set with CSS);
- changed: a passage close to it is there (a reworded word, a corrected figure), reported with
  its similarity (0-100) and the page's current wording;
- missing: nothing close enough (refmap.essay.anchoring.FUZZY_THRESHOLD) is on the page.

An excerpt that is not on the page as it stands but elides text ("...", "\u2026", "[...]")
is looked for passage by passage: found if every passage is found, missing if any is missing,
else changed with the lowest passage score and the page's text from the first passage to the
last.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from refmap.essay.anchoring import AMBIGUOUS, CHANGED, Anchorer
from refmap.essay.text import Essay, normalise_quote
from refmap.essay.located import Found
from refmap.mapfile.model import Claim, ClaimKind, Status
from refmap.net.pages import PDF, PageText, matching_text


_ELISION = re.compile(r"\s*[\[(]?\.\.\.[\])]?\s*")
"""An elision mark in a normalised excerpt: "...", "[...]" or "(...)" ("\u2026" is "..." there)."""
_WORD = re.compile(r"\w")
_IN_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


class ExcerptState(StrEnum):
    """How a citation's excerpt stands on its page."""

    FOUND = "found"
    CHANGED = "changed"
    MISSING = "missing"


class ExcerptMatch(NamedTuple):
    """Where (and how well) an excerpt was found in a page's text."""

    state: ExcerptState
    score: float | None = None
    """Similarity 0-100: 100 when found, the fuzzy score when changed, None when missing."""
    current: str | None = None
    """The page's wording of the passage, when changed."""
    offset: int | None = None
    """Start of the passage in PageText.text (the first occurrence when found several times)."""
    end: int | None = None
    """End (exclusive) of the passage in PageText.text."""


def find_excerpt(excerpt: str, page: PageText) -> ExcerptMatch:
    """How an excerpt stands on a page: found, changed (with score and wording) or missing."""
    return ExcerptFinder(page).find(excerpt)


class ExcerptFinder:
    """Looks for several excerpts in one page; build once per page, call find for each."""

    def __init__(self, page: PageText):
        text = matching_text(page.text)  # page_text already did this: a no-op then
        self.page = page if text == page.text else page._replace(text=text)
        self._anchorer = Anchorer(Essay.from_text("<page>", text))
        self._lowered: str | None = None

    def find(self, excerpt: str) -> ExcerptMatch:
        """How one excerpt stands on this page."""
        quote = normalise_quote(matching_text(excerpt))
        if not quote:
            return ExcerptMatch(ExcerptState.MISSING)
        found = self._exact(quote) or self._exact_unhyphenated(quote)
        if found is not None:
            return found
        pieces = [p for p in (p.strip() for p in _ELISION.split(quote)) if _WORD.search(p)]
        if len(pieces) > 1:
            return self._combine([self._exact(p) or self._fuzzy(p) for p in pieces])
        return self._fuzzy(quote)

    def _exact(self, quote: str) -> ExcerptMatch | None:
        """The first occurrence of a normalised quote, letter case aside, or None.

        A plain find, not the anchorer's word index: a page is asked for a few excerpts, and
        building the index costs more than scanning the page a few times."""
        anchorer = self._anchorer
        first = anchorer.norm.find(quote)
        starts = [first] if first != -1 else self._occurrences_ignoring_case(quote)
        if not starts:
            return None
        norm = anchorer.essay.norm
        start, end = norm.to_original(starts[0]), norm.end_to_original(starts[0] + len(quote))
        return ExcerptMatch(ExcerptState.FOUND, 100.0, None, start, end)

    def _exact_unhyphenated(self, quote: str) -> ExcerptMatch | None:
        """In a PDF, "well-known" broken at its hyphen across lines was joined as "wellknown"
        (refmap.net.pages.join_hyphenated_lines cannot tell it from "infor-mation"): try the
        excerpt with its in-word hyphens taken out."""
        if self.page.kind != PDF or not _IN_WORD_HYPHEN.search(quote):
            return None
        return self._exact(_IN_WORD_HYPHEN.sub("", quote))

    def _fuzzy(self, quote: str) -> ExcerptMatch:
        anchor = self._anchorer.anchor(_as_claim(quote))
        if isinstance(anchor, Found):
            if anchor.state == CHANGED:
                return ExcerptMatch(
                    ExcerptState.CHANGED, anchor.score, anchor.current, anchor.start, anchor.end
                )
            return ExcerptMatch(ExcerptState.MISSING)
        if anchor.state == AMBIGUOUS and anchor.candidates:
            return self._best_candidate(quote, anchor.candidates)
        return ExcerptMatch(ExcerptState.MISSING)

    def _combine(self, matches: list[ExcerptMatch]) -> ExcerptMatch:
        """One answer for the passages of an elided excerpt: the worst of theirs."""
        if any(m.state == ExcerptState.MISSING for m in matches):
            return ExcerptMatch(ExcerptState.MISSING)
        start = min(m.offset for m in matches if m.offset is not None)
        end = max(m.end for m in matches if m.end is not None)
        if all(m.state == ExcerptState.FOUND for m in matches):
            return ExcerptMatch(ExcerptState.FOUND, 100.0, None, start, end)
        score = min(m.score for m in matches if m.score is not None)
        return ExcerptMatch(ExcerptState.CHANGED, score, self.page.text[start:end], start, end)

    def _occurrences_ignoring_case(self, quote: str) -> list[int]:
        """Starts of the quote in the page, letter case aside.

        Pages change case with CSS (text-transform, small caps, drop caps: "THE United States"
        on screen is "The United States" in the HTML), so an excerpt copied from the screen can
        differ from the page's text in case alone, which is typography, not wording.
        """
        if self._lowered is None:
            text = self._anchorer.norm
            lowered = text.lower()
            self._lowered = lowered if len(lowered) == len(text) else ""  # offsets must hold
        quote = quote.lower()
        pos = self._lowered.find(quote) if self._lowered else -1
        return [pos] if pos != -1 else []

    def _best_candidate(self, quote: str, spans: tuple[tuple[int, int], ...]) -> ExcerptMatch:
        """The closest of several near-equal passages: any of them answers 'changed'."""
        from rapidfuzz import fuzz

        text = self.page.text
        scored = [(fuzz.ratio(quote, normalise_quote(text[s:e])), s, e) for s, e in spans]
        score, start, end = max(scored, key=lambda c: (c[0], -c[1]))
        return ExcerptMatch(ExcerptState.CHANGED, round(score, 1), text[start:end], start, end)


def _as_claim(excerpt: str) -> Claim:
    """A minimal claim carrying the excerpt as its quote, for Anchorer."""
    return Claim(id="excerpt", quote=excerpt, kind=ClaimKind.OTHER, status=Status.UNVERIFIED)


# -- then and now: a passage on a captured page and the same passage on the live page ------

PASSAGE_REACH = 160
"""Characters of context kept on each side of an excerpt when a passage is shown."""
PASSAGE_THRESHOLD = 60.0
"""How alike (0-100) a live passage must be to the captured one to count as the same passage."""


def passage_around(text: str, start: int, end: int, reach: int = PASSAGE_REACH) -> tuple[int, int]:
    """The passage around text[start:end]: its block (line), clipped to `reach` characters on
    each side at word boundaries."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left, right = max(line_start, start - reach), min(line_end, end + reach)
    if left > line_start:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < line_end:
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def locate_passage(passage: str, text: str) -> tuple[int, int] | None:
    """Where a passage (from a capture) stands in text (the live page), however reworded, or
    None when nothing there is at least PASSAGE_THRESHOLD alike.

    The closest block (line) is found first, then, in a block much longer than the passage,
    the closest stretch of it."""
    from rapidfuzz import fuzz

    best: tuple[float, int, int] | None = None
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            scorer = fuzz.partial_ratio if len(line) > len(passage) else fuzz.ratio
            score = scorer(passage, line)
            if score >= PASSAGE_THRESHOLD and (best is None or score > best[0]):
                best = (score, offset, offset + len(line))
        offset += len(line) + 1
    if best is None:
        return None
    _, start, end = best
    if end - start > len(passage) + 2 * PASSAGE_REACH:
        found = fuzz.partial_ratio_alignment(passage, text[start:end])
        if found is not None:
            start, end = start + found.dest_start, start + found.dest_end
            while start > 0 and not text[start - 1].isspace():  # whole words
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
    return start, end


def word_diff(then: str, now: str) -> str:
    """The change from then to now word by word, as `git diff --word-diff=plain` shows it:
    removed words in [-...-], added ones in {+...+}."""
    from difflib import SequenceMatcher

    old, new = then.split(), now.split()
    out: list[str] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(old[a1:a2])
            continue
        if a2 > a1:
            out.append("[-" + " ".join(old[a1:a2]) + "-]")
        if b2 > b1:
            out.append("{+" + " ".join(new[b1:b2]) + "+}")
    return " ".join(out)
