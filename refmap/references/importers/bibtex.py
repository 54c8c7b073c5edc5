"""BibTeX and BibLaTeX files (Better BibTeX, JabRef, hand-written) as imported records.

bibtexparser v2 splits the file, `refmap.references.bibmacros` resolves ``@string`` macros
and ``#`` chains (a field naming an undefined macro is left out, with a warning); this module resolves JabRef's
``crossref``, decodes LaTeX (`refmap.references.importers.latex`), splits names itself so that a
brace-protected name ``{World Health Organization}`` stays one organisation, and maps entry
types and fields onto the claims map's. ``url``, ``doi`` and ``eprint`` are verbatim in
BibLaTeX and are never LaTeX-decoded (a ``--`` or ``~`` in them is part of the identifier).
A file that does not parse (unbalanced braces, a duplicate ``@string``) is refused whole; an
entry whose key an earlier entry already used is read like any other (`refmap.commands.importing`
decides whether it is the same work or gets a key of its own).
"""

from __future__ import annotations

import logging
import re

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from refmap.errors import LoadError
from refmap.references.importers.latex import decode_latex
from refmap.references.importers.record import (
    ImportBatch,
    NameDict,
    RecordBuilder,
    date_text,
    iso_date,
    literal,
    names_field,
    person,
)
from refmap.references.bibmacros import (
    PROBLEMS,
    ResolveMacrosMiddleware,
    resolve_entry,
    string_macros,
)
from refmap.spans import Span

# bibtexparser logs parse failures as warnings; without a handler of its own, Python's
# last-resort handler would print them. refmap reports them as a LoadError instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

ENTRY_TYPES = {
    "article": "article", "periodical": "article", "suppperiodical": "article",
    "book": "book", "mvbook": "book", "booklet": "book", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book", "reference": "book",
    "inproceedings": "inproceedings", "conference": "inproceedings",
    "report": "report", "techreport": "report", "thesis": "report", "phdthesis": "report",
    "mastersthesis": "report",
    "online": "online", "www": "online", "electronic": "online", "webpage": "online",
    "dataset": "dataset", "data": "dataset",
}
"""BibTeX/BibLaTeX entry type -> source type; any other type (incollection, inbook, manual,
unpublished, software ...) becomes misc, keeping its booktitle."""

VERBATIM = frozenset({"url", "doi", "eprint"})
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "entryset", "related", "label",
                            "shorthand", "keywords", "file"})
_HOWPUBLISHED_URL = re.compile(r"\\url\{([^{}]*)\}")
_ARCHIVED = re.compile(r"(?:^|\.\s+)Archived at \\url\{([^{}]*)\}\s*$")


def read(text: str, display: str) -> ImportBatch:
    """The records of a .bib file's text, in file order."""
    library = parse_string(text, parse_stack=[ResolveMacrosMiddleware(),
                                              RemoveEnclosingMiddleware()])
    lines = text.split("\n")
    _refuse_failed_blocks(library, lines, text, display)
    entries = {e.key: e for e in library.entries}
    lowered = {k.lower(): e for k, e in entries.items()}
    builder = RecordBuilder(display, "bibtex")
    for entry in _in_file_order(library):
        span = _entry_span(entry, lines, display)
        values = {f.key.lower(): str(f.value) for f in entry.fields}
        warnings = (*entry.parser_metadata.get(PROBLEMS, ()),
                    *_inherit(values, entries, lowered))
        builder.add(entry.key, _fields(entry.entry_type.lower(), values), span, warnings)
    return builder.batch()


def _entry_span(entry: Entry | ParsingFailedBlock, lines: list[str], display: str) -> Span:
    line = entry.start_line or 0
    current = lines[line] if line < len(lines) else ""
    col = current.find("@") + 1 if "@" in current else 1
    return Span(display, line + 1, col)


