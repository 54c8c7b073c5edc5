"""`refmap anchors --fix`: bring quotes (and their context) in line with the current essay.

The plan is computed from the project alone (pure); applying it records splices on a
MapEditor, which the caller saves or shows as a diff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

from refmap.essay.located import AnchorState, Found, LocatedClaim, in_essay_order
from refmap.mapfile.model import Claim
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.essay.anchoring import Anchorer
    from refmap.mapfile.editor import MapEditor
    from refmap.essay.text import Essay


class FieldFix(NamedTuple):
    """One claim field to rewrite."""

    claim: int
    """The claim's place in the map's list of claims."""
    field: str
    value: str


class ClaimFix(NamedTuple):
    """What `--fix` does to one claim, and where the claim now stands in the essay."""

    located: LocatedClaim
    position: Span
    edits: tuple[FieldFix, ...]

    def describe(self) -> str:
        claim, anchor = self.located.claim, self.located.anchor
        if anchor.state == AnchorState.CHANGED and isinstance(anchor, Found):
            return f"{self.position}: {claim.id}: quote updated to {anchor.current!r}"
        return f"{self.position}: {claim.id}: prefix/suffix updated to the quote's new context"


class FixPlan(NamedTuple):
    """Every fix `anchors --fix` would make, and the quotes it cannot settle."""

    fixes: list[ClaimFix]
    unresolved: list[LocatedClaim]
    """Quotes still needing a person after the fixes (missing, ambiguous, changed with no
    rewrite that stays in the claim's own passage and anchors once, or held because a figure,
    date or name in it changed)."""
    held: list[LocatedClaim] = []
    """Changed quotes left alone: a figure, date or name changed, and nobody accepted it."""

    @property
    def exit_code(self) -> int:
        return 1 if self.unresolved else 0

    def apply(self, editor: MapEditor) -> None:
        for fix in self.fixes:
            for edit in fix.edits:
                editor.set_claim_field(edit.claim, edit.field, edit.value)


def _words_before(text: str, pos: int, count: int) -> str:
    return " ".join(text[:pos].split()[-count:]) if count else ""


def _words_after(text: str, pos: int, count: int) -> str:
    return " ".join(text[pos:].split()[:count]) if count else ""


def _claim_fix(lc: LocatedClaim, essay: Essay) -> ClaimFix | None:
    anchor, claim, text = lc.anchor, lc.claim, essay.text
    if not isinstance(anchor, Found) or not anchor.state.fixable:
        return None
    edits: list[FieldFix] = []
    if anchor.state == AnchorState.CHANGED and anchor.current is not None:
        edits.append(FieldFix(lc.order, "quote", anchor.current))
    elif anchor.state == AnchorState.MOVED:
        if claim.prefix:
            edits.append(FieldFix(lc.order, "prefix",
                                  _words_before(text, anchor.start, len(claim.prefix.split()))))
        if claim.suffix:
            edits.append(FieldFix(lc.order, "suffix",
                                  _words_after(text, anchor.end, len(claim.suffix.split()))))
    return ClaimFix(lc, essay.span(anchor.start), tuple(edits))


def _with_text(claim: Claim, name: str, value: str) -> Claim:
    if name == "quote":
        return dataclasses.replace(claim, quote=value)
    if name == "prefix":
        return dataclasses.replace(claim, prefix=value)
    return dataclasses.replace(claim, suffix=value)


def _after(fix: ClaimFix, anchorer: Anchorer) -> LocatedClaim:
    """The claim as the fix leaves it, anchored again in memory."""
    claim = fix.located.claim
    for edit in fix.edits:
        claim = _with_text(claim, edit.field, edit.value)
    return LocatedClaim(fix.located.order, claim, anchorer.anchor(claim))


def _settled(located: Sequence[LocatedClaim]) -> list[tuple[int, int, int]]:
    """(start, end, order) of the claims that stand where they are for certain (found
    exactly, after normalisation, or moved): a changed quote may not be rewritten into them."""
    return sorted((lc.anchor.start, lc.anchor.end, lc.order) for lc in located
                  if isinstance(lc.anchor, Found) and lc.anchor.state != AnchorState.CHANGED)


def _trespasses(fix: ClaimFix, settled: list[tuple[int, int, int]]) -> bool:
    """Whether a rewritten quote would lie on another claim's passage."""
    anchor = fix.located.anchor
    if anchor.state != AnchorState.CHANGED or not isinstance(anchor, Found):
        return False
    return any(start < anchor.end and anchor.start < end and order != fix.located.order
               for start, end, order in settled)


def plan_fixes(essay: Essay, located: Sequence[LocatedClaim], anchorer: Anchorer,
               accept: Collection[str] = ()) -> FixPlan:
    """The edits that refresh changed quotes and moved context. Missing and ambiguous anchors
    are left for a person to resolve, and so is a changed quote whose closest match lies on
    another claim's passage or would be ambiguous once rewritten (a fix never moves a quote
    out of its own sentence), and a changed quote in which a figure, date or name changed
    (refmap.commands.drift), unless its claim's id is in accept."""
    from refmap.commands.drift import located_changes

    settled = _settled(located)
    fixes: list[ClaimFix] = []
    unresolved: list[LocatedClaim] = []
    held: list[LocatedClaim] = []
    for lc in in_essay_order(located):
        if lc.claim.id not in accept and located_changes(lc):
            held.append(lc)
            unresolved.append(lc)
            continue
        fix = _claim_fix(lc, essay)
        if fix is None:
            if lc.anchor.state.needs_person:
                unresolved.append(lc)
            continue
        after = _after(fix, anchorer)
        if _trespasses(fix, settled) or after.anchor.state.needs_person:
            unresolved.append(lc)
            continue
        fixes.append(fix)
    return FixPlan(fixes, unresolved, held)
