"""Small shared rules for values: dates, web URLs, control characters, and echoing user text.

Every module that needs one of these asks here, so a date or a URL means the same thing to the
loader, the checks and every exporter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
"""ISO 8601 calendar dates as precise as known: YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits only."""

_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
"""Characters no value may hold: C0 controls but tab and newline, DEL, C1, lone surrogates
(which no UTF-8 file and no YAML escape can hold), the non-characters."""

_UNSAFE_ECHO = (r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                r"\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters echoed as escapes: controls, invisible format characters and bidirectional
controls, line and paragraph separators, surrogates, the BOM and the non-characters."""


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """The two classes above, compiled when a text first holds a character outside
    str.isprintable(): every character in them is, and their wide ranges (surrogates) cost
    about 4 M instructions each to compile, which most runs never need to pay."""
    return re.compile(pattern)


_ECHO_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]")
SIMPLE_WEB_URL = re.compile(r"(?i:https?)://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
                            r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?\Z")
"""An http(s) URL of a host name and a path only (no user, port, query or fragment): the
common shape, which needs no parsing to be known a web URL or compared (url_identity)."""


@lru_cache(maxsize=4096)
def parse_date(text: str) -> tuple[int, ...] | None:
    """The parts of an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD), or None if malformed.
    (Cached: a library's records share their years and access dates.)"""
    m = DATE.match(text)
    if not m:
        return None
    year, month, day = m.groups()
    if month is None:
        return (int(year),)
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        return int(year), int(month)
    if not 1 <= int(day) <= days_in_month(int(year), int(month)):
        return None
    return int(year), int(month), int(day)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace, control or unsafe characters."""
    if _URL_UNSAFE.search(value):
        return False
    if SIMPLE_WEB_URL.match(value):  # a host name and a path: what urlsplit would accept
        return True
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host)


def control_character(value: str) -> int | None:
    """Offset of the first character a value may not hold, or None. Tab and newline pass:
    a block scalar holds them as such, and a quoted one writes them as \\t and \\n."""
    if value.isprintable() or value.replace("\n", "").replace("\t", "").isprintable():
        return None
    m = _compiled(_CONTROL).search(value)
    return m.start() if m else None


def has_visible(text: str) -> bool:
    """Whether the text holds a letter or a digit (a quote of only invisible characters or
    punctuation anchors anywhere and says nothing)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def inert(text: str) -> str:
    """Text safe to echo in a one-line message on a terminal: newlines, control characters,
    terminal escapes and bidirectional overrides are shown as escapes (\\n, \\x1b, \\u202e)."""
    if text.isprintable():
        return text
    unsafe = _compiled(_UNSAFE_ECHO)
    if not unsafe.search(text):
        return text
    return unsafe.sub(_escape_char, text)


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _ECHO_NAMES:
        return _ECHO_NAMES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
