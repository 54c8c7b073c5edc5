"""Checking whole maps, as `refmap check` and the pre-commit hook (`refmap hook`) do.

`check_map` checks one map, through the findings cache (refmap.commands.check_cache): a map
whose files have not changed since its last check is not loaded at all.

`refmap hook` checks every claims map of a repository.

The maps are the ones a `.refmap.toml` (`maps = [...]`) or `pyproject.toml` (`[tool.refmap]
maps = [...]`) lists, as paths or glob patterns relative to the folder the hook runs in; with
neither, every `*claims*.yaml` / `*claims*.yml` below it (hidden folders, virtual environments
and node_modules left out). Each is checked as `refmap check` checks it, except that a claim
still marked `draft` that cites nothing is a warning: a map being drafted does not block a
commit for the sources it does not have yet.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from refmap import fileio
from refmap.commands.check_cache import Checked
from refmap.commands.check_cache import check as cached_check
from refmap.errors import LoadError, RefmapError
from refmap.findings import CheckResult, Severity, sort_findings

CONFIG_FILES = (".refmap.toml", "pyproject.toml")
SKIPPED_FOLDERS = frozenset({"node_modules", "venv", "site-packages", "__pycache__"})
MAP_EXTENSIONS = (".yaml", ".yml")


class MapCheck(NamedTuple):
    """One map's check, or the error that kept it from loading."""

    path: str
    result: CheckResult | None = None
    error: RefmapError | None = None


def check_map(path: str, *, essay_outside: bool = False, max_bytes: int | None = None,
              cache: bool = True) -> Checked:
    """`refmap check` on one map: its findings, from the findings cache while the map, its
    essay and its linked libraries hold what they held at the last check (cache=False: check
    anew and keep nothing). A map that cannot be loaded raises its LoadError."""
    cap = fileio.MAP_MAX_BYTES if max_bytes is None else max_bytes
    data = fileio.read_input(Path(path), path, cap)

    def compute() -> tuple[CheckResult, frozenset[str]]:
        from refmap.project import Project

        project = Project.from_bytes(path, data, essay_outside=essay_outside,
                                     max_bytes=max_bytes)
        return project.check(), frozenset(c.id for c in project.cmap.claims if c.draft)

    return cached_check(path, data, compute, options=(essay_outside, max_bytes), cache=cache)


def configured_maps(root: Path) -> list[str] | None:
    """The maps the configuration lists (globs expanded, in the order given), or None when no
    configuration names any."""
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        import tomllib  # only a configured hook reads TOML; `refmap check` does not pay for it

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


def drafts_as_warnings(result: CheckResult, drafts: frozenset[str]) -> CheckResult:
    """Unsourced findings of claims still marked draft, as warnings."""
    return CheckResult(sort_findings(
        f._replace(severity=Severity.WARNING)
        if f.code == "unsourced" and f.claim in drafts else f for f in result.findings))


def check_maps(paths: Iterable[str], *, essay_outside: bool = False,
               max_bytes: int | None = None, cache: bool = True) -> list[MapCheck]:
    """Check each map as the hook does; a map that cannot load is kept with its error."""
    checks = []
    for path in paths:
        try:
            checked = check_map(path, essay_outside=essay_outside, max_bytes=max_bytes,
                                cache=cache)
        except RefmapError as exc:
            checks.append(MapCheck(path, error=exc))
            continue
        checks.append(MapCheck(path, drafts_as_warnings(checked.result, checked.drafts)))
    return checks
