"""Scholarly identifiers and page ranges: validation, canonical forms, comparison keys.

Every check returns a `Checked`: the canonical value, or the reason it is not valid, written
to end a one-line error ("ISBN check digit is 3, expected 7"). Canonical forms stored in a map:

- DOI: ``10.<registrant>/<suffix>`` without any ``https://doi.org/``, ``doi:`` prefix; case
  kept as given, compared case-insensitively (DOIs are case-insensitive by definition).
- ISBN: ISBN-13, digits only (an ISBN-10 is converted: each has exactly one ISBN-13), so
  that the two forms of one book compare equal.
- ISSN: ``NNNN-NNNC`` with an upper-case ``X`` check character.
- arXiv: the bare id, new style ``2101.00001v2`` or old style ``hep-th/9901001``.
- PubMed: the PMID's digits without leading zeros.
- pages: ASCII ranges, ``12-34`` (a list as ``12-34, 56``); exports render the dash each
  format wants with `render_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from refmap.values import SIMPLE_WEB_URL


@dataclass(frozen=True)
class Checked:
    """The outcome of a check: a canonical value, or the reason there is none."""

    value: str | None
    """The canonical form; None when the text is not valid."""
    problem: str | None = None
    """Why the text is not valid, as the end of a one-line message."""

    @property
    def ok(self) -> bool:
        return self.value is not None


def _bad(problem: str) -> Checked:
    return Checked(None, problem)


# -- DOI ---------------------------------------------------------------------------------------

_DOI_PREFIX = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", re.IGNORECASE
)
_DOI = re.compile(r"10\.\d+(?:\.\d+)*/\S+\Z")
_REGISTRANT = re.compile(r"10\.\d+(?:\.\d+)*")


def check_doi(text: str) -> Checked:
    """A DOI: ``10.`` + registrant (digits, dotted) + ``/`` + suffix, prefixes stripped."""
    doi = text.strip()
    prefix = _DOI_PREFIX.match(doi)
    if prefix:
        was_url = prefix.group().lower().startswith("http")
        doi = doi[prefix.end():]
        if was_url:
            doi = unquote(doi)
    if not doi.startswith("10."):
        return _bad(f"DOI {text!r} does not start with '10.'")
    registrant, slash, suffix = doi.partition("/")
    if not _REGISTRANT.fullmatch(registrant):
        return _bad(f"DOI {text!r} has a registrant that is not dotted digits (as in 10.1000/...)")
    if not slash or not suffix:
        return _bad(f"DOI {text!r} has no suffix after '10.<registrant>/'")
    if not _DOI.match(doi) or not doi.isprintable():
        return _bad(f"DOI {text!r} contains spaces or control characters")
    return Checked(doi)


def normalise_doi(text: str) -> str | None:
    """The canonical DOI, or None if the text is not one."""
    return check_doi(text).value


def same_doi(a: str, b: str) -> bool:
    """Whether two DOIs (in any accepted form) name the same object."""
    da, db = normalise_doi(a), normalise_doi(b)
    return da is not None and db is not None and da.lower() == db.lower()


# -- ISBN, ISSN --------------------------------------------------------------------------------

def _isbn10_check(digits: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _isbn13_check(digits: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return str((10 - total % 10) % 10)


def check_isbn(text: str) -> Checked:
    """An ISBN-10 or ISBN-13 (hyphens and spaces allowed), as ISBN-13 digits."""
    compact = re.sub(r"^ISBN(?:-1[03])?:?\s*", "", text.strip(), flags=re.IGNORECASE)
    compact = re.sub(r"[\s\-]", "", compact).upper()
    if len(compact) == 10 and re.fullmatch(r"\d{9}[\dX]", compact):
        expected = _isbn10_check(compact)
        if compact[9] != expected:
            return _bad(f"ISBN check digit is {compact[9]}, expected {expected}")
        body = "978" + compact[:9]
        return Checked(body + _isbn13_check(body))
    if len(compact) == 13 and compact.isdigit():
        if compact[:3] not in ("978", "979"):
            return _bad(f"ISBN-13 {text!r} does not start with 978 or 979")
        expected = _isbn13_check(compact)
        if compact[12] != expected:
            return _bad(f"ISBN check digit is {compact[12]}, expected {expected}")
        return Checked(compact)
    return _bad(f"ISBN {text!r} is not 10 or 13 digits (the last of an ISBN-10 may be X)")


def normalise_isbn(text: str) -> str | None:
    return check_isbn(text).value


def check_issn(text: str) -> Checked:
    """An ISSN, NNNN-NNNC (the hyphen may be left out), with its check character verified."""
    compact = re.sub(r"^ISSN:?\s*", "", text.strip(), flags=re.IGNORECASE)
    compact = compact.replace("-", "").replace(" ", "").upper()
    if not re.fullmatch(r"\d{7}[\dX]", compact):
        return _bad(f"ISSN {text!r} is not of the form NNNN-NNNC")
    total = sum((8 - i) * int(d) for i, d in enumerate(compact[:7]))
    value = (11 - total % 11) % 11
    expected = "X" if value == 10 else str(value)
    if compact[7] != expected:
        return _bad(f"ISSN check digit is {compact[7]}, expected {expected}")
    return Checked(f"{compact[:4]}-{compact[4:]}")


def normalise_issn(text: str) -> str | None:
    return check_issn(text).value


# -- eprints: arXiv, PubMed --------------------------------------------------------------------

_ARXIV_PREFIX = re.compile(r"(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_NEW = re.compile(r"(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?\Z")
_ARXIV_OLD = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?\Z")


def check_arxiv(text: str) -> Checked:
    """An arXiv id: new style YYMM.NNNNN (4 digits before 2015) or old style archive/YYMMNNN."""
    ident = _ARXIV_PREFIX.sub("", text.strip(), count=1)
    ident = re.sub(r"\.pdf\Z", "", ident)
    new = _ARXIV_NEW.match(ident)
    if new:
        month = int(new.group(2))
        digits = len(ident.split(".")[1].split("v")[0])
        if not 1 <= month <= 12:
            return _bad(f"arXiv id {text!r} has month {new.group(2)}")
        if digits != (5 if int(new.group(1)) >= 15 else 4):
            return _bad(f"arXiv id {text!r} has {digits} digits after the dot for its year")
        return Checked(ident)
    if _ARXIV_OLD.match(ident):
        return Checked(ident)
    return _bad(f"arXiv id {text!r} is neither YYMM.NNNNN nor archive/YYMMNNN")


def check_pmid(text: str) -> Checked:
    """A PubMed id: up to 8 digits (a "PMID:" prefix is allowed)."""
    ident = re.sub(r"^PMID:?\s*", "", text.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"\d{1,8}", ident) or int(ident) == 0:
        return _bad(f"PubMed id {text!r} is not a number of 1 to 8 digits")
    return Checked(str(int(ident)))


EPRINT_TYPES = ("arxiv", "pubmed", "jstor", "hdl", "googlebooks")
"""BibLaTeX's eprint types, lower-case as stored; biber accepts them in any case."""

