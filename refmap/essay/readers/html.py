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
                     "select", "textarea", "svg", "math", "iframe", "object", "canvas", "pre",
                     "title", "xmp", "noembed", "noframes"})
"""Elements whose content is never essay text (pre: code and preformatted listings)."""
PAGE_FURNITURE = frozenset({"header", "footer", "aside"})
"""Skipped outside the article root (site banners and footers), kept inside it."""
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
                    "figcaption", "caption", "td", "th", "div", "section", "article", "main",
                    "body", "header", "footer", "aside", "ul", "ol", "dl", "table", "tr",
                    "figure", "address", "details", "summary", "hr"})
"""Elements that end the paragraph before them (and after them). A <br> is a space."""
REGIONS = {**{f"h{n}": "heading" for n in range(1, 7)}, "th": "table", "td": "table",
           "caption": "caption", "figcaption": "caption", "dt": "term"}
"""Elements whose text is not running prose (TextModel.regions)."""
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


_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea",
             "title", "plaintext")
"""Elements whose content is text to the HTML tokenizer, not markup (raw text and RCDATA;
noscript as a browser with scripts reads it; plaintext runs to the end of the file)."""
_COMMENT_END = re.compile(r"--!?>")
_TAG_AT_END = re.compile(r"</?[a-zA-Z]")
_TEXT_LT = re.compile(r"<(?![a-zA-Z/!?])")
_TEXT_AMP = re.compile(r"&(?=#(?![0-9]|[xX][0-9a-fA-F]))")


class _Collector(HTMLParser):
    """Records the document as a flat list of events with source offsets.

    html.parser (before Python 3.13.4) departs from the HTML standard's tokenizer where it
    matters here; the departures are mended so the text is what a browser shows: comments end
    at `-->`, `--!>`, or right away for `<!-->` and `<!--->`; `<![CDATA[` outside SVG and
    MathML is a bogus comment up to the first `>`; the content of title, textarea and the
    raw-text elements is never markup; and a comment, tag or raw-text element left open at
    the end of the file runs to the end of the file instead of being read as text.
    """

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_offsets = [0, *(m.end() for m in re.finditer("\n", source))]
        self.events: list[_Event] = []

    def read_all(self) -> None:
        """Parse the whole source, ending what is left open at the end of the file."""
        self._parse()
        self.events = [event._replace(value=self.source[event.offset:event.offset + event.length])
                       if event.kind == "data" else event for event in self.events]

    def _parse(self) -> None:
        # A `<` that starts no markup and a `&#` that starts no reference are text; html.parser
        # hands the first over one at a time and looks for a `;` to the end of the file after
        # the second, so runs of them take quadratic time. Both are fed as a same-length
        # stand-in; data is read back from the source, so the text keeps them as written.
        self.feed(_TEXT_LT.sub("\x00", _TEXT_AMP.sub("\x01", self.source)))
        while self.rawdata:
            before = len(self.rawdata)
            self.goahead(False)  # html.parser stops at a `&#` that is not a reference; go on
            if len(self.rawdata) == before:
                break
        rest = self.rawdata
        if not rest:
            return
        if self.cdata_elem is not None:  # raw text to the end of the file
            self.handle_data(rest)
        elif rest.startswith(("<!", "<?")) or _TAG_AT_END.match(rest):
            pass  # a comment, declaration or tag never closed ends with the file
        else:
            self.close()
            return
        self.rawdata = ""

    def _raw_text(self, tag: str) -> None:
        self.set_cdata_mode(tag)
        if tag == "plaintext":  # no end tag ends it
            self.interesting = re.compile(r"(?!)")

    def parse_comment(self, i: int, report: int = 1) -> int:
        rawdata = self.rawdata
        start = i + 4
        if rawdata.startswith(">", start):
            end, body_end = start + 1, start
        elif rawdata.startswith("->", start):
            end, body_end = start + 2, start
        else:
            found = _COMMENT_END.search(rawdata, start)
            if found is None:
                return -1
            end, body_end = found.end(), found.start()
        if report:
            self.handle_comment(rawdata[start:body_end])
        return end

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):  # CDATA outside foreign content: a bogus comment
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "note" if _is_note(dict(attrs)) else "start"
        self.events.append(_Event(kind, tag, self._offset(), 0))
        if tag in _RAW_TEXT:  # html.parser knows script and style only
            self._raw_text(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _RAW_TEXT:  # `<textarea/>` opens a textarea, as in a browser
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(_Event("end", tag, self._offset(), 0))

    def handle_data(self, data: str) -> None:
        """Data is the source as written: its text is taken from the source at the end, and
        runs of it are one event (html.parser hands text over a `<` at a time)."""
        at = self._offset()
        last = self.events[-1] if self.events else None
        if last is not None and last.kind == "data" and last.offset + last.length == at:
            self.events[-1] = last._replace(length=last.length + len(data))
        else:
            self.events.append(_Event("data", "", at, len(data)))

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
    collector.read_all()
    events = collector.events
    first, last = _root_range(events)
    has_root = first > 0 and events[first - 1].value in ("article", "main")
    builder = TextBuilder()
    skipping: list[str] = []
    opened: list[tuple[str, int]] = []
    regions: list[tuple[int, int, str]] = []
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
            kind = REGIONS.get(event.value)
            if kind is not None and event.kind == "end" and opened and opened[-1][0] == event.value:
                start = opened.pop()[1]
                if builder.length > start:
                    regions.append((start, builder.length, kind))
            if event.value in BLOCKS:
                builder.paragraph_break(event.offset)
            if kind is not None and event.kind == "start":
                opened.append((event.value, builder.length))
        else:
            _add_text(builder, event)
    text, offsets = builder.build()
    if not text.strip():
        raise LoadError("no essay text in the HTML: no paragraphs, headings or list items with "
                        "words inside article, main or body", span=Span(display, 1, 1))
    return TextModel(text, source, offsets, "html", tuple(sorted(regions)))