def _in_file_order(library: Library) -> list[Entry]:
    """Every entry, with those whose key an earlier entry already used (bibtexparser sets them
    apart): the import decides whether the second is the same work or needs a key of its own."""
    repeated = [_as_parsed(b.ignore_error_block, library) for b in library.failed_blocks
                if isinstance(b, DuplicateBlockKeyBlock) and isinstance(b.ignore_error_block, Entry)]
    if not repeated:
        return list(library.entries)
    return sorted([*library.entries, *repeated], key=lambda e: e.start_line or 0)


def _as_parsed(entry: Entry, library: Library) -> Entry:
    """A set-apart entry as the parse stack leaves the others: macros resolved, enclosing
    braces and quotes removed."""
    entry = resolve_entry(entry, string_macros(library))
    return RemoveEnclosingMiddleware().transform_entry(entry, library)


def _repeated_entry(block: ParsingFailedBlock) -> bool:
    return isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry)


def _refuse_failed_blocks(library: Library, lines: list[str], text: str, display: str) -> None:
    failed = sorted((b for b in library.failed_blocks if not _repeated_entry(b)),
                    key=lambda b: b.start_line or 0)
    if not failed:
        return
    block = failed[0]
    span = _entry_span(block, lines, display)
    if isinstance(block, DuplicateBlockKeyBlock):
        first = library.entries_dict.get(block.key) or library.strings_dict.get(block.key)
        line = first.start_line if first is not None else None
        where = f" (first on line {line + 1})" if line is not None else ""
        raise LoadError(f"duplicate key {block.key!r}{where}", span=span)
    raise LoadError(_abort_message(block, text), span=span)


def _abort_message(block: ParsingFailedBlock, text: str) -> str:
    m = re.match(r"@[A-Za-z]+", block.raw or "")
    head = m.group() if m else "@entry"
    error = block.error
    if isinstance(error, BlockAbortedException):
        reason = error.abort_reason
        if reason.startswith("Unexpected block start") and error.end_index is not None:
            line = text.count("\n", 0, error.end_index + 1) + 1
            return (f"{head} entry is not closed (unbalanced braces or quotes): a new entry "
                    f"starts on line {line}")
        if reason.startswith("Unexpectedly reached end of file"):
            return (f"{head} entry is not closed (unbalanced braces or quotes) "
                    "at the end of the file")
        return f"cannot parse {head} entry: {reason.strip()!r}"
    return f"cannot parse {head} entry: {str(error)!r}"


def _inherit(values: dict[str, str], entries: dict[str, Entry],
             lowered: dict[str, Entry]) -> tuple[str, ...]:
    """Fill an entry's missing fields from its crossref parent, as biber does: the parent's
    title becomes the child's booktitle."""
    parent_key = values.get("crossref")
    if parent_key is None:
        return ()
    parent = entries.get(parent_key) or lowered.get(parent_key.lower())
    if parent is None:
        return (f"crossref {parent_key!r} is not in the file; nothing inherited",)
    for field in parent.fields:
        name = field.key.lower()
        if name in _NOT_INHERITED:
            continue
        if name == "title":
            values.setdefault("booktitle", str(field.value))
        else:
            values.setdefault(name, str(field.value))
    return ()


def _text(values: dict[str, str], *names: str) -> str | None:
    for name in names:
        value = values.get(name)
        if value is not None and value.strip():
            return value.strip() if name in VERBATIM else decode_latex(value)
    return None


COPIED_FIELDS = (
    ("journal", ("journaltitle", "journal")),
    ("booktitle", ("booktitle",)),
    ("publisher", ("publisher",)),
    ("language", ("langid", "language")),
    ("doi", ("doi",)),
    ("isbn", ("isbn",)),
    ("issn", ("issn",)),
    ("volume", ("volume",)),
    ("number", ("number", "issue")),
    ("pages", ("pages",)),
    ("edition", ("edition",)),
)
"""Map fields taken as they are from the first BibTeX field present, in order of preference."""


