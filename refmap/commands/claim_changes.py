"""`refmap claim remove | set | rename`: one claim changed in place, as an edit plan.

Each function takes the opened map (refmap.commands.editing.MapFile) and what the person typed,
checks it (an unknown id gets a did-you-mean, a taken id is refused at the claim that has it, a
new quote must anchor exactly once in the essay), queues the edit on the map's editor and
returns an EditPlan. Nothing is written here: the caller diffs or saves the plan. Only `--quote`
reads the essay, and only the new quote is anchored.
"""

from __future__ import annotations

from dataclasses import dataclass

from refmap.commands.editing import EditPlan, MapFile, plain_value, plan
from refmap.errors import UsageError
from refmap.mapfile.model import STATUS_SYNONYMS, ClaimKind, Status
from refmap.values import has_visible


@dataclass(frozen=True)
class ClaimChanges:
    """What `claim set` changes; None leaves a field as it is, "" removes a note."""

    kind: str | None = None
    status: str | None = None
    note: str | None = None
    quote: str | None = None

    def empty(self) -> bool:
        return all(v is None for v in (self.kind, self.status, self.note, self.quote))


def remove_claim(mf: MapFile, claim_id: str) -> EditPlan:
    """Remove a claim (its lines, and the comment lines just above it)."""
    index = mf.claim_index(claim_id)
    mf.editor.remove_claim(index)
    return plan(mf, [f"claim '{claim_id}' removed"])


def choose(option: str, value: str, vocabulary: list[str],
           synonyms: dict[str, str] | None = None) -> str:
    """A value from a fixed vocabulary; a misspelt one is a UsageError with a did-you-mean."""
    if value in vocabulary:
        return value
    from refmap.suggest import did_you_mean

    close = (synonyms or {}).get(value.lower()) or did_you_mean(value, vocabulary)
    hint = f"; did you mean '{close}'?" if close else f" (one of: {', '.join(vocabulary)})"
    raise UsageError(f"{option}: unknown value '{value}'{hint}")


def set_claim(mf: MapFile, claim_id: str, changes: ClaimChanges) -> EditPlan:
    """Set a claim's kind, status, note and/or quote. A note of "" removes the note; a new
    quote must occur exactly once in the essay, is stored in the essay's own typography, and
    drops the claim's prefix and suffix (which told the old quote's occurrences apart)."""
    if changes.empty():
        raise UsageError("nothing to set: give --kind, --status, --note or --quote")
    index, claim = mf.claim(claim_id)
    done: list[str] = []
    if changes.kind is not None:
        kind = choose("--kind", changes.kind, [str(k) for k in ClaimKind])
        _set(mf, index, "kind", kind)
        done.append(f"claim '{claim_id}': kind {claim.kind} -> {kind}")
    if changes.status is not None:
        synonyms = {k: str(v) for k, v in STATUS_SYNONYMS.items()}
        status = choose("--status", changes.status, [str(s) for s in Status], synonyms)
        _set(mf, index, "status", status)
        done.append(f"claim '{claim_id}': status {claim.status} -> {status}")
    if changes.note is not None:
        note = plain_value("--note", changes.note)
        if note.strip():
            _set(mf, index, "note", note)
            done.append(f"claim '{claim_id}': note set")
        else:
            mf.editor.remove_claim_field(index, "note")
            done.append(f"claim '{claim_id}': note removed")
    if changes.quote is not None:
        quote = quote_once(mf, plain_value("--quote", changes.quote))
        _set(mf, index, "quote", quote)
        for key in ("prefix", "suffix"):
            mf.editor.remove_claim_field(index, key)
        done.append(f"claim '{claim_id}': quote set to {quote!r}")
    return plan(mf, done)


def _set(mf: MapFile, index: int, key: str, value: str) -> None:
    mf.editor.set_claim_field_in_order(index, key, value)


def quote_once(mf: MapFile, quote: str) -> str:
    """The essay's own text for a quote that occurs exactly once in it; UsageError otherwise."""
    from refmap.commands.claim_edits import anchor_quote_once

    if not has_visible(quote):
        raise UsageError("--quote: the quote holds no visible letter or digit")
    start, end = anchor_quote_once(mf.essay, quote, mf.anchorer)
    return mf.essay.text[start:end]


def rename_claim(mf: MapFile, claim_id: str, new_id: str) -> EditPlan:
    """Give a claim a new id; refused when the id is not valid or another claim has it."""
    from refmap.mapfile.schema import CLAIM_ID

    index = mf.claim_index(claim_id)
    if not CLAIM_ID.match(new_id):
        raise UsageError(f"'{new_id}' is not a valid claim id (a letter or digit, then "
                         "letters, digits, _ . -)")
    taken = mf.cmap.claim(new_id)
    if taken is not None:
        raise UsageError(f"claim '{new_id}' is already in the map", span=taken.id_span)
    mf.editor.set_claim_field(index, "id", new_id)
    return plan(mf, [f"claim '{claim_id}' renamed to '{new_id}'"])
