"""The HTML report: one self-contained page that shows the essay with each claim's span
highlighted by status, a claim's sources and excerpts on click, a coverage summary and the
findings.

Security: every string from the map or the essay is HTML-escaped; only http(s) URLs become
links; the page's one inline script is allowed by its hash in a Content-Security-Policy that
forbids every other script, network access and external asset.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from collections.abc import Mapping
from typing import TYPE_CHECKING

from refmap.commands.coverage import Coverage
from refmap.essay.text import Essay
from refmap.findings import Finding
from refmap.mapfile.model import Claim, ClaimsMap, Status
from refmap.exporters.reference import essay_byline, reference
from refmap.exporters.robust import mark_badge, robust_link

if TYPE_CHECKING:
    from refmap.project import Project

FLAGGED = "flagged"
"""The display status of a claim `refmap check` finds an error in: never shown as sourced."""
GONE = "gone"
"""The display status of a claim whose every cited page `refmap verify` found dead, with no
capture and no archived copy to hold the evidence: never shown as sourced either."""
STATUS_ORDER = (FLAGGED, GONE, "unsourced", "disputed", "unverified", "sourced", "opinion")
"""When claims overlap, the span shows the status that most needs attention."""

_CSS = """
:root{--gone:#d9c8c8;--flagged:#ff8f8f;--sourced:#c8ebd0;--unverified:#ffe3a3;--disputed:#ffc48a;--unsourced:#ffb3b3;--opinion:#dde3f0}
body{font:16px/1.6 Georgia,serif;margin:0;color:#1b1b1b;background:#fafafa}
header,main,section{max-width:72rem;margin:0 auto;padding:0 1.5rem}
header h1{font-size:1.6rem;margin:1.5rem 0 .2rem}
.byline{color:#555;margin:0 0 1rem}
#summary{display:flex;flex-wrap:wrap;gap:.6rem;margin:0 auto 1rem}
#summary .count{padding:.3rem .7rem;border-radius:.4rem;font:14px/1.4 system-ui,sans-serif}
main{display:grid;grid-template-columns:minmax(0,2fr) minmax(16rem,1fr);gap:2rem}
mark.claim{cursor:pointer;border-radius:.2rem;padding:0 .1rem;color:inherit}
mark.claim:focus,mark.claim.active{outline:2px solid #333}
.s-sourced{background:var(--sourced)}.s-unverified{background:var(--unverified)}
.s-disputed{background:var(--disputed)}.s-unsourced{background:var(--unsourced)}
.s-opinion{background:var(--opinion)}.s-gone{background:var(--gone);text-decoration:line-through}.s-flagged{background:var(--flagged);text-decoration:underline wavy #8a0000}
#panel{position:sticky;top:1rem;align-self:start;font:14px/1.5 system-ui,sans-serif;
  background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem;max-height:90vh;overflow:auto}
.claim-detail h3{font-size:1rem;margin:.2rem 0}
.claim-detail blockquote{margin:.4rem 0;padding-left:.6rem;border-left:3px solid #bbb;color:#333}
.status{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:12px}
#details{display:none}
#findings{font:14px/1.5 system-ui,sans-serif;margin-bottom:3rem}
#findings li.error{color:#8a0000}#findings li.warning{color:#7a4b00}
.legend span{margin-right:.8rem}
"""

_SCRIPT = """
(function () {
  var panel = document.getElementById('panel');
  var active = null;
  function show(mark) {
    if (active) { active.classList.remove('active'); }
    active = mark;
    mark.classList.add('active');
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    mark.getAttribute('data-claims').split(' ').forEach(function (id) {
      var detail = document.getElementById('claim-' + id);
      if (detail) {
        var copy = detail.cloneNode(true);
        copy.removeAttribute('id');
        panel.appendChild(copy);
      }
    });
  }
  document.querySelectorAll('mark.claim').forEach(function (mark) {
    mark.addEventListener('click', function () { show(mark); });
    mark.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(mark); }
    });
  });
})();
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def _worst(statuses: list[str]) -> str:
    return min(statuses, key=STATUS_ORDER.index)


def _cuts(text: str, spans: list[tuple[int, int, Claim]]) -> list[int]:
    cuts = {0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans}
    pos = text.find("\n")
    while pos != -1:
        cuts.update((pos, pos + 1))
        pos = text.find("\n", pos + 1)
    return sorted(cuts)


def render_essay(essay: Essay, spans: list[tuple[int, int, Claim]], shown: dict[str, str]) -> str:
    """The essay's paragraphs with overlapping claim spans cut into highlighted segments.

    One sweep over the cut points: spans open and close as it passes, so the work is linear in
    the essay, the claims and their overlaps. `shown` gives each claim's display status.
    """
    text = essay.text
    opening: dict[int, list[tuple[int, Claim]]] = {}
    for order, (start, end, claim) in enumerate(spans):
        opening.setdefault(start, []).append((order, claim))
    closing: dict[int, list[int]] = {}
    for order, (_, end, _) in enumerate(spans):
        closing.setdefault(end, []).append(order)
    active: dict[int, Claim] = {}
    paragraphs: list[list[str]] = [[]]
    points = _cuts(text, spans)
    anchored: set[str] = set()
    for start, end in zip(points, points[1:]):
        for order in closing.get(start, ()):
            active.pop(order, None)
        for order, claim in opening.get(start, ()):
            active[order] = claim
            if claim.id not in anchored:  # where the findings about the claim link to
                anchored.add(claim.id)
                paragraphs[-1].append(f'<span id="{quote_anchor(claim.id)}"></span>')
        piece = text[start:end]
        if piece == "\n":
            paragraphs.append([])
        elif active:
            covering = [active[k] for k in sorted(active)]
            ids = " ".join(dict.fromkeys(c.id for c in covering))
            worst = _worst([shown[c.id] for c in covering])
            paragraphs[-1].append(
                f'<mark class="claim s-{worst}" data-claims="{escape(ids)}" '
                f'tabindex="0">{escape(piece)}</mark>'
            )
        else:
            paragraphs[-1].append(escape(piece))
    return "\n".join(f"<p>{''.join(p)}</p>" for p in paragraphs if p)


def render_detail(claim: Claim, cmap: ClaimsMap, shown: str, problems: list[Finding],
                  marks: Mapping[str, str] | None = None) -> str:
    """One claim's panel; marks: what `refmap verify` found about its sources (robust.py)."""
    label = (f"{claim.status}, flagged" if shown == FLAGGED
             else f"{claim.status}, every source dead with no copy" if shown == GONE
             else str(claim.status))
    parts = [
        f'<div class="claim-detail" id="claim-{escape(claim.id)}">',
        f"<h3>{escape(claim.id)} <span class=\"status s-{escape(shown)}\">"
        f"{escape(label)}</span> "
        f"<small>{escape(claim.kind)}</small></h3>",
        f"<blockquote>{escape(claim.quote)}</blockquote>",
    ]
    if problems:
        items = "".join(f"<li>{escape(f.message)} <code>[{escape(f.code)}]</code></li>"
                        for f in problems)
        parts.append(f'<ul class="problems">{items}</ul>')
    if claim.published_note:
        parts.append(f'<p class="note">{escape(claim.published_note)}</p>')
    if claim.citations:
        parts.append("<ol class=\"sources\">")
        for cit in claim.citations:
            source = cmap.source(cit.source)
            if source is None:
                parts.append(f"<li>unknown source {escape(cit.source)}</li>")
                continue
            ref = reference(source)
            meta = ", ".join(escape(p) for p in (ref.authors, ref.container, ref.date) if p)
            locator = f" ({escape(cit.locator)})" if cit.locator else ""
            link = robust_link(source.url, ref.title, source.archive, source.archived)
            badge = mark_badge((marks or {}).get(source.key))
            parts.append(f"<li><strong>{link}</strong>{badge}{locator}"
                         + (f"<br><small>{meta}</small>" if meta else ""))
            if cit.excerpt:
                parts.append(f"<blockquote class=\"excerpt\">{escape(cit.excerpt)}</blockquote>")
            parts.append("</li>")
        parts.append("</ol>")
    elif claim.status not in ("opinion",):
        parts.append("<p>No source cited.</p>")
    parts.append("</div>")
    return "\n".join(parts)


def evidence_gone(cmap: ClaimsMap, marks: Mapping[str, str]) -> set[str]:
    """Claims whose every cited source `refmap verify` found dead (the page itself, not an
    excerpt) and that has neither a capture nor an archived copy to hold the evidence."""
    from refmap.exporters.robust import PAGE_DEAD

    def lost(key: str) -> bool:
        source = cmap.sources.get(key)
        return (source is not None and marks.get(key) == PAGE_DEAD
                and not source.captured and not source.archive)

    return {c.id for c in cmap.claims
            if c.citations and all(lost(cit.source) for cit in c.citations)}


def render_summary(result: Coverage, flagged: int, gone: int = 0) -> str:
    o = result.overall
    counts = [
        (str(status), o.counts[status]) for status in (
            Status.SOURCED, Status.UNVERIFIED, Status.DISPUTED, Status.UNSOURCED, Status.OPINION)
    ]
    items = "".join(
        f'<span class="count s-{name}" data-status="{name}">{name}: '
        f'<b>{n}</b></span>' for name, n in counts
    )
    if flagged:
        items += (f'<span class="count s-flagged" data-flagged="{flagged}">flagged by check: '
                  f"<b>{flagged}</b></span>")
    if result.needs_review:
        review = len(result.needs_review)
        items += (f'<span class="count s-flagged" data-needs-review="{review}">needs review '
                  f"(a figure, date or name changed): <b>{review}</b></span>")
    if gone:
        items += (f'<span class="count s-gone" data-gone="{gone}">every source dead, no copy: '
                  f"<b>{gone}</b></span>")
    return (
        f'<section id="summary" data-claims="{o.total}" data-sourced-percent="{o.percent_sourced:.1f}">'
        f'{items}<span class="count">{o.total} claims; {o.percent_sourced:.1f}% of '
        f'{o.checkable} checkable claims sourced; quotes cover {result.percent_text:.1f}% '
        f"of the essay</span></section>"
    )


def quote_anchor(claim_id: str) -> str:
    """The id of the anchor at a claim's quote in the essay."""
    return escape(f"quote-{claim_id}")


def render_findings(findings: list[Finding], in_essay: frozenset[str] = frozenset()) -> str:
    """The findings; each about a claim found in the essay (`in_essay`) links to its passage."""
    if not findings:
        return '<section id="findings"><h2>Findings</h2><p>No problems found.</p></section>'

    def passage(f: Finding) -> str:
        if f.claim is None or f.claim not in in_essay:
            return ""
        return f' <a class="passage" href="#{quote_anchor(f.claim)}">the passage in the essay</a>'

    items = "".join(
        f'<li class="{escape(f.severity)}">{escape(str(f.span) if f.span else "")} '
        f"{escape(f.severity)}: {escape(f.message)} <code>[{escape(f.code)}]</code>"
        f"{passage(f)}</li>"
        for f in findings
    )
    return f'<section id="findings"><h2>Findings ({len(findings)})</h2><ul>{items}</ul></section>'


def export(project: Project, verify_marks: Mapping[str, str] | None = None) -> str:
    """The report; verify_marks (citekey -> mark, from refmap.exporters.robust.read_verify_marks) flags
    the sources `refmap verify` found dead or changed."""
    cmap, essay = project.cmap, project.essay
    result = project.coverage()
    findings = project.check().findings
    flagged = project.check().claims_with_errors()
    gone = evidence_gone(cmap, verify_marks or {})
    shown = {c.id: FLAGGED if c.id in flagged else GONE if c.id in gone else str(c.status)
             for c in cmap.claims}
    problems: dict[str, list[Finding]] = {}
    for f in findings:
        if f.claim is not None and f.severity == "error":
            problems.setdefault(f.claim, []).append(f)
    spans = [(s, e, lc.claim) for s, e, lc in project.spans()]
    title = cmap.essay.title or essay.path
    byline = essay_byline(cmap.essay)
    details = "\n".join(render_detail(c, cmap, shown[c.id], problems.get(c.id, []), verify_marks)
                        for c in cmap.claims)
    legend = "".join(f'<span class="s-{s}">{s}</span>' for s in STATUS_ORDER)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_csp()}">
<title>{escape(title)}: sources report</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p class="byline">{escape(byline)}</p>
<p class="legend">{legend}</p>
</header>
{render_summary(result, len(flagged), len(gone - flagged))}
<main>
<article id="essay">
{render_essay(essay, spans, shown)}
</article>
<aside id="panel" aria-live="polite"><p>Click a highlighted passage to see its sources.</p></aside>
</main>
<div id="details">
{details}
</div>
{render_findings(findings, frozenset(c.id for _, _, c in spans))}
<script>{_SCRIPT}</script>
</body>
</html>
"""
