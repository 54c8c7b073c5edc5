"""The neutral record every reader produces, and the helpers they share.

A record's `fields` have the claims map's YAML shape, so that the map editor can write them as
they are: plain strings, and names as lists of ``{"family", "given"}`` or ``{"literal"}``
dicts. Fields are only as precise as the file: a year stays a year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from urllib.parse import quote

from refmap import identifiers
from refmap.mapfile.model import SOURCE_FIELDS, Name, Source
from refmap.mapfile.schema import parse_date
from refmap.spans import Span
from refmap.values import control_character, is_web_url

FIELD_ORDER = ("type", *(f.name for f in SOURCE_FIELDS
                         if f.name not in ("archived", "captured", "tags")))
"""Every field an importer writes, in the order the map lists a source's fields."""

_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
_KNOWN: dict[tuple[str, ...], tuple[str, ...]] = {}
"""A record's raw field names, in order -> those `FIELD_ORDER` has, in its order."""
Fields = dict[str, object]
NameDict = dict[str, str]


@dataclass(frozen=True)
class ImportedRecord:
    """One reference read from a file, ready to become a source."""

    key: str | None
    """The key the file carries (a .bib key, a Better BibTeX citation-key), else None."""
    fields: Fields
    """The source's fields in the map's YAML shape, ordered as `FIELD_ORDER`."""
    span: Span
    """Where the record starts in the file."""
    warnings: tuple[str, ...] = ()
    """Values left out, and why ("DOI '11.1/x' does not start with '10.'; left out")."""
    checked: frozenset[str] = frozenset()
    """Identifier fields (doi, isbn, pages ...) whose values their check gave, in canonical
    form: the import does not check them again (`schema.plainly_valid`)."""


@dataclass(frozen=True)
class SkippedEntry:
    """A record of the file that does not become a source."""

    key: str | None
    span: Span
    reason: str


@dataclass(frozen=True)
class ImportBatch:
    """Everything one file yields: its records in file order and what was skipped."""

    path: str
    """The file as the user named it."""
    format: str
    """"bibtex", "csl-json" or "ris"."""
    records: tuple[ImportedRecord, ...]
    skipped: tuple[SkippedEntry, ...] = ()


def collapse(text: str | None) -> str | None:
    """Text with runs of whitespace made one space; None when nothing is left."""
    if text is None:
        return None
    joined = " ".join(text.split())
    return joined or None


def person(family: str | None, given: str | None) -> NameDict | None:
    family, given = collapse(family), collapse(given)
    if family is None:
        return {"literal": given} if given else None
    return {"family": family, "given": given} if given else {"family": family}


def literal(text: str | None) -> NameDict | None:
    text = collapse(text)
    return {"literal": text} if text else None


def date_text(year: object, month: object = None, day: object = None) -> str | None:
    """An ISO date from parts, as precise as the parts go; None if the parts are no date."""
    parts: list[int] = []
    for part in (year, month, day):
        if part is None or part == "":
            break
        try:
            parts.append(int(str(part).strip()))
        except ValueError:
            break
    while parts:  # an impossible month or day is dropped, keeping the year
        text = f"{parts[0]:04d}" + "".join(f"-{p:02d}" for p in parts[1:])
        if parse_date(text) is not None:
            return text
        parts.pop()
    return None


_ISO_PREFIX = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def iso_date(text: str | None) -> str | None:
    """The date at the start of an ISO 8601 or EDTF value ("2019-06-12T10:00", "2019-06/..")."""
    if not text:
        return None
    if len(text) in (4, 7, 10) and parse_date(text) is not None:
        return text
    m = _ISO_PREFIX.match(text)
    return date_text(*m.groups()) if m else None


_CHECKS: dict[str, Callable[[str], identifiers.Checked]] = identifiers.FIELD_CHECKS


def _checked_identifier(name: str, value: str) -> identifiers.Checked:
    """A field's check; a list of candidates ("isbn = {978..., 978...}") yields its first
    valid one."""
    result = _CHECKS[name](value)
    if result.ok or name not in ("isbn", "issn"):
        return result
    for piece in re.split(r"[\s,;/]+|\(", value):
        candidate = _CHECKS[name](piece)
        if candidate.ok:
            return candidate
    return result


def finish(raw: Mapping[str, object]) -> tuple[Fields, tuple[str, ...]]:
    """Fields in `FIELD_ORDER` with empty values dropped, identifiers in canonical form; an
    invalid identifier is left out with a warning, never guessed at."""
    fields, warnings, _ = checked_finish(raw)
    return fields, warnings


