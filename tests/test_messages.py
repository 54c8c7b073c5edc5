"""Messages stay one line per problem and inert, whatever the values they echo.

Every schema error that echoes a value, and every finding code, is raised here with values
(and file names) holding a newline, a carriage return, a terminal escape (ESC [31m) and a
right-to-left override. Each problem must print as exactly one line, with those characters
shown as \\n, \\r, \\x1b and \\u202e, in the text and the GitHub formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refmap.findings import CODES
from refmap.project import load
from refmap.render.findings import render
from refmap.values import inert

HOSTILE_MAP_NAME = "m\n\r\x1b[31m\u202e.yaml"
SHOWN_MAP_NAME = "m\\n\\r\\x1b[31m\\u202e.yaml"
ESSAY_NAME = "e\n\u202e.txt"
ESSAY = ("Alpha beta gamma delta epsilon zeta. The summit took place in Singapore city. "
         "In 2018 the talks began. Twice said. Twice said. Quotes \u201ccurly\u201d here. "
         "Before this, moved words stand here now. Changed words are here \u202e today okay "
         "fine. Turnout rose to 35 percent in \u202e Seoul that week.\n")
EVERY_FINDING = r'''version: 1
essay:
  path: "e\n\u202e.txt"
  url: "javascript:alert(1)\n\u202e"
sources:
  src1:
    type: online
    title: "A page \u202e\nError: x"
    url: "javascript:x\n\u202e"
    "titel\n\u202e\nError: x": oops
  unused1:
    type: inproceedings
    title: A paper
    authors: [{literal: Org}]
    date: "2999"
    ids: [dated]
  dated:
    type: online
    title: T
    url: https://example.org/a
    date: "2020-01-01"
    accessed: "2019-01-01"
    journal: J
claims:
  - id: u1
    quote: Alpha beta gamma delta epsilon zeta
    kind: event
  - id: s1
    quote: The summit took place
    kind: event
    status: unverified
  - id: d1
    quote: Singapore city
    kind: event
    citations:
      - source: "nosuch\n\u202e"
  - id: dup
    quote: In 2018 the talks began
    kind: event
    citations:
      - source: src1
        locator: p. 1
        excerpt: no number here
      - source: src1
        locator: p. 1
        excerpt: still none
      - source: dated
  - id: dup
    quote: Nothing like this at all exists
    kind: event
    status: disputed
    note: n
  - id: amb
    quote: Twice said
    kind: event
    status: disputed
    note: n
  - id: typo
    quote: 'Quotes "curly" here'
    kind: event
    status: disputed
    note: n
  - id: moved
    quote: moved words stand here now
    prefix: "Nowhere near, "
    kind: event
    status: disputed
    note: n
  - id: changed
    quote: "Changed words are here \u202e yesterday okay fine"
    kind: event
    status: disputed
    note: n
  - id: figure-changed
    quote: "Turnout rose to 53 percent in \u202e Seoul that week"
    kind: event
    status: disputed
    note: n
ignore:
  - "Gone \u202e\nError: x from the essay"
'''
"""One map that raises every finding code, with hostile values wherever a message echoes one."""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / ESSAY_NAME).write_text(ESSAY, "utf-8")
    (tmp_path / HOSTILE_MAP_NAME).write_text(EVERY_FINDING, "utf-8")
    return tmp_path


def assert_one_inert_line_each(output: str, count: int) -> list[str]:
    assert output.endswith("\n")
    lines = output[:-1].split("\n")
    assert len(lines) == count
    for line in lines:
        assert inert(line) == line, line  # no control character, escape or bidi override left
        assert "\r" not in line
    return lines


LIBRARY_CODES = {"library-shadowed", "library-conflict", "library-entry", "unknown-name"}
"""The codes that stand in a linked library, not in the map: raised by the hostile library
below."""
HOSTILE_LIBRARY_NAME = "l\u202e.bib"
"""A map's values hold no control character, so a library's name holds an override only."""
HOSTILE_LIBRARY = """\
@online{src1, title = {Shadowed}}

