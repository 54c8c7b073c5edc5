"""The desk's HTML: the report's highlighted essay and summary (refmap.exporters.html), a claim
panel with the forms that edit it, and the findings, each linking to its claim.

Every value from the map or the essay goes through html.escape; the page carries no inline
script or style (the CSP allows only the package's own desk.js and desk.css).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from refmap.exporters.html import FLAGGED, STATUS_ORDER, render_essay, render_summary
from refmap.mapfile.model import ClaimKind, Status
from refmap.exporters.reference import essay_byline, reference
from refmap.exporters.robust import mark_badge, robust_link

if TYPE_CHECKING:
    from refmap.findings import Finding
    from refmap.essay.located import LocatedClaim
    from refmap.project import Project
    from refmap.serve.desk import DeskState

KEYS_HELP = ("Keys: n / p next / previous claim needing attention, Enter opens it, "
             "Escape returns to the essay.")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def shown_statuses(project: Project) -> dict[str, str]:
    """Each claim's display status: flagged when `check` finds an error in it (as the report)."""
    flagged = project.check().claims_with_errors()
    return {c.id: FLAGGED if c.id in flagged else str(c.status) for c in project.cmap.claims}


def needs_attention(located: LocatedClaim, shown: str) -> bool:
    """A claim a reviewer should look at: flagged, unsourced, or its quote has drifted."""
    return (shown in (FLAGGED, str(Status.UNSOURCED)) or located.claim.needs_source
            or located.anchor.state.needs_person or located.anchor.state.fixable)


def _options(values: list[str], chosen: str | None) -> str:
    return "".join(f'<option value="{_attr(v)}"{" selected" if v == chosen else ""}>'
                   f"{escape(v)}</option>" for v in values)


def render_index(project: Project, shown: dict[str, str]) -> str:
    """The claims as a hidden index the page filters and steps through (id, status, kind,
    attention), and the claims whose quotes are not in the essay as buttons."""
    rows, lost = [], []
    for lc in project.in_essay_order():
        c = lc.claim
        attention = "1" if needs_attention(lc, shown[c.id]) else "0"
        rows.append(f'<li data-id="{_attr(c.id)}" data-status="{_attr(shown[c.id])}" '
                    f'data-kind="{_attr(str(c.kind))}" data-attention="{attention}"></li>')
        if lc.start is None:
            lost.append(f'<li><button type="button" class="open" data-open="{_attr(c.id)}">'
                        f"{escape(c.id)}</button> ({escape(str(lc.anchor.state))})</li>")
    index = f'<ol id="claim-index" hidden>{"".join(rows)}</ol>'
    if not lost:
        return index
    return (index + '<section id="lost" aria-labelledby="lost-h"><h2 id="lost-h">Claims whose '
            f'quote is not in the essay</h2><ul>{"".join(lost)}</ul></section>')


def render_findings(findings: list[Finding]) -> str:
    if not findings:
        return ('<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">'
                "Findings</h2><p>No problems found.</p></section>")
    items = []
    for f in findings:
        where = escape(str(f.span) if f.span else "")
        text = f"{where} {escape(str(f.severity))}: {escape(f.message)} <code>[{escape(f.code)}]</code>"
        if f.claim is not None:
            text += (f' <button type="button" class="open" data-open="{_attr(f.claim)}">'
                     f"show {escape(f.claim)}</button>")
        items.append(f'<li class="{_attr(str(f.severity))}">{text}</li>')
    return (f'<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings '
            f'({len(findings)})</h2><ul>{"".join(items)}</ul></section>')


def render_live(state: DeskState) -> str:
    """The part of the page that follows the files: counts, essay, findings (or the error)."""
    head = f'<div id="live" data-version="{_attr(state.version)}" data-view="{_attr(state.view)}">'
    project = state.project
    if project is None:
        return (head + f'<div id="load-error" role="alert"><p><strong>The map no longer loads.'
                f'</strong></p><p class="error-line">Error: {escape(state.error or "")}</p>'
                "<p>Fix the file and save it: this page follows it and comes back by itself."
                "</p></div></div>")
    shown = shown_statuses(project)
    spans = [(s, e, lc.claim) for s, e, lc in project.spans()]
    return (head + render_summary(project.coverage(), len(project.check().claims_with_errors()))
            + f'<article id="essay" aria-label="The essay">{render_essay(project.essay, spans, shown)}'
            + "</article>" + render_index(project, shown)
            + render_findings(project.check().findings) + render_source_list(project) + "</div>")


