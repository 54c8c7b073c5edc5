"""The pandoc Lua filter (refmap/filters/refmap.lua) run by pandoc on a Markdown essay, the
anchors JSON it reads (`refmap export anchors`) and `refmap filter-path`."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

from refmap.exporters.filters import lua_filter_path

MAP = """\
version: 1
essay:
  path: essay.md
sources:
  pew: {type: report, title: Poll, institution: Pew, date: "2018"}
claims:
  - id: poll
    quote: 80 percent of voters supported "big" talks
    kind: poll
    citations:
      - {source: pew, locator: p. 4, excerpt: 80 percent}
  - id: hanoi
    quote: The Hanoi summit ended abruptly
    kind: event
  - id: stale
    quote: negotiations seem to have stalled
    kind: event
    citations:
      - {source: pew, excerpt: stalled}
  - id: view
    quote: talks should go on
    kind: opinion
  - id: dash
    quote: a deal — or not
    kind: statement
    citations:
      - {source: pew, excerpt: deal}
"""

ESSAY = """\
---
title: An essay
---

In 2018, 80 percent of *voters* supported “big”
talks [@pew, p. 4]. The [Hanoi
summit](https://example.org) ended abruptly.[^1] We think talks should go on.
It is a deal--or not.

[^1]: negotiations seem to have stalled
"""

UNSOURCED = "refmap: warning: claim 'hanoi' is unsourced [unsourced]\n"
STALE = ("refmap: warning: claim 'stale': quote not found in the document: "
         "\"negotiations seem to have stalled\" [quote-not-found]\n")


def pandoc(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pandoc", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    (tmp_path / "essay.md").write_text(ESSAY, "utf-8")
    return tmp_path


def test_export_anchors_writes_each_claim(project: Path, run):
    result = run(["export", "anchors"], cwd=project)
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("refmap-anchors", "essay", "map")} == {
        "refmap-anchors": 1, "essay": "essay.md", "map": "claims.yaml"}
    assert data["claims"][0] == {
        "id": "poll", "quote": '80 percent of voters supported "big" talks',
        "match": '80 percent of voters supported "big" talks', "status": "sourced",
        "sourced": True, "needs_source": False, "anchor": "normalised", "line": 5, "column": 10}
    assert [(c["id"], c["needs_source"], c["anchor"], c["line"]) for c in data["claims"]] == [
        ("poll", False, "normalised", 5), ("hanoi", True, "exact", 6),
        ("stale", False, "missing", None), ("view", False, "exact", 7),
        ("dash", False, "normalised", 8)]


def test_filter_warns_about_the_unsourced_claim_and_the_stale_quote(project: Path, run):
    assert run(["export", "anchors", "-o", "refmap-anchors.json"], cwd=project).exit_code == 0
    result = pandoc(["essay.md", "--lua-filter", str(lua_filter_path()), "-t", "html"], project)
    assert result.returncode == 0
    assert result.stderr == UNSOURCED + STALE
    plain = pandoc(["essay.md", "-t", "html"], project)
    assert result.stdout == plain.stdout  # the document is not changed


def test_filter_reads_the_file_metadata_names_and_runs_after_citeproc(project: Path, run):
    assert run(["export", "anchors", "-o", "build-anchors.json"], cwd=project).exit_code == 0
    assert run(["export", "csl-json", "-o", "refs.json"], cwd=project).exit_code == 0
    result = pandoc(["essay.md", "--citeproc", "--bibliography", "refs.json", "--lua-filter",
                     str(lua_filter_path()), "-M", "refmap-anchors=build-anchors.json",
                     "-t", "plain"], project)
    assert result.returncode == 0
    assert result.stderr == UNSOURCED + STALE
    assert "talks (“Poll” 2018, 4)." in result.stdout


def test_a_quote_back_in_the_text_and_a_source_added_silence_the_filter(project: Path, run):
    (project / "essay.md").write_text(ESSAY.replace(
        "We think", "But negotiations\u00a0seem to  have\nstalled. We think"), "utf-8")
    (project / "claims.yaml").write_text(MAP.replace(
        "    kind: event\n  - id: stale",
        "    kind: event\n    citations:\n      - {source: pew, excerpt: x}\n  - id: stale"), "utf-8")
    assert run(["export", "anchors", "-o", "refmap-anchors.json"], cwd=project).exit_code == 0
    data = json.loads((project / "refmap-anchors.json").read_text("utf-8"))
    assert [c["anchor"] for c in data["claims"]] == ["normalised", "exact", "exact", "exact", "normalised"]
    result = pandoc(["essay.md", "--lua-filter", str(lua_filter_path()), "-o", "out.html"], project)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_missing_anchors_file_is_one_warning(project: Path):
    result = pandoc(["essay.md", "--lua-filter", str(lua_filter_path()), "-t", "html"], project)
    assert result.returncode == 0
    assert result.stderr == (
        "refmap: warning: cannot read the anchors file (refmap-anchors.json: No such file or "
        "directory); write it with 'refmap export anchors -o refmap-anchors.json'\n")


def test_an_anchors_file_of_another_version_is_one_warning(project: Path):
    (project / "refmap-anchors.json").write_text('{"refmap-anchors": 2, "claims": []}', "utf-8")
    result = pandoc(["essay.md", "--lua-filter", str(lua_filter_path()), "-t", "html"], project)
    assert result.stderr == (
        "refmap: warning: refmap-anchors.json is not an anchors file refmap.lua reads (version "
        "1); write it again with 'refmap export anchors'\n")


def test_json_escapes_and_hostile_ids_reach_stderr_inert(project: Path):
    claims = [{"id": "a\u001b[31mb", "quote": "tab\there \\ \"q\" \u00e9\ud83d\ude00",
               "match": "tab here \\ \"q\" \u00e9\ud83d\ude00", "needs_source": True}]
    (project / "refmap-anchors.json").write_text(
        json.dumps({"refmap-anchors": 1, "claims": claims}), "utf-8")  # ASCII with \u escapes
    result = pandoc(["essay.md", "--lua-filter", str(lua_filter_path()), "-t", "html"], project)
    assert result.stderr == (
        "refmap: warning: claim 'a\\x1b[31mb' is unsourced [unsourced]\n"
        "refmap: warning: claim 'a\\x1b[31mb': quote not found in the document: "
        "\"tab\\there \\\\ \"q\" \u00e9\U0001f600\" [quote-not-found]\n")


def test_filter_path_prints_the_shipped_filter(run):
    result = run(["filter-path"])
    assert (result.exit_code, result.stderr) == (0, "")
    path = Path(result.stdout.rstrip("\n"))
    assert path == ROOT / "refmap" / "exporters" / "filters" / "refmap.lua" and path.is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert config["tool"]["setuptools"]["package-data"]["refmap.exporters.filters"] == ["*.lua"]


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_anchors_export_follows_its_schema(which: str, project: Path, run):
    import jsonschema

    from refmap.mapfile.schema import load_map

    schema = json.loads((ROOT / "docs" / "json" / "anchors-export.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    map_path = ROOT / "claims.yaml" if which == "bundled" else project / "claims.yaml"
    result = run(["export", "anchors", "--map", str(map_path)], cwd=project)
    data = json.loads(result.stdout)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert [c["id"] for c in data["claims"]] == [c.id for c in load_map(map_path).claims]
