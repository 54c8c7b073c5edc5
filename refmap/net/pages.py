"""What a fetched page says: its text, from the bytes and Content-Type of an HTTP answer.

`refmap verify` looks for each citation's excerpt in the page it cites. This module turns the
answer's body into plain text, without any network I/O, so it can be tested on bytes alone:

- HTML is decoded (see `decode_html` for the charset rule) and its main text is extracted by
  trafilatura, which drops navigation, headers, footers, sidebars, forms, scripts and styles.
  Inline markup (`<em>`, `<a>`, `<b>`) leaves the text continuous; each block (paragraph,
  heading, list item, table row) and each `<br>` starts a new line. A page on which the
  extractor finds no main text falls back to all of its visible text (through the stdlib
  parser if lxml cannot build the tree).
- PDF text comes from pypdf, one page after another.
- Plain text is decoded like HTML (without the `<meta>` step).
- Anything else (images, audio, archives, unknown binaries) is `Unverifiable`, with a reason.

The text is then made ready for matching (`matching_text`): what pages add to the words is
taken out, so that an excerpt copied from the page (or typed from it) is found as it stands.
Footnote and reference marks go ("1703[1]," and "1703<sup>1</sup>," read "1703,"), as do
Wikipedia's inline notes ("[citation needed]", "[who?]"), superscript digits, soft hyphens and
zero-width characters; ligatures (U+FB00-FB06) are spelt out; and in PDF text a word broken
across lines with a hyphen is joined again. Excerpts get the same treatment (refmap.net.excerpts).

The heavy libraries (trafilatura, lxml, pypdf) are imported on first use, so nothing that
does not read pages pays for them.
"""

from __future__ import annotations

import codecs
import functools
import io
import logging
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser
from typing import Any, NamedTuple

HTML, PDF, PLAIN = "html", "pdf", "text"

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_PLAIN_TYPES = frozenset({"text/plain"})
_SNIFFED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "unknown"})
"""Declared types that say nothing: the body's first bytes decide."""

_WHATWG_ALIASES = {
    # The Encoding Standard decodes these labels as windows-1252 (its bytes 0x80-0x9f are
    # the curly quotes and dashes that pages labelled ISO-8859-1 mean), GB2312 as GB18030.
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_PRESCAN_BYTES = 4096
"""How far into an HTML body a <meta> charset is looked for (browsers look at 1024 bytes;
pages with long heads put it later, and reading further costs nothing)."""
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class PageText(NamedTuple):
    """The readable text of a page, as found by `page_text`."""

    text: str
    """The page's main text: one line per block, inline markup removed."""
    kind: str
    """What the body was: "html", "pdf" or "text"."""
    encoding: str | None
    """The codec the body was decoded with (None for PDF)."""


class Unverifiable(NamedTuple):
    """A body that has no text an excerpt could be looked for in."""

    reason: str
    """One line for the user: "not text (image/png)", "the PDF has no text layer"."""


def page_text(body: bytes, content_type: str | None) -> PageText | Unverifiable:
    """The readable text of an HTTP answer's body, or why it has none."""
    if not body.strip():
        return Unverifiable("the page is empty")
    kind = _kind_of(body, content_type)
    if kind == HTML:
        text, encoding = decode_html(body, content_type)
        extracted = matching_text(html_main_text(drop_footnote_sups(text))).strip()
        return PageText(extracted, HTML, encoding) if extracted else Unverifiable(
            "no text found on the page"
        )
    if kind == PDF:
        return pdf_text(body)
    if kind == PLAIN:
        text, encoding = decode_text(body, _header_charset(content_type))
        return PageText(matching_text(text), PLAIN, encoding)
    return Unverifiable(f"not text ({_inert(kind)})")


# -- text for matching ---------------------------------------------------------------------

_INLINE_NOTE = (
    r"\d{1,4}(?:\s*[,\u2013-]\s*\d{1,4})*|[a-z]|[ivx]{1,6}|(?:note|nb|n)\s*\d{1,4}"
    r"|[^\[\]\n]{0,40}\bneeded|who|whom|when|where|which|why|how|according to whom|by whom"
    r"|dubious(?:\s*[\u2013-]\s*discuss)?|discuss|failed verification|original research"
    r"|unreliable source|permanent dead link|dead link|not in citation given|update"
)
_NOTE_MARK = re.compile(rf"\[(?:{_INLINE_NOTE})\??\]", re.IGNORECASE)
"""A reference or editorial mark a page puts into its text: [1], [2-4], [a], [note 3],
[citation needed], [who?]; never [sic] or an editorial [the board]."""
_SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2071\u2074-\u207f]+")
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
"""Soft hyphen, zero-width space / non-joiner / joiner, word joiner, BOM: they are removed."""
_LIGATURES = {ord(ch): unicodedata.normalize("NFKC", ch)
              for ch in map(chr, range(0xFB00, 0xFB07))}
