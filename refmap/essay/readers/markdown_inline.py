"""Inline Markdown the reader can read without markdown-it's inline parse: a block's text whose
only markup is emphasis (`*` and `_` runs) and inline notes of the simple form (`^[words]`).

Such text is its characters but the emphasis delimiters markdown-it takes and the notes, which
are not essay text. Which delimiters markdown-it takes is decided here as markdown-it-py
decides it (its `emphasis` and `balance_pairs` rules: CommonMark's flanking rules with its
Unicode whitespace and punctuation, `_` inside words, the rule of 3, the openers' lower
bounds), without a token per character: a paragraph of 50,000 `*a*` was 250,000 tokens.

Everything is looked at in a class string of the text (str.translate, one character per
character): whitespace `s`, other punctuation `.`, anything else `a`, and the characters that
matter kept as they are (`*`, `_`, `^`, `[`, `]`, and the space, tab and line break, which
make a hard break). The common case (delimiter runs of one to three markers that only open or
only close, openers and closers in turn) is recognised by one regular expression and split by
another; anything else goes through a port of markdown-it-py's delimiter matching.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline


class Segments(NamedTuple):
    """A block's text as the words markdown-it's inline parse would leave: joined[starts[i]:
    ends[i]] in turn, each the content of one text token (none empty, in order, apart), with
    a hard break at each of breaks (where its line break is in joined; the spaces before it
    and the spaces and tabs after it are in no segment, as markdown-it's newline rule drops
    them)."""

    starts: list[int]
    ends: list[int]
    breaks: list[int]


_BLOCKERS = re.compile(r"[\\`&{]")
"""Characters that start a rule of the parser wherever they are, emphasis and line breaks
aside (escape, code, entity, attributes): where one is, the inline parse reads the block. (A
line break in a block's joined text is a hard break after two spaces, a backslash's having
one.)"""
_NOTE = r"\^\[[^\[\]\n]*\]"
"""An inline note of the simple form: nothing in its words can hold a `]` (no brackets; and,
with _BLOCKERS absent, no code, escape, entity or attributes; a `<` past the text's last `>`
starts nothing), so markdown-it's label parser ends it at its first `]`, and it holds no link
that could nest. (Nor a line break, which would make the words a hard break of their own.)"""
_SIMPLE_NOTE = re.compile(_NOTE)
_BRACKETY = re.compile(r"[\[\]!^]")
"""Characters that start a rule (link, span, image, note) where a `]` can still close it."""


class _Classes(dict[int, str]):
    """str.translate's table for the class string, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

        char = chr(code)
        if char in "*_^[] \t\n":
            found = char
        elif isWhiteSpace(code):
            found = "s"
        elif isMdAsciiPunct(code) or isPunctChar(char):
            found = "."
        else:
            found = "a"
        self[code] = found
        return found


_CLASSES = _Classes()


_SPACE = " \\t\\ns"
"""The class string's whitespace (for a character class)."""


def _flanking(marker: str, length: int) -> tuple[str, str, str]:
    """Regular expressions (over the class string) of a run of `length` markers that only
    opens, one that only closes, and a run of any length that neither opens nor closes:
    markdown-it's scanDelims for each class of the characters before and after (the text's
    ends count as whitespace; the other marker, `^`, `[` and `]` as punctuation). `_` inside
    a word (`a_a`) neither opens nor closes, where `*` does both. Each starts with the marker
    itself and looks behind it from there, so a search skips other characters at C speed."""
    m = re.escape(marker)
    rest = m * (length - 1)
    space = _SPACE
    punct = "[.^\\[\\]" + ("_" if marker == "*" else "*") + "]"
    not_space = "[.^\\[\\]a" + ("_" if marker == "*" else "*") + "]"
    after_space, before_space = f"(?<![^{space}]{m})", f"(?![^{space}])"
    opens = f"{m}(?:{after_space}{rest}(?={not_space})|(?<={punct}{m}){rest}(?=a))"
    closes = f"{m}(?:(?<={not_space}{m}){rest}{before_space}|(?<=a{m}){rest}(?={punct}))"
    neither = f"{m}{after_space}{m}*+{before_space}"
    if marker == "_":
        neither += f"|{m}(?<=a{m}){m}*+(?=a)"
    return opens, closes, neither


_BREAK = "(?<! ) *+\n[ \t]*+"
"""A hard break in the class string: markdown-it's newline rule drops the spaces before the
line break (all of them, the text before ending in two) and the spaces and tabs after it."""
_PAIRS = [_flanking(marker, length) for marker in "*_" for length in (1, 2, 3)]
"""Openers and closers of one to three markers of each kind (and runs that do neither)."""
_OTHER = f"(?>[^*_^]++|{_NOTE}|\\^|{_PAIRS[0][2]}|{_PAIRS[3][2]})"
"""Anything but a delimiter run that opens or closes: characters, notes, runs that do
neither."""
_ALTERNATING = (
    f"(?:{_OTHER}*+(?:{'|'.join(f'{opens}{_OTHER}*+{closes}' for opens, closes, _ in _PAIRS)}))*+"
    f"{_OTHER}*+")
