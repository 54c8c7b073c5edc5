"""The map edits the desk makes, on the desk's loaded project and editor.

Dismissing a sentence is the library's `refmap ignore`; setting kind, status and note and
accepting one drifted quote are the desk's own forms of `refmap claim set` and `anchors --fix`
(a note cannot be removed from the desk). Every edit only queues changes on the MapEditor: the
caller saves, so the editor's guards (validated before writing, refused if the file changed)
apply as they do for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    """Dismiss the essay sentence that holds `text` as not a claim: `refmap ignore` (the
    library's refmap.commands.ignore), queued on the desk's editor. Returns the sentence."""
    from refmap.commands.ignore import ignore_sentence as ignore
    from refmap.essay.sentences import split_sentences

    assert editor is project.editor, "the desk queues its edits on the project's own editor"
    ignore(project, _sentence_of(project, text, split_sentences))
    return _sentence_of(project, text, split_sentences)


def _sentence_of(project: Project, text: str, split: Any) -> str:
    """The essay sentence that holds text (which must lie within one sentence)."""
    from refmap.commands.claim_edits import anchor_new_quote

    start, end = anchor_new_quote(project.anchorer, text)
    sentence = next((s for s in split(project.essay.text) if s.start <= start < s.end), None)
    if sentence is None or end > sentence.end:
        raise UsageError("the text is not within one sentence of the essay")
    return str(sentence.text)
