"""Text and JSON views of claims, coverage, anchors and sentences for the CLI (no click here).

Each typed result has one text renderer here and a `to_json` of its own (or one here, for
claims); the JSON outputs give every position as a {"file", "line", "col"} object.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from refmap.commands.coverage import COLUMNS, Coverage, Tally
from refmap.essay.located import Found, LocatedClaim
from refmap.mapfile.model import Claim, Status
from refmap.spans import Span, span_json
from refmap.values import inert

if TYPE_CHECKING:
    from refmap.commands.anchors import AnchorReport, AnchorRow
    from refmap.essay.text import Essay
    from refmap.project import Project
    from refmap.commands.uncovered import SentenceReport


def essay_span(located: LocatedClaim, essay: Essay) -> Span | None:
    anchor = located.anchor
    return essay.span(anchor.start) if isinstance(anchor, Found) else None


def claim_json(located: LocatedClaim, essay: Essay) -> dict[str, object]:
    """A claim as JSON: {id, quote, kind, status, draft, tags, note, sources, anchor,
    essay_position, map_position}."""
    claim = located.claim
    return {
        "id": claim.id,
        "quote": claim.quote,
        "kind": str(claim.kind),
        "status": str(claim.status),
        "draft": claim.draft,
        "tags": list(claim.tags),
        "note": claim.note,
        "sources": list(claim.source_keys),
        "anchor": str(located.anchor.state),
        "essay_position": span_json(essay_span(located, essay)),
        "map_position": span_json(claim.span),
    }


def claim_lines(claims: Sequence[Claim]) -> list[str]:
    """One aligned line per claim: id, [kind, status], cited sources."""
    heads = [(c.id, f"[{c.kind}, {c.status}{', draft' if c.draft else ''}]") for c in claims]
    id_w = max((len(h[0]) for h in heads), default=0)
    tag_w = max((len(h[1]) for h in heads), default=0)
    return [
        inert(f"{i.ljust(id_w)}  {t.ljust(tag_w)}  {', '.join(c.source_keys) or '-'}")
        for (i, t), c in zip(heads, claims, strict=True)
    ]


def render_unsourced(rows: Sequence[LocatedClaim], essay: Essay) -> str:
    lines = []
    for lc in rows:
        where = essay_span(lc, essay) or lc.claim.span
        lines.append(inert(f"{where}: {lc.claim.id} [{lc.claim.kind}] \u201c{lc.claim.quote}\u201d"))
    n = len(rows)
    lines.append(f"{n} unsourced claim{'s' if n != 1 else ''}")
    return "\n".join(lines) + "\n"


def unsourced_json(rows: Sequence[LocatedClaim], essay: Essay) -> list[dict[str, object]]:
    return [{
        "id": lc.claim.id, "kind": str(lc.claim.kind), "quote": lc.claim.quote,
        "essay_position": span_json(essay_span(lc, essay)),
        "map_position": span_json(lc.claim.span),
    } for lc in rows]


def _tally_row(label: str, t: Tally) -> tuple[str, ...]:
    percent = f"{t.percent_sourced:.1f}" if t.checkable or label == "all" else "-"
    return (label, str(t.total), *(str(t.counts[c]) for c in COLUMNS), percent)


def render_coverage(result: Coverage) -> str:
    header = ("kind", "claims", *(str(c) for c in COLUMNS), "sourced %")
    rows = [_tally_row(kind, t) for kind, t in result.by_kind.items()]
    rows.append(_tally_row("all", result.overall))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    o = result.overall
    lines = [inert(f"Coverage of {result.essay} by {result.map}"), ""]
    lines += [fmt(header), *(fmt(r) for r in rows)]
    lines += [
        "",
        f"Checkable claims sourced: {o.counts[Status.SOURCED]} of {o.checkable} "
        f"({o.percent_sourced:.1f}%); sourced or marked unverified/disputed: "
        f"{o.percent_accounted:.1f}%",
        f"Essay text covered by claim quotes: {result.percent_text:.1f}% "
        f"({result.covered_chars} of {result.essay_chars} characters)",
    ]
    if result.needs_review:
        lines.append(inert(f"Needing review (a figure, date or name in the quote changed): "
                           f"{len(result.needs_review)} ({', '.join(result.needs_review)})"))
    return "\n".join(lines) + "\n"


def show_json(located: LocatedClaim, project: Project) -> dict[str, object]:
    data = claim_json(located, project.essay)
    citations = []
    for cit in located.claim.citations:
        source = project.cmap.source(cit.source)
        citations.append({
            "source": cit.source,
            "locator": cit.locator,
            "excerpt": cit.excerpt,
            "title": source.title if source else None,
            "url": source.url if source else None,
        })
    data["citations"] = citations
    return data


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(inert(text), 88, initial_indent=indent, subsequent_indent=indent)


def render_claim(located: LocatedClaim, project: Project) -> str:
    claim = located.claim
    where = essay_span(located, project.essay)
    lines = [
        inert(f"{claim.id}  [{claim.kind}, {claim.status}{', draft' if claim.draft else ''}]"),
        _wrap(f"\u201c{claim.quote}\u201d", "  "),
        f"  essay: {where or 'not found'} ({located.anchor.state})",
    ]
    if claim.tags:
        lines.append(inert(f"  tags: {', '.join(claim.tags)}"))
    if claim.note:
        lines.append(_wrap(f"note: {claim.note}", "  "))
    if claim.machine_note:
        lines.append(_wrap(f"refmap's note (never published): {claim.machine_note}", "  "))
    if not claim.citations:
        lines.append("  no sources cited")
    for cit in claim.citations:
        source = project.cmap.source(cit.source)
        lines.append(inert(f"  - {cit.source}" + (f", {cit.locator}" if cit.locator else "")))
        if source is not None and source.title:
            lines.append(_wrap(source.title, "      "))
        if source is not None and source.url:
            lines.append(inert(f"      {source.url}"))
        if cit.excerpt:
            lines.append(_wrap(f"\u201c{cit.excerpt}\u201d", "      "))
    return "\n".join(lines) + "\n"


def anchor_line(row: AnchorRow) -> str:
    anchor, claim = row.located.anchor, row.located.claim
    detail = ""
    if isinstance(anchor, Found) and anchor.current is not None and anchor.state == "changed":
        detail = f" ({anchor.score:g}%) now {anchor.current!r}"
    elif row.candidates:
        places = ", ".join(str(s) for s in row.candidates[:5])
        detail = f" ({row.places} places: {places})"
    where = row.position or claim.quote_span
    return inert(f"{where}: {claim.id}: {anchor.state}{detail}")


def render_anchors(report: AnchorReport) -> str:
    return "".join(anchor_line(row) + "\n" for row in report.rows)


def needs_person_line(count: int) -> str:
    quotes = "1 quote still needs" if count == 1 else f"{count} quotes still need"
    return f"{quotes} a person: run 'refmap anchors' to see them"


def render_sentences(reports: Sequence[SentenceReport], show_all: bool) -> str:
    lines = []
    for r in reports:
        covered = f" [covered by {', '.join(r.covered_by)}]" if r.covered_by else ""
        covered += " [ignored]" if r.ignored else ""
        lines.append(inert(f"{r.position}: {r.score.value:.2f} {r.text}{covered}"))
        lines.append(f"    {'; '.join(r.score.reasons) or 'no cues'}")
    if not show_all:
        n = len(reports)
        lines.append(f"{n} check-worthy sentence{'s' if n != 1 else ''} not covered by any claim")
    return "".join(line + "\n" for line in lines)


def held_line(located: LocatedClaim, essay: Essay) -> str:
    """A quote `anchors --fix` left alone because a figure, date or name in it changed."""
    from refmap.commands.drift import describe, located_changes
    from refmap.essay.located import Found

    anchor = located.anchor
    where = essay.span(anchor.start) if isinstance(anchor, Found) else essay.path
    claim_id = located.claim.id
    return inert(f"{where}: {claim_id}: not updated, the claim changed "
                 f"({describe(located_changes(located))}); re-check it, then "
                 f"--accept {claim_id}")
