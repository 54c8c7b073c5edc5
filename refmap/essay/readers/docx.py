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
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from refmap.errors import LoadError
from refmap.essay.readers import TextModel, check_controls
from refmap.spans import Span
from refmap.values import inert

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_PART = "word/document.xml"
MAX_PART_BYTES = 64 * 1024 * 1024
"""A document part larger than this (uncompressed) is refused rather than inflated."""

MAX_XML_DEPTH = 256
"""Deepest element nesting read (a Word body needs about a dozen, tables in tables a few more)."""
_CHUNK = 1 << 16
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

_CHARACTERS = {
    f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " ", f"{_W}noBreakHyphen": "\u2011",
    f"{_W}softHyphen": "\u00ad",
}


_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
"""How a zip archive starts: a local file header, an empty archive, a spanned one."""


def _zip_problem(data: bytes, exc: Exception, display: str) -> LoadError:
    """A zip that cannot be read: "not a zip" only when nothing says it is one (no zip
    signature at the start); otherwise the archive is damaged, and the reason is given."""
    if not data.startswith(_ZIP_SIGNATURES):
        return LoadError("not a Word document: a .docx is a zip archive and this file is not one",
                         span=Span(display, 1, 1))
    reason = str(exc) or type(exc).__name__
    if reason == "File is not a zip file":  # the signature is there, the directory is not
        reason = "its central directory is missing (a truncated file?)"
    return LoadError(f"damaged zip: {inert(reason)}; save the document again from Word",
                     span=Span(display, 1, 1))


def _document_xml(data: bytes, display: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(DOCUMENT_PART)
            except KeyError:
                raise LoadError(f"not a Word document: no {DOCUMENT_PART} in the archive",
                                span=Span(display, 1, 1)) from None
            if info.flag_bits & 0x1:
                raise LoadError("the document is encrypted: save a copy without a password",
                                span=Span(display, 1, 1))
            if info.file_size > MAX_PART_BYTES:
                raise LoadError(f"{DOCUMENT_PART} is too large ({info.file_size} bytes)",
                                span=Span(display, 1, 1))
            return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _zip_problem(data, exc, display) from None
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise LoadError(f"unsupported zip: {inert(str(exc))}; save the document again from Word",
                        span=Span(display, 1, 1)) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror}", path=display) from None


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """The text of one w:p: its runs' w:t, tabs and breaks as spaces; deletions left out."""
    if not len(paragraph):  # an empty paragraph (<w:p/>), common between others
        return ""
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
    root = _parse_xml(data, display)
    body = root.find(f"{_W}body")
    if body is None:
        return []
    return [_paragraph_text(p) for p in body.iter(f"{_W}p")]


def _parse_xml(data: bytes, display: str) -> ElementTree.Element:
    """The document part as a tree, bounded: no DTD (Word never writes one, and entities are
    how XML bombs grow) and at most MAX_XML_DEPTH levels of elements, refused at the
    paragraph where the limit is passed."""
    if _DOCTYPE.search(data):
        raise LoadError(f"not a Word document: {DOCUMENT_PART} declares a DTD, which Word never "
                        "writes; save the document again from Word", span=Span(display, 1, 1))
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    depth = paragraph = 0
    root: ElementTree.Element | None = None
    try:
        for at in range(0, max(len(data), 1), _CHUNK):
            parser.feed(data[at:at + _CHUNK])
            for item in parser.read_events():
                event, element = item[0], item[-1]
                if not isinstance(element, ElementTree.Element):
                    continue
                if event == "end":
                    depth -= 1
                    continue
                depth += 1
                root = element if root is None else root
                paragraph += element.tag == f"{_W}p"
                if depth > MAX_XML_DEPTH:
                    raise LoadError(
                        f"{DOCUMENT_PART} nests elements more than {MAX_XML_DEPTH} levels deep; "
                        "Word documents never do", span=Span(display, max(paragraph, 1), 1))
        parser.close()
    except ElementTree.ParseError as exc:
        line, col = exc.position
        raise LoadError(f"not a Word document: {DOCUMENT_PART} is not well-formed XML "
                        f"(line {line}, column {col + 1})", span=Span(display, 1, 1)) from None
    assert root is not None  # a well-formed document has a root element
    return root


def read(path: Path, display: str) -> TextModel:
    """The text model of a .docx essay file: one line per paragraph, offsets the same."""
    from refmap.fileio import ESSAY_MAX_BYTES, read_input

    return read_data(read_input(path, display, ESSAY_MAX_BYTES), display)


def read_data(data: bytes, display: str) -> TextModel:
    """The text model of a .docx essay's bytes."""
    text = "\n".join(paragraphs(_document_xml(data, display), display))
    check_controls(text, display)
    return TextModel(text, text, None, "docx")
