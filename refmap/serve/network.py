"""The desk's network actions, each the library half of a CLI command for one source:
`refmap links` and `refmap verify` for one source, and `refmap add ID` looked up first (the
metadata shown before anything is written). Results come back as the CLI's JSON rows and as
an escaped HTML fragment the page shows in place."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from refmap.errors import UsageError

if TYPE_CHECKING:
    from refmap.references.lookup import AddReport
    from refmap.net.http import HttpClient
    from refmap.project import Project


def check_source(project: Project, client: HttpClient, key: str) -> dict[str, object]:
    """`refmap links` and `refmap verify` for one source: {"links": rows as `links --format
    json`, "verify": rows as `verify --format json`, "mark": what the report shows, "html"}."""
    from refmap.commands.claim_edits import did_you_mean
    from refmap.net.links import check_links, link_targets, result_dict
    from refmap.exporters.robust import MARK_ORDER
    from refmap.exporters.robust import _mark as verify_mark  # the report's reading of one verify row
    from refmap.net.verify import check_excerpts, fetch_page, read_page, verify_targets

    if key not in project.cmap.sources:
        raise UsageError(f"no source '{key}' in {project.cmap.path}"
                         + did_you_mean(key, project.cmap.sources))
    links = [result_dict(r) for r in
             check_links([t for t in link_targets(project.cmap) if t.source == key], client)]
    targets = [t for t in verify_targets(project.cmap)[0] if t.citation.source == key]
    verify: list[dict[str, object]] = []
    for url in dict.fromkeys(t.url for t in targets):
        read = read_page(url, fetch_page(client, url))
        verify += [c.to_json() for c in check_excerpts(read, [t for t in targets if t.url == url])]
    marks = sorted((m for m in map(verify_mark, verify) if m is not None), key=MARK_ORDER.index)
    return {"links": links, "verify": verify, "mark": marks[0] if marks else None,
            "html": render_check(links, verify)}


def render_check(links: list[dict[str, object]], verify: list[dict[str, object]]) -> str:
    items = [f'<li class="link-{escape(str(r["state"]))}">{escape(str(r["field"]))}: '
             f'<b>{escape(str(r["state"]))}</b> ({escape(str(r["detail"]))})</li>' for r in links]
    items += [f'<li class="verify-{escape(str(r["state"]))}">excerpt for '
              f'{escape(str(r["claim"]))}: <b>{escape(str(r["state"]))}</b>'
              + (f" \u2014 {escape(str(r['message']))}" if r["state"] != "found" else "")
              + "</li>" for r in verify]
    if not items:
        return "<p>No url, archive or excerpt to check.</p>"
    return f'<ul class="checked">{"".join(items)}</ul>'


def look_up_source(project: Project, client: HttpClient, identifier: str,
                   key: str | None) -> AddReport:
    """What `refmap add ID [--key K]` would add: the looked-up fields and the key, or the
    source the map already has."""
    from refmap.references.lookup import look_up, parse_identifier, plan_add

    return plan_add(project.cmap, look_up(parse_identifier(identifier.strip()), client),
                    key.strip() or None if key else None)


def render_preview(report: AddReport, identifier: str) -> str:
    """The looked-up source before saving: its fields, and the button that adds it."""
    import json

    found = report.found
    rows = "".join(f"<dt>{escape(name)}</dt><dd>{escape(_shown(value))}</dd>"
                   for name, value in found.fields.items())
    warnings = "".join(f"<li>{escape(w)}</li>" for w in found.warnings)
    parts = [f'<div class="preview"><p>{escape(str(found.identifier))}: '
             f"{escape(found.url)}</p><dl>{rows}</dl>"]
    if warnings:
        parts.append(f'<ul class="warnings">{warnings}</ul>')
    if report.match is not None:
        parts.append(f"<p>Already in the map as <code>{escape(report.match.key)}</code> (same "
                     f"{escape(report.match.by)}); cite it by that key.</p></div>")
        return "".join(parts)
    body = escape(json.dumps({"identifier": identifier, "key": report.key}), quote=True)
    parts.append(f'<p>New source <code>{escape(str(report.key))}</code></p>'
                 f'<button type="button" data-post="/api/sources" data-body="{body}">'
                 "Add this source</button></div>")
    return "".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for k, v in value.items() if k in ("given", "family", "literal"))
    return str(value)


def excerpt_on_cached_page(project: Project, client: HttpClient, key: str,
                           excerpt: str) -> str | None:
    """Where a new excerpt stands on its source's page as refmap last fetched it (client
    answers from the cache only); None when refmap has no copy of the page."""
    from refmap.net.excerpts import ExcerptFinder
    from refmap.net.verify import fetch_page, read_page

    source = project.cmap.sources.get(key)
    if source is None or not source.url:
        return None
    read = read_page(source.url, fetch_page(client, source.url))
    if read.text is None:
        return None
    match = ExcerptFinder(read.text).find(excerpt)
    state = str(match.state.value)
    if state == "found":
        return "the excerpt is on the page as refmap last fetched it"
    if state == "changed":
        return f"the page as refmap last fetched it says {match.current!r}"
    return "the excerpt is not on the page as refmap last fetched it"
