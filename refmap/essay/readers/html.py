"""HTML: the article's text, positions as line:col in the HTML source.

The text is what a reader of the page reads as the essay: inside the first <article> (else
<main>, else <body>, else the whole document), the words of paragraphs, headings, list items,
block quotes and other blocks, each block a paragraph; never navigation, scripts, styles,
templates, forms, or a header, footer or aside outside the article. Entities are decoded and
map to where they are written; whitespace runs are one space.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple

from refmap.errors import LoadError
from refmap.essay.readers import TextModel
from refmap.essay.readers.offsets import TextBuilder, same_length_lf
from refmap.spans import Span

ROOTS = ("article", "main", "body")
"""Where the essay is looked for, first found wins."""
SKIPPED = frozenset({"nav", "script", "style", "template", "noscript", "head", "form", "button",
                     "select", "textarea", "svg", "math", "iframe", "object", "canvas", "pre"})
"""Elements whose content is never essay text (pre: code and preformatted listings)."""
PAGE_FURNITURE = frozenset({"header", "footer", "aside"})
"""Skipped outside the article root (site banners and footers), kept inside it."""
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
                    "figcaption", "caption", "td", "th", "div", "section", "article", "main",
                    "body", "header", "footer", "aside", "ul", "ol", "dl", "table", "tr",
                    "figure", "address", "details", "summary", "hr"})
"""Elements that end the paragraph before them (and after them). A <br> is a space."""
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})

NOTE_ROLES = frozenset({"doc-noteref", "doc-endnotes", "doc-endnote", "doc-footnote"})
NOTE_CLASSES = frozenset({"footnote-ref", "footnotes", "footnote", "citation"})
"""Notes and citations are not the essay's running text (as in the Markdown and Word readers)."""

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_ENTITY = re.compile(r"&(?:#[xX]?[0-9a-fA-F]+|\w+);?")


class _Event(NamedTuple):
    kind: str
    """start, note (the start of a footnote element), end, data or entity."""
    value: str
    """The tag name, the data, or the entity's decoded text."""
    offset: int
    """Where the event starts in the source."""
    length: int
    """How long it is written in the source (data and entities)."""


class _Collector(HTMLParser):
    """Records the document as a flat list of events with source offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_offsets = [0, *(m.end() for m in re.finditer("\n", source))]
        self.events: list[_Event] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "note" if _is_note(dict(attrs)) else "start"
        self.events.append(_Event(kind, tag, self._offset(), 0))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(_Event("end", tag, self._offset(), 0))

    def handle_data(self, data: str) -> None:
        self.events.append(_Event("data", data, self._offset(), len(data)))

    def _entity(self) -> None:
        at = self._offset()
        written = _ENTITY.match(self.source, at)
        raw = written.group() if written else "&"
        self.events.append(_Event("entity", unescape(raw), at, len(raw)))

    def handle_entityref(self, name: str) -> None:
        self._entity()

    def handle_charref(self, name: str) -> None:
        self._entity()


def _is_note(attrs: dict[str, str | None]) -> bool:
    """A footnote marker or the notes themselves (pandoc's and the DPUB-ARIA roles)."""
    classes = (attrs.get("class") or "").split()
    return (attrs.get("role") or "") in NOTE_ROLES or any(c in NOTE_CLASSES for c in classes)


def _root_range(events: list[_Event]) -> tuple[int, int]:
    """Indexes of the events inside the essay's root element (the whole list if none)."""
    for root in ROOTS:
        for i, event in enumerate(events):
            if event.kind == "start" and event.value == root:
                depth = 0
                for j in range(i, len(events)):
                    if events[j].value == root and events[j].kind in ("start", "end"):
                        depth += 1 if events[j].kind == "start" else -1
                        if depth == 0:
                            return i + 1, j
                return i + 1, len(events)
    return 0, len(events)


def _add_text(builder: TextBuilder, event: _Event) -> None:
    if event.kind == "entity":
        if _WHITESPACE.fullmatch(event.value):  # &#10; is a space; &nbsp; stays what it is
            builder.space(event.offset, event.offset + event.length)
        else:
            builder.stand_in(event.value, event.offset, event.offset + event.length)
        return
    last = 0
    for run in _WHITESPACE.finditer(event.value):
        builder.copy(event.value[last:run.start()], event.offset + last)
        builder.space(event.offset + run.start(), event.offset + run.end())
        last = run.end()
    builder.copy(event.value[last:], event.offset + last)


def _is_skipped(tag: str, inside_root: bool) -> bool:
    return tag in SKIPPED or (tag in PAGE_FURNITURE and not inside_root)


def read(source: str, display: str) -> TextModel:
    """The text model of an HTML essay."""
    collector = _Collector(same_length_lf(source))
    collector.feed(collector.source)
    collector.close()
    events = collector.events
    first, last = _root_range(events)
    has_root = first > 0 and events[first - 1].value in ("article", "main")
    builder = TextBuilder()
    skipping: list[str] = []
    for event in events[first:last]:
        if event.kind == "end" and event.value in skipping:
            while skipping.pop() != event.value:
                pass
        elif skipping:
            if event.kind in ("start", "note") and event.value not in VOID:
                skipping.append(event.value)
        elif event.kind == "note" or (event.kind == "start" and _is_skipped(event.value, has_root)):
            if event.kind == "note":  # "stalled <span class=citation>..</span>." has no space
                builder.drop_space()
            if event.value not in VOID:
                skipping.append(event.value)
        elif event.kind == "start" and event.value == "br":
            builder.space(event.offset, event.offset)
        elif event.kind in ("start", "end"):
            if event.value in BLOCKS:
                builder.paragraph_break(event.offset)
        else:
            _add_text(builder, event)
    text, offsets = builder.build()
    if not text.strip():
        raise LoadError("no essay text in the HTML: no paragraphs, headings or list items with "
                        "words inside article, main or body", span=Span(display, 1, 1))
    return TextModel(text, source, offsets, "html")