def _filters() -> str:
    statuses = '<option value="">all statuses</option>' + _options(list(STATUS_ORDER), None)
    kinds = '<option value="">all kinds</option>' + _options([str(k) for k in ClaimKind], None)
    return ('<div id="filters"><label for="f-status">Status</label> '
            f'<select id="f-status">{statuses}</select> '
            f'<label for="f-kind">Kind</label> <select id="f-kind">{kinds}</select></div>')


def render_new_claim() -> str:
    kinds = '<option value="">guess from wording</option>' + _options(
        [str(k) for k in ClaimKind], None)
    return (
        '<form id="new-claim" data-post="/api/claims" aria-labelledby="new-claim-h">'
        '<h2 id="new-claim-h">New claim</h2><p class="hint">Select text in the essay, or type '
        "the quote.</p>"
        '<label for="nc-quote">Quote</label><textarea id="nc-quote" name="quote" rows="3" '
        'required></textarea><label for="nc-kind">Kind</label><select id="nc-kind" name="kind">'
        f"{kinds}</select><button type=\"submit\">Add claim</button> "
        '<button type="button" data-post="/api/ignore" data-from="#nc-quote">Not a claim: '
        "dismiss the sentence</button></form>"
        '<form id="new-source" data-post="/api/sources/lookup" data-into=".lookup-result" '
        'aria-labelledby="new-source-h"><h2 id="new-source-h">New source</h2>'
        '<label for="ns-id">DOI, ISBN or URL (doi:..., isbn:..., url:...)</label>'
        '<input id="ns-id" name="identifier" autocomplete="off" required>'
        '<label for="ns-key">Key (optional)</label><input id="ns-key" name="key" autocomplete="off">'
        '<button type="submit">Look up</button>'
        '<div class="lookup-result" aria-live="polite"></div></form>')


def render_page(state: DeskState, token: str, csrf: str, poll_ms: int) -> str:
    """The whole desk page."""
    title = "refmap desk"
    byline = ""
    if state.project is not None:
        cmap = state.project.cmap
        title = cmap.essay.title or state.project.essay.path
        byline = essay_byline(cmap.essay)
    legend = "".join(f'<span class="s-{s}">{s}</span>' for s in STATUS_ORDER)
    q = f"?token={_attr(token)}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="refmap-token" content="{_attr(token)}">
