"""refmap: a reading list and citation manager for an essay's factual claims.

Library use, without the CLI::

    from refmap import load_project, run_checks
    project = load_project("claims.yaml")
    for finding in run_checks(project.cmap, project.essay):
        print(finding)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_map", "load_project", "run_checks", "RefmapError"]


def __getattr__(name: str):
    # Lazy re-exports keep `import refmap` (and so the CLI's start-up) cheap.
    if name == "load_map":
        from refmap.schema import load_map

        return load_map
    if name == "load_project":
        from refmap.project import load_project

        return load_project
    if name == "run_checks":
        from refmap.checks import run_checks

        return run_checks
    if name == "RefmapError":
        from refmap.errors import RefmapError

        return RefmapError
    raise AttributeError(name)
