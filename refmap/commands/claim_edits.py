"""`refmap cite` and `refmap claim add`: a citation or a claim added to a map from the command line.

Both check what they are given against the loaded project before queueing anything on the map
editor: a claim or source that does not exist is a UsageError with a did-you-mean; a citation
the claim already has (same source and locator, as `check`'s duplicate-citation rule counts
them) is refused; a new claim's quote must anchor exactly once in the essay, and is refused
with the places it matches, or the closest text the essay has, as `check` reports quotes.
A quote that an existing claim already has is refused. A new claim goes in essay order: before the first claim of the map that starts after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from refmap.errors import UsageError
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.essay.anchoring import Anchorer
    from refmap.mapfile.editor import MapEditor
    from refmap.essay.located import LocatedClaim
    from refmap.essay.text import Essay
    from refmap.mapfile.model import ClaimsMap


@dataclass(frozen=True)
class CiteReport:
    """A citation added to a claim."""

    claim: str
    source: str
    locator: str | None
    excerpt: str


@dataclass(frozen=True)
class NewClaim:
    """A claim added to the map."""

    id: str
    quote: str
    kind: str
    kind_given: bool
    """False when the kind was guessed from the sentence's wording."""
    position: Span
    """Where the quote starts in the essay."""
    index: int
    """Its place in the map's list of claims."""
    overlaps: tuple[str, ...] = ()
    """Existing claims whose quotes overlap the new one (it may repeat what they claim)."""


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A did-you-mean hint for a message, from refmap.suggest's one matcher ("" when none)."""
    from refmap.suggest import did_you_mean as closest

    close = closest(value, choices)
    return f"; did you mean '{close}'?" if close else ""


def cite(cmap: ClaimsMap, editor: MapEditor, claim_id: str, source: str, excerpt: str,
         locator: str | None = None) -> CiteReport:
    """Queue a citation of source on the claim; UsageError for an unknown claim or source, a
    blank excerpt or a citation the claim already has. The essay is not needed."""
    order = next((i for i, c in enumerate(cmap.claims) if c.id == claim_id), None)
    if order is None:
        ids = [c.id for c in cmap.claims]
        raise UsageError(f"no claim '{claim_id}' in {cmap.path}" + did_you_mean(claim_id, ids))
    if cmap.resolve(source) is None:
        raise UsageError(f"no source '{source}' in {cmap.path}"
                         + did_you_mean(source, cmap.sources))
    claim = cmap.claims[order]
    if not excerpt.strip():
        raise UsageError("--excerpt: the supporting passage is empty")
    locator = locator.strip() or None if locator is not None else None
    for citation in claim.citations:
        if (citation.source, citation.locator) == (source, locator):
            where = f" at {locator}" if locator else ""
            raise UsageError(f"claim '{claim_id}' already cites '{source}'{where}",
                             span=citation.span)
    editor.add_citation(order, source, excerpt, locator)
    return CiteReport(claim_id, source, locator, excerpt)


def sentence_at(essay: Essay, line: int, col: int) -> str:
    """The sentence (as `uncovered` prints it) that contains the position line:col."""
    from refmap.essay.sentences import split_sentences

    for sentence in split_sentences(essay.text):
        if essay.position(sentence.start) <= (line, col) <= essay.position(sentence.end - 1):
            return sentence.text
    raise UsageError(f"--sentence: no sentence of {essay.path} at {line}:{col}")


def anchor_new_quote(anchorer: Anchorer, quote: str) -> tuple[int, int]:
    """The essay span (start, end) where a new quote anchors; UsageError when it is missing
    or ambiguous."""
    return anchor_quote_once(anchorer.essay, quote, anchorer)


def anchor_quote_once(essay: Essay, quote: str,
                      anchorer: Anchorer | None = None) -> tuple[int, int]:
    """The essay span (start, end) where a quote occurs exactly once; UsageError when it is
    missing (with the closest text) or ambiguous (with the places)."""
    from refmap.essay.anchoring import Anchorer
    from refmap.essay.text import normalise_quote
    from refmap.essay.located import AnchorState, Found
    from refmap.mapfile.model import Claim, ClaimKind, Status

    anchorer = anchorer or Anchorer(essay)
    if not quote.strip():
        raise UsageError("the quote is empty")
    normalised = normalise_quote(quote)
    starts = anchorer.occurrences(normalised)
    if len(starts) == 1:
        return (essay.norm.to_original(starts[0]),
                essay.norm.end_to_original(starts[0] + len(normalised)))
    if starts:
        places = [essay.span(essay.norm.to_original(s)) for s in starts]
        shown = ", ".join(f"{p.line}:{p.col}" for p in places[:5])
        more = f" and {len(places) - 5} more" if len(places) > 5 else ""
        raise UsageError(f"quote matches {len(places)} places in {essay.path} ({shown}{more}); "
                         "lengthen it")
    probe = Claim("new", quote, ClaimKind.OTHER, Status.UNSOURCED)
    anchor = anchorer.fuzzy(probe, normalised)
    hint = ""
    if isinstance(anchor, Found) and anchor.state == AnchorState.CHANGED:
        hint = f"; did you mean {anchor.current!r} at {essay.span(anchor.start)}?"
    raise UsageError(f"quote not found in {essay.path}{hint}")


def add_claim(cmap: ClaimsMap, located: Sequence[LocatedClaim], anchorer: Anchorer,
              editor: MapEditor, quote: str, kind: str | None = None,
              claim_id: str | None = None) -> NewClaim:
    """Queue a new claim for a quote that anchors once in the essay, in essay order (among
    the map's claims as located)."""
    from refmap.commands.init import claim_id as make_id
    from refmap.commands.init import guess_kind
    from refmap.essay.located import Found
    from refmap.mapfile.schema import CLAIM_ID
    from refmap.essay.worthiness import score_sentence

    essay = anchorer.essay
    start, end = anchor_new_quote(anchorer, quote)
    overlaps = []
    for lc in located:
        if not isinstance(lc.anchor, Found) or lc.anchor.end <= start or lc.anchor.start >= end:
            continue
        if (lc.anchor.start, lc.anchor.end) == (start, end):
            raise UsageError(f"claim '{lc.claim.id}' already has this quote",
                             span=lc.claim.quote_span)
        overlaps.append(lc.claim.id)
    quote = essay.text[start:end]  # the essay's own typography, so it anchors exactly
    taken = {c.id for c in cmap.claims}
    if claim_id is None:
        claim_id = make_id(quote, taken)
    elif not CLAIM_ID.match(claim_id):
        raise UsageError(f"--id: '{claim_id}' is not a valid claim id (a letter or digit, "
                         "then letters, digits, _ . -)")
    elif claim_id in taken:
        raise UsageError(f"--id: claim '{claim_id}' is already in the map")
    chosen = kind if kind is not None else guess_kind(score_sentence(quote).reasons)
    index = next((lc.order for lc in located
                  if lc.start is not None and lc.start > start), len(cmap.claims))
    editor.insert_claim(index, {"id": claim_id, "quote": quote, "kind": chosen})
    return NewClaim(claim_id, quote, chosen, kind is not None, essay.span(start), index,
                    tuple(overlaps))
