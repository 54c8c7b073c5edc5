"""A plain-text essay as a new Markdown document with pandoc citations placed right after each
claim's quote, one Markdown paragraph per paragraph of the essay.

`pandoc --citeproc annotated.md -o essay.html` then renders the essay with its citations and
a bibliography, reading the sources from the exported bibliography the YAML header names.
A Markdown essay is annotated in its own file instead (refmap.annotate_markdown).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from refmap.exporters.markdown import md
from refmap.inert import BACKTICK, markdown_text, yaml_metadata
from refmap.located import Found
from refmap.model import ClaimsMap

if TYPE_CHECKING:
    from refmap.project import Project

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
"""A paragraph of a reader's text: a line with something on it."""
_LOCATOR_SEPARATOR = re.compile("(?<!" + re.escape(BACKTICK[:-1]) + ");")
"""A ";" in a locator, which would end the citation, but not the one closing a backtick's entity."""


def citation(keys_and_locators: list[tuple[str, str | None]]) -> str:
    """A pandoc citation group: [@a, p. 4; @b]. A locator is Markdown to pandoc, so it is
    escaped like any text, and its ";" too (the separator between citations)."""
    items = []
    for key, locator in keys_and_locators:
        suffix = ", " + _LOCATOR_SEPARATOR.sub(r"\\;", markdown_text(locator, False)) if locator else ""
        items.append(f"@{key}" + suffix)
    return "[" + "; ".join(items) + "]"


def yaml_header(cmap: ClaimsMap, bibliography: str) -> str:
    """The metadata block, written by a YAML emitter. pandoc reads metadata strings as
    Markdown, so the title and authors are escaped to render as written."""
    fields: dict[str, object] = {"title": md(cmap.essay.title or cmap.essay.path)}
    if cmap.essay.authors:
        fields["author"] = [md(a.display()) for a in cmap.essay.authors]
    fields["bibliography"] = bibliography
    fields["link-citations"] = True
    return yaml_metadata(fields)


def annotate(project: Project, bibliography: str) -> str:
    """Markdown of the whole essay with a citation after each anchored, cited claim."""
    cmap, essay = project.cmap, project.essay
    inserts: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for lc in project.located:
        anchor, claim = lc.anchor, lc.claim
        if not isinstance(anchor, Found):
            continue
        for cit in claim.citations:
            key = cmap.resolve(cit.source)  # an alias is cited under its source's key
            if key is not None and (key, cit.locator) not in inserts[anchor.end]:
                inserts[anchor.end].append((key, cit.locator))
    spans = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(essay.text)]
    inserts = _within_paragraphs(inserts, spans)
    paragraphs = [md_paragraph(essay.text, start, end, inserts) for start, end in spans]
    return yaml_header(cmap, bibliography) + "\n" + "\n\n".join(paragraphs) + "\n"


def _within_paragraphs(inserts: dict[int, list[tuple[str, str | None]]],
                       spans: list[tuple[int, int]]) -> dict[int, list[tuple[str, str | None]]]:
    """Citations placed where a paragraph has text: one after a paragraph's last character
    (in the line break that follows it) goes at that paragraph's end, never lost."""
    import bisect

    starts = [start for start, _ in spans]
    placed: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for pos, group in sorted(inserts.items()):
        i = bisect.bisect_left(starts, pos) - 1
        target = min(pos, spans[i][1]) if i >= 0 else pos
        for item in group:
            if item not in placed[target]:
                placed[target].append(item)
    return placed


def md_paragraph(text: str, start: int, end: int,
                 inserts: dict[int, list[tuple[str, str | None]]]) -> str:
    """One paragraph of essay text (a line of the reader's text) as one Markdown paragraph,
    with its citations: the essay's paragraphs are the document's, one blank line apart.
    Text after a citation goes on where no block can start."""
    pieces, last = [], start
    for pos in sorted(p for p in inserts if start < p <= end):
        pieces += [md(text[last:pos], block_start=last == start), " " + citation(inserts[pos])]
        last = pos
    if last < end:
        pieces.append(md(text[last:end], block_start=last == start))
    return "".join(pieces).rstrip()
