"""Exports read by real tools: CSL-JSON against the official schema and through pandoc, the
reading list and the annotated essay through pandoc, ClaimReview structure, and the rules
every exporter's -o follows."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

from conftest import TESTS, snapshot, examples
from refmap.exporters import csljson
from refmap.mapfile.model import ClaimsMap, EssayRecord
from exporters.test_bibtex import unique_sources

CSL_SCHEMA = json.loads((TESTS / "fixtures" / "csl-data.json").read_text("utf-8"))


def pandoc(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["pandoc", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_bundled_csl_json_validates_and_keeps_citekeys(bundled: Path, run):
    result = run(["export", "csl-json"], cwd=bundled)
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    jsonschema.validate(items, CSL_SCHEMA)
    from refmap.mapfile.schema import load_map

    cmap = load_map(bundled / "claims.yaml")
    assert [i["id"] for i in items] == list(cmap.sources)
    for item in items:
        for date_key in ("issued", "accessed"):
            if date_key in item:
                assert all(isinstance(p, int) for p in item[date_key]["date-parts"][0])


@settings(max_examples=examples(40), deadline=None)
@given(unique_sources())
def test_hostile_records_give_valid_csl_json(srcs):
    cmap = ClaimsMap("m", 1, EssayRecord("e"), {s.key: s for s in srcs}, ())
    items = json.loads(csljson.export(cmap))
    jsonschema.validate(items, CSL_SCHEMA)
    assert [i["title"] for i in items] == [s.title for s in srcs]


def test_pandoc_renders_bundled_csl_json_without_warnings(bundled: Path, run):
    run(["export", "csl-json", "-o", "refs.json"], cwd=bundled)
    keys = [i["id"] for i in json.loads((bundled / "refs.json").read_text("utf-8"))]
    (bundled / "doc.md").write_text('---\nbibliography: refs.json\nnocite: "@*"\n---\n\nText.\n')
    result = pandoc(["--citeproc", "-t", "plain", "--wrap=none", "doc.md"], bundled)
    assert result.returncode == 0 and result.stderr == ""
    assert len(keys) >= 40
    assert "Singapore" in result.stdout


def test_annotated_essay_renders_with_every_citation_resolved(bundled: Path, run):
    assert run(["export", "csl-json", "-o", "references.json"], cwd=bundled).exit_code == 0
    assert run(["annotate", "-o", "annotated.md"], cwd=bundled).exit_code == 0
    text = (bundled / "annotated.md").read_text("utf-8")
    cited = set(re.findall(r"@([A-Za-z0-9_:./-]*[A-Za-z0-9_])", text))
    assert len(cited) >= 40
    result = pandoc(["--citeproc", "annotated.md", "-s", "-o", "essay.html"], bundled)
    assert result.returncode == 0
    assert "not found" not in result.stderr and result.stderr == ""
    html = (bundled / "essay.html").read_text("utf-8")
    assert 'id="refs"' in html
    # the essay's words survive Markdown: its typos and curly quotes are all still there
    plain = pandoc(["--citeproc", "annotated.md", "-t", "plain", "--wrap=none"], bundled).stdout
    assert "Moon Jae-insaid" in plain and "“big” deal" in plain


def test_reading_list_renders_cleanly(bundled: Path, run):
    assert run(["export", "markdown", "-o", "list.md"], cwd=bundled).exit_code == 0
    result = pandoc(["list.md", "-t", "html"], bundled)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count("<h2") >= 4
    assert '<a href="https://' in result.stdout
    assert "\\" not in re.sub(r"<[^>]+>", "", result.stdout)  # no escape leaked into the text


def test_claimreview_reviews_claims_with_a_status(bundled: Path, run):
    result = run(["export", "claimreview"], cwd=bundled)
    reviews = json.loads(result.stdout)
    from refmap.mapfile.schema import load_map

    cmap = load_map(bundled / "claims.yaml")
    expected = [c for c in cmap.claims if c.status in ("sourced", "unverified", "disputed")]
    assert [r["claimReviewed"] for r in reviews] == [c.quote for c in expected]
    assert all(r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews)
    ratings = {r["reviewRating"]["alternateName"] for r in reviews}
    assert ratings <= {"Supported by cited sources", "Unverified", "Disputed"}


@pytest.mark.parametrize("command", [
    ["export", "bibtex"], ["export", "csl-json"], ["export", "markdown"],
    ["export", "claimreview"], ["annotate"], ["report"],
])
def test_every_exporter_refuses_inputs_and_bad_paths(command: list[str], bundled: Path, run):
    before = snapshot(bundled)
    for target in ("claims.yaml", "essay.txt", "./claims.yaml"):
        result = run([*command, "-o", target], cwd=bundled)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {target}: refusing to overwrite")
    result = run([*command, "-o", "missing/dir/out"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (
        2, "Error: missing/dir/out: cannot write: directory 'missing/dir' does not exist\n")
    (bundled / "adir").mkdir()
    result = run([*command, "-o", "adir"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (2, "Error: adir: is a directory\n")
    assert snapshot(bundled) == before


def test_output_file_is_written_whole_and_replaced_atomically(bundled: Path, run):
    out = bundled / "refs.bib"
    out.write_text("old contents", "utf-8")
    assert run(["export", "bibtex", "-o", "refs.bib"], cwd=bundled).exit_code == 0
    direct = run(["export", "bibtex"], cwd=bundled).stdout
    assert out.read_text("utf-8") == direct
    assert [p.name for p in bundled.iterdir() if p.name.endswith(".tmp")] == []


def test_exports_are_byte_stable(bundled: Path, run):
    for command in (["export", "csl-json"], ["export", "markdown"], ["report"], ["annotate"]):
        assert run(command, cwd=bundled).stdout == run(command, cwd=bundled).stdout
