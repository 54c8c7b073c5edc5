"""`refmap add ID`: one source's fields from an identifier, looked up on the web.

- `doi:10....`: DOI content negotiation, `GET {doi service}/{doi}` asking for CSL-JSON
  (`application/vnd.citationstyles.csl+json`), read like an item of a CSL-JSON file;
- `isbn:...`: the Open Library books API (refmap.references.openlibrary);
- `url:https://...`: the page itself, through its own metadata (refmap.references.metadata), with
  `accessed` set to the day it was read.

Only fields the answer gives are kept; nothing is guessed. Every answer goes through the one
HTTP client and its disk cache, so a re-run needs no network. A failed request, an error
status, or an answer that is not what was asked for is a one-line RefmapError; the map is only
written by the caller, after a lookup succeeded.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from refmap import identifiers
from refmap.errors import RefmapError, UsageError
from refmap.values import is_web_url

if TYPE_CHECKING:
    from refmap.mapfile.model import ClaimsMap
    from refmap.references.importers.dedupe import Match
    from refmap.net.http import HttpClient, Response

CSL_JSON = "application/vnd.citationstyles.csl+json"
SCHEMES = ("doi", "isbn", "url")
MAX_KEY = 64
"""Characters of a generated citekey: YAML keys longer than 1024 are no simple keys."""


@dataclass(frozen=True)
class Identifier:
    """What the user asked for, checked and in canonical form."""

    scheme: str
    """"doi", "isbn" or "url"."""
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@dataclass(frozen=True)
class LookedUp:
    """A source's fields as an outside service or the page gives them."""

    identifier: Identifier
    fields: dict[str, object]
    """In the map's field order, identifiers canonical (importers.record.finish)."""
    url: str
    """The URL that answered."""
    from_cache: bool
    warnings: tuple[str, ...] = ()
    """Values the answer gave that are invalid, and so left out."""


def _looked_up(identifier: Identifier, raw: Mapping[str, object], response: Response,
               what: str) -> LookedUp:
    from refmap.references.importers.record import finish
    from refmap.references.intake import checked_fields

    from refmap.references.intake import unwritable

    found, problems = finish(raw)
    fields, left_out, refused = checked_fields(found)
    if refused is not None:
        raise RefmapError(f"cannot look up {what}: {refused}")
    if "title" not in fields:
        raise RefmapError(f"cannot look up {what}: the answer gives no title")
    problem = unwritable(fields)
    if problem is not None:
        raise RefmapError(f"cannot look up {what}: {problem}")
    return LookedUp(identifier, fields, response.final_url, response.from_cache,
                    problems + tuple(left_out))


_BARE_DOI = re.compile(r"10\.\d{4,9}/\S+\Z")


def parse_identifier(text: str) -> Identifier:
    """`doi:...`, `isbn:...` or `url:...` (a bare DOI, DOI URL or http(s) URL is accepted
    too); anything else is a UsageError."""
    text = text.strip()
    scheme, sep, rest = text.partition(":")
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        scheme, rest = ("doi", text) if identifiers.normalise_doi(text) else ("url", text)
    elif not sep or scheme not in SCHEMES:
        if _BARE_DOI.match(text):
            scheme, rest = "doi", text
        else:
            raise UsageError(f"'{text}' is not an identifier refmap can look up: write "
                             "doi:10.NNNN/..., isbn:978... or url:https://...")
    return Identifier(scheme, _checked(scheme, rest.strip(), text))


def _checked(scheme: str, value: str, given: str) -> str:
    if scheme == "url":
        if not is_web_url(value):
            raise UsageError(f"'{given}': not an absolute http(s) URL")
        return value
    check = identifiers.check_doi if scheme == "doi" else identifiers.check_isbn
    result = check(value)
    if result.value is None:
        raise UsageError(f"'{given}': {result.problem}")
    return result.value


def look_up(identifier: Identifier, client: HttpClient,
            today: datetime.date | None = None) -> LookedUp:
    """The source fields the identifier's service (or page) gives."""
    if identifier.scheme == "doi":
        return _by_doi(identifier, client)
    if identifier.scheme == "isbn":
        return _by_isbn(identifier, client)
    return _by_url(identifier, client, today or datetime.date.today())


def _fetch(client: HttpClient, url: str, accept: str, what: str) -> Response:
    response = client.fetch(url, accept=accept)
    if response.status == 404:
        raise RefmapError(f"{what} not found (HTTP 404 from {response.final_url!r})")
    if not 200 <= response.status < 300:
        raise RefmapError(f"cannot look up {what}: HTTP {response.status} from "
                          f"{response.final_url!r}")
    return response


def _json(response: Response, what: str) -> object:
    try:
        # NaN and Infinity are no JSON: a field holding one is simply not there
        return json.loads(response.body.decode("utf-8-sig"), parse_constant=lambda _: None,
                          parse_int=_bounded_int)
    except RecursionError:
        raise RefmapError(f"cannot look up {what}: the answer from {response.final_url!r} is "
                          "nested too deeply to be a record") from None
    except (UnicodeDecodeError, ValueError):
        raise RefmapError(f"cannot look up {what}: the answer from {response.final_url!r} "
                          f"is not JSON ({response.content_type or 'no content type'})") from None


def _bounded_int(text: str) -> int | None:
    """A JSON integer; one of hundreds of digits is no volume or year, and int() of thousands
    of digits raises (CVE-2020-10735): such a field is simply not there."""
    return int(text) if len(text) <= 100 else None