_EPRINT_ALIASES = {"arxiv": "arxiv", "pubmed": "pubmed", "pmid": "pubmed", "jstor": "jstor",
                   "hdl": "hdl", "handle": "hdl", "googlebooks": "googlebooks"}
_EPRINT_CHECKS: dict[str, Callable[[str], Checked]] = {"arxiv": check_arxiv, "pubmed": check_pmid}


def check_eprinttype(text: str) -> Checked:
    """An eprint type from `EPRINT_TYPES` (case and a few aliases forgiven: arXiv, PMID)."""
    canonical = _EPRINT_ALIASES.get(re.sub(r"[\s_-]", "", text.strip().lower()))
    if canonical is None:
        return _bad(f"unknown eprint type {text!r} (one of: {', '.join(EPRINT_TYPES)})")
    return Checked(canonical)


def check_eprint(eprint: str, eprinttype: str) -> Checked:
    """An eprint id, checked by the rules of its (already canonical) type."""
    check = _EPRINT_CHECKS.get(eprinttype)
    if check is not None:
        return check(eprint)
    ident = eprint.strip()
    if not ident or any(ch.isspace() for ch in ident) or not ident.isprintable():
        return _bad(f"eprint {eprint!r} is empty or contains spaces")
    return Checked(ident)


# -- pages -------------------------------------------------------------------------------------

_PAGE = r"[A-Za-z]{0,3}\d+[A-Za-z]?|[ivxlcdmIVXLCDM]+"
_RANGE = re.compile(rf"({_PAGE})(?:\s*(?:-{{1,3}}|\u2013|\u2014|\u2212)\s*({_PAGE}))?\Z")
_PAGE_SEPARATOR = re.compile(r"[,;]")


def check_pages(text: str) -> Checked:
    """Pages as single pages and ranges ("12-34", "12--34", "12–34", "S1-S9, 40"), stored as
    ASCII ranges ``12-34`` joined by ", "."""
    parts = [p.strip() for p in _PAGE_SEPARATOR.split(text)]
    out = []
    for part in parts:
        m = _RANGE.match(part)
        if not part or not m:
            return _bad(f"pages {text!r} are not page numbers or ranges such as 12-34")
        out.append(m.group(1) if m.group(2) is None else f"{m.group(1)}-{m.group(2)}")
    return Checked(", ".join(out))


def normalise_pages(text: str) -> str | None:
    return check_pages(text).value


PAGE_DASHES = {"csl": "\u2013", "markdown": "\u2013", "html": "\u2013", "bibtex": "--"}
"""The range dash each export format writes: an en dash, or TeX's ``--`` ligature."""


def render_pages(pages: str, fmt: str) -> str:
    """Pages as an export writes them: "12–34" for CSL-JSON/Markdown/HTML, "12--34" for
    BibTeX. Text that is not a page list is returned unchanged."""
    canonical = normalise_pages(pages)
    if canonical is None:
        return pages
    return canonical.replace("-", PAGE_DASHES[fmt])


# -- URLs --------------------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_identity(url: str) -> str:
    """A comparison key for duplicate detection, not a URL to store or fetch.

    Two URLs that a reader would call the same page get the same key: scheme (http and
    https alike) and host case, ``www.``, default ports, a trailing slash, the fragment and
    utm_* tracking parameters do not count.
    """
    url = url.strip()
    simple = SIMPLE_WEB_URL.match(url)
    if simple is not None:  # what the general way below gives such a URL, without parsing it
        host, path = simple.groups()
        return "http://" + host.lower().removeprefix("www.") + (path or "").rstrip("/")
    return _parsed_identity(url)


def _parsed_identity(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")])
    return urlunsplit(("http" if scheme in _DEFAULT_PORTS else scheme, netloc, path, query, ""))


# -- one table for the source fields that hold identifiers -------------------------------------

FIELD_CHECKS: dict[str, Callable[[str], Checked]] = {
    "doi": check_doi,
    "isbn": check_isbn,
    "issn": check_issn,
    "pages": check_pages,
    "eprinttype": check_eprinttype,
}
"""Source field -> its check; `eprint` is checked with its type by `check_eprint`."""