_PDF_HYPHENATION = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_A-Z])")
"""A word broken at the end of a PDF line: "infor-\nmation" (a lower-case letter follows)."""
_SUP = re.compile(r"<sup\b([^>]*)>(.{0,400}?)</sup\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_FOOTNOTE_SUP = re.compile(
    rf"\[?\s*(?:{_INLINE_NOTE}|[*\u2020\u2021\u00a7\u00b6]{{1,3}})\s*\]?\??", re.IGNORECASE)


def matching_text(text: str) -> str:
    """Text as excerpts are matched in it: marks, invisible characters and ligatures out.
    (What an ASCII text or one without "[" cannot hold is not looked for: each page's text
    goes through here twice.)"""
    if not text.isascii():
        text = text.translate(_INVISIBLE_CHARS).translate(_LIGATURES)
    if "[" in text:
        text = _NOTE_MARK.sub("", text)
    return text if text.isascii() else _SUPERSCRIPTS.sub("", text)


def join_hyphenated_lines(text: str) -> str:
    """PDF text with words broken across lines ("infor-\nmation") joined again."""
    return _PDF_HYPHENATION.sub("", text)


def drop_footnote_sups(html: str) -> str:
    """An HTML document without its footnote marks: every <sup> that holds a number, a
    bracketed note, a letter or a dagger (with or without a link) is removed, so that
    "1703<sup><a>[1]</a></sup>" does not read "1703[1]" or "17031" once tags are gone."""
    if "<sup" not in html and "<SUP" not in html:
        return html

    def replace(match: re.Match[str]) -> str:
        inner = unescape(_TAG.sub("", match.group(2))).strip()
        return "" if _FOOTNOTE_SUP.fullmatch(inner) else match.group(0)

    return _SUP.sub(replace, html)


def _inert(text: str) -> str:
    """A server's value shown on one line: control characters escaped as repr does."""
    return text if text.isprintable() else repr(text)[1:-1]


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _kind_of(body: bytes, content_type: str | None) -> str:
    """html, pdf, text, or the media type of a body that is none of them."""
    media = _media_type(content_type)
    if media in _HTML_TYPES:
        return HTML
    if media in _PDF_TYPES:
        return PDF
    if media in _PLAIN_TYPES:
        return PLAIN
    if media not in _SNIFFED_TYPES:
        return media
    head = body[:1024].removeprefix(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"%PDF-"):
        return PDF
    head = head.lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")):
        return HTML
    if b"\x00" not in body[:8192] and _is_utf8(body[:8192], partial=True):
        return PLAIN
    return media or "unknown binary"


# -- charsets ------------------------------------------------------------------------------


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """An HTML body as text, and the codec used.

    The charset comes from, in order: a byte-order mark; the Content-Type header's charset;
    a `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 4 KiB; UTF-8 if the
    body is valid UTF-8; else Windows-1252 (which also stands for ISO-8859-1 and ASCII, as in
    browsers).

    A declared charset is distrusted in two cases, both of which are servers' common mistakes:
    a single-byte charset (ISO-8859-1, Windows-1252, KOI8-R ...) over a body that is valid
    UTF-8 with at least one multi-byte sequence is read as UTF-8, because decoding such a body
    one byte at a time can only give mojibake ("Ã©" for "é") and text in a single-byte charset
    is practically never valid multi-byte UTF-8 by chance; and a declared UTF-8 over a body
    that is not valid UTF-8 falls through to the next rule.
    """
    return _decode(body, [_header_charset(content_type), _meta_charset(body)])


