"""`refmap anchors --fix`: bring quotes (and their context) in line with the current essay."""

from __future__ import annotations

from refmap import anchors as A
from refmap.anchors import Anchor
from refmap.edit import MapEditor
from refmap.essay import Essay
from refmap.model import ClaimsMap


def _words_before(text: str, pos: int, count: int) -> str:
    return " ".join(text[:pos].split()[-count:]) if count else ""


def _words_after(text: str, pos: int, count: int) -> str:
    return " ".join(text[pos:].split()[:count]) if count else ""


def plan_fixes(editor: MapEditor, cmap: ClaimsMap, essay: Essay, anchors: list[Anchor]) -> list[str]:
    """Record the edits that refresh changed quotes and moved context; returns what was done,
    one line per claim. Missing and ambiguous anchors are left for a person to resolve."""
    done = []
    for index, (claim, anchor) in enumerate(zip(cmap.claims, anchors)):
        where = essay.span(anchor.start) if anchor.start is not None else None
        if anchor.state == A.CHANGED and anchor.current is not None:
            editor.set_claim_field(index, "quote", anchor.current)
            done.append(f"{where}: {claim.id}: quote updated to {anchor.current!r}")
        elif anchor.state == A.MOVED and anchor.start is not None and anchor.end is not None:
            if claim.prefix:
                new = _words_before(essay.text, anchor.start, len(claim.prefix.split()))
                editor.set_claim_field(index, "prefix", new)
            if claim.suffix:
                new = _words_after(essay.text, anchor.end, len(claim.suffix.split()))
                editor.set_claim_field(index, "suffix", new)
            done.append(f"{where}: {claim.id}: prefix/suffix updated to the quote's new context")
    return done
