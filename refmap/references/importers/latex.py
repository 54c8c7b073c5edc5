"""LaTeX in BibTeX field values to plain Unicode text.

The decoding is bibtexparser's `LatexDecodingMiddleware` (pylatexenc), with a LaTeX context
that also knows the escapes refmap's own BibTeX export writes (\\textasciicircum,
\\textbraceleft ...). pylatexenc takes 150-500 µs per value, ten times what splitting the
whole entry costs, so the common forms take a fast path that gives the same text: values with
no backslash and no math (braces, ``--``, ``~``, quote ligatures), and values whose only
macros are accents (``{\\"o}``, ``\\'{e}``), letters (``\\ss``, ``{\\o}``) and escaped specials
(``\\&``). Anything else goes through the middleware. A test checks the two paths agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import String
from pylatexenc import latex2text  # type: ignore[import-untyped]
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec  # type: ignore[import-untyped]

_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306",
    ".": "\u0307", '"': "\u0308", "r": "\u030a", "H": "\u030b", "v": "\u030c", "d": "\u0323",
    "c": "\u0327", "k": "\u0328", "b": "\u0331",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł",
    "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ",
}
_EXTRA_MACROS = {
    "textasciicircum": "^", "textasciitilde": "~", "textbraceleft": "{", "textbraceright": "}",
    "textbackslash": "\\", "textasciigrave": "`", "S": "§",
}
"""Escapes refmap's BibTeX export writes that pylatexenc decodes differently or drops."""

_LETTER_NAMES = "|".join(sorted(_LETTERS, key=len, reverse=True))
# An accent on a letter or a dotless i/j, braced or not, the whole optionally in braces.
_ACCENT_RE = re.compile(
    r"(\{)?\\([`'^~=.\"]|[uvHcdkbr](?=[\s{]))\s*(?:\{(\\[ij]|[A-Za-z])\}|(\\[ij](?![^\W\d_])\s*|[A-Za-z]))(?(1)\})"
)
_LETTER_RE = re.compile(rf"\{{\\({_LETTER_NAMES})\}}|\\({_LETTER_NAMES})(?:\{{\}}|(?![^\W\d_])\s*)")
_ESCAPED_RE = re.compile(r"\\([&%_#$])")
_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"), ("~", " "))
_NEEDS_WORK = re.compile(r"[\\{}~$]|--|``|''|[!?]`")


def _accent(m: re.Match[str]) -> str:
    base = (m.group(3) or m.group(4)).strip()
    if base.startswith("\\"):  # an accent on a dotless i or j is an accent on i or j
        base = base[1]
    return unicodedata.normalize("NFC", base + _ACCENTS[m.group(2)])


def _letter(m: re.Match[str]) -> str:
    return _LETTERS[m.group(1) or m.group(2)]


def _plain(text: str) -> str | None:
    """The decoded text when only the fast forms occur, else None."""
    if "$" in text or "!`" in text or "?`" in text:
        return None
    if "\\" in text:
        text = _ACCENT_RE.sub(_accent, text)
        text = _LETTER_RE.sub(_letter, text)
        text = _ESCAPED_RE.sub(lambda m: m.group(1), text)
        text = text.replace("\\{", "\x00").replace("\\}", "\x01")
        if "\\" in text:
            return None
    for ligature, char in _LIGATURES:  # before braces go: "-{}-" is two hyphens
        text = text.replace(ligature, char)
    text = text.replace("{", "").replace("}", "")
    return text.replace("\x00", "{").replace("\x01", "}")


def _middleware() -> LatexDecodingMiddleware:
    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "refmap-import",
        prepend=True,
        macros=[MacroTextSpec("url", simplify_repl="%s")]
        + [MacroTextSpec(name, simplify_repl=text) for name, text in _EXTRA_MACROS.items()],
    )
    decoder = LatexNodes2Text(latex_context=context, keep_braced_groups=False,
                              math_mode="verbatim")
    return LatexDecodingMiddleware(decoder=decoder)


_MIDDLEWARE: list[LatexDecodingMiddleware] = []


@lru_cache(maxsize=4096)
def decode_with_middleware(text: str) -> str:
    """The middleware's decoding of one value. An unescaped ``%`` or ``&`` is text in a
    BibTeX value, not a LaTeX comment or alignment tab that pylatexenc would drop; a lone
    backtick ``\\`{}`` is a backtick, not an accent on nothing."""
    if not _MIDDLEWARE:
        _MIDDLEWARE.append(_middleware())
    text = re.sub(r"(?<!\\)([%&])", r"\\\1", text)
    text = text.replace("\\`{}", "\\textasciigrave{}")
    block = _MIDDLEWARE[0].transform_string(String("value", text), Library())
    value = block.value if isinstance(block, String) else text
    return " ".join(str(value).split())


def decode_latex(text: str) -> str:
    """A field value as plain text, whitespace collapsed (a ``~`` tie becomes a space)."""
    if not _NEEDS_WORK.search(text):
        return " ".join(text.split())
    plain = _plain(text)
    if plain is None:
        return decode_with_middleware(text)
    return " ".join(plain.split())