def _by_doi(identifier: Identifier, client: HttpClient) -> LookedUp:
    from refmap.references.importers.csljson import raw_fields
    from refmap.net.services import service_url

    what = f"DOI {identifier.value!r}"
    url = f"{service_url('doi')}/{quote(identifier.value, safe='/:;()')}"
    response = _fetch(client, url, CSL_JSON, what)
    item = _json(response, what)
    if isinstance(item, list) and len(item) == 1:
        item = item[0]
    if not isinstance(item, dict):
        raise RefmapError(f"cannot look up {what}: the answer from {response.final_url!r} "
                          "is not a CSL-JSON item")
    fields = raw_fields(item)  # finished once, with its warnings, in _looked_up
    fields.setdefault("doi", identifier.value)  # the resolver answered for this DOI
    return _looked_up(identifier, fields, response, what)


def _by_isbn(identifier: Identifier, client: HttpClient) -> LookedUp:
    from refmap.net.services import service_url
    from refmap.references.openlibrary import openlibrary_fields

    isbn = identifier.value
    url = f"{service_url('openlibrary')}/api/books?bibkeys=ISBN:{isbn}&format=json&jscmd=data"
    response = _fetch(client, url, "application/json", f"ISBN {isbn!r}")
    data = _json(response, f"ISBN {isbn!r}")
    fields = dict(openlibrary_fields(data, isbn, origin=response.final_url))
    return _looked_up(identifier, fields, response, f"ISBN {isbn!r}")


def _by_url(identifier: Identifier, client: HttpClient, today: datetime.date) -> LookedUp:
    from refmap.references.metadata import page_metadata
    from refmap.net.pages import decode_html

    what = f"page {identifier.value!r}"
    response = _fetch(client, identifier.value, "text/html,application/xhtml+xml", what)
    if response.content_type not in ("text/html", "application/xhtml+xml"):
        raise RefmapError(f"cannot read {what}: the answer is not an HTML page "
                          f"({response.content_type or 'no content type'})")
    html, _ = decode_html(response.body, response.headers.get("content-type"))
    fields: dict[str, object] = dict(page_metadata(html, response.final_url))
    fields["accessed"] = today.isoformat()
    return _looked_up(identifier, fields, response, what)


# -- adding the source ---------------------------------------------------------------------


@dataclass(frozen=True)
class AddReport:
    """What `refmap add` found, and whether it becomes a new source."""

    found: LookedUp
    key: str | None
    """The key of the new source; None when it duplicates one the map has."""
    match: Match | None = None


def plan_add(cmap: ClaimsMap, found: LookedUp, key: str | None = None,
             literal: bool = False) -> AddReport:
    """The new source's key (the given one, else generated), or the existing source it
    duplicates. A given key that is invalid or taken is a UsageError. With literal, every
    name is kept as one string (as it reads), never split into family and given names."""
    if literal:
        found = dataclasses.replace(found, fields=_literal_names(found.fields))
    from refmap.references.importers.dedupe import DuplicateIndex
    from refmap.references.importers.keys import generate_key, is_valid_key, with_suffix
    from refmap.references.importers.record import source_to_fields

    existing = {k: source_to_fields(s) for k, s in cmap.sources.items()}
    index = DuplicateIndex(existing, cmap.aliases)
    match = index.find(found.fields) or index.same_identifier(found.identifier.scheme,
                                                               found.fields)
    if match is not None:
        return AddReport(found, None, match)
    if key is None:
        taken = {*existing, *cmap.library, *cmap.library_aliases}  # a library's keys too
        key = generate_key(found.fields, taken)
        if len(key) > MAX_KEY:  # a title word of thousands of letters
            key = with_suffix(key[:MAX_KEY].rstrip(":.-/_"), taken)
        return AddReport(found, key)
    if not is_valid_key(key):
        raise UsageError(f"--key: '{key}' is not a valid citekey (letters, digits, _ and "
                         "single : . - / inside; at least one letter)")
    if cmap.resolve(key) is not None:
        raise UsageError(f"--key: source '{key}' is already in the map")
    return AddReport(found, key)


def _literal_names(fields: Mapping[str, object]) -> dict[str, object]:
    from refmap.references.names import as_literal

    out = dict(fields)
    for role in ("authors", "editors", "translators"):
        names = out.get(role)
        if isinstance(names, list):
            out[role] = [as_literal(n) if isinstance(n, dict) else n for n in names]
    return out


def _name_lines(fields: Mapping[str, object]) -> list[str]:
    """The names as refmap will write them, so a wrong split shows before it is written."""
    from refmap.references.names import describe

    lines = []
    for role in ("authors", "editors", "translators"):
        names = fields.get(role)
        if isinstance(names, list):
            lines += [f"  {role[:-1]}: {describe(n)}" for n in names if isinstance(n, dict)]
    return lines


def render_add(report: AddReport) -> list[str]:
    """The report as the CLI prints it."""
    found = report.found
    origin = " (from the cache)" if found.from_cache else ""
    lines = [f"{found.identifier}: {found.url}{origin}"]
    lines += [f"  {warning}" for warning in found.warnings]
    if report.match is not None:
        match = report.match
        lines.append(f"already in the map as '{match.key}' (same {match.by}); not added")
        lines += [f"  {d.field}: kept {d.existing!r}, found {d.incoming!r}"
                  for d in match.differences]
        return lines
    lines.append(f"added '{report.key}': {found.fields.get('title')}")
    if found.identifier.scheme != "doi":  # names that arrived as one string each
        names = _name_lines(found.fields)
        lines += names
        if any("family:" in line for line in names):
            lines.append("  (names split into family and given; --literal keeps each as written)")
    return lines
