"""Word .docx, read-only: the document body's paragraphs, positions as paragraph:character.

Read with zipfile and ElementTree from the standard library: the text of a .docx is a few
elements of one XML part (w:p paragraphs holding w:t text runs), which does not earn a
dependency (python-docx would add lxml for a fraction of what it reads). Every w:p of the body,
in document order and inside tables too, is one line of the source this reader reports
positions in, so LINE:COL is paragraph N, character M. Deleted text (tracked changes), field
codes and footnote references are not text; footnotes and headers live in other parts and are
not read.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from refmap.errors import LoadError
from refmap.essay.readers import TextModel, check_controls
from refmap.spans import Span

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_PART = "word/document.xml"
MAX_PART_BYTES = 64 * 1024 * 1024
"""A document part larger than this (uncompressed) is refused rather than inflated."""

_CHARACTERS = {
    f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " ", f"{_W}noBreakHyphen": "\u2011",
    f"{_W}softHyphen": "\u00ad",
}


def _document_xml(data: bytes, display: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(DOCUMENT_PART)
            except KeyError:
                raise LoadError(f"not a Word document: no {DOCUMENT_PART} in the archive",
                                span=Span(display, 1, 1)) from None
            if info.file_size > MAX_PART_BYTES:
                raise LoadError(f"{DOCUMENT_PART} is too large ({info.file_size} bytes)",
                                span=Span(display, 1, 1))
            return archive.read(info)
    except zipfile.BadZipFile:
        raise LoadError("not a Word document: a .docx is a zip archive and this file is not one",
                        span=Span(display, 1, 1)) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror}", path=display) from None


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """The text of one w:p: its runs' w:t, tabs and breaks as spaces; deletions left out."""
    pieces: list[str] = []
    stack = list(reversed(paragraph))
    while stack:
        element = stack.pop()
        if element.tag == f"{_W}t":
            pieces.append(element.text or "")
        elif element.tag in _CHARACTERS:
            pieces.append(_CHARACTERS[element.tag])
        elif element.tag != f"{_W}p":  # a nested paragraph (a text box) is counted on its own
            stack.extend(reversed(element))
    return "".join(pieces).replace("\n", " ").replace("\r", " ")


def paragraphs(data: bytes, display: str) -> list[str]:
    """The body's paragraphs in document order (nested paragraphs of text boxes are their own)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, col = exc.position
        raise LoadError(f"not a Word document: {DOCUMENT_PART} is not well-formed XML "
                        f"(line {line}, column {col + 1})", span=Span(display, 1, 1)) from None
    body = root.find(f"{_W}body")
    if body is None:
        return []
    return [_paragraph_text(p) for p in body.iter(f"{_W}p")]


def read(path: Path, display: str) -> TextModel:
    """The text model of a .docx essay file: one line per paragraph, offsets the same."""
    from refmap.fileio import ESSAY_MAX_BYTES, read_input

    return read_data(read_input(path, display, ESSAY_MAX_BYTES), display)


def read_data(data: bytes, display: str) -> TextModel:
    """The text model of a .docx essay's bytes."""
    text = "\n".join(paragraphs(_document_xml(data, display), display))
    check_controls(text, display)
    return TextModel(text, text, None, "docx")
