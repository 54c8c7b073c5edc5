"""The anchors file the pandoc Lua filter reads (refmap/exporters/filters/refmap.lua).

One JSON object: the essay and map it was written from, and for each claim its id, quote, the
quote as matched (typographically normalised, so the filter only normalises the document),
status, whether it cites a source, whether it still needs one, and where its anchor stands.
The filter warns, while pandoc renders the essay, about claims that need a source and quotes
no longer in the document's text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from refmap.essay.text import normalise_quote
from refmap.essay.located import Found, LocatedClaim

if TYPE_CHECKING:
    from refmap.project import Project

VERSION = 1
"""The file's format version (`refmap-anchors` in it); the filter refuses another."""


def claim_entry(project: Project, located: LocatedClaim) -> dict[str, object]:
    """One claim as the filter reads it."""
    claim, anchor = located.claim, located.anchor
    line: int | None = None
    column: int | None = None
    if isinstance(anchor, Found):
        line, column = project.essay.position(anchor.start)
    return {
        "id": claim.id,
        "quote": claim.quote,
        "match": normalise_quote(claim.quote),
        "status": str(claim.status),
        "sourced": any(c.source in project.cmap.sources for c in claim.citations),
        "needs_source": claim.needs_source,
        "anchor": str(anchor.state),
        "line": line,
        "column": column,
    }


def export(project: Project) -> str:
    """The anchors JSON for every claim of the map, in the map's order."""
    data = {
        "refmap-anchors": VERSION,
        "essay": project.essay.path,
        "map": str(project.map_path),
        "claims": [claim_entry(project, lc) for lc in project.located],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
