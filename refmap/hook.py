"""`refmap hook`: what the pre-commit hook checks — every claims map of a repository.

The maps are the ones a `.refmap.toml` (`maps = [...]`) or `pyproject.toml` (`[tool.refmap]
maps = [...]`) lists, as paths or glob patterns relative to the folder the hook runs in; with
neither, every `*claims*.yaml` / `*claims*.yml` below it (hidden folders, virtual environments
and node_modules left out). Each is checked as `refmap check` checks it, except that a claim
still marked `draft` that cites nothing is a warning: a map being drafted does not block a
commit for the sources it does not have yet.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from refmap.errors import LoadError, RefmapError
from refmap.findings import CheckResult, Severity, sort_findings
from refmap.mapfile.model import ClaimsMap

CONFIG_FILES = (".refmap.toml", "pyproject.toml")
SKIPPED_FOLDERS = frozenset({"node_modules", "venv", "site-packages", "__pycache__"})
MAP_EXTENSIONS = (".yaml", ".yml")


@dataclass(frozen=True)
class MapCheck:
    """One map's check, or the error that kept it from loading."""

    path: str
    result: CheckResult | None = None
    error: RefmapError | None = None


def configured_maps(root: Path) -> list[str] | None:
    """The maps the configuration lists (globs expanded, in the order given), or None when no
    configuration names any."""
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LoadError(f"cannot read the configuration: {exc}", path=str(path)) from None
        table = data if name == ".refmap.toml" else data.get("tool", {}).get("refmap", {})
        listed = table.get("maps") if isinstance(table, dict) else None
        if listed is None:
            continue
        if not isinstance(listed, list) or not all(isinstance(m, str) for m in listed):
            raise LoadError("'maps' must be a list of paths or glob patterns", path=str(path))
        return _expand(root, listed)
    return None


def _expand(root: Path, patterns: Iterable[str]) -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        matches = sorted(str(p.relative_to(root)) for p in root.glob(pattern)) if any(
            ch in pattern for ch in "*?[") else [pattern]
        found += [m for m in matches if m not in found]
    return found


def discover_maps(root: Path) -> list[str]:
    """Every `*claims*.yaml` (or .yml) below root, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS
                         and not (Path(folder) / d / "pyvenv.cfg").exists())
        for name in files:
            if "claims" in name.lower() and name.lower().endswith(MAP_EXTENSIONS):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(found)


def hook_maps(root: Path) -> list[str]:
    """The maps the hook checks: the configured ones, else the discovered ones."""
    configured = configured_maps(root)
    return discover_maps(root) if configured is None else configured


def drafts_as_warnings(result: CheckResult, cmap: ClaimsMap) -> CheckResult:
    """Unsourced findings of claims still marked draft, as warnings."""
    drafts = {c.id for c in cmap.claims if c.draft}
    return CheckResult(sort_findings(
        f._replace(severity=Severity.WARNING)
        if f.code == "unsourced" and f.claim in drafts else f for f in result.findings))


def check_maps(paths: Iterable[str], *, essay_outside: bool = False,
               max_bytes: int | None = None) -> list[MapCheck]:
    """Check each map as the hook does; a map that cannot load is kept with its error."""
    from refmap.project import load

    checks = []
    for path in paths:
        try:
            project = load(path, essay_outside=essay_outside, max_bytes=max_bytes)
        except RefmapError as exc:
            checks.append(MapCheck(path, error=exc))
            continue
        checks.append(MapCheck(path, drafts_as_warnings(project.check(), project.cmap)))
    return checks
