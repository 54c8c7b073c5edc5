"""Reading references from the files reference managers export, into one neutral record shape.

`read_references` picks the reader by the file's extension (or an explicit format) and returns
an `ImportBatch`: the records in file order, each with the key the file carries, its fields
in the claims map's YAML shape and where it starts, plus the entries that were skipped and
why. A file that cannot be read as its format is a LoadError at the position of the problem.
Keys for records that carry none come from `refmap.references.importers.keys`, duplicates of sources
already in a map from `refmap.references.importers.dedupe`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from refmap.errors import LoadError
from refmap.references.importers.record import FIELD_ORDER, ImportBatch, ImportedRecord, SkippedEntry
from refmap.fileio import gc_paused
from refmap.mapfile.yamlio import decode_utf8, read_bytes

__all__ = [
    "FIELD_ORDER", "FORMATS", "ImportBatch", "ImportedRecord", "SkippedEntry", "format_for",
    "read_references",
]

IMPORTERS = {"bibtex": "bibtex", "csl-json": "csljson", "ris": "ris"}
"""Import format -> the module of this package whose `read(text, display)` reads it, imported on
use (each pulls in its parsing library). Adding a format is adding a row here, a module and an
extension below (CONTRIBUTING.md)."""

FORMATS = tuple(IMPORTERS)
"""The formats `read_references` reads."""

EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json", ".ris": "ris"}


def format_for(path: Path, display: str, fmt: str | None = None) -> str:
    """The format to read a file as: the explicit one, else the one its extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise LoadError(f"unknown import format {fmt!r} (one of: {', '.join(FORMATS)})",
                            path=display)
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise LoadError(
            f"cannot tell the format from the extension {path.suffix or '(none)'!r}: "
            "use .bib, .json or .ris, or name the format", path=display)
    return found


def _reader(fmt: str) -> Callable[[str, str], ImportBatch]:
    module = importlib.import_module(f"{__name__}.{IMPORTERS[fmt]}")
    return module.read  # type: ignore[no-any-return]


def read_references(path: Path, display: str, fmt: str | None = None) -> ImportBatch:
    """Read a BibTeX/BibLaTeX, CSL-JSON or RIS file (UTF-8) into an ImportBatch."""
    chosen = format_for(path, display, fmt)
    text = decode_utf8(read_bytes(path, display), display)
    reader = _reader(chosen)
    with gc_paused():  # a large file builds many small objects and no cycles (see yamlio)
        return reader(text, display)
