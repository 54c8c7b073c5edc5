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
from refmap.inert import markdown_text, yaml_metadata
from refmap.located import Found
from refmap.model import ClaimsMap

if TYPE_CHECKING:
    from refmap.project import Project

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
"""A paragraph of a reader's text: a line with something on it."""


def citation(keys_and_locators: list[tuple[str, str | None]]) -> str:
    """A pandoc citation group: [@a, p. 4; @b]. A locator is Markdown to pandoc, so it is
    escaped like any text, and its ";" too (the separator between citations)."""
    items = []
    for key, locator in keys_and_locators:
        suffix = ", " + markdown_text(locator, block_start=False).replace(";", "\\;") if locator else ""
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
            if cit.source in cmap.sources and (cit.source, cit.locator) not in inserts[anchor.end]:
                inserts[anchor.end].append((cit.source, cit.locator))
    paragraphs = [md_paragraph(essay.text, m.start(), m.end(), inserts)
                  for m in _PARAGRAPH.finditer(essay.text)]
    return yaml_header(cmap, bibliography) + "\n" + "\n\n".join(paragraphs) + "\n"


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
