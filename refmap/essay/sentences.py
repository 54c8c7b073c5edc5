"""Sentence splitting that survives "U.S.", "Mr.", initials, decimals and closing quotes.

A boundary is end punctuation (. ! ?), then any closing quotes or brackets, then whitespace,
then something that can start a sentence (a capital, a digit, an opening quote). A full stop
after a known abbreviation, a single initial or a dotted acronym is not a boundary, unless a
new paragraph starts or the next word is one that typically opens a sentence ("The", "But").
Paragraph breaks (newlines) always end a sentence; a reader's text has a newline only between
paragraphs, so a sentence wrapped over lines in the file is one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep pres rev hon
    fr sec dept univ assn inc ltd corp bros vs etc al approx jan feb mar apr jun jul aug sep
    sept oct nov dec ave blvd rd e.g i.e cf""".split()
)
"""Words whose trailing full stop does not end a sentence (compared lower-case)."""

NUMBERING = frozenset({"no", "nos", "vol", "pp", "fig", "art"})
"""Abbreviations only before a number ("No. 10"); elsewhere "no." ends a sentence."""

SENTENCE_OPENERS = frozenset(
    """the a an but and or so yet in on at by for from with without after before when while
    if although though however meanwhile still this that these those it its he she they we
    i you his her their our there here what why how who many most some one two three""".split()
)
"""Words that, capitalised after a dotted acronym, show that the acronym ended a sentence."""

_CANDIDATE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]*[A-Z0-9\u00c0-\u024f])")
_NEXT_WORD = re.compile(r"\s+[\"'\u201c\u2018(\[]*([\w']+)")
_SPACE_RUN = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True)
class Sentence:
    """A sentence with its offsets in the text (end exclusive)."""

    start: int
    end: int
    text: str


def _word_before(text: str, end: int) -> str:
    """The run of non-space characters that ends at text[end] ("" after a space). Walked back
    from the end: a regex anchored there would be tried from every position before it."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation at text[dot] ends a sentence (the match ends at after)."""
    if text[dot] in "!?":
        return True
    word = _word_before(text, dot)
    bare = word.lstrip("(\"'\u201c\u2018[").lower()
    nxt = _NEXT_WORD.match(text, after)
    next_word = nxt.group(1).lower() if nxt else ""
    if bare in ABBREVIATIONS:
        return False
    if bare in NUMBERING and next_word[:1].isdigit():
        return False
    if re.fullmatch(r"[a-z]", bare):  # an initial: "J. R. Tolkien"
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # "U.S", "U.N": ends a sentence only before an opener
        return next_word in SENTENCE_OPENERS
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a text in order, with offsets; paragraphs never share a sentence."""
    sentences: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        base, chunk = para.start(), para.group()
        start = 0
        for m in _CANDIDATE.finditer(chunk):
            if _is_boundary(chunk, m.start(), m.end()):
                _append(sentences, chunk, base, start, m.end())
                start = m.end()
        _append(sentences, chunk, base, start, len(chunk))
    return sentences


def _append(out: list[Sentence], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        # A line break inside a paragraph is a space in the text (two for CRLF): one space.
        shown = _SPACE_RUN.sub(" ", piece)
        out.append(Sentence(base + start + lead, base + start + lead + len(piece), shown))
