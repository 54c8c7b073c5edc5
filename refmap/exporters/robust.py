"""Robust links for the views, and what `refmap verify` found about each source.

A Robust Link (robustlinks.mementoweb.org) is a link to a live page that also names an
archived copy and its date in `data-versionurl` and `data-versiondate`, so a reader (or a
browser extension) can fall back to the copy when the page rots; the report shows the copy
beside the link as well. Only http(s) URLs become links; every value is HTML-escaped.

`read_verify_marks` reads the JSON that `refmap verify --format json` prints and says, per
source, whether verify found its page dead or an excerpt changed or missing, for the report.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from refmap.errors import LoadError
from refmap.values import inert, is_web_url

PAGE_DEAD, EXCERPT_MISSING, EXCERPT_CHANGED = "page dead", "excerpt missing", "excerpt changed"
MARK_ORDER = (PAGE_DEAD, EXCERPT_MISSING, EXCERPT_CHANGED)
"""The marks a source can carry, most serious first: a source shows only its worst."""
VERIFY_STATES = frozenset({"found", "changed", "missing", "unverifiable"})


def robust_link(url: str | None, label: str, archive: str | None, archived: str | None) -> str:
    """The label linked to url (with the archived copy in data-version*), then a link to the
    copy; the label alone when neither is an http(s) URL."""
    copy = archive if archive and is_web_url(archive) else None
    if url and is_web_url(url):
        version = ""
        if copy:
            version = f' data-versionurl="{escape(copy)}"'
            if archived:
                version += f' data-versiondate="{escape(archived)}"'
        link = f'<a href="{escape(url)}"{version} rel="noopener noreferrer">{escape(label)}</a>'
    else:
        link = escape(label)
    if copy:
        when = f" {escape(archived)}" if archived else ""
        link += (f' <small class="archived">(<a href="{escape(copy)}" rel="noopener noreferrer">'
                 f"archived{when}</a>)</small>")
    return link


def mark_badge(mark: str | None) -> str:
    """A small label for a source verify found dead or changed; '' for none."""
    if mark is None:
        return ""
    look = "flagged" if mark == PAGE_DEAD else "disputed"  # the report's own status colours
    return f' <span class="status s-{look} verify">{escape(mark)}</span>'


def _mark(record: dict[str, Any]) -> str | None:
    if record.get("page") == "dead":
        return PAGE_DEAD
    return {"missing": EXCERPT_MISSING, "changed": EXCERPT_CHANGED}.get(str(record["state"]))


def read_verify_marks(path: str | Path) -> dict[str, str]:
    """citekey -> its worst mark, from a `refmap verify --format json` file.

    Anything that is not that JSON (another file, a hand-edited one) is a one-line LoadError.
    """
    from refmap.mapfile.yamlio import read_bytes

    shown = str(path)
    data = read_bytes(Path(path), shown)
    try:
        records = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise LoadError("not JSON from 'refmap verify --format json'", path=shown) from None
    if not isinstance(records, list):
        raise LoadError("not a list of verified citations ('refmap verify --format json')",
                        path=shown)
    marks: dict[str, str] = {}
    for number, record in enumerate(records, 1):
        _check_record(record, number, shown)
        mark, current = _mark(record), marks.get(record["source"])
        if mark is not None and (current is None or MARK_ORDER.index(mark) < MARK_ORDER.index(current)):
            marks[record["source"]] = mark
    return marks


def _check_record(record: object, number: int, shown: str) -> None:
    if not isinstance(record, dict) or not isinstance(record.get("source"), str):
        raise LoadError(f"entry {number} has no 'source'", path=shown)
    if record.get("state") not in VERIFY_STATES:
        state = inert(repr(record.get("state")))
        raise LoadError(f"entry {number}: unknown state {state}", path=shown)
