"""A review desk for tests: a copy of the bundled map pointing at a Markdown version of the
bundled essay (one quote drifted, one new sentence no claim has), served from a thread."""

from __future__ import annotations

import difflib
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRIFTED = "negotiations-stalled"
"""The claim whose quote the Markdown essay rewords (its anchor is 'changed')."""
NEW_SENTENCE = "A new paragraph says that the talks resumed in the spring of 2021."
"""A sentence of the essay that no claim quotes."""


def essay_markdown() -> str:
    text = (ROOT / "essay.txt").read_text("utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    md = "# One Year After the Singapore Summit\n\n" + "\n\n".join(paragraphs) + "\n"
    md = md.replace("negotiations seem to have stalled", "negotiations appear to have stalled")
    return md + "\n" + NEW_SENTENCE + "\n"


def map_bytes() -> bytes:
    return (ROOT / "claims.yaml").read_bytes().replace(b"path: essay.txt", b"path: essay.md", 1)


def replace_file(path: Path, data: bytes) -> None:
    """Write a file as an editor saves it (a whole new file renamed over the old), so the desk
    never reads it half written."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def write_files(folder: Path) -> Path:
    replace_file(folder / "essay.md", essay_markdown().encode())
    replace_file(folder / "claims.yaml", map_bytes())
    return folder / "claims.yaml"


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) between two versions of a file."""
    removed, added = [], []
    for line in difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                     lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, bytes]:
    """(status, body) of one request, whatever the status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def page_tokens(page_html: str) -> tuple[str, str]:
    """The map version and the anti-forgery token a desk page was rendered with."""
    import re

    version = re.search(r'id="live" data-version="([0-9a-f]*)"', page_html)
    csrf = re.search(r'name="refmap-csrf" content="([^"]+)"', page_html)
    assert version and csrf
    return version.group(1), csrf.group(1)


def post_json(base: str, path: str, token: str, body: object, csrf: str | None,
              origin: str | None) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json"}
    if csrf is not None:
        headers["X-Refmap-CSRF"] = csrf
    if origin is not None:
        headers["Origin"] = origin
    status, data = request(f"{base}{path}?token={token}", json.dumps(body).encode(), headers,
                           "POST")
    return status, json.loads(data)