"""Class strings whose delimiter runs either only open or only close, one to three markers
long, an opener then a closer of the same marker and length in turn: markdown-it pairs each
opener's markers with the closer's after it (the rule of 3 is for runs that can do both), and
takes them all."""
_TAKEN = (
    f"({_NOTE}|{_BREAK}|{'|'.join(f'{opens}|{closes}' for opens, closes, _ in _PAIRS)})")
"""What such a class string loses: its notes, hard breaks, openers and closers."""
_RUN_OR_NOTE = (
    f"({_NOTE}|{_BREAK})|\\*(?<!\\*\\*)(?:(?<=[^{_SPACE}]\\*)\\**+|\\**+(?=[^{_SPACE}]))"
    f"|_(?<!__)(?:(?<=[.^\\[\\]*]_)_*+|(?<![^{_SPACE}]_)_*+(?=[^{_SPACE}])|(?<=a_)_*+(?!a))")
"""A note or a hard break, or a whole run of delimiters that may open or close (one that can do neither, as
_flanking has it, is left to be skipped by the regular expression, not by a loop)."""


@functools.cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """_ALTERNATING, _TAKEN and _RUN_OR_NOTE, compiled when first needed (a few milliseconds a
    run that reads no Markdown need not pay)."""
    return re.compile(_ALTERNATING), re.compile(_TAKEN), re.compile(_RUN_OR_NOTE)


def segments(parser: MarkdownIt, joined: str, openers: int, angle: int) -> Segments | None:
    """The words of a block's joined text as markdown-it's inline parse would leave them (see
    Segments), where its only markup is emphasis and simple inline notes; None otherwise (the
    parse reads it). openers, angle: the text's _Bounds (past openers `[`, `]`, `!` and `^`
    start nothing; a `<` starts something only before the last `>`)."""
    if _BLOCKERS.search(joined) is not None:
        return None
    lt = joined.find("<")
    if lt != -1 and lt < angle:
        return None
    if openers >= 0:
        region = joined[:openers + 1]
        if "^[" in region:
            region = _SIMPLE_NOTE.sub("", region)
        if _BRACKETY.search(region) is not None:
            return None
    classes = joined.translate(_CLASSES)
    alternating, taken, _ = _compiled()
    if alternating.fullmatch(classes) is not None:
        parts = taken.split(classes)
        ends = list(itertools.accumulate(map(len, parts)))
        starts = [0, *ends[1::2]]
        ends = ends[0::2]
    else:
        starts, ends = _matched(parser, classes)
    kept = list(map(operator.lt, starts, ends))
    if not all(kept):
        starts, ends = list(itertools.compress(starts, kept)), list(itertools.compress(ends, kept))
    breaks = [found.start() for found in _LINE_BREAK.finditer(joined)] if "\n" in joined else []
    return Segments(starts, ends, breaks)


_LINE_BREAK = re.compile("\n")


_SAMPLES = {"s": "\u00a0"}
"""A character of each class that is no character of its own (whitespace other than the
space, tab and line break)."""
_SCANNED: dict[tuple[str, str, str], tuple[bool, bool]] = {}


def _can_open_close(parser: MarkdownIt, before: str, marker: str, after: str) -> tuple[bool, bool]:
    """markdown-it's scanDelims for a run of marker between characters of these classes (""
    for the text's start or end)."""
    key = (before, marker, after)
    found = _SCANNED.get(key)
    if found is None:
        from markdown_it.rules_inline import StateInline

        state = StateInline(_SAMPLES.get(before, before) + marker + _SAMPLES.get(after, after),
                            parser, {}, [])
        scanned = state.scanDelims(len(before), marker == "*")
        found = _SCANNED[key] = (scanned.can_open, scanned.can_close)
    return found


