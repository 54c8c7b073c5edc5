"""`refmap claim split` and `claim merge`: one claim into several, two into one.

Split: each part must be text of the claim's quote (typography aside). The first part stays
the claim (its id, its place); each other part becomes a new claim after it, with an id made
from its words and the claim's kind, status, tags, note and citations, so nothing needs to be
asked. A part that also occurs elsewhere in the essay gets the essay text before it as its
`prefix`. Merge: the first claim's quote grows to the essay text from the earlier quote's start
to the later one's end; it keeps its id and gains the second claim's citations, tags and note;
the second claim is removed. Only the claims named are anchored.
"""

from __future__ import annotations

from refmap.commands.editing import EditPlan, MapFile, plan
from refmap.errors import UsageError
from refmap.essay.located import Found
from refmap.mapfile.style import Value
from refmap.mapfile.model import Claim

PREFIX_CHARS = 40
"""Essay text kept before a part that needs a prefix to be told apart."""


def _found(mf: MapFile, claim: Claim) -> Found:
    anchor = mf.anchor(claim)
    if not isinstance(anchor, Found):
        raise UsageError(f"claim '{claim.id}': its quote is {anchor.state} in the essay; "
                         "settle it first (`refmap anchors`)", span=claim.quote_span)
    return anchor


def _part_span(mf: MapFile, claim: Claim, anchor: Found, part: str) -> tuple[int, int]:
    """Where a part stands in the essay, inside the claim's anchor."""
    from refmap.essay.text import normalise_quote

    essay = mf.essay
    normalised = normalise_quote(part)
    if not normalised:
        raise UsageError("a part of the split is empty")
    inside = []
    for start in mf.anchorer.occurrences(normalised):
        a = essay.norm.to_original(start)
        b = essay.norm.end_to_original(start + len(normalised))
        if anchor.start <= a and b <= anchor.end:
            inside.append((a, b))
    if not inside:
        raise UsageError(f"'{part}' is not in the quote of claim '{claim.id}'",
                         span=claim.quote_span)
    if len(inside) > 1:
        raise UsageError(f"'{part}' occurs {len(inside)} times in the quote of claim "
                         f"'{claim.id}'; lengthen it", span=claim.quote_span)
    return inside[0]


def _context(mf: MapFile, claim: Claim, start: int, end: int) -> str | None:
    """A prefix that tells the part at start..end apart, or None when it needs none."""
    essay = mf.essay
    quote = essay.text[start:end]
    probe = Claim("probe", quote, claim.kind, claim.status)
    anchorer = mf.anchorer
    found = anchorer.anchor(probe)
    if isinstance(found, Found) and found.start == start:
        return None
    prefix = essay.text[max(0, start - PREFIX_CHARS):start].split("\n")[-1].strip()
    probe = Claim("probe", quote, claim.kind, claim.status, prefix=prefix or None)
    found = anchorer.anchor(probe)
    if not prefix or not isinstance(found, Found) or found.start != start:
        raise UsageError(f"'{quote}' cannot be told apart from its other places in the "
                         "essay; lengthen it", span=claim.quote_span)
    return prefix


def _copied_fields(claim: Claim) -> dict[str, Value]:
    fields: dict[str, Value] = {"kind": str(claim.kind)}
    if claim.status_given:
        fields["status"] = str(claim.status)
    if claim.tags:
        fields["tags"] = list(claim.tags)
    if claim.note:
        fields["note"] = claim.note
    if claim.draft:
        fields["draft"] = "true"
    if claim.citations:
        fields["citations"] = [
            {k: v for k, v in (("source", c.source), ("locator", c.locator),
                               ("excerpt", c.excerpt)) if v is not None}
            for c in claim.citations]
    return fields


def split_claim(mf: MapFile, claim_id: str, parts: list[str],
                ids: list[str] | None = None) -> EditPlan:
    """Split a claim into one claim per part (at least two), each part text of its quote."""
    from refmap.commands.init import claim_id as make_id
    from refmap.mapfile.schema import CLAIM_ID

    if len(parts) < 2:
        raise UsageError("a split needs at least two parts of the quote")
    index, claim = mf.claim(claim_id)
    anchor = _found(mf, claim)
    spans = [_part_span(mf, claim, anchor, part) for part in parts]
    taken = {c.id for c in mf.cmap.claims}
    given = list(ids or [])
    new_ids = []
    for part_span in spans[1:]:
        wanted = given.pop(0) if given else None
        if wanted is not None:
            if not CLAIM_ID.match(wanted) or wanted in taken:
                raise UsageError(f"--id: '{wanted}' is not a valid new claim id")
            taken.add(wanted)
            new_ids.append(wanted)
        else:
            new_ids.append(make_id(mf.essay.text[slice(*part_span)], taken))
    editor = mf.editor
    first_start, first_end = spans[0]
    editor.set_claim_field(index, "quote", mf.essay.text[first_start:first_end])
    for key in ("prefix", "suffix"):
        editor.remove_claim_field(index, key)
    prefix = _context(mf, claim, first_start, first_end)
    if prefix is not None:
        editor.set_claim_field_in_order(index, "prefix", prefix)
    copied = _copied_fields(claim)
    done = [f"claim '{claim_id}' now quotes {mf.essay.text[first_start:first_end]!r}"]
    for offset, (new_id, (start, end)) in enumerate(zip(new_ids, spans[1:]), start=1):
        fields: dict[str, Value] = {"id": new_id, "quote": mf.essay.text[start:end]}
        prefix = _context(mf, claim, start, end)
        if prefix is not None:
            fields["prefix"] = prefix
        fields.update(copied)
        editor.insert_claim(index + offset, fields)
        done.append(f"added claim '{new_id}' quoting {mf.essay.text[start:end]!r}")
    return plan(mf, done)


def merge_claims(mf: MapFile, first_id: str, second_id: str) -> EditPlan:
    """Merge the second claim into the first: one quote from the earlier start to the later
    end, the citations, tags and notes of both; the second claim is removed."""
    if first_id == second_id:
        raise UsageError(f"cannot merge claim '{first_id}' with itself")
    index, first = mf.claim(first_id)
    other, second = mf.claim(second_id)
    a, b = _found(mf, first), _found(mf, second)
    start, end = min(a.start, b.start), max(a.end, b.end)
    quote = mf.essay.text[start:end]
    if "\n\n" in quote.replace("\r\n", "\n") or (end - start) > (a.end - a.start) + (
            b.end - b.start) + 200:
        raise UsageError(f"claims '{first_id}' and '{second_id}' are too far apart in the "
                         "essay to be one quote", span=second.quote_span)
    editor = mf.editor
    editor.set_claim_field(index, "quote", quote)
    for key in ("prefix", "suffix"):
        editor.remove_claim_field(index, key)
    prefix = _context(mf, first, start, end)
    if prefix is not None:
        editor.set_claim_field_in_order(index, "prefix", prefix)
    have = {(c.source, c.locator) for c in first.citations}
    for c in second.citations:
        if (c.source, c.locator) not in have:
            have.add((c.source, c.locator))
            editor.add_citation(index, c.source, c.excerpt, c.locator)
    tags = list(dict.fromkeys(first.tags + second.tags))
    if tags != list(first.tags):
        editor.remove_claim_field(index, "tags")
        editor.set_claim_field_in_order(index, "tags", tags)
    if second.note and second.note != first.note:
        note = f"{first.note} {second.note}" if first.note else second.note
        editor.set_claim_field_in_order(index, "note", note)
    editor.remove_claim(other)
    return plan(mf, [f"claim '{second_id}' merged into '{first_id}', which now quotes {quote!r}"])
