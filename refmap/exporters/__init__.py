"""Exporters: what other tools read, one module per output format, in one registry.

Each module has `export(...) -> str`, taking the map (formats about the sources alone) or the
project (formats that show where claims stand in the essay). `export(name, project, ...)` picks
the module from EXPORTERS and hands it what it takes; modules are imported on use, so a command
pays only for the format it writes. Adding a format is adding a row here, a module beside this
one and a CLI subcommand for its options (CONTRIBUTING.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from refmap.project import Project


class Exporter(NamedTuple):
    """One output format."""

    module: str
    """The module of this package whose `export` writes it."""
    needs_essay: bool
    """Whether `export` takes the project (claims located in the essay) rather than the map."""
    description: str


EXPORTERS = {
    "bibtex": Exporter("bibtex", False, "BibTeX/BibLaTeX .bib of the sources"),
    "csl-json": Exporter("csljson", False, "CSL-JSON of the sources, for pandoc and Zotero"),
    "ris": Exporter("ris", False, "RIS of the sources, for EndNote, Zotero and catalogues"),
    "markdown": Exporter("markdown", False, "a Markdown reading list"),
    "claimreview": Exporter("claimreview", True, "schema.org ClaimReview JSON-LD"),
    "anchors": Exporter("anchorsjson", True, "the anchors file refmap's pandoc Lua filter reads"),
    "html": Exporter("html", True, "the self-contained HTML report"),
}
"""Format name -> its exporter."""


def export(name: str, project: Project, **options: Any) -> str:
    """The project in the named format; options go to the format's own `export`."""
    exporter = EXPORTERS[name]
    module = importlib.import_module(f"{__name__}.{exporter.module}")
    subject = project if exporter.needs_essay else project.cmap
    return module.export(subject, **options)  # type: ignore[no-any-return]
