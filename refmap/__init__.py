"""refmap: a reading list and citation manager for an essay's factual claims.

Library use, without the CLI::

    import refmap

    project = refmap.load("claims.yaml")
    for finding in project.check().findings:
        print(finding)
    print(project.coverage().overall.percent_sourced)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "load", "load_map", "load_project", "Project", "RefmapError"]

_LAZY = {
    "load": ("refmap.project", "load"),
    "load_project": ("refmap.project", "load"),
    "Project": ("refmap.project", "Project"),
    "load_map": ("refmap.mapfile.schema", "load_map"),
    "RefmapError": ("refmap.errors", "RefmapError"),
}


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import refmap` (and so the CLI's start-up) cheap.
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(name)
