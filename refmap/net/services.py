"""The outside services refmap talks to, and the environment variables that relocate them.

One table, so tests (and mirrors) can point every service at a local server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

from refmap.errors import RefmapError


class Service(NamedTuple):
    """A service's default base URL and the variable that overrides it."""

    variable: str
    default: str


SERVICES: dict[str, Service] = {
    "doi": Service("REFMAP_DOI_URL", "https://doi.org"),
    "openlibrary": Service("REFMAP_OPENLIBRARY_URL", "https://openlibrary.org"),
    "wayback": Service("REFMAP_WAYBACK_URL", "https://archive.org/wayback/available"),
    "save": Service("REFMAP_SAVE_URL", "https://web.archive.org/save"),
    # where snapshots are played back: `refmap archive` writes only addresses on this host
    "archive": Service("REFMAP_ARCHIVE_URL", "https://web.archive.org"),
}


def service_url(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The base URL of a service (no trailing slash), from its variable or the default."""
    service = SERVICES[name]
    env = os.environ if environ is None else environ
    value = env.get(service.variable) or service.default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RefmapError(f"{service.variable} is not an http(s) URL: {value!r}")
    return value.rstrip("/")
