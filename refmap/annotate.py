"""The essay as Markdown with pandoc citations placed right after each claim's quote.

`pandoc --citeproc annotated.md -o essay.html` then renders the essay with its citations and
a bibliography, reading the sources from the exported bibliography the YAML header names.
"""

from __future__ import annotations

import re
from collections import defaultdict

from refmap.anchors import Anchor
from refmap.essay import Essay
from refmap.exporters.markdown import md
from refmap.inert import BACKTICK, markdown_text, yaml_metadata
from refmap.model import ClaimsMap

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


def annotate(cmap: ClaimsMap, essay: Essay, anchors: list[Anchor], bibliography: str) -> str:
    """Markdown of the whole essay with a citation after each anchored, cited claim."""
    inserts: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for claim, anchor in zip(cmap.claims, anchors):
        if anchor.end is None:
            continue
        for cit in claim.citations:
            if cit.source in cmap.sources and (cit.source, cit.locator) not in inserts[anchor.end]:
                inserts[anchor.end].append((cit.source, cit.locator))
    out, last = [], 0
    text = essay.text
    for pos in sorted(inserts):
        out.append(md_block(text[last:pos], continues_line=last > 0))
        out.append(" " + citation(inserts[pos]))
        last = pos
    out.append(md_block(text[last:], continues_line=last > 0))
    return yaml_header(cmap, bibliography) + "\n" + "".join(out).rstrip() + "\n"


def md_line(line: str) -> str:
    """One line of essay text as Markdown that renders as written: specials escaped, no list
    or heading from a leading "1." or "-", no dash from "--" (pandoc's smart typography)."""
    return md(line)


def md_block(text: str, continues_line: bool = False) -> str:
    """Essay text as Markdown: each line its own paragraph. With continues_line, the text's
    first line goes on after a citation, where no block can start."""
    lines = text.split("\n")
    out = [md_line(line) for line in lines]
    if continues_line:
        out[0] = md(lines[0], block_start=False)
    return "\n\n".join(line if line.strip(" ") else "" for line in out)
