"""The essay text: typographic normalisation with an offset map, and positions as line:col.

Quotes are matched in a normalised copy of the essay in which curly and straight quotes,
apostrophes, dashes, non-breaking and other spaces, whitespace runs and invisible characters no
longer differ (NFC, not NFKC: "détente" keeps its accent, "ﬁ" is not unfolded). Every position
found in the normalised copy maps back to the original text, so findings point at the essay as
the user sees it.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple
from pathlib import Path

from refmap.essay import readers
from refmap.essay.readers import TextModel, plain
from refmap.essay.readers.offsets import OffsetMap, line_starts
from refmap.errors import LoadError
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.mapfile.model import ClaimsMap

_SAME_LENGTH = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys(
            "\t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
            "\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
            " ",
        ),
    }
)
"""One-for-one replacements, applied first with str.translate (offsets unchanged)."""

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_REWRITE_STARTS = (
    r"(?=[ \-\u00ad\u200b\u200c\u200d\u2060\ufeff\u2026\u1100-\u11ff]"
    rf"|(?s:.)?[{_COMBINING}])"
)
"""Where a rewrite can start: a character that opens one of the runs below, or a combining
mark here or next (one class of marks, to keep compiling the pattern cheap). Leading with
this lookahead changes no match but lets the engine pass over ordinary text without trying
each alternative (on an essay, matching takes a third of the time, compiling included two
thirds)."""
_REWRITES = (
    _REWRITE_STARTS +
    r"(?:(?P<dash>(?: +-|-[ -])[ -]*)"  # dashes with spaces around, or doubled: one hyphen
    r"|(?P<space>  +)"  # whitespace runs: one space
    r"|(?P<invisible>[\u00ad\u200b\u200c\u200d\u2060\ufeff])"  # soft hyphen, zero-width
    r"|(?P<ellipsis>\u2026)"
    rf"|(?P<nfc>[^{_COMBINING}]?[{_COMBINING}]+|[\u1100-\u11ff]+))"
)
_REPLACEMENT = {"dash": "-", "space": " ", "invisible": "", "ellipsis": "..."}
_MARKS = rf"[{_COMBINING}\u1100-\u11ff]"
"""What only the `nfc` rewrite handles: combining marks and conjoining Hangul jamo."""


@functools.cache
def _marks() -> re.Pattern[str]:
    return re.compile(_MARKS)


@functools.cache
def _rewrites_without_marks() -> re.Pattern[str]:
    """_REWRITES for a text with no combining mark or jamo (nearly every text): without the
    `nfc` alternative the engine tries nothing at ordinary letters, and normalising a page
    takes half the time. Compiled on first use, as it is rarely needed at start-up."""
    return re.compile(
        r"(?=[ \-\u00ad\u200b\u200c\u200d\u2060\ufeff\u2026])"
        r"(?:(?P<dash>(?: +-|-[ -])[ -]*)|(?P<space>  +)"
        r"|(?P<invisible>[\u00ad\u200b\u200c\u200d\u2060\ufeff])|(?P<ellipsis>\u2026))"
    )

_ASCII_STARTS = ("  ", " -", "- ", "--")
"""Every rewrite in ASCII text holds one of these: a run of spaces, or a dash beside a space
or another dash."""
_OTHER_STARTS = frozenset(
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u2026\u3099\u309a"
    + "".join(map(chr, (*range(0x300, 0x370), *range(0x1ab0, 0x1b00), *range(0x1dc0, 0x1e00),
                        *range(0x20d0, 0x2100), *range(0xfe20, 0xfe30), *range(0x1100, 0x1200))))
)
"""Every other rewrite holds one of these: an invisible character, the ellipsis, a combining
mark (_COMBINING) or a Hangul jamo."""


@functools.cache
def _rewrites() -> re.Pattern[str]:
    """The rewrites, compiled when a text first needs one: compiling costs about 7 M
    instructions, and a text with none of their starting characters (most essays once
    translated, most quotes) cannot match."""
    return re.compile(_REWRITES)


def _may_rewrite(translated: str) -> bool:
    """Whether any rewrite can match: a sequence of _ASCII_STARTS or a character of
    _OTHER_STARTS is in the text (str and set operations at C speed)."""
    if any(start in translated for start in _ASCII_STARTS):
        return True
    return not translated.isascii() and not _OTHER_STARTS.isdisjoint(translated)


class Normalised(NamedTuple):
    """A normalised text and the map from its offsets back to the original's."""

    text: str
    breaks_norm: tuple[int, ...]
    """Start, in the normalised text, of each rewritten run and of the text after it."""
    breaks_orig: tuple[int, ...]
    """The same starts in the original text."""

    def _run(self, pos: int) -> tuple[int, int, int | None]:
        """(normalised start, original start, original end if rewritten) of the run holding pos."""
        i = bisect.bisect_right(self.breaks_norm, pos) - 1
        if i < 0:
            return 0, 0, None
        base_n, base_o = self.breaks_norm[i], self.breaks_orig[i]
        if i + 1 < len(self.breaks_norm):
            next_n, next_o = self.breaks_norm[i + 1], self.breaks_orig[i + 1]
            if next_n - base_n != next_o - base_o:  # a rewritten run: its offsets do not shift
                return base_n, base_o, next_o
        return base_n, base_o, None

    def to_original(self, pos: int) -> int:
        """Original offset of a normalised start offset (a rewritten run maps to its start)."""
        base_n, base_o, rewritten_end = self._run(pos)
        return base_o if rewritten_end is not None else base_o + (pos - base_n)

    def end_to_original(self, end: int) -> int:
        """Original offset of a normalised (exclusive) end offset (a rewritten run's end)."""
        if end <= 0:
            return 0
        base_n, base_o, rewritten_end = self._run(end - 1)
        return rewritten_end if rewritten_end is not None else base_o + (end - base_n)


