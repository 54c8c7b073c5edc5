"""What a writing command did, as JSON (`--format json` on add, cite, archive, capture, claim,
source and ignore): one shape for every command that writes the map.

    {"map": "claims.yaml", "dry_run": false, "written": true,
     "changes": ["added 'kim2020': ..."], "diff": "--- ...",   # diff only with --dry-run
     ...}                                                        # what the command adds

`written` is true only when the file changed; a dry run never writes and carries the unified
diff instead. Lines are the text output's lines, so a script sees what a person would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from refmap.values import inert


def write_json(map_path: str, changes: Iterable[str], *, dry_run: bool, written: bool,
               diff: str | None = None, details: Mapping[str, Any] | None = None
               ) -> dict[str, Any]:
    """The JSON object a writing command prints with --format json."""
    data: dict[str, Any] = {"map": map_path, "dry_run": dry_run, "written": written,
                            "changes": [inert(line) for line in changes]}
    if dry_run:
        data["diff"] = diff or ""
    data.update(details or {})
    return data
