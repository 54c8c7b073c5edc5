"""The few map edits the desk needs that the library does not have yet.

Each mirrors a CLI command another branch is adding (`refmap claim set`); when that lands, the
desk calls the library's function instead and this module goes. Every edit here only queues
changes on a MapEditor: the caller saves, so the editor's guards (validated before writing,
refused if the file changed) apply as they do for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from refmap.errors import UsageError

if TYPE_CHECKING:
    from refmap.mapfile.editor import MapEditor
    from refmap.commands.anchor_fixes import ClaimFix
    from refmap.essay.located import LocatedClaim
    from refmap.project import Project


@dataclass(frozen=True)
class ClaimChange:
    """The fields of one claim an edit set, and their new values."""

    claim: str
    fields: dict[str, str]


def _located(project: Project, claim_id: str) -> LocatedClaim:
    from refmap.commands.claim_edits import did_you_mean

    located = project.locate(claim_id)
    if located is None:
        raise UsageError(f"no claim '{claim_id}' in {project.cmap.path}"
                         + did_you_mean(claim_id, [c.id for c in project.cmap.claims]))
    return located


def checked_choice(name: str, value: str, choices: list[str]) -> str:
    """value when it is one of choices; else a UsageError with a did-you-mean."""
    from refmap.commands.claim_edits import did_you_mean

    if value not in choices:
        raise UsageError(f"{name}: unknown value '{value}'" + did_you_mean(value, choices)
                         + f" (one of {', '.join(choices)})")
    return value


def set_claim(project: Project, editor: MapEditor, claim_id: str, *, kind: str | None = None,
              status: str | None = None, note: str | None = None) -> ClaimChange:
    """Set a claim's kind, status and note: mirrors `refmap claim set CLAIM --kind --status
    --note`. Only fields whose value changes are written; a note cannot be removed here (an
    empty note on a claim that has one is refused)."""
    from refmap.mapfile.model import ClaimKind, Status

    located = _located(project, claim_id)
    claim = located.claim
    wanted: dict[str, str] = {}
    if kind is not None and checked_choice("kind", kind, [str(k) for k in ClaimKind]) != claim.kind:
        wanted["kind"] = kind
    if status is not None and checked_choice("status", status, [str(s) for s in Status]) != claim.status:
        wanted["status"] = status
    if note is not None:
        note = note.strip()
        if not note and claim.note:
            raise UsageError("note: removing a note is not supported here; write the new note")
        if note and note != (claim.note or ""):
            wanted["note"] = note
    for field in ("kind", "status", "note"):  # the format's key order
        if field in wanted:
            editor.set_claim_field(located.order, field, wanted[field])
    return ClaimChange(claim_id, wanted)


def accept_quote(project: Project, editor: MapEditor, claim_id: str) -> ClaimFix:
    """Bring one claim's quote (or its context) in line with the essay: mirrors `refmap
    anchors --fix` for that claim alone."""
    located = _located(project, claim_id)
    for fix in project.fix_plan().fixes:
        if fix.located.order == located.order:
            for edit in fix.edits:
                editor.set_claim_field(edit.claim, edit.field, edit.value)
            return fix
    raise UsageError(f"claim '{claim_id}': its quote is {located.anchor.state}; there is no "
                     "drifted quote to accept")


def ignore_sentence(project: Project, editor: MapEditor, text: str) -> str:
    """Dismiss the essay sentence that holds `text` as not a claim, by adding it to the map's
    `ignore:` list (created at the end of the file when absent): mirrors `refmap ignore`.

    Until the library's version lands, this reaches into MapEditor's section insertion (the
    same code that adds sources and claims), so the write keeps the file's style and is
    validated like every other.
    """
    from refmap.commands.claim_edits import anchor_new_quote
    from refmap.essay.sentences import split_sentences
    from refmap.mapfile.yamlio import ScalarNode, SequenceNode

    start, end = anchor_new_quote(project.anchorer, text)
    sentence = next((s for s in split_sentences(project.essay.text)
                     if s.start <= start < s.end), None)
    if sentence is None or end > sentence.end:
        raise UsageError("the text is not within one sentence of the essay")
    existing = editor.child(editor.root, "ignore")
    if isinstance(existing, SequenceNode) and any(
            isinstance(item, ScalarNode) and item.value == sentence.text
            for item in existing.value):
        raise UsageError("this sentence is already dismissed as not a claim")
    for splice in editor._section("ignore", [sentence.text], as_mapping=False):
        editor._add(splice)
    return sentence.text
