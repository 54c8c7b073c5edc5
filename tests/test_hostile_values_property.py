"""Property: any text in any field of a map, control characters and escapes included, is
either loaded or refused in one inert line; no command answers it with a traceback.

Values are drawn from all of Unicode (C0 and C1 controls, ESC sequences, NUL, line and
paragraph separators, bidi overrides, non-characters, astral planes) and written as YAML
double-quoted escapes, so the map itself always parses."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples

from refmap.cli import cli
from refmap.values import inert

HOSTILE = st.lists(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    ["\x1b[31m", "\x00", "\x85", "\x9b", "\r", "\n", "\u202e", "\u2028", "\ufffe", "\uffff",
     "Error: ", "'", '"', "\\", "%", ":", "80 percent", "2019-06-12", "https://"]),
    max_size=8).map("".join)
FIELDS = ("citekey", "type", "title", "url", "date", "accessed", "doi", "pages", "author",
          "id", "quote", "kind", "status", "note", "tag", "source", "locator", "excerpt",
          "essay-title", "essay-url")
TEMPLATE = """version: 1
essay:
  path: essay.txt
  title: {essay-title}
  url: {essay-url}
sources:
  {citekey}:
    type: {type}
    title: {title}
    url: {url}
    date: {date}
    accessed: {accessed}
    doi: {doi}
    pages: {pages}
    authors:
      - family: {author}
claims:
  - id: {id}
    quote: {quote}
    kind: {kind}
    status: {status}
    note: {note}
    tags: [{tag}]
    citations:
      - source: {source}
        locator: {locator}
        excerpt: {excerpt}
"""
SANE = {"citekey": "src1", "type": "online", "title": "A page", "url": "https://example.org/a",
        "date": "2019-06-12", "accessed": "2020-01-02", "doi": "10.1000/x1", "pages": "12-34",
        "author": "Kim", "id": "c1", "quote": "80 percent of voters agreed", "kind": "poll",
        "status": "sourced", "note": "n", "tag": "polls", "source": "src1",
        "locator": "p. 1", "excerpt": "80 percent", "essay-title": "T",
        "essay-url": "https://example.org/e"}


def yaml_double_quoted(value: str) -> str:
    """Any text as a YAML double-quoted scalar: JSON's escapes, which YAML shares, plus the
    line and paragraph separators and NEL that YAML would read as line breaks."""
    text = json.dumps(value, ensure_ascii=False)
    for raw in ("\u2028", "\u2029", "\x85"):
        text = text.replace(raw, f"\\u{ord(raw):04x}")
    return text


@st.composite
def hostile_maps(draw: st.DrawFn) -> str:
    values = dict(SANE)
    for field in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True)):
        values[field] = draw(HOSTILE)
    return TEMPLATE.format(**{k: yaml_double_quoted(v) for k, v in values.items()})


COMMANDS = (["check"], ["check", "--format", "github"], ["anchors"], ["list", "--format", "json"],
            ["export", "bibtex"], ["coverage"], ["uncovered"])


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=hostile_maps(), command=st.sampled_from(COMMANDS))
def test_any_value_loads_or_is_one_inert_line(tmp_path: Path, text: str, command: list[str]):
    (tmp_path / "essay.txt").write_text("One year on, 80 percent of voters agreed.\n", "utf-8")
    (tmp_path / "claims.yaml").write_text(text, "utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:  # an exception other than SystemExit would be a traceback for the user
        result = CliRunner().invoke(cli, command, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1, 2)
    for line in result.stderr.splitlines():
        assert inert(line) == line, line
    if result.exit_code == 2:
        assert result.stdout == ""
        assert all(line.startswith("Error: ") for line in result.stderr.splitlines())
    if command[0] == "check":
        for line in result.stdout.splitlines():
            assert inert(line) == line, line
