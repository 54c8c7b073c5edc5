"""A map and its essay, loaded together."""

from __future__ import annotations

import os
from typing import NamedTuple
from pathlib import Path

from refmap.essay import Essay, read_essay
from refmap.model import ClaimsMap
from refmap.schema import load_map


class Project(NamedTuple):
    """A loaded claims map with the essay it describes."""

    cmap: ClaimsMap
    essay: Essay
    map_path: Path
    essay_path: Path


def essay_location(map_path: str | Path, essay_path: str) -> tuple[Path, str]:
    """The essay's real path and the name to show for it (relative like the map's)."""
    base = os.path.dirname(str(map_path))
    display = os.path.normpath(os.path.join(base, essay_path)) if base else os.path.normpath(essay_path)
    return Path(display), display


def load_project(map_path: str | Path) -> Project:
    """Load a claims map and the essay it names (relative to the map file)."""
    cmap = load_map(map_path)
    path, display = essay_location(map_path, cmap.essay.path)
    essay = read_essay(path, display, referenced_at=cmap.essay.path_span, fmt=cmap.essay.format)
    return Project(cmap, essay, Path(map_path), path)