def decode_text(body: bytes, declared: str | None) -> tuple[str, str]:
    """A plain-text body as text, by the same rule as `decode_html` without `<meta>`."""
    return _decode(body, [declared])


def _decode(body: bytes, declared: list[str | None]) -> tuple[str, str]:
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(bom_codec, "replace"), bom_codec
    utf8 = _is_utf8(body)
    for label in declared:
        codec = _codec(label)
        if codec is None:
            continue
        if codec == "utf-8":
            if utf8:
                return body.decode("utf-8"), "utf-8"
            continue
        if utf8 and _is_single_byte(codec) and _NON_ASCII.search(body):
            return body.decode("utf-8"), "utf-8"
        return body.decode(codec, "replace"), codec
    if utf8:
        return body.decode("utf-8"), "utf-8"
    return body.decode("cp1252", "replace"), "cp1252"


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for an unknown or unusable label."""
    if not label:
        return None
    key = label.strip().lower()
    try:
        name = codecs.lookup(_WHATWG_ALIASES.get(key, key)).name
    except LookupError:
        return None
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"  # a declaration read in an ASCII-compatible body cannot mean UTF-16
    return "utf-8" if name == "utf-8" else name


@functools.lru_cache(maxsize=64)
def _is_single_byte(codec: str) -> bool:
    """Whether a codec turns every byte into one character (latin-1 and its kin)."""
    if codec == "utf-8":
        return False
    high = bytes(range(0x80, 0x100))
    return len(high.decode(codec, "replace")) == len(high)


def _is_utf8(body: bytes, partial: bool = False) -> bool:
    """Whether the body is valid UTF-8 (a prefix may end inside a character if partial)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return partial and exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
    return True


def _header_charset(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    return m.group(1).decode("ascii") if m else None


# -- extraction ----------------------------------------------------------------------------


def html_main_text(html: str) -> str:
    """The main text of an HTML document (boilerplate removed), or all its text, or ""."""
    import trafilatura  # about 0.2 s to import: only pages being read pay for it

    main = trafilatura.extract(html, options=_extractor())
    if main and main.strip():
        return str(main).strip()
    everything = trafilatura.html2txt(html)
    if everything and everything.strip():
        return str(everything).strip()
    return visible_text(html)  # lxml gives up on trees nested deeper than about 255 levels


@functools.cache
def _extractor() -> Any:
    """trafilatura's settings for every page, built once: building them (its configuration
    read anew, the date settings) cost a tenth of each extraction. trafilatura documents a
    shared Extractor as safe (it copies one before changing it)."""
    from trafilatura.settings import Extractor

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # a library does not print
    return Extractor(recall=True, comments=False, tables=True, images=False, links=False,
                     dedup=False)


_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "svg", "math"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})


class _VisibleText(HTMLParser):
    """All text a browser would show, one line per block (no boilerplate removal)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(data)


def feed_html(parser: HTMLParser, html: str) -> None:
    """Feed a whole document to a stdlib HTML parser, keeping what it read before giving up on
    a bad "<![" section (its way of giving up is an AssertionError)."""
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        pass


def visible_text(html: str) -> str:
    """The text of every visible element, by the stdlib parser (no depth limit)."""
    parser = _VisibleText()
    feed_html(parser, html)
    lines = (" ".join(line.split()) for line in "".join(parser.pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def pdf_text(body: bytes) -> PageText | Unverifiable:
    """The text of a PDF, page after page, or why it has none."""
    import pypdf  # imported here: only PDFs need it
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            return Unverifiable("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            OSError, RecursionError):
        # pypdf raises many kinds on broken files; all mean the same thing to a user
        return Unverifiable("the PDF cannot be read")
    text = matching_text(join_hyphenated_lines("\n\n".join(p.strip() for p in pages if p.strip())))
    return PageText(text, PDF, None) if text else Unverifiable("the PDF has no text layer")
