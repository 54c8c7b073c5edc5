"""The essay as Markdown with pandoc citations placed right after each claim's quote.

`pandoc --citeproc annotated.md -o essay.html` then renders the essay with its citations and
a bibliography, reading the sources from the exported bibliography the YAML header names.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from typing import TYPE_CHECKING

from refmap.exporters.markdown import md
from refmap.located import Found
from refmap.model import ClaimsMap

if TYPE_CHECKING:
    from refmap.project import Project

_LOCATOR_SPECIAL = re.compile(r"([\[\];@\\])")


def citation(keys_and_locators: list[tuple[str, str | None]]) -> str:
    """A pandoc citation group: [@a, p. 4; @b]."""
    items = []
    for key, locator in keys_and_locators:
        items.append(f"@{key}" + (", " + _LOCATOR_SPECIAL.sub(r"\\\1", locator) if locator else ""))
    return "[" + "; ".join(items) + "]"


def yaml_header(cmap: ClaimsMap, bibliography: str) -> str:
    fields = {"title": cmap.essay.title or cmap.essay.path}
    lines = ["---", f"title: {json.dumps(fields['title'], ensure_ascii=False)}"]
    if cmap.essay.authors:
        lines.append("author:")
        lines += [f"  - {json.dumps(a.display(), ensure_ascii=False)}" for a in cmap.essay.authors]
    lines += [f"bibliography: {json.dumps(bibliography)}", "link-citations: true", "---", ""]
    return "\n".join(lines)


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
    out, last = [], 0
    text = essay.text
    for pos in sorted(inserts):
        out.append(md_block(text[last:pos]))
        out.append(" " + citation(inserts[pos]))
        last = pos
    out.append(md_block(text[last:]))
    return yaml_header(cmap, bibliography) + "\n" + "".join(out).rstrip() + "\n"


_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([-=])")


def md_line(line: str) -> str:
    """One line of essay text as Markdown that renders as written: specials escaped, no list
    or heading from a leading "1." or "-", no dash from "--" (pandoc's smart typography)."""
    escaped = md(line).replace("--", "-\\-")
    return _LIST_START.sub(lambda m: (m.group(1) + m.group(2) + "\\" + m.group(3) + m.group(4))
                           if m.group(2) else m.group(5) + "\\" + m.group(6), escaped, count=1)


def md_block(text: str) -> str:
    """Essay text as Markdown: each line its own paragraph."""
    return "\n\n".join(md_line(line) if line.strip() else "" for line in text.split("\n"))
