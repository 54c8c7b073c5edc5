"""Plain text: any wrapping; a paragraph is a run of non-blank lines.

The text model has the file's own length, so offsets need no map: a line break inside a
paragraph becomes a space, one between paragraphs a newline (CR and CRLF included). A file with
no blank line between its lines is told apart by its shape: lines that mostly end mid-sentence
and mostly run close to one width were hard-wrapped (`fold -s -w 72`), and a break is a
paragraph's end only where the next line's first word would have fitted on the line; other
files keep one paragraph per line. `essay.format: txt-wrapped` or `txt-lines` says which
outright. Hyphenation at a line end is left as written: whether "anti-\\nwar" was "antiwar"
cannot be known.
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


_ENDS_SENTENCE = tuple(".!?:;\"\u201d\u2019')]\u2026")
_FIRST_WORD = re.compile(r"\S+")


def looks_hard_wrapped(text: str) -> bool:
    """Whether lines with no blank line between them were wrapped at a width: at least four
    lines no longer than 200 characters, most of them ending mid-sentence and running to at
    least 60% of the longest."""
    lines = [line.rstrip() for line in text.strip("\n").split("\n")]
    if len(lines) < 4 or any(not line for line in lines):
        return False
    width = max(len(line) for line in lines)
    if not 20 <= width <= 200:
        return False
    inner = lines[:-1]
    mid_sentence = sum(not line.endswith(_ENDS_SENTENCE) for line in inner)
    long = sum(len(line) >= 0.6 * width for line in inner)
    return mid_sentence * 2 >= len(inner) and long * 2 >= len(inner)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


_MEASURES = (len, _bytes)
"""How wrapping tools count a line: characters (textwrap, editors) or bytes (fold)."""


def _join_hard_wrapped(text: str) -> str:
    """Line breaks as spaces, but where the next line's first word would have fitted on the
    line, counted both in characters and in UTF-8 bytes (fold counts bytes): there the author
    ended a paragraph. The word must fit with a column to spare, as `fold -s` keeps the space
    after it on the line."""
    lines = text.split("\n")
    widths = [max(measure(line) for line in lines) for measure in _MEASURES]
    pieces = []
    for i, line in enumerate(lines[:-1]):
        following = _FIRST_WORD.match(lines[i + 1].lstrip())
        fits = following is not None and all(
            measure(line.rstrip()) + 1 + measure(following.group()) < width
            for measure, width in zip(_MEASURES, widths))
        pieces += [line, "\n" if fits or not line.strip() else " "]
    pieces.append(lines[-1])
    return "".join(pieces)


def read(source: str, display: str = "", wrapped: bool | None = None) -> TextModel:
    """The text model of a plain-text essay (same length as the source). wrapped: whether a
    file without blank lines was hard-wrapped (None: tell from its shape); display, the file's
    name, is not needed: plain text has nothing to report."""
    text = same_length_lf(source)
    if has_blank_line(text):
        text = _join_wrapped_lines(text)
    elif wrapped or (wrapped is None and looks_hard_wrapped(text)):
        text = _join_hard_wrapped(text)
    return TextModel(text, source, None, "txt")
