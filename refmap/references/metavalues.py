"""Value rules for source fields read from publishers' metadata (web pages, book services).

Said once here so every reader of outside metadata (page meta tags, JSON-LD, Open Library)
turns names, dates and DOIs into map fields the same way, without guessing:

- a name string is split into family and given names by refmap.references.names ("Family,
  Given" on its one comma, else by nameparser, particles and suffixes kept with the family
  name); an organisation ("Reuters Staff") or a name joined by "and" stays whole as a literal;
- a date is kept only as precise as given (YYYY, YYYY-MM or YYYY-MM-DD); a timestamp is cut
  to its date as written, in the publisher's own calendar, not converted to UTC; English
  month names are read ("June 12, 2019", "12 June 2019", "Jun 2019"); all-numeric dates in
  other orders (01/02/2019) are ambiguous and dropped;
- a DOI is stored without its resolver prefix.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from refmap.mapfile.schema import parse_date

Author = dict[str, str]
"""{"family": ..., "given": ...} for a person, {"literal": ...} for anything else."""


class SourceFields(TypedDict, total=False):
    """Source fields as a claims map writes them (only those the metadata gives)."""

    type: str
    title: str
    authors: list[Author]
    site: str
    journal: str
    booktitle: str
    publisher: str
    institution: str
    date: str
    url: str
    doi: str
    isbn: str
    issn: str
    volume: str
    number: str
    pages: str
    language: str


# -- values --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_MONTHS = {
    m: i + 1 for i, name in enumerate(
        "january february march april may june july august september october november december"
        .split()
    ) for m in (name, name[:3])
}
_ISO_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ][0-9:.+\-Z ]*)?\Z")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?(?: (\d{1,2}))?,? (\d{4})\Z")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})\Z")
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")


def clean_text(value: object) -> str | None:
    """A metadata string with whitespace runs collapsed, or None if empty or not text."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value).strip()
    return text or None


def metadata_date(value: object) -> str | None:
    """A date as YYYY[-MM[-DD]], only as precise as given; None if unreadable or ambiguous."""
    text = clean_text(value)
    if text is None:
        return None
    parts: tuple[str | None, ...]
    if m := _ISO_DATE.match(text):
        parts = m.groups()
    elif m := _MONTH_DAY_YEAR.match(text):
        parts = (m.group(3), _month(m.group(1)), m.group(2))
    elif m := _DAY_MONTH_YEAR.match(text):
        parts = (m.group(3), _month(m.group(2)), m.group(1))
    else:
        return None
    if len(parts) > 1 and parts[1] == "":
        return None  # a word that is not a month
    given = [p for p in parts if p is not None]
    date = "-".join([given[0], *(p.zfill(2) for p in given[1:])])
    return date if parse_date(date) else None


def _month(word: str) -> str:
    number = _MONTHS.get(word.lower())
    return str(number) if number else ""


def author_from_string(value: object) -> Author | None:
    """A name string as an author: a person split into family and given names by
    refmap.references.names, an organisation (or a name that cannot be split) as a literal."""
    from refmap.references.names import parse_name

    text = clean_text(value)
    if text is None or text.lower().startswith(("http://", "https://")):
        return None  # Open Graph authors are often profile URLs, not names
    return parse_name(text)


def clean_doi(value: object) -> str | None:
    """A DOI without its resolver prefix ("https://doi.org/", "doi:"), or None."""
    text = clean_text(value)
    m = _DOI.search(text) if text else None
    return m.group(1).rstrip(".,;") if m else None


def put_text(fields: dict[str, Any], key: str, value: object) -> None:
    """Set a text field if the value is non-empty text."""
    text = clean_text(value)
    if text is not None:
        fields[key] = text
