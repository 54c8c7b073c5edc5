"""`refmap cite`, `cite --remove`, `cite --replace`: one claim's citations, as an edit plan.

A citation is picked by its claim and source and, when the claim cites that source more than
once, by its current locator (`at`). None of these reads the essay.
"""

from __future__ import annotations

from refmap.commands.editing import EditPlan, MapFile, hint, plain_value, plan
from refmap.errors import UsageError
from refmap.mapfile.model import Citation, Claim


def add_citation(mf: MapFile, claim_id: str, source: str, excerpt: str,
                 locator: str | None = None) -> EditPlan:
    """Cite source on the claim with its supporting excerpt; refused for an unknown claim or
    source, a blank excerpt, or a citation the claim already has (same source and locator)."""
    index, claim = mf.claim(claim_id)
    mf.require_source(source)
    if not plain_value("--excerpt", excerpt).strip():
        raise UsageError("--excerpt: the supporting passage is empty")
    locator = _locator(locator)
    for citation in claim.citations:
        if (citation.source, citation.locator) == (source, locator):
            where = f" at {locator}" if locator else ""
            raise UsageError(f"claim '{claim_id}' already cites '{source}'{where}",
                             span=citation.span)
    mf.editor.add_citation(index, source, excerpt, locator)
    where = f" at {locator}" if locator else ""
    return plan(mf, [f"claim '{claim_id}' now cites '{source}'{where}"])


def _locator(locator: str | None) -> str | None:
    if locator is None:
        return None
    return plain_value("--locator", locator).strip() or None


def pick_citation(claim: Claim, source: str, at: str | None = None) -> int:
    """The position of the claim's one citation of source (at locator `at`, when given)."""
    cited = [i for i, c in enumerate(claim.citations) if c.source == source]
    if not cited:
        others = [c.source for c in claim.citations]
        raise UsageError(f"claim '{claim.id}' does not cite '{source}'" + hint(source, others),
                         span=claim.span)
    if at is not None:
        chosen = [i for i in cited if (claim.citations[i].locator or "") == at.strip()]
        if not chosen:
            raise UsageError(f"claim '{claim.id}' does not cite '{source}' at {at!r}"
                             + _locators(claim.citations, cited), span=claim.span)
        cited = chosen
    if len(cited) > 1:
        raise UsageError(f"claim '{claim.id}' cites '{source}' {len(cited)} times"
                         + _locators(claim.citations, cited) + "; pick one with --at LOCATOR",
                         span=claim.citations[cited[0]].span)
    return cited[0]


def _locators(citations: tuple[Citation, ...], cited: list[int]) -> str:
    shown = ", ".join(repr(citations[i].locator or "") for i in cited)
    return f" (at {shown})"


def remove_citation(mf: MapFile, claim_id: str, source: str, at: str | None = None) -> EditPlan:
    """Remove the claim's citation of source (its only one, or the one at locator `at`)."""
    index, claim = mf.claim(claim_id)
    position = pick_citation(claim, source, at)
    mf.editor.remove_citations(index, {position})
    return plan(mf, [f"claim '{claim_id}' no longer cites '{source}'"
                    + (f" at {claim.citations[position].locator}"
                       if claim.citations[position].locator else "")])


def replace_citation(mf: MapFile, claim_id: str, source: str, excerpt: str | None = None,
                     locator: str | None = None, at: str | None = None) -> EditPlan:
    """Replace the excerpt and/or locator of the claim's citation of source; a locator of ""
    removes it."""
    if excerpt is None and locator is None:
        raise UsageError("--replace needs --excerpt, --locator or both")
    index, claim = mf.claim(claim_id)
    position = pick_citation(claim, source, at)
    done = []
    if excerpt is not None:
        if not plain_value("--excerpt", excerpt).strip():
            raise UsageError("--excerpt: the supporting passage is empty")
        mf.editor.set_citation_field(index, position, "excerpt", excerpt)
        done.append(f"claim '{claim_id}': excerpt of '{source}' replaced")
    if locator is not None:
        new = _locator(locator)
        for i, other in enumerate(claim.citations):
            if i != position and (other.source, other.locator) == (source, new):
                raise UsageError(f"claim '{claim_id}' already cites '{source}'"
                                 + (f" at {new}" if new else ""), span=other.span)
        if new is None:
            node = mf.editor.citation_node(index, position)
            mf.editor.remove_key(node, "locator")
            done.append(f"claim '{claim_id}': locator of '{source}' removed")
        else:
            mf.editor.set_citation_field(index, position, "locator", new)
            done.append(f"claim '{claim_id}': locator of '{source}' set to {new}")
    return plan(mf, done)
