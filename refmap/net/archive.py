"""The Wayback Machine: the snapshot closest to a date, and Save Page Now.

Both return a Snapshot (the archived copy's URL and its date as YYYY-MM-DD) for the map's
`archive` field. Any answer that does not have the documented shape is an ArchiveError, one
line, with nothing of the answer's body echoed but a short, escaped excerpt.
"""

from __future__ import annotations

import json
import re
from datetime import date as Date
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

from refmap.errors import RefmapError
from refmap.net.http import HttpClient, Response
from refmap.net.services import service_url

TIMESTAMP = re.compile(r"/web/([0-9]{14})(?:[a-z]{2}_)?/")
"""A Wayback playback path: /web/YYYYMMDDhhmmss/URL (optionally with a mode like id_)."""
AVAILABILITY = "the Wayback availability service"
REQUEST_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class ArchiveError(RefmapError):
    """The archive service could not be asked, or answered something unusable."""


class Snapshot(NamedTuple):
    """An archived copy of a page."""

    url: str
    """Where the copy is played back, e.g. https://web.archive.org/web/20190612.../URL."""
    date: str
    """When it was captured, YYYY-MM-DD."""
    timestamp: str
    """The capture time as the archive writes it, YYYYMMDDhhmmss."""


def closest_snapshot(client: HttpClient, url: str, near: str | None = None,
                     base: str | None = None) -> Snapshot | None:
    """The capture of url closest to `near` (YYYY[-MM[-DD]], e.g. the source's `accessed`).

    None when the archive holds no capture that answered 2xx or 3xx. `base` overrides the
    availability endpoint (REFMAP_WAYBACK_URL by default).
    """
    endpoint = base or service_url("wayback")
    query = f"url={quote(url, safe='')}"
    if near is not None:
        query += f"&timestamp={_request_timestamp(near)}"
    response = client.fetch(f"{endpoint}?{query}", accept="application/json")
    if response.status != 200:
        raise ArchiveError(f"the Wayback availability service answered {response.status}")
    closest = _closest_record(_json_object(response))
    if closest is None:
        return None
    status = str(closest.get("status", ""))
    if closest.get("available") is False or status[:1] not in ("2", "3"):
        return None
    snapshot_url, timestamp = closest.get("url"), closest.get("timestamp")
    if not isinstance(snapshot_url, str) or not isinstance(timestamp, str):
        raise _malformed("a snapshot without a url or timestamp")
    return _snapshot(_https_wayback(snapshot_url), timestamp)


def save_page(client: HttpClient, url: str, base: str | None = None) -> Snapshot:
    """Ask Save Page Now to capture url; the new capture's address and date.

    Uses the anonymous GET interface (`/save/URL`), which answers with the capture's path in
    Content-Location or by redirecting to it. `base` overrides REFMAP_SAVE_URL.
    """
    endpoint = base or service_url("save")
    response = client.fetch(f"{endpoint}/{url}", accept="text/html,*/*")
    if response.status == 429:
        raise ArchiveError("Save Page Now refused the request: too many requests (429); try later")
    if response.status >= 400:
        raise ArchiveError(f"Save Page Now answered {response.status}")
    from refmap.net.urls import UnusableURL, browser_url, header_text

    for candidate in (response.headers.get("content-location"), response.final_url):
        if candidate and TIMESTAMP.search(candidate):
            try:
                address = browser_url(header_text(candidate), base=response.final_url)
            except UnusableURL:
                continue
            match = TIMESTAMP.search(address)
            if match:
                return _snapshot(_https_wayback(address), match.group(1), "Save Page Now",
                                 also=endpoint)
    raise _malformed("no capture address in the answer", "Save Page Now")


def _request_timestamp(near: str) -> str:
    match = REQUEST_DATE.fullmatch(near.strip())
    if match is None:
        raise ArchiveError(f"not a date (YYYY-MM-DD): {near!r}")
    return "".join(part for part in match.groups() if part)


def _json_object(response: Response) -> dict[str, Any]:
    try:
        data = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed(f"not JSON: {_excerpt(response.body)}") from None
    if not isinstance(data, dict):
        raise _malformed(f"a JSON {type(data).__name__}, not an object")
    return data


def _closest_record(data: dict[str, Any]) -> dict[str, Any] | None:
    snapshots = data.get("archived_snapshots")
    if not isinstance(snapshots, dict):
        raise _malformed("no 'archived_snapshots' object")
    closest = snapshots.get("closest")
    if closest is None:
        return None
    if not isinstance(closest, dict):
        raise _malformed("'closest' is not an object")
    return closest


def _snapshot(url: str, timestamp: str, service: str = AVAILABILITY,
              also: str | None = None) -> Snapshot:
    """The snapshot, if the answer's address and timestamp are ones refmap may write: ASCII
    digits, a real date, an http(s) URL (in browser form) on one of the archive's hosts (or
    on the host of `also`, the service that answered)."""
    from refmap.net.urls import UnusableURL, browser_url, short

    if not re.fullmatch(r"[0-9]{14}", timestamp):
        raise _malformed(f"timestamp {short(timestamp)} is not YYYYMMDDhhmmss", service)
    try:
        day = Date(int(timestamp[:4]), int(timestamp[4:6]), int(timestamp[6:8]))
    except ValueError:
        raise _malformed(f"timestamp {timestamp!r} is not a date", service) from None
    if url.partition(":")[0].strip().lower() not in ("http", "https"):
        raise _malformed(f"snapshot address {short(url)} is not an http(s) URL", service)
    try:
        address = browser_url(url)
    except UnusableURL as problem:
        raise _malformed(f"snapshot address {short(url)} is not usable: {problem}", service) from None
    hosts = archive_hosts() | ({urlsplit(also).hostname or ""} if also else set())
    if urlsplit(address).hostname not in hosts:
        raise _malformed(f"snapshot address {short(url)} is not on the archive's host "
                         f"({', '.join(sorted(hosts))})", service)
    return Snapshot(address, day.isoformat(), timestamp)


def archive_hosts() -> set[str]:
    """The hosts a snapshot may be played back from: the archive's (REFMAP_ARCHIVE_URL) and
    that of Save Page Now (REFMAP_SAVE_URL), which answers with its captures' addresses."""
    return {urlsplit(service_url(name)).hostname or "" for name in ("archive", "save")}


def _https_wayback(url: str) -> str:
    """The availability API still answers http:// playback URLs; the archive serves https."""
    if url.startswith("http://web.archive.org/"):
        return "https://" + url[len("http://"):]
    return url


def _excerpt(body: bytes, limit: int = 40) -> str:
    text = body[:limit].decode("utf-8", "replace")
    return repr(text + ("..." if len(body) > limit else ""))


def _malformed(detail: str, service: str = AVAILABILITY) -> ArchiveError:
    return ArchiveError(f"malformed answer from {service}: {detail}")
