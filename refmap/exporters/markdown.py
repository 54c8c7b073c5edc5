"""The reading list: sources grouped by kind, tag or type, each a readable reference with its
link, and under it the claims it supports (quote and locator)."""

from __future__ import annotations

from refmap.inert import guard_block_start, markdown_text, web_link_target
from refmap.mapfile.model import Citation, Claim, ClaimsMap, Source
from refmap.exporters.reference import reference

GROUPINGS = ("kind", "tag", "type", "none")


def md(text: str, block_start: bool = True) -> str:
    """Text that renders as written under pandoc Markdown, CommonMark and GFM: no emphasis,
    link, raw HTML, math, citation, autolink or list from data (see refmap.inert). Pass
    block_start=False for text that follows other text on its line (fewer escapes)."""
    return markdown_text(text, block_start)


def md_url(url: str) -> str | None:
    """An http(s) URL as an autolink, the only links a reading list has; None for any other
    URL (javascript:, data:, relative ones ...), which is then not linked."""
    target = web_link_target(url)
    return None if target is None else "<" + target + ">"


def emphasis(text: str) -> str:
    """Text in italics; stripped, since "* x*" is no emphasis in CommonMark."""
    inner = md(text, block_start=False).strip(" ")
    return f"*{inner}*" if inner else ""


def format_entry(source: Source) -> str:
    ref = reference(source)
    parts = []
    if ref.authors:
        # the entry starts a list item: "A" with its "." would be a list marker
        parts.append(guard_block_start(md(ref.authors, block_start=False) + "."))
    parts.append(f"{emphasis(ref.title)}.")
    tail = ", ".join(md(p, block_start=False) for p in (ref.container, ref.publisher, ref.date) if p)
    if tail:
        parts.append(tail + ".")
    link = md_url(ref.url) if ref.url else None
    if link:
        parts.append(link + (f" (accessed {md(ref.accessed, block_start=False)})" if ref.accessed else ""))
    return " ".join(parts)


def archived_copy(source: Source) -> str:
    """' (archived copy of DATE: <URL>)' after an entry whose source has one, else ''."""
    link = md_url(source.archive) if source.archive else None
    if not link:
        return ""
    when = f" of {md(source.archived, block_start=False)}" if source.archived else ""
    return f" (archived copy{when}: {link})"


def citations_by_source(cmap: ClaimsMap) -> dict[str, list[tuple[Claim, Citation]]]:
    """Each citekey's citations with their claims, in map order: built once, so the list is
    linear in claims and sources rather than their product."""
    index: dict[str, list[tuple[Claim, Citation]]] = {}
    for claim in cmap.claims:
        for cit in claim.citations:
            key = cmap.resolve(cit.source) or cit.source  # an alias counts for its source
            index.setdefault(key, []).append((claim, cit))
    return index


def _groups(cmap: ClaimsMap, group_by: str,
            cited_by: dict[str, list[tuple[Claim, Citation]]]) -> dict[str, list[str]]:
    groups: dict[str, dict[str, None]] = {}

    def add(group: str, key: str) -> None:
        groups.setdefault(group, {})[key] = None

    for key, source in cmap.sources.items():
        claims = list({id(c): c for c, _ in cited_by.get(key, [])}.values())
        if group_by == "none":
            add("Sources", key)
        elif group_by == "type":
            add(source.type, key)
        elif group_by == "tag":
            tags = list(source.tags) or [t for c in claims for t in c.tags]
            for tag in tags or ["untagged"]:
                add(tag, key)
        else:
            for kind in [str(c.kind) for c in claims] or ["not cited"]:
                add(kind, key)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] in ("not cited", "untagged"), kv[0]))
    return {group: list(keys) for group, keys in ordered}


def export(cmap: ClaimsMap, group_by: str = "kind", cited_only: bool = False) -> str:
    title = cmap.essay.title or cmap.essay.path
    lines = [f"# Reading list: {md(title)}", ""]
    if cmap.essay.authors:
        byline = ", ".join(a.display() for a in cmap.essay.authors)
        lines += [f"Sources for the factual claims in {emphasis(title)} by {md(byline, block_start=False)}.", ""]
    cited_by = citations_by_source(cmap)
    for group, keys in _groups(cmap, group_by, cited_by).items():
        keys = [k for k in keys if not cited_only or k in cited_by]
        if not keys:
            continue
        if group_by != "none":
            lines += [f"## {md(group[:1].upper() + group[1:])}", ""]
        for key in keys:
            source = cmap.sources[key]
            lines.append(f"- {format_entry(source)}{archived_copy(source)}")
            for claim, cit in cited_by.get(key, ()):
                if group_by != "kind" or claim.kind == group:
                    where = f" ({md(cit.locator, False)})" if cit.locator else ""
                    lines.append(f"    - “{md(claim.quote, False)}”{where}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
