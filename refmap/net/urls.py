"""URLs that come from outside (a Location header, an archive's answer, a page's metadata),
put in the form a browser would use before refmap follows or writes them.

Parsing and serialising follow the WHATWG URL Standard through ada-url (the parser Node.js
uses): spaces, quotes, angle brackets and non-ASCII characters are percent-encoded as UTF-8,
host names become their IDNA form, dot segments are resolved. The few characters the standard
leaves alone in a path or query but `refmap check` refuses in a map (`| ^ { } \\` and the
backtick) are percent-encoded too, so a URL refmap writes always passes `check`.
"""

from __future__ import annotations

import re

from refmap.values import is_web_url

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CHECK_REFUSES = re.compile(r"[\\^`{|}\"<>]")
"""What the standard may leave unencoded after the host but refmap.values.is_web_url refuses."""
_ENCODE_REFUSED = str.maketrans({c: f"%{ord(c):02X}" for c in "\\^`{|}\"<>"})
"""Each of those characters percent-encoded, in one pass (str.translate)."""


class UnusableURL(ValueError):
    """A URL from outside that refmap will neither follow nor write; the message says why."""


def header_text(value: str) -> str:
    """A header value as http.client hands it over (each byte read as Latin-1), read again as
    UTF-8, as browsers read a Location header; bytes that are not UTF-8 stay percent-encoded."""
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return value  # not from a header after all
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)


def browser_url(text: str, base: str | None = None) -> str:
    """`text` (relative to `base` when given) as an absolute http(s) URL in browser form; an
    UnusableURL when it is not one."""
    from ada_url import URL, join_url

    if _SURROGATE.search(text):
        raise UnusableURL("it holds a lone surrogate, which is no character")
    try:
        href = join_url(base, text) if base is not None else URL(text).href
        parsed = URL(href)
    except (ValueError, UnicodeError):
        raise UnusableURL("it is not a valid URL") from None
    if parsed.protocol not in ("http:", "https:"):
        raise UnusableURL(f"only http and https URLs are used, not {parsed.protocol!r}")
    if not parsed.hostname or _CHECK_REFUSES.search(parsed.host):
        raise UnusableURL("it has no usable host name")
    tail = parsed.pathname + parsed.search + parsed.hash
    head = href[:len(href) - len(tail)] if tail else href
    href = head + tail.translate(_ENCODE_REFUSED)
    if not is_web_url(href):  # the standard and check should agree; if not, check wins
        raise UnusableURL("it is not an absolute http(s) URL refmap can write")
    return href


def short(text: str, limit: int = 120) -> str:
    """A value from outside, shortened and quoted for a one-line message."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
