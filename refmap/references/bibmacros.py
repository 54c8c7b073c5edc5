"""BibTeX's ``@string`` macros and ``#`` concatenation, resolved as BibTeX does, as a
bibtexparser middleware.

bibtexparser v2 splits a file into blocks and (ResolveStringReferencesMiddleware) replaces a
field whose whole value is one macro name; a chain such as ``@string{b = a # { of Examples}}``
or ``title = a # " studies"`` stays as the raw text ``a # " studies"``, and an undefined macro
stays as its name. This middleware runs in its place, before RemoveEnclosingMiddleware (the
importer does both in one pass, `resolve_library`, with the same result): every
``@string`` is resolved in file order (a macro may use the ones defined before it), then every
field; pieces are ``{...}``, ``"..."``, digits, or a macro name (case-insensitive, with
BibTeX's predefined month names). A value that names an undefined macro, or that is not
well-formed, is left out of its entry, and the entry's ``parser_metadata`` says why
(`PROBLEMS`), so the import can report it: raw syntax never becomes text.
"""

from __future__ import annotations

import re

from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.middleware import LibraryMiddleware
from bibtexparser.model import Entry, Field

PROBLEMS = "refmap-macro-problems"
"""The entry's parser_metadata key for the fields left out, each with why."""
VALUES = "refmap-values"
"""The entry's parser_metadata key for its resolved values by lower-case field name (as
``{f.key.lower(): f.value for f in entry.fields}`` gives them), made on the way."""

MONTHS = {m.lower()[:3]: m for m in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December")}
"""BibTeX's predefined macros: jan ... dec."""

_PIECE = re.compile(r'\s*(?:(\{)|"((?:[^"{}\\]|\\.|\{[^{}]*\})*)"|(\d+)|([^\s#{}"=,()]+))\s*')


class _Unresolved(ValueError):
    pass


def _braced(text: str, start: int) -> int:
    """The index just after the brace group opening at start."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    raise _Unresolved("unbalanced braces")


def resolve(raw: str, macros: dict[str, str]) -> str:
    """A raw field value (`{...}`, `"..."`, digits, macro names, joined by `#`) as text."""
    out: list[str] = []
    at = 0
    while True:
        m = _PIECE.match(raw, at)
        if m is None:
            raise _Unresolved(f"cannot read {raw[at:at + 40]!r}")
        if m.group(1):
            end = _braced(raw, m.start(1))
            out.append(raw[m.start(1) + 1:end - 1])
            at = end
            m = re.compile(r"\s*").match(raw, at)
            assert m is not None
        elif m.group(2) is not None:
            out.append(m.group(2))
        elif m.group(3):
            out.append(m.group(3))
        else:
            name = m.group(4).lower()
            if name in macros:
                out.append(macros[name])
            elif name in MONTHS:
                out.append(MONTHS[name])
            else:
                raise _Unresolved(f"undefined macro {m.group(4)!r}")
        at = m.end()
        if at >= len(raw):
            return "".join(out)
        if raw[at] != "#":
            raise _Unresolved(f"cannot read {raw[at:at + 40]!r}")
        at += 1


def _simple(raw: str) -> bool:
    """A value that needs no resolving: one brace group or one quoted string."""
    if "#" in raw:
        return False
    return (raw.startswith("{") and raw.endswith("}")) or (raw.startswith('"')
                                                            and raw.endswith('"'))


class ResolveMacrosMiddleware(LibraryMiddleware):
    """@string chains and concatenations resolved; fields naming undefined macros left out."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    @classmethod
    def metadata_key(cls) -> str:
        return "refmap-resolve-macros"

    def transform(self, library: Library) -> Library:
        macros: dict[str, str] = {}
        for string in library.strings:
            try:
                macros[string.key.lower()] = resolve(str(string.value), macros)
            except _Unresolved:
                continue  # an entry that uses it reports the macro as undefined
            string.value = "{" + macros[string.key.lower()] + "}"
        for entry in library.entries:
            resolve_entry(entry, macros)
        return library


def resolve_entry(entry: Entry, macros: dict[str, str]) -> Entry:
    """One entry's fields resolved in place; what could not be is left out and noted."""
    kept: list[Field] = []
    problems: list[str] = []
    for field in entry.fields:
        raw = field.value
        if not isinstance(raw, str) or _simple(raw):
            kept.append(field)
            continue
        try:
            field.value = "{" + resolve(raw, macros) + "}"
        except _Unresolved as exc:
            problems.append(f"{field.key}: {exc}; left out")
            continue
        kept.append(field)
    if problems:
        entry.fields = kept
        entry.parser_metadata[PROBLEMS] = problems
    return entry


def strip_enclosing(value: str) -> str:
    """A value without its enclosing braces or quotes, exactly as RemoveEnclosingMiddleware
    strips it; a plainly braced value (no brace inside) without a call into it."""
    if value[:1] == "{" and value[-1:] == "}" and len(value) >= 2:
        inner = value[1:-1]
        if "{" not in inner and "}" not in inner and not inner.endswith("\\"):
            return inner
    stripped, _ = RemoveEnclosingMiddleware._strip_enclosing(value)
    return str(stripped)


def resolve_library(library: Library) -> Library:
    """The library as `ResolveMacrosMiddleware` then `RemoveEnclosingMiddleware` leave it,
    in one pass over each entry's fields, in place: the same values, fields and `PROBLEMS`
    (without the enclosing middleware's per-field metadata and rebuilt library, which the
    importer does not read)."""
    macros: dict[str, str] = {}
    for string in library.strings:
        raw = str(string.value)
        try:
            macros[string.key.lower()] = resolve(raw, macros)
        except _Unresolved:
            pass  # an entry that uses it reports the macro as undefined
        else:
            raw = "{" + macros[string.key.lower()] + "}"
        string.value = strip_enclosing(raw)
    for entry in library.entries:
        resolve_plain(entry, macros)
    return library


def resolve_plain(entry: Entry, macros: dict[str, str]) -> Entry:
    """One entry's fields resolved (`resolve_entry`) and stripped of their enclosing braces or
    quotes, in place, and its values by lower-case name under `VALUES`. The common value, one
    brace group with no brace inside, is taken as it is on the way."""
    dropped: set[int] = set()
    problems: list[str] = []
    values: dict[str, str] = {}
    for field in entry.fields:
        raw = field.value
        if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:  # _simple, and braced
            inner = raw[1:-1]
            if "{" in inner or "}" in inner or inner[-1:] == "\\":
                inner = strip_enclosing(raw)
            field.value = values[field.key.lower()] = inner
            continue
        if not _simple(raw):
            try:
                raw = "{" + resolve(raw, macros) + "}"
            except _Unresolved as exc:
                problems.append(f"{field.key}: {exc}; left out")
                dropped.add(id(field))
                continue
        field.value = values[field.key.lower()] = strip_enclosing(raw)
    entry.parser_metadata[VALUES] = values
    if problems:
        entry.fields = [f for f in entry.fields if id(f) not in dropped]
        entry.parser_metadata[PROBLEMS] = problems
    return entry


def string_macros(library: Library) -> dict[str, str]:
    """The library's resolved @string values by lower-case name (after the middleware)."""
    found = {}
    for string in library.strings:
        value = str(string.value)
        found[string.key.lower()] = value
    return found