<meta name="refmap-csrf" content="{_attr(csrf)}">
<meta name="refmap-poll" content="{poll_ms}">
<title>{escape(title)}: review desk</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/desk.css{q}">
<script src="/static/desk.js{q}" defer></script>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p class="byline">{escape(byline)}</p>
<p class="legend">{legend}</p>
{_filters()}
<p class="hint">{KEYS_HELP}</p>
<div id="message" role="status" aria-live="polite"></div>
</header>
<div class="desk">
<main>{render_live(state)}</main>
<aside id="side" aria-label="Claim">
<section id="panel" tabindex="-1" aria-live="polite"><p>Open a highlighted passage to see and edit its claim.</p></section>
{render_new_claim()}
</aside>
</div>
</body>
</html>
"""


def render_source_list(project: Project) -> str:
    """The map's sources as a datalist: the citation form's source field searches it by key,
    title and author."""
    options = []
    for key, source in project.cmap.sources.items():
        ref = reference(source)
        label = " \u2014 ".join(p for p in (ref.title, ref.authors) if p)
        options.append(f'<option value="{_attr(key)}" label="{_attr(label)}"></option>')
    return f'<datalist id="sources">{"".join(options)}</datalist>'


def _citations(located: LocatedClaim, project: Project, marks: dict[str, str]) -> str:
    claim = located.claim
    if not claim.citations:
        return "<p>No source cited.</p>" if claim.status != Status.OPINION else ""
    items = []
    for cit in claim.citations:
        source = project.cmap.sources.get(cit.source)
        if source is None:
            items.append(f"<li>unknown source <code>{escape(cit.source)}</code></li>")
            continue
        ref = reference(source)
        link = robust_link(source.url, ref.title, source.archive, source.archived)
        meta = ", ".join(escape(p) for p in (ref.authors, ref.container, ref.date) if p)
        dates = []
        if source.accessed:
            dates.append(f"read {escape(source.accessed)}")
        if source.archived:
            dates.append(f"captured {escape(source.archived)}")
        verify = marks.get(source.key)
        state = "verify: " + (escape(verify) if verify else "no problem recorded")
        parts = [f'<li data-source="{_attr(source.key)}"><strong>{link}</strong>'
                 f"{mark_badge(verify)} <code>{escape(source.key)}</code>"]
        if cit.locator:
            parts.append(f" ({escape(cit.locator)})")
        if meta:
            parts.append(f"<br><small>{meta}</small>")
        parts.append(f'<br><small class="dates">{"; ".join([*dates, state])}</small>')
        if cit.excerpt:
            parts.append(f'<blockquote class="excerpt">{escape(cit.excerpt)}</blockquote>')
        parts.append(f'<button type="button" data-post="/api/sources/{_attr(source.key)}/check" '
                     f'data-into=".check-result">Check link and excerpt of {escape(source.key)}'
                     '</button><div class="check-result" aria-live="polite"></div>')
        items.append("".join(parts) + "</li>")
    return f'<ol class="sources">{"".join(items)}</ol>'


def _anchor_line(located: LocatedClaim, project: Project) -> str:
    anchor = located.anchor
    base = f"/api/claims/{escape(located.claim.id)}"
    line = f'<p class="anchor">In the essay: <b>{escape(str(anchor.state))}</b>'
    if anchor.state.fixable:
        current = getattr(anchor, "current", None)
        if current:
            line += f'; the essay now says <q class="current">{escape(current)}</q>'
        line += (f'</p><p class="actions"><button type="button" data-post="{base}/fix">'
                 "Accept the essay's wording</button> "
                 f'<button type="button" data-post="{base}" data-review="1">Mark for review'
                 "</button></p>")
        return line
    if anchor.state.needs_person:
        line += (f'</p><p class="actions"><button type="button" data-post="{base}" '
                 'data-review="1">Mark for review</button></p>')
        return line
    return line + "</p>"


def render_claim(state: DeskState, claim_id: str, marks: dict[str, str]) -> str | None:
    """One claim's panel (None for an unknown claim)."""
    project = state.project
    if project is None:
        return None
    located = project.locate(claim_id)
    if located is None:
        return None
    claim = located.claim
    shown = shown_statuses(project)[claim.id]
    label = f"{claim.status}, flagged" if shown == FLAGGED else str(claim.status)
    problems = [f for f in project.check().findings
                if f.claim == claim.id and str(f.severity) == "error"]
    problem_list = ("".join(f"<li>{escape(f.message)} <code>[{escape(f.code)}]</code></li>"
                            for f in problems))
    cid = _attr(claim.id)
    base = f"/api/claims/{cid}"
    kinds = _options([str(k) for k in ClaimKind], str(claim.kind))
    statuses = _options([str(s) for s in Status], str(claim.status))
    return f"""<div class="claim-detail" data-claim="{cid}" data-version="{_attr(state.version)}">
<h2 id="claim-h">{escape(claim.id)} <span class="status s-{_attr(shown)}">{escape(label)}</span> <small>{escape(str(claim.kind))}</small></h2>
<blockquote class="quote">{escape(claim.quote)}</blockquote>
{_anchor_line(located, project)}
{f'<ul class="problems">{problem_list}</ul>' if problems else ''}
{f'<p class="note">{escape(claim.note)}</p>' if claim.note else ''}
{_citations(located, project, marks)}
<form class="edit-claim" data-post="{base}" aria-label="Edit claim {cid}">
<label for="e-kind">Kind</label><select id="e-kind" name="kind">{kinds}</select>
<label for="e-status">Status</label><select id="e-status" name="status">{statuses}</select>
<label for="e-note">Note</label><textarea id="e-note" name="note" rows="3">{escape(claim.note or '')}</textarea>
<button type="submit">Save claim</button>
</form>
<form class="add-citation" data-post="{base}/citations" aria-label="Add a citation to {cid}">
<h3>Add a citation</h3>
<label for="c-source">Source (key, title or author)</label><input id="c-source" name="source" list="sources" autocomplete="off" required>
<label for="c-locator">Locator</label><input id="c-locator" name="locator" autocomplete="off">
<label for="c-excerpt">Excerpt</label><textarea id="c-excerpt" name="excerpt" rows="3" required></textarea>
<button type="submit">Add citation</button>
</form>
</div>"""