def checked_finish(raw: Mapping[str, object]) -> tuple[Fields, tuple[str, ...], frozenset[str]]:
    """`finish`, and the names of the identifier fields whose values are their check's
    canonical output (which the check accepts as it is: `ImportedRecord.checked`)."""
    fields: Fields = {}
    warnings: list[str] = []
    checked_names: list[str] = []
    given = tuple(raw)
    known = _KNOWN.get(given)
    if known is None:  # records of one file share a few sets of field names: each sorted once
        if len(_KNOWN) >= 4096:
            _KNOWN.clear()
        known = _KNOWN[given] = tuple(sorted((n for n in given if n in _RANK),
                                             key=_RANK.__getitem__))
    for name in known:
        value = raw[name]
        if not value:
            continue
        if isinstance(value, str):
            value = " ".join(value.split())  # collapse(), inline: a call per value adds up
            if not value:  # only whitespace
                continue
            if name in _CHECKS:
                checked = _checked_identifier(name, value)
                if not checked.ok:
                    warnings.append(f"{checked.problem}; left out")
                    continue
                value = checked.value
                checked_names.append(name)
            elif name in _URLS:
                url = web_url(value)
                if url is None:
                    warnings.append(f"{name} {value[:80]!r} is not an http(s) URL; left out")
                    continue
                value = url
            elif name in _NUMBERS and value.lower() in _NOT_NUMBERS:
                warnings.append(f"{name} {value!r} is not a number; left out")
                continue
        fields[name] = value
    _finish_eprint(fields, warnings)
    return fields, tuple(warnings), frozenset(checked_names)


_URLS = frozenset({"url", "archive"})
_NUMBERS = frozenset({"volume", "number", "pages", "edition"})
_NOT_NUMBERS = frozenset({"nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity",
                          "-infinity", "+infinity"})


def web_url(value: str) -> str | None:
    """An http(s) URL as `check` accepts it, with spaces and other characters a browser
    would percent-encode so encoded; None for any other scheme (``javascript:``, ``file:``)
    or no host."""
    if is_web_url(value):
        return value
    web = value.lower().startswith(("http://", "https://"))
    if not web or control_character(value) is not None:
        return None  # no scheme to keep, or characters no URL (and no map) may hold
    encoded = quote(value, safe=":/?#[]@!$&'()*+,;=%~")
    return encoded if is_web_url(encoded) else None


def _finish_eprint(fields: Fields, warnings: list[str]) -> None:
    eprint, kind = fields.get("eprint"), fields.get("eprinttype")
    if isinstance(eprint, str) and isinstance(kind, str):
        checked = identifiers.check_eprint(eprint, kind)
        if checked.ok:
            fields["eprint"] = checked.value
            return
        warnings.append(f"{checked.problem}; left out")
        del fields["eprint"], fields["eprinttype"]


def names_field(names: Iterable[NameDict | None]) -> list[NameDict]:
    return [n for n in names if n]


def first_text(*values: object) -> str | None:
    """The first value that is non-empty text (numbers from JSON become text)."""
    for value in values:
        if isinstance(value, float) and not math.isfinite(value):
            continue  # NaN and infinities are no volume, page or year
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


@dataclass
class RecordBuilder:
    """Collects one file's records and skipped entries, in file order."""

    path: str
    format: str
    records: list[ImportedRecord] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)

    def add(self, key: str | None, raw: Mapping[str, object], span: Span,
            warnings: tuple[str, ...] = ()) -> None:
        fields, problems, checked = checked_finish(raw)
        if "title" not in fields:
            self.skipped.append(SkippedEntry(key, span, "has no title"))
            return
        self.records.append(ImportedRecord(key, fields, span, warnings + problems, checked))

    def skip(self, key: str | None, span: Span, reason: str) -> None:
        self.skipped.append(SkippedEntry(key, span, reason))

    def batch(self) -> ImportBatch:
        return ImportBatch(self.path, self.format, tuple(self.records), tuple(self.skipped))


def name_dict(name: Name) -> NameDict:
    """A name in the map's YAML shape."""
    return _name_dict(name)


def _name_dict(name: Name) -> NameDict:
    if name.literal is not None:
        return {"literal": name.literal}
    out = {"family": name.family or ""}
    if name.given:
        out["given"] = name.given
    return out


def source_to_fields(source: Source) -> Fields:
    """A map's source in the same shape as an imported record's fields, to compare the two.
    Fields the model does not have (yet) are simply absent."""
    raw: dict[str, object] = {}
    for name in FIELD_ORDER:
        value = getattr(source, name, None)
        if isinstance(value, tuple) and name == "extra":
            value = dict(value)
        elif name == "ids":
            value = list(value or ())
        elif isinstance(value, tuple):
            value = [_name_dict(n) for n in value]
        raw[name] = value
    return {k: v for k, v in raw.items() if v not in (None, [], "", {})}


def fields_to_source(key: str, fields: Mapping[str, object]) -> Source:
    """An imported record's fields (the map's YAML shape) as a Source, as the map would load
    them."""
    from refmap.mapfile.model import SourceType

    values: dict[str, object] = {}
    for name, value in fields.items():
        if name == "type":
            continue
        if name == "extra" and isinstance(value, dict):
            values[name] = tuple((str(k), str(v)) for k, v in value.items())
        elif isinstance(value, list):
            values[name] = tuple(Name(**n) if isinstance(n, dict) else n for n in value)
        else:
            values[name] = value
    return Source(key=key, type=SourceType(str(fields["type"])), **values)  # type: ignore[arg-type]
