"""Markdown (CommonMark with footnotes and a YAML front matter) through markdown-it-py.

Paragraphs, headings, list items and block quotes are paragraphs of the text; emphasis, links,
inline code and footnote markers leave only their words; front matter, code blocks, HTML
blocks, footnote definitions and pandoc citations (`[@key, p. 4; @other]`) are not essay text.
markdown-it gives each block's lines only, so every inline token is found again in the source,
in order, to give its exact column (escapes and entities map to where they are written).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from refmap.errors import LoadError
from refmap.readers import TextModel
from refmap.readers.offsets import TextBuilder
from refmap.spans import Span

if TYPE_CHECKING:
    from markdown_it.token import Token

_CITATION = re.compile(r"[ \t]*\[[^\[\]]*?(?:^|(?<=[\s;\[-]))-?@[\w][^\[\]]*\][ \t]*")
_OPENING_DELIMITER = re.compile(r"---[ \t]*\n[ \t]*\S")
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_SKIPPED_BLOCKS = {"footnote_block_open": 1, "footnote_block_close": -1}


def _same_length_lf(source: str) -> str:
    """The source with every line break a newline, keeping offsets (CRLF: space + newline)."""
    if "\r" not in source:
        return source
    return source.replace("\r\n", " \n").replace("\r", "\n")


def _parse(flat: str) -> list[Token]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
    parser.disable("text_join")  # keep escapes and entities apart: they are written otherwise
    return parser.parse(flat)


def read(source: str, display: str) -> TextModel:
    """The text model of a Markdown essay."""
    flat = _same_length_lf(source)
    tokens = _parse(flat)
    if _OPENING_DELIMITER.match(flat) and not any(t.type == "front_matter" for t in tokens):
        raise LoadError("front matter opened here is never closed: add a '---' line after it",
                        span=Span(display, 1, 1))
    starts = [0, *(m.end() for m in re.finditer("\n", flat))]
    builder = TextBuilder()
    in_notes = 0
    for token in tokens:
        in_notes += _SKIPPED_BLOCKS.get(token.type, 0)
        if token.type == "inline" and not in_notes and token.map and token.children:
            end = InlineAligner(flat, starts[token.map[0]], builder).add(token.children)
            builder.paragraph_break(end)
    text, offsets = builder.build()
    return TextModel(text, source, offsets, "markdown")


class InlineAligner:
    """Adds one block's inline tokens to the text, finding each in the source after the last."""

    def __init__(self, source: str, cursor: int, builder: TextBuilder):
        self.source = source
        self.cursor = cursor
        self.builder = builder

    def add(self, children: list[Token]) -> int:
        """Add the tokens' words; returns where in the source the block's text ends."""
        for child in children:
            handler = getattr(self, f"on_{child.type}", None)
            if handler is not None:
                handler(child)
        return self.cursor

    def _find(self, needle: str) -> int:
        """Where needle is next written (the cursor if it cannot be found: never guess ahead)."""
        found = self.source.find(needle, self.cursor) if needle else -1
        return self.cursor if found < 0 else found

    def _skip_to_after(self, needle: str) -> None:
        self.cursor = self._find(needle) + len(needle)

    def on_text(self, token: Token) -> None:
        content = token.content
        at = self.source.find(content, self.cursor)
        if at < 0:  # not written as given (should not happen): keep its words, at the cursor
            self.builder.stand_in(content, self.cursor, self.cursor)
            return
        last = 0
        for citation in _CITATION.finditer(content):
            self._copy_words(content[last:citation.start()], at + last)
            if citation.group()[0] in " \t" and citation.group()[-1] in " \t":
                self.builder.space(at + citation.end() - 1, at + citation.end())
            last = citation.end()
        self._copy_words(content[last:], at + last)
        self.cursor = at + len(content)

    def _copy_words(self, words: str, at: int) -> None:
        last = 0
        for run in _SPACE_RUN.finditer(words):
            self.builder.copy(words[last:run.start()], at + last)
            self.builder.space(at + run.start(), at + run.end())
            last = run.end()
        self.builder.copy(words[last:], at + last)

    def on_text_special(self, token: Token) -> None:  # an escape or an entity
        at = self._find(token.markup)
        self.builder.stand_in(token.content, at, at + len(token.markup))
        self.cursor = at + len(token.markup)

    def on_softbreak(self, token: Token) -> None:
        at = self._find("\n")
        self.builder.space(at, at + 1)
        self.cursor = at + 1

    on_hardbreak = on_softbreak

    def on_code_inline(self, token: Token) -> None:
        self._skip_to_after(token.markup)
        self.on_text(token)
        self._skip_to_after(token.markup)

    def on_em_open(self, token: Token) -> None:
        self._skip_to_after(token.markup)

    on_em_close = on_strong_open = on_strong_close = on_em_open

    def on_link_open(self, token: Token) -> None:
        self._skip_to_after("<" if token.markup == "autolink" else "[")

    def on_link_close(self, token: Token) -> None:
        if token.markup == "autolink":
            self._skip_to_after(">")
            return
        self._skip_to_after("]")
        self.cursor = _after_destination(self.source, self.cursor)

    def on_image(self, token: Token) -> None:
        self._skip_to_after("![")
        self._skip_to_after("]")
        self.cursor = _after_destination(self.source, self.cursor)

    def on_footnote_ref(self, token: Token) -> None:
        self._skip_to_after("[^")
        self._skip_to_after("]")

    def on_html_inline(self, token: Token) -> None:
        self._skip_to_after(token.content)


def _after_destination(source: str, i: int) -> int:
    """The offset after a link's `(destination "title")` or `[label]` starting at i, if any."""
    if source.startswith("[", i):
        end = source.find("]", i)
        return i if end < 0 else end + 1
    if not source.startswith("(", i):
        return i
    depth, quote = 0, ""
    for j in range(i, len(source)):
        ch = source[j]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and depth == 1 and source[j - 1] in " \t\n":
            quote = ch
        elif ch == "\\":
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return i
