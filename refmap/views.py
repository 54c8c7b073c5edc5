"""Plain-text and JSON views of claims and coverage for the CLI (no click here)."""

from __future__ import annotations

import textwrap

from refmap.anchors import Anchorer
from refmap.coverage import COLUMNS, Coverage
from refmap.model import Claim
from refmap.project import Project


def claim_dict(claim: Claim) -> dict:
    """A claim as JSON: {id, quote, kind, status, tags, note, sources, line, col}."""
    return {
        "id": claim.id,
        "quote": claim.quote,
        "kind": claim.kind,
        "status": claim.status,
        "tags": list(claim.tags),
        "note": claim.note,
        "sources": list(claim.source_keys),
        "line": claim.span.line if claim.span else None,
        "col": claim.span.col if claim.span else None,
    }


def claim_lines(claims: list[Claim]) -> list[str]:
    """One aligned line per claim: id, [kind, status], cited sources."""
    heads = [(c.id, f"[{c.kind}, {c.status}]") for c in claims]
    id_w = max((len(h[0]) for h in heads), default=0)
    tag_w = max((len(h[1]) for h in heads), default=0)
    return [
        f"{i.ljust(id_w)}  {t.ljust(tag_w)}  {', '.join(c.source_keys) or '-'}"
        for (i, t), c in zip(heads, claims)
    ]


def unsourced_rows(project: Project) -> list[dict]:
    """Claims that need a source, in essay order where they anchor, with both positions."""
    from refmap.checks import needs_source

    anchorer = Anchorer(project.essay)
    rows = []
    for claim in project.cmap.claims:
        if not needs_source(claim):
            continue
        anchor = anchorer.anchor(claim)
        essay_pos = project.essay.span(anchor.start) if anchor.start is not None else None
        rows.append({
            "id": claim.id, "kind": claim.kind, "quote": claim.quote,
            "essay_position": str(essay_pos) if essay_pos else None,
            "map_position": str(claim.span) if claim.span else None,
            "offset": anchor.start,
        })
    rows.sort(key=lambda r: (r["offset"] is None, r["offset"] or 0))
    for row in rows:
        del row["offset"]
    return rows


def render_coverage(result: Coverage, project: Project) -> str:
    header = ("kind", "claims", *COLUMNS, "sourced %")
    rows = [
        (kind, t.total, *(t.counts[c] for c in COLUMNS),
         f"{t.percent_sourced:.1f}" if t.checkable else "-")
        for kind, t in result.by_kind.items()
    ]
    o = result.overall
    rows.append(("all", o.total, *(o.counts[c] for c in COLUMNS), f"{o.percent_sourced:.1f}"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row) -> str:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(v).rjust(w) for v, w in zip(row[1:], widths[1:])]
        return "  ".join(cells).rstrip()

    lines = [f"Coverage of {project.essay.path} by {project.cmap.path}", ""]
    lines += [fmt(header), *(fmt(r) for r in rows[:-1]), fmt(rows[-1])]
    lines += [
        "",
        f"Checkable claims sourced: {o.counts['sourced']} of {o.checkable} "
        f"({o.percent_sourced:.1f}%); sourced or marked unverified/disputed: "
        f"{o.percent_accounted:.1f}%",
        f"Essay text covered by claim quotes: {result.percent_text:.1f}% "
        f"({result.covered_chars} of {result.essay_chars} characters)",
    ]
    return "\n".join(lines) + "\n"


def show_dict(claim: Claim, project: Project) -> dict:
    anchor = Anchorer(project.essay).anchor(claim)
    data = claim_dict(claim)
    data["anchor"] = {
        "state": anchor.state,
        "position": str(project.essay.span(anchor.start)) if anchor.start is not None else None,
    }
    data["citations"] = []
    for cit in claim.citations:
        source = project.cmap.sources.get(cit.source)
        data["citations"].append({
            "source": cit.source,
            "locator": cit.locator,
            "excerpt": cit.excerpt,
            "title": source.title if source else None,
            "url": source.url if source else None,
        })
    return data


def render_claim(claim: Claim, project: Project) -> str:
    data = show_dict(claim, project)
    wrap = lambda text, indent: textwrap.fill(  # noqa: E731
        text, 88, initial_indent=indent, subsequent_indent=indent)
    lines = [
        f"{claim.id}  [{claim.kind}, {claim.status}]",
        wrap(f"\u201c{claim.quote}\u201d", "  "),
        f"  essay: {data['anchor']['position'] or 'not found'} ({data['anchor']['state']})",
    ]
    if claim.tags:
        lines.append(f"  tags: {', '.join(claim.tags)}")
    if claim.note:
        lines.append(wrap(f"note: {claim.note}", "  "))
    if not claim.citations:
        lines.append("  no sources cited")
    for cit in data["citations"]:
        head = f"  - {cit['source']}" + (f", {cit['locator']}" if cit["locator"] else "")
        lines.append(head)
        if cit["title"]:
            lines.append(wrap(cit["title"], "      "))
        if cit["url"]:
            lines.append(f"      {cit['url']}")
        if cit["excerpt"]:
            lines.append(wrap(f"\u201c{cit['excerpt']}\u201d", "      "))
    return "\n".join(lines) + "\n"


def anchor_rows(project: Project, anchors: list) -> list[dict]:
    """One row per claim: its anchor state, position, score and current text."""
    essay = project.essay
    rows = []
    for claim, anchor in zip(project.cmap.claims, anchors):
        pos = str(essay.span(anchor.start)) if anchor.start is not None else None
        detail = ""
        if anchor.state == "changed":
            detail = f" ({anchor.score:g}%) now {anchor.current!r}"
        elif anchor.state == "ambiguous":
            places = ", ".join(str(essay.span(s)) for s, _ in anchor.candidates[:5])
            detail = f" ({len(anchor.candidates)} places: {places})"
        where = pos or str(claim.quote_span)
        rows.append({
            "id": claim.id, "state": anchor.state, "position": pos, "score": anchor.score,
            "current": anchor.current,
            "candidates": [str(essay.span(s)) for s, _ in anchor.candidates],
            "line_text": f"{where}: {claim.id}: {anchor.state}{detail}",
        })
    return rows
