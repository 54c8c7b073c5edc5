"""RIS files (library catalogues, EndNote, Zotero) as imported records, read with rispy.

rispy drops a last record that lacks its ``ER`` end tag without a word, so the record
boundaries are checked here first: each ``TY`` must be closed by an ``ER`` before the next
``TY`` or the end of the file. Names follow the RIS specification, "Family, Given[, Suffix]";
a name without a comma is a corporate author (an organisation), as catalogues write them. An
``ID`` is taken as the key only when it holds a letter: EndNote's record numbers are not
citation keys.
"""

from __future__ import annotations

import re

import rispy  # type: ignore[import-untyped]

from refmap.errors import LoadError
from refmap.identifiers import check_isbn, check_issn
from refmap.references.importers.record import (
    ImportBatch,
    NameDict,
    RecordBuilder,
    date_text,
    first_text,
    literal,
    names_field,
    person,
)
from refmap.spans import Span

RIS_TYPES = {
    "JOUR": "article", "JFULL": "article", "MGZN": "article", "NEWS": "article",
    "EJOUR": "article", "INPR": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CTLG": "book",
    "CONF": "inproceedings", "CPAPER": "inproceedings",
    "RPRT": "report", "GOVDOC": "report", "THES": "report",
    "ELEC": "online", "BLOG": "online", "WEB": "online",
    "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset",
}
"""RIS TY -> source type; any other (CHAP, GEN, ...) is misc, keeping its T2 as booktitle."""

_MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "secondary_authors"}
_LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "ED"]
_TAG = re.compile(r"([A-Z][A-Z0-9])  -(?: |$)")


def read(text: str, display: str) -> ImportBatch:
    """The records of a RIS file's text, in file order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = _record_starts(text, display)
    parsed = rispy.loads(text, skip_unknown_tags=True, mapping=_MAPPING, list_tags=_LIST_TAGS)
    builder = RecordBuilder(display, "ris")
    for entry, span in zip(parsed, starts, strict=True):
        ident = first_text(entry.get("id"))
        key = ident if ident and re.search(r"[A-Za-z]", ident) else None
        builder.add(key, _fields(entry), span)
    return builder.batch()


def _record_starts(text: str, display: str) -> list[Span]:
    """Where each record's TY line is; a record without ER is refused at its TY."""
    starts: list[Span] = []
    open_at: Span | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        if tag == "TY":
            if open_at is not None:
                raise LoadError(f"RIS record has no end tag 'ER  -' before the next 'TY' on line "
                                f"{number}", span=open_at)
            open_at = Span(display, number, 1)
            starts.append(open_at)
        elif tag == "ER":
            if open_at is None:
                raise LoadError("'ER' end tag without a 'TY' record start",
                                span=Span(display, number, 1))
            open_at = None
        elif tag is not None and open_at is None:
            raise LoadError(f"tag {tag!r} outside a record (a record starts with 'TY  - ')",
                            span=Span(display, number, 1))
    if open_at is not None:
        raise LoadError("RIS record has no end tag 'ER  -' before the end of the file",
                        span=open_at)
    if not starts:
        raise LoadError("no RIS records (a record starts with 'TY  - ')", span=Span(display, 1, 1))
    return starts


def _text_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return [value] if isinstance(value, str) and value.strip() else []


def _names(*values: object) -> list[NameDict]:
    out: list[NameDict | None] = []
    for value in values:
        for name in _text_list(value):
            family, comma, rest = name.partition(",")
            if not comma:
                out.append(literal(name))
                continue
            given, _, suffix = rest.partition(",")
            suffix = suffix.strip()
            out.append(person(f"{family.strip()}, {suffix}" if suffix else family, given))
    return names_field(out)


def _ris_date(text: str | None) -> str | None:
    """RIS dates are YYYY/MM/DD/other with any part empty ("2019///", "2019/06/12/")."""
    if not text:
        return None
    parts = [p.strip() for p in text.replace("-", "/").split("/")]
    numbers = []
    for part in parts[:3]:
        if not part.isdigit():
            break
        numbers.append(part)
    return date_text(*numbers) if numbers else None


def _more_precise(*dates: str | None) -> str | None:
    present = [d for d in dates if d]
    return max(present, key=len) if present else None


def _pages(entry: dict[str, object]) -> str | None:
    start, end = first_text(entry.get("start_page")), first_text(entry.get("end_page"))
    if start and end and start != end:
        return f"{start}-{end}"
    return start or end


def _serial_numbers(entry: dict[str, object]) -> tuple[str | None, str | None]:
    """SN holds an ISBN or an ISSN, sometimes several with remarks ("978... (pbk.)")."""
    isbn = issn = None
    for value in _text_list(entry.get("issn")):
        for piece in re.split(r"[\s;,]+|\(", value):
            if issn is None and check_issn(piece).ok and len(piece.replace("-", "")) == 8:
                issn = piece
            elif isbn is None and check_isbn(piece).ok:
                isbn = piece
    first = first_text(*_text_list(entry.get("issn")))
    if isbn is None and issn is None and first:  # not valid: let the check report why
        return (first, None) if len(re.sub(r"\D", "", first)) > 8 else (None, first)
    return isbn, issn


def _fields(entry: dict[str, object]) -> dict[str, object]:
    kind = RIS_TYPES.get(str(entry.get("type_of_reference", "")).strip(), "misc")
    container = first_text(entry.get("secondary_title"))
    journal = first_text(entry.get("journal_name"), entry.get("alternate_title3"),
                         entry.get("alternate_title1"), entry.get("alternate_title2"))
    publisher = first_text(entry.get("publisher"))
    isbn, issn = _serial_numbers(entry)
    urls = _text_list(entry.get("urls"))
    notes = _text_list(entry.get("notes"))
    return {
        "type": kind,
        "title": first_text(entry.get("title"), entry.get("primary_title")),
        "authors": _names(entry.get("authors"), entry.get("first_authors")),
        "editors": _names(entry.get("secondary_authors")),
        "site": container if kind in ("online", "dataset") else None,
        "journal": (journal or container) if kind == "article" else None,
        "booktitle": container if kind in ("inproceedings", "misc") else None,
        "publisher": publisher if kind != "report" else None,
        "institution": publisher if kind == "report" else None,
        "date": _more_precise(_ris_date(first_text(entry.get("year"))),
                              _ris_date(first_text(entry.get("date"))),
                              _ris_date(first_text(entry.get("publication_year")))),
        "url": urls[0] if urls else None,
        "accessed": _ris_date(first_text(entry.get("access_date"))),
        "language": first_text(entry.get("language")),
        "note": " ".join(notes) if notes else None,
        "doi": first_text(entry.get("doi")),
        "isbn": isbn,
        "issn": issn,
        "volume": first_text(entry.get("volume")),
        "number": first_text(entry.get("number")),
        "pages": _pages(entry),
        "edition": first_text(entry.get("edition")),
    }
