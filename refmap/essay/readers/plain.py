"""Plain text: any wrapping; a paragraph is a run of non-blank lines.

The text model has the file's own length, so offsets need no map: a line break inside a
paragraph becomes a space, one between paragraphs a newline (CR and CRLF included). A file with
no blank line between its lines keeps one paragraph per line. Hyphenation at a line end is left
as written: whether "anti-\\nwar" was "antiwar" cannot be known.
"""

from __future__ import annotations

import re

from refmap.essay.readers import TextModel
from refmap.essay.readers.offsets import same_length_lf

_PARAGRAPH_GAP = re.compile(r"\n(?:[ \t]*\n)+")


def has_blank_line(text: str) -> bool:
    """Whether a blank line separates two lines of text (not leading or trailing ones)."""
    return _PARAGRAPH_GAP.search(text.strip()) is not None


def _join_wrapped_lines(text: str) -> str:
    """Single line breaks inside a paragraph as spaces; blank-line gaps stay."""
    pieces: list[str] = []
    last = 0
    for gap in _PARAGRAPH_GAP.finditer(text):
        pieces.append(text[last:gap.start()].replace("\n", " "))
        pieces.append(gap.group())
        last = gap.end()
    pieces.append(text[last:].replace("\n", " "))
    return "".join(pieces)


def read(source: str, display: str = "") -> TextModel:
    """The text model of a plain-text essay (same length as the source; display, the file's
    name, is not needed: plain text has nothing to report)."""
    text = same_length_lf(source)
    if has_blank_line(text):
        text = _join_wrapped_lines(text)
    return TextModel(text, source, None, "txt")
