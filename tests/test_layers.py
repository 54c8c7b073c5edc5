"""The layers CONTRIBUTING.md describes, checked on every import in the package (module level,
inside functions and under TYPE_CHECKING alike): each room imports only the rooms below it,
nothing outside refmap.cli imports click, and only refmap.net opens sockets."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "refmap"
BASE = {"errors", "spans", "findings", "values", "identifiers", "fileio", "inert", "suggest"}

ALLOWED: dict[str, set[str]] = {
    "base": {"base"},
    "mapfile": {"base", "mapfile"},
    "essay": {"base", "mapfile", "essay"},
    "references": {"base", "mapfile", "references", "net"},
    "net": {"base", "mapfile", "essay", "references", "net"},
    "commands": {"base", "mapfile", "essay", "references", "commands"},
    "project": {"base", "mapfile", "essay", "commands", "project"},
    "exporters": {"base", "mapfile", "essay", "references", "commands", "project", "exporters"},
    "render": {"base", "mapfile", "essay", "commands", "net", "references", "project", "render"},
    "serve": {"base", "mapfile", "essay", "commands", "net", "references", "project", "exporters",
              "render", "serve"},
    "cli": {"base", "mapfile", "essay", "commands", "net", "references", "project", "exporters",
            "render", "serve", "cli", "package"},
    "package": {"base", "project", "cli", "package"},
}
"""Room -> the rooms its modules may import ("package" is refmap/__init__ and __main__)."""

KNOWN = {
    ("mapfile", "essay"),  # the schema checks essay.format against the essay readers' table
}
"""Crossings that remain, each with its reason; the test fails once one is gone, so the list
only shrinks."""

SOCKETS = {"socket", "ssl", "http", "urllib.request", "requests", "httpx", "urllib3"}


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__"):
        return "package"
    if parts[1] in BASE:
        return "base"
    if parts[1] == "hook":
        return "project"  # the pre-commit hook's library half: several maps, each a project
    return parts[1]


def imports() -> list[tuple[str, str]]:
    """(importing module, imported module) for every import in the package."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found += [(module, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.append((module, node.module))
                found += [(module, f"{node.module}.{alias.name}") for alias in node.names
                          if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).exists()
                          or (PACKAGE.parent / (f"{node.module}.{alias.name}".replace(".", "/") + ".py")).exists()]
    return found


def crossings() -> set[tuple[str, str]]:
    return {(room(a), room(b)) for a, b in imports()
            if b.startswith("refmap") and b != "refmap" and room(b) not in ALLOWED[room(a)]}


def test_rooms_import_only_the_rooms_below_them():
    assert crossings() - KNOWN == set()


def test_known_crossings_are_still_there():
    assert KNOWN - crossings() == set(), "a crossing is gone: take it off KNOWN"


def test_only_the_cli_imports_click():
    assert sorted({a for a, b in imports()
                   if b.split(".")[0] == "click" and room(a) != "cli"}) == []


def test_only_net_and_the_desk_open_sockets():
    opening = {a for a, b in imports()
               if any(b == s or b.startswith(s + ".") for s in SOCKETS)
               and room(a) not in ("net", "serve")}
    assert sorted(opening) == []


def test_at_most_twelve_modules_at_the_top():
    assert len(list(PACKAGE.glob("*.py"))) <= 12


def test_commands_never_import_the_project():
    assert sorted({a for a, b in imports() if room(a) == "commands"
                   and b == "refmap.project"}) == []