def normalise(text: str) -> Normalised:
    """Normalise typography for matching, keeping a map back to the original offsets."""
    translated = text.translate(_SAME_LENGTH)
    pieces: list[str] = []
    breaks_norm: list[int] = []
    breaks_orig: list[int] = []
    norm_pos = 0
    last = 0
    if not _may_rewrite(translated):
        return Normalised(translated, (), ())
    marks = not translated.isascii() and _marks().search(translated) is not None
    rewrites = _rewrites() if marks else _rewrites_without_marks()
    for m in rewrites.finditer(translated):
        kind = m.lastgroup
        replacement = (
            unicodedata.normalize("NFC", m.group()) if kind == "nfc"
            else _REPLACEMENT[kind or ""]
        )
        if replacement == m.group():
            continue
        start, end = m.span()
        pieces.append(translated[last:start])
        norm_pos += start - last
        breaks_norm.append(norm_pos)
        breaks_orig.append(start)
        pieces.append(replacement)
        norm_pos += len(replacement)
        breaks_norm.append(norm_pos)
        breaks_orig.append(end)
        last = end
    pieces.append(translated[last:])
    return Normalised("".join(pieces), tuple(breaks_norm), tuple(breaks_orig))


def normalise_quote(quote: str) -> str:
    """A quote in the form it is matched in (no offset map needed, outer spaces dropped)."""
    return normalise(quote).text.strip()


class Essay(NamedTuple):
    """An essay's text model with its normalised copy and the source's line index.

    Build it with from_text (plain text) or from_model (any reader's result). `text` is what
    claims are matched in; positions are in the file as written.
    """

    path: str
    """The essay file as shown to the user."""
    text: str
    norm: Normalised
    line_starts: tuple[int, ...]
    """Where each line of the source starts (CR, LF and CRLF end lines)."""
    format: str = "txt"
    """The reader that made the text: txt, markdown, html or docx."""
    offsets: OffsetMap | None = None
    """Text offset -> source offset; None when they are the same."""
    regions: tuple[tuple[int, int, str], ...] = ()
    """Headings, table cells, captions and terms: text that is not running prose (TextModel)."""

    @classmethod
    def from_text(cls, path: str, text: str) -> Essay:
        """A plain-text essay (paragraphs one per line, or separated by blank lines)."""
        return cls.from_model(path, plain.read(text))

    @classmethod
    def from_model(cls, path: str, model: TextModel) -> Essay:
        return cls(path, model.text, normalise(model.text), line_starts(model.source),
                   model.format, model.offsets, model.regions)

    def source_offset(self, offset: int) -> int:
        """Offset in the file as written (for .docx, its paragraphs' text) of a text offset."""
        return offset if self.offsets is None else self.offsets.to_source(offset)

    def source_end(self, end: int) -> int:
        """Source offset of a text (exclusive) end offset: where an insertion after it goes."""
        return end if self.offsets is None else self.offsets.end_to_source(end)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source of a text offset (.docx: paragraph, character)."""
        source = self.source_offset(offset)
        i = bisect.bisect_right(self.line_starts, source) - 1
        return i + 1, source - self.line_starts[i] + 1

    def span(self, offset: int) -> Span:
        line, col = self.position(offset)
        return Span(self.path, line, col)


def read_essay(path: Path, display: str, referenced_at: Span | None = None,
               fmt: str | None = None, max_bytes: int | None = None) -> Essay:
    """Load an essay file through its format's reader.

    The format is fmt (the map's `essay.format`) or else the file's extension. A missing or
    empty essay is an error at the map's reference to it. max_bytes caps the file (None: the
    default, fileio.ESSAY_MAX_BYTES).
    """
    try:
        model = readers.read_model(path, display, fmt, referenced_at, max_bytes=max_bytes)
    except LoadError as exc:
        if exc.message == "no such file":  # say where the map names it
            raise LoadError(f"essay file '{display}' not found", span=referenced_at,
                            path=display) from None
        raise
    if not model.text.strip():
        raise LoadError("essay is empty", span=Span(display, 1, 1))
    return Essay.from_model(display, model)


def essay_location(map_path: str | Path, essay_path: str) -> tuple[Path, str]:
    """The essay's real path and the name to show for it (relative like the map's)."""
    base = os.path.dirname(str(map_path))
    display = os.path.normpath(os.path.join(base, essay_path)) if base else os.path.normpath(essay_path)
    return Path(display), display


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def open_essay(map_path: str | Path, cmap: ClaimsMap, *, essay_outside: bool = False,
               max_bytes: int | None = None) -> tuple[Essay, Path]:
    """The essay a loaded map names, and its path (refused outside the map's folder unless
    essay_outside is set)."""
    path, essay_display = essay_location(map_path, cmap.essay.path)
    folder = Path(os.path.dirname(os.path.abspath(map_path)))
    if not essay_outside and not _inside(path, folder):
        raise LoadError(
            f"essay '{cmap.essay.path}' is outside the map's folder; pass --essay-outside "
            "to read it anyway", span=cmap.essay.path_span)
    essay = read_essay(path, essay_display, referenced_at=cmap.essay.path_span,
                       fmt=cmap.essay.format, max_bytes=max_bytes)
    return essay, path