def _matched(parser: MarkdownIt, classes: str) -> tuple[list[int], list[int]]:
    """Segments' starts and ends, the delimiters taken found as markdown-it-py's emphasis
    tokenizer and balance_pairs (processDelimiters) find them: one delimiter per character of
    a run, each run's flags from scanDelims. Runs that neither open nor close are left out of
    the list: they are never an opener or closer, and the matching only ever skips them (the
    jumps and lower bounds are over the others)."""
    markers: list[str] = []
    lengths: list[int] = []
    tokens: list[int] = []
    opens: list[bool] = []
    closes: list[bool] = []
    notes: list[tuple[int, int]] = []
    size = len(classes)
    scanned = _SCANNED
    for found in _compiled()[2].finditer(classes):
        start, end = found.span()
        if found.lastindex:  # a note or a hard break
            notes.append((start, end))
            continue
        marker = classes[start]
        key = (classes[start - 1] if start else "", marker, classes[end] if end < size else "")
        flags = scanned.get(key) or _can_open_close(parser, *key)
        length = end - start
        if length == 1:
            markers.append(marker)
            lengths.append(1)
            tokens.append(start)
            opens.append(flags[0])
            closes.append(flags[1])
        else:
            markers += marker * length
            lengths += [length] * length
            tokens += range(start, end)
            opens += [flags[0]] * length
            closes += [flags[1]] * length
    ends = _process_delimiters(markers, lengths, tokens, opens, closes)
    taken = [tokens[k] for k, end in enumerate(ends) if end >= 0]
    taken += [tokens[end] for end in ends if end >= 0]
    taken.sort()
    if notes:
        spans = sorted([(at, at + 1) for at in taken] + notes)
        return [0, *(end for _, end in spans)], [start for start, _ in spans] + [size]
    return [0, *(at + 1 for at in taken)], [*taken, size]


def _process_delimiters(markers: list[str], lengths: list[int], tokens: list[int],
                        opens: list[bool], closes: list[bool]) -> list[int]:
    """markdown_it.rules_inline.balance_pairs.processDelimiters over parallel lists (opens
    and closes are changed as it changes the delimiters' flags); returns each delimiter's
    `end` (the closer an opener is matched with, -1 for none)."""
    count = len(markers)
    ends = [-1] * count
    openers_bottom: dict[str, list[int]] = {}
    header = 0
    last_token = -2
    jumps: list[int] = []
    closer = 0
    while closer < count:
        jumps.append(0)
        if markers[header] != markers[closer] or last_token != tokens[closer] - 1:
            header = closer
        last_token = tokens[closer]
        if not closes[closer]:
            closer += 1
            continue
        bottoms = openers_bottom.setdefault(markers[closer], [-1] * 6)
        bottom_at = (3 if opens[closer] else 0) + lengths[closer] % 3
        min_opener = bottoms[bottom_at]
        opener = header - jumps[header] - 1
        new_min_opener = opener
        while opener > min_opener:
            if markers[opener] != markers[closer]:
                opener -= jumps[opener] + 1
                continue
            if opens[opener] and ends[opener] < 0:
                odd_match = (
                    (closes[opener] or opens[closer])
                    and (lengths[opener] + lengths[closer]) % 3 == 0
                    and (lengths[opener] % 3 != 0 or lengths[closer] % 3 != 0))
                if not odd_match:
                    last_jump = jumps[opener - 1] + 1 if opener > 0 and not opens[opener - 1] else 0
                    jumps[closer] = closer - opener + last_jump
                    jumps[opener] = last_jump
                    opens[closer] = False
                    ends[opener] = closer
                    closes[opener] = False
                    new_min_opener = -1
                    last_token = -2
                    break
            opener -= jumps[opener] + 1
        if new_min_opener != -1:
            bottoms[bottom_at] = new_min_opener
        closer += 1
    return ends


def footnote_inline_rule(parsed_from: int) -> Callable[[StateInline, bool], bool]:
    """mdit-py-plugins' footnote_inline rule (`^[words]`), the note's words parsed into tokens
    only where they hold parsed_from brackets or more: the reader never reads them (notes are
    not essay text), and each level of links, spans or notes nested in them takes a `[`, so
    with fewer than the nesting limit's nothing in them can be refused (the parse's one other
    effect). The note ends where the plugin ends it (the same label parser, which still
    looks through the words), with the same token and footnote entry."""
    def footnote_inline(state: StateInline, silent: bool) -> bool:
        from markdown_it.helpers import parseLinkLabel

        maximum, start, src = state.posMax, state.pos, state.src
        if start + 2 >= maximum or src[start] != "^" or src[start + 1] != "[":
            return False
        label_start = start + 2
        label_end = parseLinkLabel(state, start + 1)
        if label_end < 0:
            return False
        if not silent:
            footnotes: dict[str, Any] = state.env.setdefault("footnotes", {})
            footnotes.setdefault("refs", {})
            refs = footnotes.setdefault("list", {})
            footnote_id = len(refs)
            note_tokens: list[Any] = []
            content = src[label_start:label_end]
            refs[footnote_id] = {"content": content, "tokens": note_tokens}
            if content.count("[") >= parsed_from:
                state.md.inline.parse(content, state.md, state.env, note_tokens)
            token = state.push("footnote_ref", "", 0)
            token.meta = {"id": footnote_id}
        state.pos = label_end + 1
        state.posMax = maximum
        return True
    return footnote_inline