@artcle{lib1, title = {Lib \u202e one}, jounral = {J}, date = {2019},
  url = {https://example.org/a}, urldate = {2020-01-01}, volume = {inf}}

@online{lib1, title = {Another \x1b[31m one}}
"""


def test_the_map_raises_every_finding_code(hostile: Path, run):
    result = run(["check", "--map", HOSTILE_MAP_NAME, "--format", "json"], cwd=hostile)
    assert result.exit_code == 1
    assert {f["code"] for f in json.loads(result.stdout)} == set(CODES) - LIBRARY_CODES


def test_a_hostile_library_raises_every_library_code_one_inert_line_each(hostile: Path, run):
    (hostile / HOSTILE_LIBRARY_NAME).write_text(HOSTILE_LIBRARY, "utf-8")
    (hostile / "linked.yaml").write_text(
        EVERY_FINDING.replace("sources:\n", f"bibliography: {json.dumps(HOSTILE_LIBRARY_NAME)}"
                                            "\nsources:\n", 1)
        .replace("      - source: dated\n", "      - source: dated\n      - source: lib1\n", 1),
        "utf-8")
    result = run(["check", "--map", "linked.yaml", "--format", "json"], cwd=hostile)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert {f["code"] for f in found} == set(CODES)
    assert {f["position"]["file"] for f in found if f["code"] in LIBRARY_CODES} == {
        HOSTILE_LIBRARY_NAME}
    for fmt in ("text", "github"):
        text = run(["check", "--map", "linked.yaml", "--format", fmt], cwd=hostile).stdout
        lines = assert_one_inert_line_each(text, len(found) + (fmt == "text"))
        library = [line for line in lines if "l\\u202e.bib" in line]
        assert len(library) == sum(f["code"] in LIBRARY_CODES for f in found)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_every_finding_renders_as_one_inert_line(hostile: Path, fmt: str):
    findings = load(hostile / HOSTILE_MAP_NAME).check().findings
    lines = assert_one_inert_line_each(render_findings(findings, fmt),
                                       len(findings) + (fmt == "text"))
    for finding, line in zip(findings, lines):
        if fmt == "text":
            assert line.startswith(f"{str(hostile / SHOWN_MAP_NAME)}:"), line
            assert line.endswith(f" [{finding.code}]")
        else:
            assert f"file={_gh(str(hostile / SHOWN_MAP_NAME))}," in line, line
            assert f",title={finding.code}::" in line
    assert "javascript:alert(1)\\n\\u202e" in lines[0]


def _gh(path: str) -> str:
    return path.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")


def render_findings(findings, fmt: str) -> str:  # type: ignore[no-untyped-def]
    from refmap.findings import CheckResult

    return render(CheckResult(list(findings)), fmt)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_every_finding_through_the_cli(hostile: Path, fmt: str, run):
    result = run(["check", "--map", HOSTILE_MAP_NAME, "--format", fmt], cwd=hostile)
    assert (result.exit_code, result.stderr) == (1, "")
    lines = assert_one_inert_line_each(result.stdout,
                                       len(set(CODES) - LIBRARY_CODES) + 2 + (fmt == "text"))
    assert all(SHOWN_MAP_NAME in line for line in lines[:-1])
    echoed = [line for line in lines if "unknown key" in line or "unknown source" in line]
    assert len(echoed) == 2
    assert "'titel\\n\\u202e\\nError: x'" in echoed[0]
    assert "cites unknown source 'nosuch\\n\\u202e'" in echoed[1]


# -- schema errors --------------------------------------------------------------------------

PAYLOADS = {"newline": ("\\n", "\\n"), "return": ("\\r", "\\r"),
            "escape": ("\\e[31m", "\\x1b"), "rtl-override": ("\\u202e", "\\u202e")}
"""Name -> (as written in a double-quoted YAML value, as it must be shown)."""

HEAD = "version: 1\nessay:\n  path: essay.txt\n"
CLAIM = "claims:\n  - id: c1\n    quote: 80 percent agreed\n    kind: {kind}\n"
SCHEMA_SITES = {
    "kind": HEAD + CLAIM.format(kind='"pol{V}"'),
    "status": HEAD + CLAIM.format(kind="poll") + '    status: "ok{V}"\n',
    "draft": HEAD + CLAIM.format(kind="poll") + '    draft: "maybe{V}"\n',
    "claim-id": HEAD + 'claims:\n  - id: "c{V}1"\n    quote: q\n    kind: poll\n',
    "quote": HEAD + CLAIM.format(kind="poll").replace("80 percent agreed", '"{V}"'),
    "citekey": HEAD + 'sources:\n  "src{V}":\n    type: misc\n    title: T\n',
    "source-type": HEAD + 'sources:\n  src1:\n    type: "onl{V}"\n    title: T\n',
    "date": HEAD + 'sources:\n  src1:\n    type: misc\n    title: T\n    date: "2019{V}"\n',
    "pages": HEAD + 'sources:\n  src1:\n    type: misc\n    title: T\n    pages: "twelve{V}"\n',
    "eprinttype": HEAD + 'sources:\n  src1:\n    type: misc\n    title: T\n    eprinttype: "arx{V}"\n',
    "essay-format": HEAD + '  format: "tx{V}"\n',
    "essay-path": 'version: 1\nessay:\n  path: "e{V}.txt"\n',
    "version": 'version: "1{V}"\nessay:\n  path: essay.txt\n',
    "duplicate-key": HEAD + 'sources:\n  "k{V}":\n    type: misc\n    title: T\n  "k{V}":\n    type: misc\n    title: U\n',
    "two-claims": HEAD + 'claims:\n  - id: c1\n    quote: q\n    kind: "a{V}"\n  - id: c2\n    quote: q\n    kind: "b{V}"\n',
}
"""Schema positions whose error echoes a value; {V} is replaced by a payload."""


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("site", sorted(SCHEMA_SITES))
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_schema_errors_echo_values_inert(site: str, payload: str, fmt: str, tmp_path: Path,
                                         run):
    written, shown = PAYLOADS[payload]
    (tmp_path / "essay.txt").write_text("80 percent agreed.\n", "utf-8")
    (tmp_path / "claims.yaml").write_text(SCHEMA_SITES[site].replace("{V}", written), "utf-8")
    result = run(["check", "--format", fmt], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    lines = assert_one_inert_line_each(result.stderr, 2 if site == "two-claims" else 1)
    for line in lines:
        assert line.startswith("Error: "), line
    if site != "quote":  # an empty or invisible quote is named, not echoed
        assert all(shown in line for line in lines), lines
