"""Values from a map or an essay made inert for the place an output is pasted.

Every output format reads some characters as syntax: Markdown (pandoc's, CommonMark, GFM) reads
emphasis, links, raw HTML, math, citations and bare URLs; pandoc reads YAML metadata strings as
Markdown; an HTML `<script>` ends at the first `</script`; LaTeX and biber stop at a NUL. The
exporters keep their own structure and pass every value from the data through one of these
functions, so only the markup refmap writes is markup.

Characters no reader should see (C0 and C1 controls other than tab, newline and carriage
return, DEL, lone surrogates and Unicode noncharacters) are shown as U+FFFD, the replacement
character, in every text format: visible, so nothing is silently lost, and inert everywhere.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit

import yaml

REPLACEMENT = "\ufffd"
"""Shown in place of a character no reader should see."""

WORD_JOINER = "\u2060"
"""Invisible, and not a character GFM accepts in an e-mail address (see markdown_text)."""

BACKTICK = "&#96;"
"""How Markdown text writes a backtick (see _escape_inline)."""

_UNSEEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
_SPACE = re.compile(r"\s+")

# Always escaped: characters that open or close Markdown or pandoc syntax wherever they stand
# (emphasis, code, links, images, notes, spans, raw HTML and TeX, entities, math, sub- and
# superscript, strikeout, tables, smart quotes). A dot or colon is escaped only inside a word:
# that is enough to stop "www." and "http://" autolinks (GFM) and "..." ellipses (pandoc), and
# leaves the full stops of prose alone. A hyphen is escaped before another one ("--" is a dash
# to pandoc). An "@" is escaped for pandoc's citations and, followed by a word, gets a word
# joiner after it: GFM links e-mail addresses found in text after escapes are resolved, so
# only a character that cannot be part of an address keeps "a@b.org" text.
_INLINE_SPECIAL = re.compile(r"""[\\`*_{}\[\]<>()#+!|~$^&"'@]|[.:](?=\S)|-(?=-)""")
# At the start of a block, list markers ("-", "1.", "a.", "iv."), headings, quotes, rules,
# definitions, fenced divs and tables begin with punctuation or "<letters or digits>.". An "&"
# there starts the entity written for a backtick (a literal one is already escaped).
_BLOCK_START = re.compile(r"^(\s*)(?:([!-%'-/:-@\[-`{-~])|([0-9A-Za-z]+\.)(?=\s|$))")


def replace_unseen(text: str) -> str:
    """Control characters, lone surrogates and noncharacters replaced by U+FFFD."""
    return _UNSEEN.sub(REPLACEMENT, text)


def _escape_inline(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "`":
        # pandoc looks for code spans across the lines of a list item before it reads
        # escapes, so "\`" can swallow a nested list; an entity is no backtick to it
        return BACKTICK
    if ch == "@" and match.end() < len(match.string) and not match.string[match.end()].isspace():
        return "\\@" + WORD_JOINER
    return "\\" + ch


def _escape_block_start(match: re.Match[str]) -> str:
    indent, punct, marker = match.group(1), match.group(2), match.group(3)
    if punct is not None:
        # a backslash here already escapes the character after it (literal ones are doubled)
        return indent + punct if punct == "\\" else indent + "\\" + punct
    return indent + marker[:-1] + "\\."


def markdown_text(text: str, block_start: bool = True) -> str:
    """Text as Markdown that pandoc, CommonMark and GFM all render as that text, on one line.

    Runs of whitespace become one space (so a value never starts a new block), unseen
    characters U+FFFD; the only other change to what a reader sees is the invisible word joiner
    after an "@" that starts a word. With block_start, the text may begin a paragraph, list item
    or YAML metadata value, so a leading list marker or heading sign is escaped too.
    """
    escaped = _INLINE_SPECIAL.sub(_escape_inline, _SPACE.sub(" ", replace_unseen(text)))
    return guard_block_start(escaped) if block_start else escaped


def guard_block_start(markdown: str) -> str:
    """Escaped Markdown made safe to begin a block: a leading list marker, heading sign or
    other block syntax escaped. For a line assembled from several values ("a" then ". " would
    make a list marker that neither value holds alone)."""
    return _BLOCK_START.sub(_escape_block_start, markdown, count=1)


_URL_SAFE = "!#$%&'()*+,/:;=?@~-._"


def web_link_target(url: str) -> str | None:
    """An absolute http(s) URL with a host, as a link target every Markdown reader keeps
    exactly (non-ASCII and unsafe characters percent-encoded); None for anything else."""
    if _UNSEEN.search(url) or _SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    # brackets are kept only around an IPv6 host; readers percent-encode them anywhere else
    head = url[: len(parts.scheme) + 3 + len(parts.netloc)]
    return quote(head, safe=_URL_SAFE + "[]") + quote(url[len(head):], safe=_URL_SAFE)


def yaml_metadata(fields: dict[str, object]) -> str:
    """A pandoc YAML metadata block ("---" ... "---") written by a YAML emitter, so no value
    can end the block or add a key. The caller Markdown-escapes values pandoc reads as text."""
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=2**30)
    return "---\n" + body + "---\n"


_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def json_for_script(data: object) -> str:
    """JSON that stays data inside an HTML <script> element: "<", ">" and "&" written as
    \\u003c ..., so no "</script" or "<!--" can appear; U+2028/2029 escaped for JavaScript
    readers that predate ES2019, and lone surrogates escaped so the text encodes as UTF-8.
    It parses back to the same value."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