def _fields(entry_type: str, values: dict[str, str]) -> dict[str, object]:
    raw = _special_fields(ENTRY_TYPES.get(entry_type, "misc"), values)
    for target, names in COPIED_FIELDS:
        for name in names:
            value = values.get(name)
            if value:
                raw[target] = value.strip() if name in VERBATIM else decode_latex(value)
                break
    return raw


def _special_fields(kind: str, values: dict[str, str]) -> dict[str, object]:
    """Fields that combine, move or fall back between BibTeX fields."""
    title = _text(values, "title")
    subtitle = _text(values, "subtitle")
    institution = _text(values, "institution", "school")
    organization = _text(values, "organization")
    note, archive = _note_and_archive(values.get("note"))
    eprinttype = _text(values, "eprinttype", "archiveprefix")
    eprint = _text(values, "eprint")
    if eprint is None and values.get("pmid"):
        eprint, eprinttype = _text(values, "pmid"), "pubmed"
    return {
        "type": kind,
        "title": f"{title}: {subtitle}" if title and subtitle else title,
        "authors": _names(values.get("author")),
        "editors": _names(values.get("editor")),
        "site": organization if kind in ("online", "misc", "dataset") else None,
        "institution": institution or (organization if kind == "report" else None),
        "date": _date(values),
        "url": _text(values, "url") or _howpublished_url(values.get("howpublished")),
        "accessed": iso_date(_text(values, "urldate")),
        "archive": archive,
        "note": note,
        "eprint": eprint,
        "eprinttype": eprinttype,
        "ids": _aliases(values.get("ids")),
    }


def _aliases(raw: str | None) -> list[str]:
    """BibLaTeX's ``ids``: the entry's other keys, comma-separated (the valid ones)."""
    from refmap.references.importers.keys import is_valid_key

    return [key for key in (k.strip() for k in (raw or "").split(",")) if is_valid_key(key)]


def _date(values: dict[str, str]) -> str | None:
    if values.get("date"):
        return iso_date(decode_latex(values["date"]))
    year = values.get("year")
    if not year:
        return None
    month = decode_latex(values.get("month", "")).lower()
    month_number = _MONTHS.get(month[:3]) or (int(month) if month.isdigit() else None)
    return date_text(decode_latex(year), month_number, values.get("day"))


def _howpublished_url(text: str | None) -> str | None:
    m = _HOWPUBLISHED_URL.search(text or "")
    return m.group(1) if m else None


def _note_and_archive(raw: str | None) -> tuple[str | None, str | None]:
    """A note, and the archived copy that refmap's own export appends to it."""
    if not raw:
        return None, None
    m = _ARCHIVED.search(raw)
    if not m:
        return decode_latex(raw), None
    return decode_latex(raw[: m.start()]) or None, m.group(1)


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _names(raw: str | None) -> list[NameDict]:
    if not raw:
        return []
    # Without braces, BibTeX's split at " and " is a plain split: no name can hide an "and".
    parts = _AND.split(raw.strip()) if "{" not in raw else split_multiple_persons_names(raw)
    return names_field(_name(part) for part in parts)


def _name(raw: str) -> NameDict | None:
    raw = raw.strip()
    if raw == "others":
        return None
    if _one_group(raw):
        return literal(decode_latex(raw[1:-1]))
    family, comma, given = raw.partition(",")
    if comma and "," not in given and family.count("{") == family.count("}"):
        # "von Last, First": everything before the comma is the family name, as BibTeX's
        # full parser would put together again from its von and last parts.
        return person(decode_latex(family), decode_latex(given))
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except InvalidNameError:
        return literal(decode_latex(raw))
    family = " ".join(decode_latex(w) for w in parts.von + parts.last)
    if parts.jr:
        family += ", " + " ".join(decode_latex(w) for w in parts.jr)
    return person(family, " ".join(decode_latex(w) for w in parts.first))


def _one_group(text: str) -> bool:
    """Whether the text is one brace group ``{...}`` from its first to its last character."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0
