"""Essay readers, one per format, each turning a file into the one text model refmap matches in.

A reader returns the essay's plain text (paragraphs separated by a newline, no markup) and a
map from every offset of that text back to the file as written, so positions in findings are
the author's own line and column. Positions in a Word file have no lines: there LINE is the
paragraph's number (every w:p of the document body, empty ones included, counted from 1) and
COL the character's number in it, so `essay.docx:12:5` reads "paragraph 12, character 5".
"""

from __future__ import annotations

import bisect
import importlib
import re
from pathlib import Path
from typing import NamedTuple

from refmap.errors import LoadError
from refmap.essay.readers.offsets import OffsetMap, line_starts
from refmap.spans import Span
from refmap.values import inert

class Reader(NamedTuple):
    """One essay format's reader: a module of this package whose `read(source, display,
    **options)` takes the decoded text, or whose `read_data(data, display)` takes the file's
    bytes."""

    module: str
    binary: bool = False
    options: tuple[tuple[str, object], ...] = ()
    """Keyword arguments for the module's `read`."""


READERS = {
    "txt": Reader("plain"),
    "markdown": Reader("markdown"),
    "html": Reader("html"),
    "docx": Reader("docx", binary=True),
    "txt-wrapped": Reader("plain", options=(("wrapped", True),)),
    "txt-lines": Reader("plain", options=(("wrapped", False),)),
}
"""Essay format -> its reader, imported when an essay of that format is read. txt-wrapped and
txt-lines are plain text without blank lines, hard-wrapped or one paragraph per line (plain
`txt` tells them apart by shape). Adding a format is adding a row here and a module beside
this one (CONTRIBUTING.md)."""

FORMATS = tuple(READERS)
"""The values `essay.format` takes."""

EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".docx": "docx",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f]")


class TextModel(NamedTuple):
    """What a reader makes of an essay file."""

    text: str
    """The plain text claims are matched in: paragraphs separated by newlines, no markup."""
    source: str
    """The file as written (for .docx, its paragraphs' text, one per line)."""
    offsets: OffsetMap | None
    """Text offset -> source offset; None when they are the same."""
    format: str
    """One of FORMATS."""
    regions: tuple[tuple[int, int, str], ...] = ()
    """Text that is not running prose, as (start, end, kind) in the text: kind is heading,
    table (a cell), caption or term (of a definition list). Matching ignores them; drafting
    (`refmap init`) does not draft claims from them."""


def format_of(path: Path, display: str, fmt: str | None, referenced_at: Span | None) -> str:
    """The essay's format: the map's `essay.format` if given, else from the file's extension."""
    if fmt is not None:
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise LoadError(
            f"cannot tell the format of essay '{inert(display)}' from its extension: set "
            f"essay.format to one of {', '.join(FORMATS)}",
            span=referenced_at or Span(display, 1, 1),
        )
    return found


def check_controls(source: str, display: str, starts: tuple[int, ...] | None = None) -> None:
    """Reject text holding C0 (but tab, LF, CR) or C1 control characters, at the first one."""
    found = _CONTROL.search(source)
    if found is None:
        return
    starts = starts if starts is not None else line_starts(source)
    line = bisect.bisect_right(starts, found.start())
    col = found.start() - starts[line - 1] + 1
    raise LoadError(f"control character {inert(found.group())} in the essay: remove it",
                    span=Span(display, line, col))


def read_model(path: Path, display: str, fmt: str | None,
               referenced_at: Span | None = None, max_bytes: int | None = None) -> TextModel:
    """Read an essay file into the text model. The file is read first (regular files only, up
    to max_bytes, by default fileio.ESSAY_MAX_BYTES), so a missing or unreadable file is
    reported before its format."""
    from refmap import fileio
    from refmap.mapfile import yamlio

    cap = fileio.ESSAY_MAX_BYTES if max_bytes is None else max_bytes
    data = fileio.read_input(path, display, cap)
    reader = READERS[format_of(path, display, fmt, referenced_at)]
    module = importlib.import_module(f"{__name__}.{reader.module}")
    if reader.binary:
        return module.read_data(data, display)  # type: ignore[no-any-return]
    source = yamlio.decode_utf8(data, display)
    check_controls(source, display)
    return module.read(source, display, **dict(reader.options))  # type: ignore[no-any-return]
