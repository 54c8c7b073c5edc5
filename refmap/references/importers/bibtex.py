"""BibTeX and BibLaTeX files (Better BibTeX, JabRef, hand-written) as imported records.

bibtexparser v2 splits the file, `refmap.references.bibmacros` resolves ``@string`` macros
and ``#`` chains and strips enclosing braces and quotes, in one pass (a field naming an
undefined macro is left out, with a warning); this module resolves JabRef's ``crossref``,
decodes LaTeX (`refmap.references.importers.latex`), splits names itself so that a
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
from functools import lru_cache

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.library import Library
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
from refmap.mapfile.vocabulary import (
    BIBTEX_TO_TYPE,
    DEFAULT_REPORT_TYPE,
    SOURCE_FIELDS,
    SourceType,
    organization_field,
    unknown_type_warning,
)
from refmap.references.bibmacros import (
    PROBLEMS,
    VALUES,
    resolve_library,
    resolve_plain,
    string_macros,
)
from refmap.spans import Span

# bibtexparser logs parse failures as warnings; without a handler of its own, Python's
# last-resort handler would print them. refmap reports them as a LoadError instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

VERBATIM = frozenset({"url", "doi", "eprint", "file"})
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "entryset", "related", "label",
                            "shorthand", "keywords", "file", "entrytype", "entrysubtype"})
_RESOLVED = frozenset({"crossref"})
"""Fields read and acted on (the parent's fields are inherited), not kept."""
_ACCESSED_NOTE = re.compile(r"Accessed (\d{4}-\d{2}-\d{2})(?:\.\s+|\s*$)")
_HOWPUBLISHED_URL = re.compile(r"\\url\{([^{}]*)\}")
_ARCHIVED = re.compile(r"(?:^|\.\s+)Archived at \\url\{([^{}]*)\}\s*$")


def read(text: str, display: str) -> ImportBatch:
    """The records of a .bib file's text, in file order."""
    # bibtexparser's split, then its two middlewares' work done in one pass (resolve_library)
    library = resolve_library(parse_string(text, parse_stack=[]))
    lines = text.split("\n")
    _refuse_failed_blocks(library, lines, text, display)
    entries = {e.key: e for e in library.entries}
    lowered = {k.lower(): e for k, e in entries.items()}
    builder = RecordBuilder(display, "bibtex")
    for entry in _in_file_order(library):
        span = _entry_span(entry, lines, display)
        values = entry.parser_metadata.pop(VALUES)  # made as the fields were resolved
        warnings = (*entry.parser_metadata.get(PROBLEMS, ()),
                    *_inherit(values, entries, lowered))
        entry_type = entry.entry_type.lower()
        unknown = _unknown_type(entry_type)
        warnings += (unknown,) if unknown else ()
        fields, extra = _fields(entry_type, values)
        if extra:
            warnings += (f"kept under extra (refmap has no field for them): "
                         f"{', '.join(extra)}",)
        builder.add(entry.key, fields, span, warnings)
    return builder.batch()


@lru_cache(maxsize=256)
def _unknown_type(entry_type: str) -> str | None:
    return unknown_type_warning(entry_type, BIBTEX_TO_TYPE)


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
    return resolve_plain(entry, string_macros(library))


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


ALIASES = {
    "journal": ("journaltitle", "journal"),
    "institution": ("institution", "school"),
    "location": ("location", "address"),
    "language": ("langid", "language"),
    "number": ("number", "issue"),
    "genre": ("type",),
}
"""Map fields read from the first BibTeX/BibLaTeX field present, in order of preference
(besides each field's BibLaTeX and BibTeX names in refmap.mapfile.vocabulary)."""
_OWN_RULE = frozenset({"title", "site", "date", "url", "accessed", "archive", "archived",
                       "note", "eprint", "eprinttype", "tags", "extra"})
_PLAN = tuple(
    (spec.name, spec.kind == "names",
     ALIASES.get(spec.name) or tuple(dict.fromkeys(n for n in (spec.biblatex, spec.bibtex) if n)))
    for spec in SOURCE_FIELDS if spec.name not in _OWN_RULE)
"""Per map field: whether it holds names, and the BibTeX fields it is read from."""
_ROWS_OF: dict[str, tuple[int, ...]] = {
    bibtex_name: tuple(row for row, (_, _, names) in enumerate(_PLAN) if bibtex_name in names)
    for bibtex_name in {n for _, _, names in _PLAN for n in names}}
"""BibTeX field -> the rows of `_PLAN` that read it."""
_TYPE_NAMES = frozenset(k.value for k in SourceType)
_PLANS: dict[tuple[str, ...], tuple[tuple[str, bool, tuple[str, ...]], ...]] = {}
"""An entry's field names, in order -> the rows of `_PLAN` it reads."""


def source_type(entry_type: str, values: dict[str, str], used: set[str]) -> SourceType:
    """The source type of an entry: its BibLaTeX type (or alias), refmap's `entrytype` where a
    classic BibTeX export wrote one, or a non-standard type written as `@misc` with it as
    `entrysubtype`."""
    kind = BIBTEX_TO_TYPE.get(entry_type, SourceType.MISC)
    marker = values.get("entrytype", "").strip().lower()
    if marker in _TYPE_NAMES:
        used.add("entrytype")
        kind = SourceType(marker)
    subtype = values.get("entrysubtype", "").strip().lower()
    if kind is SourceType.MISC and subtype in _TYPE_NAMES and not SourceType(subtype).standard:
        used.add("entrysubtype")
        kind = SourceType(subtype)
    return kind


def _fields(entry_type: str, values: dict[str, str]) -> tuple[dict[str, object], list[str]]:
    """The map's fields of one entry, and the names of the entry's fields it kept as extra."""
    used: set[str] = set(_RESOLVED)
    kind = source_type(entry_type, values, used)
    raw = _special_fields(kind, values, used)
    # only the rows one of whose fields the entry has, in the table's order (entries of a
    # library share a few sets of field names: each set's rows are found once)
    given = tuple(values)
    plan = _PLANS.get(given)
    if plan is None:
        if len(_PLANS) >= 4096:
            _PLANS.clear()
        plan = _PLANS[given] = tuple(_PLAN[row] for row in sorted(
            {row for name in values for row in _ROWS_OF.get(name, ())}))
    for field, holds_names, names in plan:
        if field in raw:
            continue
        for name in names:
            value = values.get(name)
            if value and name not in used:
                used.add(name)
                if holds_names:
                    raw[field] = _names(value)
                else:
                    raw[field] = value.strip() if name in VERBATIM else decode_latex(value)
                break
    if kind is SourceType.REPORT and raw.get("genre") == DEFAULT_REPORT_TYPE:
        del raw["genre"]  # what refmap's export writes for a report that names no genre
    if entry_type in ("phdthesis", "mastersthesis") and not raw.get("genre") \
            and "entrytype" not in used:  # refmap's export marks a thesis of no stated kind
        raw["genre"] = "mathesis" if entry_type == "mastersthesis" else "phdthesis"
    extra = {name: value.strip() if name in VERBATIM else decode_latex(value)
             for name, value in values.items() if name not in used and value.strip()}
    if extra:
        raw["extra"] = extra
    return raw, sorted(extra)


def _special_fields(kind: SourceType, values: dict[str, str], used: set[str]) -> dict[str, object]:
    """Fields that combine, move or fall back between BibTeX fields."""
    title = _text(values, "title")
    subtitle = _text(values, "subtitle")
    organization = _text(values, "organization")
    note, archive = _note_and_archive(values.get("note"))
    accessed = iso_date(_text(values, "urldate"))
    if accessed is None and note:
        accessed, note = _accessed_note(note)
    eprinttype = _text(values, "eprinttype", "archiveprefix")
    eprint = _text(values, "eprint")
    used.update(("title", "subtitle", "note", "urldate", "eprint", "eprinttype",
                 "archiveprefix", "date", "year", "month", "day", "url"))
    if eprint is None and values.get("pmid"):
        eprint, eprinttype = _text(values, "pmid"), "pubmed"
        used.add("pmid")
    raw: dict[str, object] = {
        "type": kind.value,
        "title": f"{title}: {subtitle}" if title and subtitle else title,
        "date": _date(values),
        "url": _text(values, "url") or _howpublished_url(values.get("howpublished")),
        "accessed": accessed,
        "archive": archive,
        "note": note,
        "eprint": eprint,
        "eprinttype": eprinttype,
        "ids": _aliases(values.get("ids")),
    }
    if raw["url"] and not values.get("url"):
        used.add("howpublished")
    if organization:
        target = organization_field(kind)
        if not (target == "institution" and _text(values, "institution", "school")):
            used.add("organization")  # else it is kept under extra
            raw[target] = organization
    elif kind is SourceType.ONLINE and "howpublished" not in used:
        site = _text(values, "howpublished")
        if site:
            used.add("howpublished")
            raw["site"] = site
    return {k: v for k, v in raw.items() if v}


def _accessed_note(note: str) -> tuple[str | None, str | None]:
    """The accessed date that refmap's classic BibTeX export puts first in the note."""
    m = _ACCESSED_NOTE.match(note)
    if not m:
        return None, note
    return m.group(1), note[m.end():].strip() or None


def _aliases(raw: str | None) -> list[str]:
    """BibLaTeX's ``ids``: the entry's other keys, comma-separated (the valid ones)."""
    if not raw:
        return []
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
    parts = _AND.split(raw.strip()) if "{" not in raw else _split_persons(raw)
    return names_field(_name(part) for part in parts)


@lru_cache(maxsize=4096)
def _split_persons(raw: str) -> tuple[str, ...]:
    """bibtexparser's split of a name list that holds braces (a character-by-character walk):
    cached, since a library names the same lists of people again and again."""
    return tuple(split_multiple_persons_names(raw))


def _name(raw: str) -> NameDict | None:
    parsed = _parsed_name(raw)
    return None if parsed is None else dict(parsed)


@lru_cache(maxsize=4096)
def _parsed_name(raw: str) -> tuple[tuple[str, str], ...] | None:
    """A name as (part, text) pairs. Cached: a library names the same people again and
    again, and each caller gets a dict of its own."""
    name = _name_of(raw)
    return None if name is None else tuple(name.items())


def _name_of(raw: str) -> NameDict | None:
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
